"""Factories for courses, meetings, groups and FIT scores (committed rows, like tests/factories.py)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine

from webapp.citizens.models import Course, GuideConversation, Meeting, Relative
from webapp.extensions import db
from webapp.groups.models import GroupAttendance, GroupEnrolment, GroupMeeting, GroupRun, GroupTheme
from webapp.outcomes.models import FitScore, to_tenths
from webapp.timeutil import LOCAL_TZ, as_utc


def fresh() -> None:
    """Before reading what a request wrote: end the test's snapshot and forget rows the factories
    left in the identity map (they are not expired on commit)."""
    db.session.rollback()
    db.session.expire_all()


def at_local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return as_utc(datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ))


def make_course(citizen, start: date, end: date | None = None, guide=None) -> Course:
    course = Course(citizen_id=citizen.id, start_date=start, end_date=end,
                    guide_conversation_id=guide.id if guide else None)
    db.session.add(course)
    db.session.commit()
    return course


def make_relative(citizen, name="Bente Andersen", relation="mor") -> Relative:
    relative = Relative(citizen_id=citizen.id, name=name, relation=relation)
    db.session.add(relative)
    db.session.commit()
    return relative


def make_meeting(citizen, course=None, *, when: datetime, kind="coaching", minutes=60, status="afholdt",
                 staff1=None, staff2=None, relative=None) -> Meeting:
    meeting = Meeting(citizen_id=citizen.id, course_id=course.id if course else None, kind=kind, starts_at=when,
                      duration_minutes=minutes, status=status, staff1_id=staff1.id if staff1 else None,
                      staff2_id=staff2.id if staff2 else None, relative_id=relative.id if relative else None)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def make_guide(citizen, when: datetime, status="afholdt", minutes=60) -> GuideConversation:
    guide = GuideConversation(citizen_id=citizen.id, scheduled_at=when, status=status, duration_minutes=minutes)
    db.session.add(guide)
    db.session.commit()
    return guide


def make_theme(name="Mindfulness", capacity=8, minutes=120, hours_activity="groups") -> GroupTheme:
    """A catalogue entry; the migration's seeded theme of that name is reused (then adjusted)."""
    theme = db.session.query(GroupTheme).filter_by(name=name).one_or_none()
    if theme is not None:
        theme.max_participants, theme.meeting_minutes, theme.hours_activity = capacity, minutes, hours_activity
        db.session.commit()
        return theme
    theme = GroupTheme(name=name, description=f"Om {name.lower()}.", max_participants=capacity, usual_meetings=4,
                       meeting_minutes=minutes, hours_activity=hours_activity)
    db.session.add(theme)
    db.session.commit()
    return theme


def make_run(theme=None, start: date = date(2026, 3, 2), *, meetings=4, hour=10, minutes=None, capacity=None,
             facilitators=(), team_number=None, end: date | None = None) -> GroupRun:
    theme = theme or make_theme()
    run = GroupRun(theme_id=theme.id, team_number=team_number or f"{start.year}-{theme.id:02d}{start.month:02d}",
                   start_date=start, end_date=end or start + timedelta(weeks=max(meetings - 1, 0)),
                   place="din_indgang", capacity=capacity or theme.max_participants,
                   facilitator1_id=facilitators[0].id if len(facilitators) > 0 else None,
                   facilitator2_id=facilitators[1].id if len(facilitators) > 1 else None)
    db.session.add(run)
    db.session.flush()
    for n in range(meetings):
        db.session.add(GroupMeeting(run_id=run.id, starts_at=at_local(start + timedelta(weeks=n), hour),
                                    duration_minutes=minutes or theme.meeting_minutes))
    db.session.commit()
    return run


def run_meetings(run) -> list[GroupMeeting]:
    return sorted(db.session.query(GroupMeeting).filter_by(run_id=run.id), key=lambda m: m.starts_at)


def enrol(run, citizen, start: date | None = None, *, waiting=False, stop: date | None = None,
          course=None) -> GroupEnrolment:
    enrolment = GroupEnrolment(run_id=run.id, citizen_id=citizen.id, start_date=start or run.start_date,
                               waiting=waiting, stop_date=stop, course_id=course.id if course else None)
    db.session.add(enrolment)
    db.session.commit()
    return enrolment


def attend(meeting, citizen, status="moedt") -> GroupAttendance:
    row = GroupAttendance(meeting_id=meeting.id, citizen_id=citizen.id, status=status)
    db.session.add(row)
    db.session.commit()
    return row


def make_score(citizen, *, meeting=None, guide=None, group_meeting=None, scale="ORS", items=(5, 5, 5, 5),
               course=None, period="siden_sidst") -> FitScore:
    session = meeting or guide or group_meeting
    when = getattr(session, "starts_at", None) or session.scheduled_at
    values = None if items is None else [Decimal(str(v)) for v in items]
    score = FitScore(
        citizen_id=citizen.id, course_id=course.id if course else getattr(meeting, "course_id", None), scale=scale,
        meeting_id=meeting.id if meeting else None, guide_conversation_id=guide.id if guide else None,
        group_meeting_id=group_meeting.id if group_meeting else None, session_at=when,
        period=period if scale == "ORS" else None, skipped=values is None,
        item1=to_tenths(values[0]) if values else None, item2=to_tenths(values[1]) if values else None,
        item3=to_tenths(values[2]) if values else None, item4=to_tenths(values[3]) if values else None,
        total_tenths=to_tenths(sum(values)) if values else None,
    )
    db.session.add(score)
    db.session.commit()
    return score


NOW = datetime(2026, 3, 10, 9, 30, tzinfo=LOCAL_TZ)  # a Tuesday morning
TODAY = NOW.date()


@pytest.fixture
def clock():
    """Every FIT and groups test runs on Tuesday 10 March 2026, 9:30 in Copenhagen; the clock stands still."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
