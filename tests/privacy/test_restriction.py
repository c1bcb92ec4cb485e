"""Restriction of processing (GDPR art. 18) on the demo data's richest citizen: the leader approves
the request; the record can then be read but not changed (a stale form answers a calm 423 and the
flush guard refuses any other path); the citizen is off the welcome board, the searches, the Friday
agenda, the outreach and volunteer queues, the handover lists and the group lists, and has no
waiting reminder; the key figures still count them; every role walking from the citizen's page
meets no control that would be refused; and the leader lifts the restriction after telling them."""

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.citizens.models import Citizen, Course, GuideConversation
from webapp.citizens.register import find_citizens
from webapp.extensions import db
from webapp.groups.models import GroupEnrolment
from webapp.groups.services import enrolments
from webapp.handover.services import inbox
from webapp.meeting.agenda import assemble_agenda
from webapp.messages.models import WAITING, OutboxMessage
from webapp.messages.schedule import RESTRICTED
from webapp.outreach.models import OutreachRequest
from webapp.outreach.services import open_requests as outreach_queue
from webapp.privacy.models import PrivacyRequest
from webapp.privacy.restriction import RecordRestricted, restricted_ids, writes_allowed
from webapp.reports.figures import key_figures
from webapp.timeutil import today_local, utcnow
from webapp.tools.demo import DEMO_PASSWORD
from webapp.volunteers.bridge import open_requests as volunteer_queue
from webapp.volunteers.bridge_models import VolunteerRequest
from webapp.volunteers.matching import REQUEST_OPEN
from webapp.welcome.services import board

from ..conftest import Visitor
from ..factories import make_contact, refresh
from ..walk import post_checker, walk
from .conftest import leader_registers

pytestmark = pytest.mark.demo_data

ROLES = ("medarbejder", "peer", "skp", "leder", "myndighed")


def _lists(citizen: Citizen) -> dict[str, bool]:
    """Whether the citizen is on each list, board and queue."""
    today = today_local()
    friday = today
    agenda = assemble_agenda(friday)
    run_ids = {e.run_id for e in db.session.scalars(select(GroupEnrolment).where(
        GroupEnrolment.citizen_id == citizen.id))}
    the_board = board(today)
    return {
        "welcome timeline": any(c.citizen_id == citizen.id for c in the_board.timeline),
        "board slots": citizen.id in the_board.named_citizens(),
        "search": citizen.id in {c.id for c in find_citizens(citizen.first_name, limit=100)},
        "agenda": any(i.citizen_id == citizen.id for s in agenda.sections for i in s.items),
        "outreach queue": any(r.citizen_id == citizen.id for r in outreach_queue(today)),
        "volunteer queue": any(r.citizen_id == citizen.id for r in volunteer_queue()),
        "handover inbox": any(h.citizen_id == citizen.id for h in inbox()),
        "group lists": any(e.citizen_id == citizen.id for run_id in run_ids for e in enrolments(run_id)),
    }


def _figures() -> list:
    return [dataclasses.asdict(f) for f in key_figures(date(2025, 1, 1), date(2026, 12, 31), restricted=True)]


@pytest.fixture(scope="module")
def restricted(app, rich_citizen_id):
    """The rich citizen, put on every list, then restricted by the leader."""
    citizen_id = rich_citizen_id
    with app.test_request_context():
        citizen = db.session.get(Citizen, citizen_id)
        make_contact(None, citizen_id=citizen_id)  # came by today: on the welcome board
        for model in (OutreachRequest, VolunteerRequest):  # open in the queues
            row = db.session.scalars(select(model).where(model.citizen_id == citizen_id)).first()
            if model is OutreachRequest:
                row.state, row.closed_on = "modtaget", None
            else:
                row.status = REQUEST_OPEN
        course = db.session.scalars(select(Course).where(Course.citizen_id == citizen_id)).first()
        course.end_date = None  # an open course: on the board's and the agenda's course lists
        # A guide conversation booked in three days, with consent to remind: a waiting reminder.
        citizen.contact_consent, citizen.contact_preference, citizen.phone = True, "sms", "20304050"
        citizen.reminders_off = False
        db.session.add(GuideConversation(citizen_id=citizen_id, scheduled_at=utcnow() + timedelta(days=3),
                                         status="booket"))
        db.session.commit()
        waiting = db.session.scalars(select(OutboxMessage).where(OutboxMessage.citizen_id == citizen_id,
                                                                 OutboxMessage.status == WAITING)).first()
        assert waiting is not None
        before = _lists(citizen)
        figures = _figures()
    leader, page_url = leader_registers(app, citizen_id, "begraensning", today_local().isoformat(),
                                        scope="Bestrider oplysningerne om forløbet")
    refused = leader.post(page_url + "/afgoerelse", {"decision": "delvist", "legal_basis": "Art. 18", "reason": "x"})
    assert refused.status_code == 422 and 'value="delvist"' not in refused.get_data(as_text=True)  # not offered
    response = leader.post(page_url + "/afgoerelse", {
        "decision": "godkendt", "legal_basis": "Databeskyttelsesforordningens artikel 18, stk. 1, litra a"})
    assert response.status_code == 303, response.get_data(as_text=True)
    return {"citizen_id": citizen_id, "before": before, "figures": figures, "leader": leader, "page_url": page_url,
            "waiting_id": waiting.id}


