"""Outreach requests end to end through the views: recorded from a partner's call, assigned,
visited, closed; overdue after 5 working days on the day board and the list (weekends and
holidays do not count); the partner hears the outcome only with consent."""

from datetime import date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.outreach import services
from webapp.outreach.models import OutreachRequest, OutreachVisit
from webapp.timeutil import LOCAL_TZ
from webapp.welcome.services import board

from ..factories import make_citizen, make_user
from ..handover.factories import fresh, make_consent, make_outreach, make_visit

ALL = ["staff", "peer", "skp", "volunteer_coordinator", "leader", "authority", "secretariat", "admin"]
STAFF_LIKE = {"staff", "peer", "skp", "leader"}  # the coordinator: need to know (#12)


def morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=LOCAL_TZ)


def actions():
    db.session.rollback()
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


@pytest.mark.parametrize("role", ALL)
def test_access_matrix(login, role):
    request = make_outreach(date(2026, 11, 23))
    visitor = login(role)
    for url in ("/udekoerende", "/udekoerende/ny", f"/udekoerende/{request.id}"):
        assert visitor.client.get(url).status_code == (200 if role in STAFF_LIKE else 403), url
    response = visitor.post(f"/udekoerende/{request.id}/tildel", {"staff_id": ""})
    assert response.status_code == (422 if role in STAFF_LIKE else 403)


def test_record_a_partners_call_for_an_unregistered_citizen(login):
    with time_machine.travel(morning(date(2026, 11, 23)), tick=False):
        visitor = login("staff")
        visitor.get("/udekoerende/ny")
        response = visitor.post("/udekoerende/ny", {
            "received_on": "2026-11-23", "partner_code": "jobcenter", "partner_name": "Team Ung",
            "contact_person": "Jonna", "contact_phone": "75000001", "partner_reference": "JC-2291",
            "citizen_first_name": "Kasper", "reason": "Har ikke været ude i ugevis", "urgency": "haster",
        })
    assert response.status_code == 302
    row = db.session.scalar(select(OutreachRequest))
    assert (row.state, row.citizen_id, row.citizen_first_name, row.partner_reference, row.urgency) == (
        "modtaget", None, "Kasper", "JC-2291", "haster")
    assert actions()[-1] == "outreach_recorded"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"citizen_first_name": ""}, "Skriv borgerens fornavn"),
        ({"partner_code": "naboen"}, "Ukendt valg"),
        ({"reason": ""}, "Skriv, hvorfor borgeren ikke kan komme."),
        ({"received_on": "2099-01-01"}, "Datoen kan ikke ligge i fremtiden."),
        ({"received_on": "23.11"}, "Skriv en gyldig dato"),
        ({"urgency": "meget"}, "Ukendt valg"),
    ],
)
def test_bad_request_input_is_refused_and_kept(login, data, message):
    visitor = login("staff")
    visitor.get("/udekoerende/ny")
    payload = {"received_on": "2026-11-23", "partner_code": "jobcenter", "contact_person": "Jonna Jobcenter",
               "citizen_first_name": "Kasper", "reason": "Angst", "urgency": "almindelig", **data}
    response = visitor.post("/udekoerende/ny", payload)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body
    assert 'value="Jonna Jobcenter"' in body
    assert db.session.scalar(select(func.count()).select_from(OutreachRequest)) == 0


def test_assign_visit_close_and_the_hours(login):
    skp = make_user("soeren", roles=("skp",), full_name="Søren Skp")
    anna = make_citizen("Anna", "Andersen")
    request = make_outreach(date(2026, 11, 23), citizen_id=anna.id)
    with time_machine.travel(morning(date(2026, 11, 25)), tick=False):
        visitor = login("staff")
        page = visitor.get(f"/udekoerende/{request.id}").get_data(as_text=True)
        assert "Søren Skp (SKP)" in page  # SKP workers are offered first
        closing_too_early = visitor.post(f"/udekoerende/{request.id}/afslut", {"outcome": "kort_afklaring"})
        assert closing_too_early.status_code == 422
        assert "Tildel den først til en medarbejder." in closing_too_early.get_data(as_text=True)
        assert visitor.post(f"/udekoerende/{request.id}/tildel", {"staff_id": str(skp.id)}).status_code == 302
        visit = {"visit_date": "2026-11-24", "duration_minutes": "75", "what_happened": "Kaffe i køkkenet"}
        assert visitor.post(f"/udekoerende/{request.id}/besoeg", visit).status_code == 302
        assert visitor.post(f"/udekoerende/{request.id}/besoeg", {
            "visit_date": "2026-11-25", "duration_minutes": "30"}).status_code == 302
        unknown = visitor.post(f"/udekoerende/{request.id}/afslut", {"outcome": "forsvundet"})
        assert unknown.status_code == 422 and "Ukendt valg" in unknown.get_data(as_text=True)
        assert visitor.post(f"/udekoerende/{request.id}/afslut", {"outcome": "kom_til_din_indgang"}).status_code == 302
    row = fresh(OutreachRequest, request.id)
    assert (row.state, row.outcome, row.closed_on, row.assigned_to_id) == (
        "afsluttet", "kom_til_din_indgang", date(2026, 11, 25), skp.id)
    assert services.outreach_minutes(anna.id) == 105
    assert services.outreach_minutes(make_citizen("Bo").id) == 0
    assert [a for a in actions() if a.startswith("outreach_")][-5:] == [
        "outreach_viewed", "outreach_assigned", "outreach_visit_recorded", "outreach_visit_recorded",
        "outreach_closed"]


