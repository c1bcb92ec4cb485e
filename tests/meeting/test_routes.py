"""The Friday meeting in the browser's place: time travel, roles, decisions, projector, minutes."""

import io
import re
from datetime import date, datetime

import pytest
import time_machine
from pypdf import PdfReader
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.handover.models import DirectAuthorityProposal
from webapp.meeting.models import MeetingDecision
from webapp.timeutil import LOCAL_TZ

from ..factories import make_citizen, make_user
from ..handover.factories import at, fresh, make_decision, make_guide_conversation, make_outreach

ALL = ["staff", "peer", "skp", "volunteer_coordinator", "leader", "authority", "secretariat", "admin"]
VIEWERS = {"staff", "peer", "skp", "leader", "authority"}  # the coordinator: need to know (#12)
DECIDERS = {"leader", "authority"}
F = date(2026, 11, 27)


def friday_morning(day=F):
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=LOCAL_TZ)


def actions():
    db.session.rollback()
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


@pytest.fixture
def agenda_data():
    anna = make_citizen("Anna", "Andersen")
    gc = make_guide_conversation(anna, at(date(2026, 11, 24)))
    request = make_outreach(date(2026, 11, 23), citizen_first_name="Kasper", reason="Meget personlig note")
    return anna, gc, request


@pytest.mark.parametrize("role", ALL)
@pytest.mark.parametrize("path", ["/fredagsmoede", f"/fredagsmoede/{F}/projektor"])
def test_who_sees_the_meeting(login, role, path):
    visitor = login(role)
    assert visitor.get(path).status_code == (200 if role in VIEWERS else 403)


@pytest.mark.parametrize("role", ALL)
def test_who_prints_the_minutes(login, role):
    visitor = login(role)
    assert visitor.client.get(f"/fredagsmoede/{F}/referat.pdf").status_code == (200 if role in VIEWERS else 403)


@pytest.mark.parametrize("role", ALL)
def test_only_the_leaders_record_decisions(login, role, agenda_data):
    _, gc, _ = agenda_data
    visitor = login(role)
    response = visitor.post(f"/fredagsmoede/{F}/beslutninger", {"item_key": f"gc:{gc.id}", "text": "Mads ringer"})
    assert response.status_code == (302 if role in DECIDERS else 403)


def test_agenda_items_appear_and_disappear_with_the_calendar(login, agenda_data):
    with time_machine.travel(friday_morning(), tick=False) as traveller:
        visitor = login("staff")
        page = visitor.get("/fredagsmoede").get_data(as_text=True)
        assert "Fredagsmøde <small>27. nov 2026</small>" in page
        assert "Anna A." in page and "Kasper" in page
        assert "Andersen" not in page
        assert 'class="agenda-details"' in page  # the note is only there collapsed
        traveller.move_to(friday_morning(date(2026, 12, 4)))  # a week on: the session has expired
        visitor = login("staff", username="mads")
        page = visitor.get("/fredagsmoede").get_data(as_text=True)
        assert "Fredagsmøde <small>4. dec 2026</small>" in page
        assert "Anna A." not in page  # new citizens were last week's news
        assert "Kasper" in page and "forsinket siden 1. dec 2026" in page  # still open: now overdue
    assert actions()[-1] == "meeting_agenda_viewed"


def test_a_date_in_the_week_shows_that_weeks_meeting_and_bad_dates_are_calm(login):
    visitor = login("staff")
    assert "Fredagsmøde <small>27. nov 2026</small>" in visitor.get("/fredagsmoede?dato=2026-11-24").get_data(True)
    response = visitor.get("/fredagsmoede?dato=i-morgen")
    assert response.status_code == 200 and "Datoen kunne ikke læses" in response.get_data(as_text=True)
    assert visitor.get("/fredagsmoede/2026-13-45/projektor").status_code == 404
    response = visitor.get("/fredagsmoede/2026-11-24/projektor")
    assert response.status_code == 302 and response.headers["Location"].endswith("/fredagsmoede/2026-11-27/projektor")


