"""Factories for courses, plans, meetings, guide conversations, consents, handovers, outreach
requests and direct proposals. Committed rows, so requests in other sessions see them."""

from datetime import date, datetime, time

from webapp.extensions import db
from webapp.timeutil import LOCAL_TZ, as_utc


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """An aware UTC instant for a Copenhagen wall-clock time."""
    return as_utc(datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ))


def fresh(model, row_id):
    """The row as the database has it now (after a request in another session changed it)."""
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(model, row_id)


def _save(row):
    db.session.add(row)
    db.session.commit()
    return row


def make_course(citizen, start: date, end: date | None = None, **fields):
    from webapp.citizens.models import Course

    return _save(Course(citizen_id=citizen.id, start_date=start, end_date=end, **fields))


def make_plan(course, **fields):
    from webapp.plans.models import Plan

    return _save(Plan(course_id=course.id, **fields))


def make_follow_up(plan, on: date, **fields):
    from webapp.plans.models import PlanFollowUp

    return _save(PlanFollowUp(plan_id=plan.id, follow_up_date=on, **fields))


def make_meeting(citizen, when: datetime, status="afholdt", kind="coaching", course=None, minutes=60, **fields):
    from webapp.citizens.models import Meeting

    return _save(Meeting(citizen_id=citizen.id, course_id=course.id if course else None, kind=kind,
                         starts_at=when, status=status, duration_minutes=minutes, **fields))


def make_guide_conversation(citizen, when: datetime, status="afholdt", outcome="forloeb", staff=(), **fields):
    from webapp.citizens.models import GuideConversation

    staff = [*staff, None, None]
    return _save(GuideConversation(
        scheduled_at=when, status=status, citizen_id=citizen.id if citizen else None, outcome=outcome,
        staff1_id=staff[0].id if staff[0] else None, staff2_id=staff[1].id if staff[1] else None, **fields,
    ))


def make_consent(citizen, recipient="myndighedsafdelingen", given_on=date(2026, 1, 1), basis="samtykke", **fields):
    from webapp.handover.models import Consent

    fields.setdefault("purpose", "Overdragelse til myndighedsafdelingen")
    return _save(Consent(citizen_id=citizen.id, basis=basis, recipient_code=recipient, given_on=given_on, **fields))


def make_handover(course, status="kladde", created_at=None, **fields):
    from webapp.handover.models import Handover

    return _save(Handover(citizen_id=course.citizen_id, course_id=course.id, status=status,
                          created_at=created_at or at(course.start_date), **fields))


def make_outreach(received_on: date, state="modtaget", **fields):
    from webapp.outreach.models import OutreachRequest

    fields.setdefault("partner_code", "jobcenter")
    fields.setdefault("contact_person", "Jonna Jobcenter")
    fields.setdefault("reason", "Kan ikke komme ud af døren.")
    if "citizen_id" not in fields:
        fields.setdefault("citizen_first_name", "Kasper")
    fields.setdefault("last_action_on", fields.get("assigned_on") or received_on)
    return _save(OutreachRequest(received_on=received_on, state=state, created_at=at(received_on), **fields))


def make_visit(request, on: date, minutes=60, **fields):
    from webapp.outreach.models import OutreachVisit

    visit = _save(OutreachVisit(request_id=request.id, visit_date=on, duration_minutes=minutes, **fields))
    request.last_action_on = max(request.last_action_on, on)
    db.session.commit()
    return visit


def make_proposal(citizen, proposed_at: datetime, reason="Har brug for bostøtte nu.", **fields):
    from webapp.handover.models import DirectAuthorityProposal

    return _save(DirectAuthorityProposal(citizen_id=citizen.id, proposed_at=proposed_at, reason=reason, **fields))


def make_decision(meeting_date: date, text="Mads ringer", item_key="gc:1", **fields):
    from webapp.meeting.models import MeetingDecision

    fields.setdefault("section", "new_citizens")
    fields.setdefault("item_label", "Anna A. – Nye borgere siden sidst")
    fields.setdefault("created_at", at(meeting_date, 11))
    return _save(MeetingDecision(meeting_date=meeting_date, text=text, item_key=item_key, **fields))
