"""Citizens who want reminders and the bookings they are reminded of (committed rows)."""

from datetime import date, datetime, timedelta

from webapp.citizens.models import Citizen, GuideConversation, Meeting
from webapp.extensions import db
from webapp.groups.models import GroupEnrolment, GroupMeeting, GroupRun, GroupTheme
from webapp.messages.models import OutboxMessage
from webapp.timeutil import LOCAL_TZ


def local_at(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ)


def make_reminded_citizen(first_name="Anna", preference="sms", phone="20 11 22 33", email="anna@example.dk",
                          consent=True, cpr=None, last_name="Andersen") -> Citizen:
    citizen = Citizen(first_name=first_name, last_name=last_name, first_name_lower=first_name.lower(),
                      phone=phone, email=email, contact_preference=preference, contact_consent=consent, cpr=cpr)
    db.session.add(citizen)
    db.session.commit()
    return citizen


def book_guide(citizen, at: datetime) -> GuideConversation:
    gc = GuideConversation(citizen_id=citizen.id, scheduled_at=at, status="booket")
    db.session.add(gc)
    db.session.commit()
    return gc


def book_meeting(citizen, at: datetime, kind="opfoelgning") -> Meeting:
    meeting = Meeting(citizen_id=citizen.id, kind=kind, starts_at=at, status="planlagt", duration_minutes=60)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def make_group(at: datetime, place="din_indgang", theme_name="Følelseshåndtering", team="H-2026-01"):
    theme = db.session.scalar(db.select(GroupTheme).where(GroupTheme.name == theme_name)) or GroupTheme(
        name=theme_name, description="")
    run = GroupRun(theme=theme, team_number=team, start_date=at.date() - timedelta(days=14), place=place)
    meeting = GroupMeeting(run=run, starts_at=at, duration_minutes=120)
    db.session.add_all([theme, run, meeting])
    db.session.commit()
    return run, meeting


def enrol(run, citizen, start: date, stop: date | None = None, waiting=False) -> GroupEnrolment:
    enrolment = GroupEnrolment(run_id=run.id, citizen_id=citizen.id, start_date=start, stop_date=stop,
                               waiting=waiting)
    db.session.add(enrolment)
    db.session.commit()
    return enrolment


def outbox(citizen_id=None, status=None) -> list[OutboxMessage]:
    db.session.commit()  # a fresh snapshot: requests and other processes may have written since
    query = db.select(OutboxMessage).order_by(OutboxMessage.id)
    if citizen_id is not None:
        query = query.where(OutboxMessage.citizen_id == citizen_id)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return list(db.session.scalars(query))