def test_recording_a_decision(login, agenda_data):
    _, gc, _ = agenda_data
    staff = make_user("mads", full_name="Mads Madsen")
    leader = login("leader")
    page = leader.get(f"/fredagsmoede?dato={F}&punkt=1").get_data(as_text=True)
    assert 'name="item_key"' in page and f'value="gc:{gc.id}"' in page
    response = leader.post(f"/fredagsmoede/{F}/beslutninger", {
        "item_key": f"gc:{gc.id}", "text": "Mads ringer til Anna", "responsible_id": str(staff.id),
        "deadline": "2026-12-02", "back": f"/fredagsmoede?dato={F}#punkt-1",
    })
    assert response.status_code == 302 and response.headers["Location"].endswith("#punkt-1")
    decision = db.session.scalar(select(MeetingDecision))
    assert (decision.meeting_date, decision.text, decision.responsible_id) == (F, "Mads ringer til Anna", staff.id)
    assert decision.item_label == "Anna A. – Nye borgere siden sidst"
    assert actions()[-1] == "meeting_decision_recorded"
    page = leader.get(f"/fredagsmoede?dato={F}").get_data(as_text=True)
    assert "Besluttet:</strong> Mads ringer til Anna" in page


def test_the_same_decision_sent_twice_is_one_decision(login, agenda_data):
    """A double click on »Gem beslutning« (or the form sent again) records nothing more."""
    _, gc, _ = agenda_data
    leader = login("leader")
    form = {"item_key": f"gc:{gc.id}", "text": "Ring til Anna ", "back": f"/fredagsmoede?dato={F}#punkt-1"}
    assert leader.post(f"/fredagsmoede/{F}/beslutninger", form).status_code == 302
    again = leader.post(f"/fredagsmoede/{F}/beslutninger", {**form, "text": "Ring til Anna"}, follow_redirects=True)
    assert "Beslutningen var allerede gemt." in again.get_data(as_text=True)
    other = leader.post(f"/fredagsmoede/{F}/beslutninger", {**form, "text": "Ring også til moren"})
    assert other.status_code == 302
    db.session.rollback()
    assert db.session.scalars(select(MeetingDecision.text).order_by(MeetingDecision.id)).all() == [
        "Ring til Anna", "Ring også til moren"]
    assert actions().count("meeting_decision_recorded") == 2


@pytest.mark.parametrize(
    "data, message",
    [
        ({"text": "   "}, "Skriv beslutningen."),
        ({"text": "Ring", "deadline": "2026-11-20"}, "Fristen kan ikke ligge før mødet."),
        ({"text": "Ring", "deadline": "27/11"}, "Skriv en gyldig dato"),
        ({"text": "Ring", "responsible_id": "99999"}, "Ukendt valg"),
    ],
)
def test_a_bad_decision_is_refused_with_what_was_typed_kept(login, agenda_data, data, message):
    _, gc, _ = agenda_data
    leader = login("leader")
    leader.get("/fredagsmoede")
    payload = {"item_key": f"gc:{gc.id}", "deadline": "", "back": f"/fredagsmoede/{F}/projektor?punkt=1", **data}
    response = leader.post(f"/fredagsmoede/{F}/beslutninger", payload)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body
    assert "theme-projector" in body  # back on the projector item it came from
    if data["text"].strip():
        assert f"{data['text']}</textarea>" in body
    db.session.rollback()
    assert db.session.scalar(select(MeetingDecision)) is None


def test_a_decision_for_an_item_no_longer_on_the_agenda_is_not_saved(login):
    leader = login("leader")
    leader.get("/fredagsmoede")
    response = leader.post(f"/fredagsmoede/{F}/beslutninger", {"item_key": "gc:424242", "text": "x"})
    assert response.status_code == 302
    assert "findes ikke længere" in leader.get(response.headers["Location"]).get_data(as_text=True)