@pytest.mark.parametrize(
    "data, field_message",
    [
        ({"visit_date": "2026-11-20", "duration_minutes": "45"},
         "Besøget kan ikke ligge før anmodningen (23. nov 2026)."),
        ({"visit_date": "2026-11-30", "duration_minutes": "45"}, "Besøget kan ikke ligge i fremtiden."),
        ({"visit_date": "2026-11-24", "duration_minutes": "0"}, "Varigheden skal være mellem 1 og 480 minutter."),
        ({"visit_date": "2026-11-24", "duration_minutes": "en time"}, "Skriv et helt tal"),
        ({"visit_date": "", "duration_minutes": ""}, "Angiv datoen for besøget."),
    ],
)
def test_a_bad_visit_is_refused_and_what_was_typed_is_kept(login, data, field_message):
    skp = make_user("soeren", roles=("skp",))
    request = make_outreach(date(2026, 11, 23), state="tildelt", assigned_to_id=skp.id, assigned_on=date(2026, 11, 23))
    with time_machine.travel(morning(date(2026, 11, 25)), tick=False):
        visitor = login("staff")
        visitor.get(f"/udekoerende/{request.id}")
        response = visitor.post(f"/udekoerende/{request.id}/besoeg", {**data, "what_happened": "Bankede på"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and field_message in body
    assert "Bankede på</textarea>" in body
    assert db.session.scalar(select(func.count()).select_from(OutreachVisit)) == 0
    assert fresh(OutreachRequest, request.id).state == "tildelt"


def test_a_visit_needs_someone_assigned_first(login):
    request = make_outreach(date(2026, 11, 23))
    with time_machine.travel(morning(date(2026, 11, 25)), tick=False):
        visitor = login("staff")
        visitor.get(f"/udekoerende/{request.id}")
        response = visitor.post(f"/udekoerende/{request.id}/besoeg", {"visit_date": "2026-11-24",
                                                                      "duration_minutes": "30"})
    assert response.status_code == 422 and "Tildel den først" in response.get_data(as_text=True)


# --- overdue: the rules wired to the day board and the list ---------------------------------------


def board_items(day):
    return board(day).slots["Udekørende funktion"].items


@pytest.mark.parametrize(
    "received, on_time_until, overdue_from",
    [
        (date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 1)),  # Monday: across one weekend
        (date(2026, 11, 27), date(2026, 12, 4), date(2026, 12, 7)),  # Friday: overdue on the Monday after
        (date(2026, 11, 28), date(2026, 12, 4), date(2026, 12, 7)),  # received on a Saturday
        (date(2026, 12, 21), date(2026, 12, 30), date(2027, 1, 4)),  # Christmas and New Year do not count
    ],
)
def test_overdue_after_five_working_days_on_the_board(received, on_time_until, overdue_from):
    make_outreach(received, citizen_first_name="Kasper")
    assert not board_items(on_time_until)[0].urgent
    assert board_items(overdue_from)[0].urgent
    assert "Kasper (Jobcenter)" in board_items(overdue_from)[0].text


def test_board_is_discreet_and_lists_overdue_first():
    anna = make_citizen("Anna", "Hemmeligsen")
    make_outreach(date(2026, 11, 20), citizen_id=anna.id, reason="Meget personlig note")
    make_outreach(date(2026, 11, 2), citizen_first_name="Lise")
    items = board_items(date(2026, 11, 23))
    assert [i.urgent for i in items] == [True, False]
    assert items[0].text.startswith("Lise") and items[1].text.startswith("Anna (")
    assert all("Hemmeligsen" not in i.text and "personlig" not in i.text for i in items)


def test_an_action_takes_the_red_away_until_the_next_five_days_pass(login):
    skp = make_user("soeren", roles=("skp",))
    request = make_outreach(date(2026, 11, 2), citizen_first_name="Lise")
    with time_machine.travel(morning(date(2026, 11, 23)), tick=False):
        visitor = login("staff")
        page = visitor.get("/udekoerende").get_data(as_text=True)
        assert "Forsinket siden 10. nov 2026" in page
        assert "Forsinket:</strong>" in visitor.get("/dagstavle").get_data(as_text=True)
        visitor.get(f"/udekoerende/{request.id}")
        visitor.post(f"/udekoerende/{request.id}/tildel", {"staff_id": str(skp.id)})
        page = visitor.get("/udekoerende").get_data(as_text=True)
        assert "Forsinket siden" not in page and "Næste handling senest 30. nov 2026" in page
    db.session.rollback()
    assert not board_items(date(2026, 11, 30))[0].urgent
    assert board_items(date(2026, 12, 1))[0].urgent


# --- telling the partner -------------------------------------------------------------------------


def test_the_partner_hears_the_outcome_only_with_consent(login):
    anna = make_citizen("Anna", "Andersen")
    skp = make_user("soeren", roles=("skp",))
    request = make_outreach(date(2026, 11, 2), state="afsluttet", citizen_id=anna.id, assigned_to_id=skp.id,
                            outcome="kom_til_din_indgang", closed_on=date(2026, 11, 10), partner_reference="JC-1")
    make_visit(request, date(2026, 11, 5))
    visitor = login("staff")
    visitor.get(f"/udekoerende/{request.id}")
    refused = visitor.post(f"/udekoerende/{request.id}/besked")
    assert refused.status_code == 422 and "forvaltningsloven § 28" in refused.get_data(as_text=True)
    make_consent(anna, recipient="lokalpsykiatri")  # the wrong partner
    assert visitor.post(f"/udekoerende/{request.id}/besked").status_code == 422
    consent = make_consent(anna, recipient="jobcenter", purpose="Besked om udfald")
    assert visitor.post(f"/udekoerende/{request.id}/besked").status_code == 302
    row = fresh(OutreachRequest, request.id)
    assert row.partner_informed_at is not None and row.partner_informed_consent_id == consent.id
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "outreach_outcome_disclosed" and "til jobcenter" in event.details


def test_an_unregistered_citizen_must_be_linked_before_the_partner_is_told(login):
    request = make_outreach(date(2026, 11, 2), state="afsluttet", outcome="ikke_truffet", closed_on=date(2026, 11, 9))
    anna = make_citizen("Anna", "Andersen", phone="22334455")
    visitor = login("staff")
    visitor.get(f"/udekoerende/{request.id}")
    refused = visitor.post(f"/udekoerende/{request.id}/besked")
    assert refused.status_code == 422 and "borgeren er ikke registreret" in refused.get_data(as_text=True)
    found = visitor.post(f"/udekoerende/{request.id}/soeg", {"q": "ann"}).get_data(as_text=True)
    assert "Anna Andersen" in found
    assert visitor.post(f"/udekoerende/{request.id}/borger", {"citizen_id": "abc"}).status_code == 422
    assert visitor.post(f"/udekoerende/{request.id}/borger", {"citizen_id": str(anna.id)}).status_code == 302
    assert fresh(OutreachRequest, request.id).citizen_id == anna.id


def test_an_open_request_cannot_be_reported_to_the_partner(login):
    anna = make_citizen("Anna")
    make_consent(anna, recipient="jobcenter")
    request = make_outreach(date(2026, 11, 2), citizen_id=anna.id)
    visitor = login("staff")
    visitor.get(f"/udekoerende/{request.id}")
    response = visitor.post(f"/udekoerende/{request.id}/besked")
    assert response.status_code == 422 and "når anmodningen er afsluttet" in response.get_data(as_text=True)


def test_a_request_started_from_the_citizen_page_is_linked(login):
    anna = make_citizen("Anna", "Andersen")
    visitor = login("staff")
    page = visitor.get(f"/udekoerende/ny?borger={anna.id}").get_data(as_text=True)
    assert "Anna Andersen" in page and 'name="citizen_first_name"' not in page
    response = visitor.post("/udekoerende/ny", {
        "citizen_id": str(anna.id), "received_on": "2026-11-23", "partner_code": "lokalpsykiatri",
        "contact_person": "Poul", "reason": "Social angst", "urgency": "almindelig",
    })
    assert response.status_code == 302
    assert db.session.scalar(select(OutreachRequest.citizen_id)) == anna.id
    assert actions()[-2:] == ["outreach_form_viewed", "outreach_recorded"]
