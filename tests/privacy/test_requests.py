"""Requests under the GDPR through the views: registered by the leader for a citizen (found by
name, never by CPR in a URL), listed with their one-month deadline (art. 12(3), calendar months),
and an insight request closed when its delivery is recorded. Bad input: a Danish message, 422,
nothing saved."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.privacy.deadlines import add_months, days_left, deadline, is_overdue
from webapp.privacy.models import PrivacyRequest
from webapp.privacy.requests import MSG_ERASED
from webapp.timeutil import LOCAL_TZ, utcnow

from ..factories import make_citizen, refresh

ALL = ["staff", "peer", "skp", "volunteer_coordinator", "leader", "authority", "secretariat", "admin"]
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=LOCAL_TZ)


# --- the deadline rule (pure) ------------------------------------------------------------------------


@pytest.mark.parametrize(("received", "due"), [
    (date(2026, 3, 15), date(2026, 4, 15)),
    (date(2026, 1, 31), date(2026, 2, 28)),
    (date(2028, 1, 31), date(2028, 2, 29)),  # leap year
    (date(2026, 3, 31), date(2026, 4, 30)),
    (date(2026, 12, 31), date(2027, 1, 31)),  # over the new year
    (date(2026, 2, 28), date(2026, 3, 28)),
])
def test_deadline_is_one_calendar_month(received, due):
    assert deadline(received) == due


def test_add_months_over_several_months():
    assert add_months(date(2026, 1, 31), 13) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_days_left_and_overdue():
    received = date(2026, 1, 31)
    assert days_left(received, date(2026, 2, 28)) == 0 and not is_overdue(received, date(2026, 2, 28))
    assert days_left(received, date(2026, 2, 20)) == 8
    assert days_left(received, date(2026, 3, 1)) == -1 and is_overdue(received, date(2026, 3, 1))


# --- HTTP ----------------------------------------------------------------------------------------------


def _citizen(**kwargs):
    citizen = make_citizen(**kwargs)
    citizen.created_at = datetime(2026, 1, 5, 9, 0, tzinfo=LOCAL_TZ)
    db.session.commit()
    return citizen


def _form(**overrides):
    data = {"kind": "indsigt", "received_on": "2026-11-20", "requested_by": "Borgeren selv",
            "identified_by": "Sundhedskort vist i receptionen", "scope": "Alt"}
    data.update(overrides)
    return data


def _count(kind=None) -> int:
    refresh()
    statement = select(func.count()).select_from(PrivacyRequest)
    return db.session.scalar(statement)


def _actions(action: str) -> list[AuditEvent]:
    refresh()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


@pytest.mark.parametrize("role", ALL)
def test_only_the_leader_may(login, role):
    citizen = _citizen()
    visitor = login(role)
    expected = 200 if role == "leader" else 403
    for url in ("/databeskyttelse", "/databeskyttelse/ny-anmodning?q=Anna",
                f"/databeskyttelse/borgere/{citizen.id}/ny-anmodning"):
        assert visitor.client.get(url).status_code == expected, url


def test_register_list_and_deliver(login):
    with time_machine.travel(NOON, tick=False):
        citizen = _citizen(first_name="Bodil", last_name="Berg")
        leader = login("leader")
        home = leader.get("/databeskyttelse").get_data(as_text=True)
        assert "/databeskyttelse/ny-anmodning" in home
        found = leader.get("/databeskyttelse/ny-anmodning?q=Bodil").get_data(as_text=True)
        assert f"/databeskyttelse/borgere/{citizen.id}/ny-anmodning" in found
        assert _actions("citizen_search")[0].citizen_id == citizen.id
        leader.get(f"/databeskyttelse/borgere/{citizen.id}/ny-anmodning")
        response = leader.post(f"/databeskyttelse/borgere/{citizen.id}/ny-anmodning", _form())
        assert response.status_code == 303, response.get_data(as_text=True)
        refresh()
        request = db.session.scalars(select(PrivacyRequest)).one()
        assert (request.kind, request.received_on, request.requested_by) == ("indsigt", date(2026, 11, 20),
                                                                             "Borgeren selv")
        assert _actions("privacy_request_registered")[0].citizen_id == citizen.id

        page = leader.get("/databeskyttelse").get_data(as_text=True)
        assert "Bodil Berg" in page and "20. dec 2026" in page  # the deadline
        assert "18" in page  # days left
        assert [e.citizen_id for e in _actions("privacy_requests_listed")][-1] == citizen.id

        shown = leader.get(f"/databeskyttelse/anmodninger/{request.id}").get_data(as_text=True)
        assert "Hent indsigt (PDF)" in shown and "Registrér udleveringen" in shown
        bad = leader.post(f"/databeskyttelse/anmodninger/{request.id}/udleveret",
                          {"delivered_on": "2026-11-19", "way": "personligt"})
        assert bad.status_code == 422 and "før anmodningen blev modtaget" in bad.get_data(as_text=True)
        assert leader.post(f"/databeskyttelse/anmodninger/{request.id}/udleveret",
                           {"delivered_on": "2026-12-01", "way": ""}).status_code == 422
        done = leader.post(f"/databeskyttelse/anmodninger/{request.id}/udleveret",
                           {"delivered_on": "2026-12-01", "way": "digital_post"})
        assert done.status_code == 303
        refresh()
        request = db.session.get(PrivacyRequest, request.id)
        assert request.closed_at is not None and request.delivered_how == "Digital Post"
        assert _actions("insight_delivered")[0].citizen_id == citizen.id
        page = leader.get("/databeskyttelse").get_data(as_text=True)
        assert "Ingen åbne anmodninger." in page and "Digital Post" in page


def test_overdue_requests_are_marked_and_oldest_first(login):
    with time_machine.travel(NOON, tick=False):
        a, b = _citizen(first_name="Aage"), _citizen(first_name="Birte")
        db.session.add_all([
            PrivacyRequest(citizen_id=b.id, kind="sletning", received_on=date(2026, 11, 25), requested_by="x",
                           identified_by="y"),
            PrivacyRequest(citizen_id=a.id, kind="indsigt", received_on=date(2026, 10, 30), requested_by="x",
                           identified_by="y"),
        ])
        db.session.commit()
        page = login("leader").get("/databeskyttelse").get_data(as_text=True)
        assert page.index("Aage") < page.index("Birte")
        assert "Overskredet med 2 dage" in page  # 30 Oct → 30 Nov, today 2 Dec


@pytest.mark.parametrize(("field", "value", "message"), [
    ("received_on", "2026-12-03", "ligger i fremtiden"),
    ("received_on", "2025-12-31", "før borgeren blev oprettet"),
    ("received_on", "31-12-2026", "gyldig dato"),
    ("kind", "noget", "Not a valid choice"),
    ("requested_by", "", "hvem der bad om det"),
    ("identified_by", "", "identificeret"),
])
def test_bad_input_is_refused_in_danish(login, field, value, message):
    with time_machine.travel(NOON, tick=False):
        citizen = _citizen()
        leader = login("leader")
        leader.get(f"/databeskyttelse/borgere/{citizen.id}/ny-anmodning")
        response = leader.post(f"/databeskyttelse/borgere/{citizen.id}/ny-anmodning", _form(**{field: value}))
        text = response.get_data(as_text=True)
        assert response.status_code == 422
        if field != "kind":
            assert message in text
        assert "Borgeren selv" in text or field == "requested_by"  # nothing typed is lost
        assert _count() == 0


def test_an_erased_citizen_is_refused(login):
    with time_machine.travel(NOON, tick=False):
        citizen = _citizen()
        citizen.erased_at = utcnow() - timedelta(days=1)
        db.session.commit()
        leader = login("leader")
        assert MSG_ERASED in leader.get(f"/databeskyttelse/borgere/{citizen.id}/ny-anmodning").get_data(as_text=True)
        response = leader.post(f"/databeskyttelse/borgere/{citizen.id}/ny-anmodning", _form())
        assert response.status_code == 422 and MSG_ERASED in response.get_data(as_text=True)
        assert _count() == 0


def test_no_cpr_search_in_the_url(login):
    citizen = _citizen()
    leader = login("leader")
    page = leader.get("/databeskyttelse/ny-anmodning?q=010203-1234").get_data(as_text=True)
    assert "010203-1234" not in page and "CPR-nummer" in page
    assert f"/borgere/{citizen.id}/ny-anmodning" not in page
    assert _actions("citizen_search") == []


def test_the_citizen_page_section_is_the_leaders(login):
    citizen = _citizen()
    db.session.add(PrivacyRequest(citizen_id=citizen.id, kind="indsigt", received_on=date(2026, 11, 2),
                                  requested_by="x", identified_by="y"))
    db.session.commit()
    page = login("leader").get(f"/borgere/{citizen.id}").get_data(as_text=True)
    assert "Databeskyttelse" in page and f"/databeskyttelse/borgere/{citizen.id}/ny-anmodning" in page
    assert "Indsigt (artikel 15)" in page
    staff_page = login("staff").get(f"/borgere/{citizen.id}").get_data(as_text=True)
    assert "ny-anmodning" not in staff_page


def test_delivery_is_only_for_open_insight_requests(login):
    with time_machine.travel(NOON, tick=False):
        citizen = _citizen()
        request = PrivacyRequest(citizen_id=citizen.id, kind="sletning", received_on=date(2026, 11, 2),
                                 requested_by="x", identified_by="y")
        db.session.add(request)
        db.session.commit()
        leader = login("leader")
        leader.get(f"/databeskyttelse/anmodninger/{request.id}")
        response = leader.post(f"/databeskyttelse/anmodninger/{request.id}/udleveret",
                               {"delivered_on": "2026-12-01", "way": "personligt"})
        assert response.status_code == 422 and "Kun en anmodning om indsigt" in response.get_data(as_text=True)
        assert leader.get(f"/databeskyttelse/anmodninger/{request.id}/indsigt.pdf").status_code == 404