def test_open_decision_is_marked_done_by_the_responsible_person_only(login, app):
    anna = make_citizen("Anna")
    mads = make_user("mads")
    decision = make_decision(date(2026, 11, 20), responsible_id=mads.id, citizen_id=anna.id)
    other = login("staff", username="pia")
    assert other.post(f"/fredagsmoede/beslutninger/{decision.id}/udfoert").status_code == 403
    from ..conftest import Visitor

    responsible = Visitor(app.test_client())
    responsible.login("mads")
    response = responsible.post(f"/fredagsmoede/beslutninger/{decision.id}/udfoert", {"back": "//evil.example"})
    assert response.status_code == 302 and response.headers["Location"] == "/fredagsmoede"
    assert fresh(MeetingDecision, decision.id).done_at is not None


def test_direct_to_authority_is_decided_from_a_guide_conversation(login):
    anna = make_citizen("Anna", "Andersen")
    gc = make_guide_conversation(anna, at(date(2026, 11, 24)), outcome="direkte_myndighed",
                                 direct_authority_reason="Har brug for bostøtte nu")
    boss = login("authority", username="morten")
    boss.get("/fredagsmoede")
    bad = boss.post(f"/fredagsmoede/{F}/direkte", {"guide_conversation_id": str(gc.id), "decision": "maaske"})
    assert bad.status_code == 422 and "Ukendt valg" in bad.get_data(as_text=True)
    response = boss.post(f"/fredagsmoede/{F}/direkte", {"guide_conversation_id": str(gc.id), "decision": "godkendt",
                                                        "note": "Rådgiver kontakter Anna"})
    assert response.status_code == 302
    db.session.rollback()
    proposal = db.session.scalar(select(DirectAuthorityProposal))
    assert (proposal.guide_conversation_id, proposal.decision, proposal.decided_on) == (gc.id, "godkendt", F)
    assert proposal.reason == "Har brug for bostøtte nu" and proposal.decided_by.username == "morten"
    assert actions()[-1] == "direct_decided"


def test_projector_shows_one_discreet_item_at_a_time(login, agenda_data):
    anna, _, _ = agenda_data
    anna.cpr = "0101901234"
    db.session.commit()
    visitor = login("leader")
    first = visitor.get(f"/fredagsmoede/{F}/projektor").get_data(as_text=True)
    assert "theme-projector" in first and "Punkt 1 af 2" in first
    assert "Anna A." in first and "Kasper" not in first
    assert "Andersen" not in first and "010190" not in first
    assert 'data-next-url="/fredagsmoede/2026-11-27/projektor?punkt=2"' in first and 'data-prev-url=""' in first
    assert 'rel="next"' in first and "js/projector.js" in first
    second = visitor.get(f"/fredagsmoede/{F}/projektor?punkt=2").get_data(as_text=True)
    assert "Punkt 2 af 2" in second and "Kasper" in second
    note = re.search(r'<details class="pj-details">.*?</details>', second, re.S).group(0)
    assert "Meget personlig note" in note  # only inside the collapsed details
    assert second.count("Meget personlig note") == 1
    assert "Punkt 2 af 2" in visitor.get(f"/fredagsmoede/{F}/projektor?punkt=99").get_data(as_text=True)


def test_staff_see_the_projector_without_the_decision_form(login, agenda_data):
    page = login("staff").get(f"/fredagsmoede/{F}/projektor").get_data(as_text=True)
    assert "Punkt 1 af 2" in page and 'name="item_key"' not in page


def test_minutes_pdf_lists_the_decisions(login, agenda_data):
    _, gc, _ = agenda_data
    leader = login("leader")
    leader.get("/fredagsmoede")
    leader.post(f"/fredagsmoede/{F}/beslutninger", {"item_key": f"gc:{gc.id}", "text": "Mads ringer til Anna"})
    response = leader.client.get(f"/fredagsmoede/{F}/referat.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Referat af fredagsmøde 27. nov 2026" in text
    assert "Mads ringer til Anna" in text and "Anna A." in text
    assert "Andersen" not in text
    assert actions()[-1] == "meeting_minutes_printed"
