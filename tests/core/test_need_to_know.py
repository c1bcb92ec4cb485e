"""Need to know (README's table): the rules that were too broad, each shown and refused alike."""

from datetime import date

import pytest
import time_machine
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.handover.models import DirectAuthorityProposal, Handover
from webapp.meeting.models import MeetingDecision

from ..citizens.factories import make_citizen_with_cpr
from ..factories import make_citizen, make_contact, make_user
from ..handover.factories import at, fresh, make_consent, make_course, make_decision, make_guide_conversation
from ..welcome.test_contacts import HX

F = date(2026, 11, 27)
CPR_READERS = {"staff", "leader"}
STAFF_LIKE = ["staff", "peer", "skp", "leader"]


@pytest.mark.parametrize("role", STAFF_LIKE)
def test_full_cpr_is_revealed_to_staff_and_leader_only(login, role):
    nancy = make_citizen_with_cpr()
    visitor = login(role)
    page = visitor.get(f"/borgere/{nancy.id}").get_data(as_text=True)
    assert ("Vis CPR" in page) == (role in CPR_READERS)
    response = visitor.post(f"/borgere/{nancy.id}/cpr", headers=HX)
    assert response.status_code == (200 if role in CPR_READERS else 403)
    assert ("251248-9996" in response.get_data(as_text=True)) == (role in CPR_READERS)


@pytest.mark.parametrize("role", ["secretariat", "admin", "staff"])
def test_vis_note_is_offered_only_to_those_who_may_open_it(login, role):
    make_contact(note="Ringer igen i morgen")
    visitor = login(role)
    page = visitor.get("/dagstavle").get_data(as_text=True)
    assert ("Vis note" in page) == (role == "staff")


def test_the_authority_cannot_approve_direct_referral_nobody_proposed(login):
    anna = make_citizen("Anna", "Andersen")
    gc = make_guide_conversation(anna, at(date(2026, 11, 24)), outcome="forloeb")
    boss = login("authority", username="morten")
    boss.get("/fredagsmoede")
    response = boss.post(f"/fredagsmoede/{F}/direkte", {"guide_conversation_id": str(gc.id), "decision": "godkendt"})
    assert response.status_code == 403
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(DirectAuthorityProposal)) == 0


@time_machine.travel(date(2026, 11, 25), tick=False)
def test_the_authority_ticks_off_only_open_decisions_on_the_agenda(login):
    anna = make_citizen("Anna")
    mads = make_user("mads")
    on_agenda = make_decision(date(2026, 11, 20), responsible_id=mads.id, citizen_id=anna.id)
    future = make_decision(date(2026, 12, 11), text="Senere", responsible_id=mads.id, citizen_id=anna.id)
    boss = login("authority", username="morten")
    page = boss.get("/fredagsmoede").get_data(as_text=True)
    assert "Markér som udført" in page
    assert boss.post(f"/fredagsmoede/beslutninger/{future.id}/udfoert").status_code == 403
    assert boss.post(f"/fredagsmoede/beslutninger/{on_agenda.id}/udfoert").status_code == 302
    assert fresh(MeetingDecision, on_agenda.id).done_at is not None
    # Done is done: ticking it again is refused, and the button is gone.
    assert boss.post(f"/fredagsmoede/beslutninger/{on_agenda.id}/udfoert").status_code == 403
    assert fresh(MeetingDecision, future.id).done_at is None


def test_a_friday_decision_hands_a_course_over_to_the_authority_department(login):
    """The decision "overdrag til myndighedsafdelingen" on a course item makes the handover's
    draft from the course; sending it still waits for the citizen's consent."""
    anna = make_citizen("Anna", "Andersen")
    course = make_course(anna, date(2026, 7, 20))  # week 19 at the meeting: ending soon
    leader = login("leader", username="lene")
    page = leader.get(f"/fredagsmoede?dato={F}&punkt=1").get_data(as_text=True)
    assert "Overdrag til myndighedsafdelingen" in page
    response = leader.post(f"/fredagsmoede/{F}/beslutninger", {
        "item_key": f"course-ending:{course.id}", "text": "Overdrages til myndighedsafdelingen", "handover": "y",
    })
    assert response.status_code == 302
    message = leader.get(response.headers["Location"]).get_data(as_text=True)
    assert "Overdragelsen er oprettet som kladde" in message and "Husk samtykket" in message
    db.session.rollback()
    handover = db.session.scalar(select(Handover).where(Handover.course_id == course.id))
    assert handover is not None and handover.status == "kladde"
    agenda = leader.get(f"/fredagsmoede?dato={F}").get_data(as_text=True)
    assert f"/overdragelser/{handover.id}/rediger" in agenda
    # The draft opens for editing, and sending needs the consent.
    edit = leader.get(f"/overdragelser/{handover.id}/rediger").get_data(as_text=True)
    assert "Overdragelse" in edit
    db.session.rollback()
    make_consent(anna)
    assert leader.get(f"/overdragelser/{handover.id}/rediger").status_code == 200


def test_the_volunteer_coordinator_sees_a_citizen_only_through_her_work(login):
    """#12: she is not STAFF_LIKE; a request, a match or a kick-off links her to a citizen."""
    from webapp.volunteers.bridge_models import VolunteerRequest

    linked, unlinked = make_citizen("Anna"), make_citizen("Bo")
    db.session.add(VolunteerRequest(citizen_id=linked.id, wishes="En gå-makker", themes="motion"))
    db.session.commit()
    frida = login("volunteer_coordinator", username="frida")
    assert frida.get(f"/frivillige/borgere/{unlinked.id}").status_code == 403
    assert frida.get(f"/frivillige/borgere/{linked.id}").status_code == 200
    for url in (f"/borgere/{linked.id}", "/borgere", "/dagstavle", f"/fit/borger/{linked.id}"):
        assert frida.get(url).status_code == 403, url