def test_the_decision_restricts_closes_the_request_and_is_audited(app, restricted):
    with app.app_context():
        refresh()
        citizen = db.session.get(Citizen, restricted["citizen_id"])
        assert citizen.restricted_at is not None and citizen.erased_at is None
        request = db.session.scalars(select(PrivacyRequest).where(
            PrivacyRequest.citizen_id == citizen.id, PrivacyRequest.kind == "begraensning")).one()
        assert request.decision == "godkendt" and request.closed_at is not None
        actions = [e.action for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.citizen_id == citizen.id, AuditEvent.action.in_(["privacy_request_decided",
                                                                        "citizen_restricted"])).order_by(AuditEvent.id))]
        assert actions == ["privacy_request_decided", "citizen_restricted"]
        message = db.session.get(OutboxMessage, restricted["waiting_id"])
        assert (message.status, message.cancel_reason) == ("annulleret", RESTRICTED)


def test_the_citizen_is_off_every_list_board_and_queue(app, restricted):
    assert all(restricted["before"].values()), restricted["before"]
    with app.test_request_context():
        citizen = db.session.get(Citizen, restricted["citizen_id"])
        assert _lists(citizen) == dict.fromkeys(restricted["before"], False)
        # The leader still finds them to decide on their requests.
        assert citizen.id in {c.id for c in find_citizens(citizen.first_name, limit=100, include_restricted=True)}


def test_the_key_figures_still_count_them(app, restricted):
    with app.test_request_context():
        assert _figures() == restricted["figures"]


def test_the_page_says_so_and_a_stale_form_gets_a_calm_423(app, restricted):
    staff = Visitor(app.test_client())
    staff.login("medarbejder", DEMO_PASSWORD)
    citizen_id = restricted["citizen_id"]
    page = staff.get(f"/borgere/{citizen_id}").get_data(as_text=True)
    assert "Behandlingen er begrænset" in page
    assert f"/borgere/{citizen_id}/ret" not in page  # no edit button
    response = staff.post(f"/borgere/{citizen_id}/ret", {"first_name": "Ændret", "last_name": "Navn"})
    assert response.status_code == 423
    body = response.get_data(as_text=True)
    assert "Kan kun læses" in body and "artikel 18" in body
    with app.app_context():
        refresh()
        assert db.session.get(Citizen, citizen_id).first_name != "Ændret"


def test_the_flush_guard_refuses_any_other_path(app, restricted):
    with app.test_request_context():
        citizen = db.session.get(Citizen, restricted["citizen_id"])
        citizen.phone = "99999999"
        with pytest.raises(RecordRestricted):
            db.session.flush()
        db.session.rollback()
        course = db.session.scalars(select(Course).where(Course.citizen_id == citizen.id)).first()
        course.stop_reason_text = "ændret"
        with pytest.raises(RecordRestricted):
            db.session.flush()
        db.session.rollback()
        make_contact_kwargs = {"citizen_id": citizen.id}
        with pytest.raises(RecordRestricted):
            make_contact(None, **make_contact_kwargs)
        db.session.rollback()
        with writes_allowed():  # the privacy code may
            citizen.phone = citizen.phone
            citizen.version = citizen.version
            db.session.flush()
        db.session.rollback()
        assert restricted_ids() >= {citizen.id}


@pytest.mark.parametrize("username", ROLES)
def test_no_role_meets_a_control_that_would_be_refused(app, restricted, username):
    visitor = Visitor(app.test_client())
    visitor.login(username, DEMO_PASSWORD)
    citizen_id = restricted["citizen_id"]
    first = visitor.get(f"/borgere/{citizen_id}")
    if first.status_code == 403:
        pytest.skip(f"{username} does not see citizen pages")
    with app.app_context():
        from webapp.auth.models import User

        user = db.session.scalar(select(User).where(User.username == username))
        result = walk(app, visitor.client, username, start=f"/borgere/{citizen_id}",
                      may_post=post_checker(app, user), max_pages=40)
    assert result.problems == [], "\n".join(result.problems)


def test_the_leader_lifts_it_after_telling_the_citizen(app, restricted):
    leader = restricted["leader"]
    citizen_id = restricted["citizen_id"]
    page = leader.get(restricted["page_url"]).get_data(as_text=True)
    assert "Ophæv begrænsningen" in page
    response = leader.post(f"/databeskyttelse/borgere/{citizen_id}/ophaev-begraensning", {})
    assert response.status_code == 422
    assert "Bekræft, at borgeren er orienteret" in response.get_data(as_text=True)
    response = leader.post(f"/databeskyttelse/borgere/{citizen_id}/ophaev-begraensning", {"informed": "y"})
    assert response.status_code == 303
    with app.test_request_context():
        refresh()
        citizen = db.session.get(Citizen, citizen_id)
        assert citizen.restricted_at is None
        assert citizen.id in {c.id for c in find_citizens(citizen.first_name, limit=100)}
        assert db.session.scalars(select(AuditEvent).where(AuditEvent.citizen_id == citizen_id,
                                                           AuditEvent.action == "restriction_lifted")).all()
