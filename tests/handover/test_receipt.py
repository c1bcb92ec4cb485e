"""Receipt of a handover is an explicit POST by the authority department; opening it changes nothing."""

from datetime import date

import pytest
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.handover.models import Handover

from ..factories import make_citizen, make_user
from .factories import at, fresh, make_consent, make_course, make_handover

HX = {"HX-Request": "true"}


@pytest.fixture
def sent():
    anna = make_citizen("Anna", "Andersen")
    course = make_course(anna, date(2026, 8, 24))
    mads = make_user("mads", full_name="Mads Madsen")
    consent = make_consent(anna)
    return make_handover(course, status="sendt", sent_at=at(date(2026, 11, 20)), sent_by_id=mads.id,
                         consent_id=consent.id, reasons="Jeg kunne ikke åbne min post.")


def state(handover_id):
    row = fresh(Handover, handover_id)
    return row.status, row.received_at, row.received_by_id


def actions():
    db.session.rollback()
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_opening_a_handover_as_the_authority_changes_nothing(login, sent):
    morten = login("authority", username="morten")
    before = state(sent.id)
    for _ in range(2):
        page = morten.get(f"/overdragelser/{sent.id}")
        assert page.status_code == 200
    assert state(sent.id) == before == ("sendt", None, None)
    assert actions()[-2:] == ["handover_viewed", "handover_viewed"]  # each view is accounted for
    html = page.get_data(as_text=True)
    assert f'action="/overdragelser/{sent.id}/modtaget"' in html and "Markér som modtaget" in html
    inbox = morten.get("/indbakke").get_data(as_text=True)
    assert "Ny – ikke modtaget" in inbox


def test_marking_as_received_is_a_post(login, sent, time_machine):
    time_machine.move_to("2026-11-23 09:15:00+01:00", tick=False)
    morten = login("authority", username="morten")
    morten.get(f"/overdragelser/{sent.id}")
    response = morten.post(f"/overdragelser/{sent.id}/modtaget")
    assert response.status_code == 302 and response.headers["Location"] == f"/overdragelser/{sent.id}"
    status, received_at, received_by = state(sent.id)
    assert status == "modtaget" and received_at is not None
    assert fresh(Handover, sent.id).received_by.username == "morten"
    assert actions()[-1] == "handover_received"
    page = morten.get(f"/overdragelser/{sent.id}").get_data(as_text=True)
    assert "Markér som modtaget" not in page and "Modtaget 23." in page
    inbox = morten.get("/indbakke").get_data(as_text=True)
    assert "Ny – ikke modtaget" not in inbox and "Modtaget 23." in inbox
    # A second post changes nothing.
    morten.post(f"/overdragelser/{sent.id}/modtaget")
    assert state(sent.id) == (status, received_at, received_by)
    assert actions().count("handover_received") == 1


def test_the_day_board_lists_it_until_it_is_marked_received(login, sent):
    staff = login("staff", username="vera")
    morten = login("authority", username="morten")
    morten.get(f"/overdragelser/{sent.id}")
    assert "Anna A. – sendt" in staff.get("/dagstavle").get_data(as_text=True)
    morten.post(f"/overdragelser/{sent.id}/modtaget")
    assert "Anna A. – sendt" not in staff.get("/dagstavle").get_data(as_text=True)


@pytest.mark.parametrize("role", ["staff", "leader", "peer", "secretariat", "admin"])
def test_only_the_authority_marks_received(login, sent, role):
    visitor = login(role)
    visitor.get("/")
    assert visitor.post(f"/overdragelser/{sent.id}/modtaget").status_code == 403
    assert state(sent.id)[0] == "sendt"
    if role in ("staff", "leader", "peer"):
        assert "Markér som modtaget" not in visitor.get(f"/overdragelser/{sent.id}").get_data(as_text=True)


def test_a_draft_cannot_be_marked_received(login, sent):
    draft = make_handover(make_course(sent.citizen, date(2026, 1, 5), end=date(2026, 3, 1)))
    morten = login("authority", username="morten")
    morten.get("/indbakke")
    assert morten.post(f"/overdragelser/{draft.id}/modtaget").status_code == 404
    assert state(draft.id)[0] == "kladde"


def test_without_the_csrf_token_nothing_happens(login, sent):
    morten = login("authority", username="morten")
    response = morten.client.post(f"/overdragelser/{sent.id}/modtaget")
    assert response.status_code == 400
    assert state(sent.id)[0] == "sendt"
