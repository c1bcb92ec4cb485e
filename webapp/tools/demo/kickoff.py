"""Demo kick-off meetings (#12): one booked this week with the volunteer coordinator, one held, and
the rest of the courses at week 16 or later left as proposals for the Friday agenda. Idempotent,
flush only."""

from datetime import timedelta

from sqlalchemy import func, select

from webapp.auth import services as auth_services
from webapp.citizens.milestones import latest_end
from webapp.citizens.models import Course, Meeting
from webapp.extensions import db
from webapp.timeutil import today_local
from webapp.volunteers import kickoff as rules

from .citizens import _at


def load(rng) -> dict:
    if db.session.scalar(select(func.count()).select_from(Meeting).where(Meeting.kind == rules.KICKOFF_KIND)):
        return {"kick-off meetings": 0}
    coordinator = auth_services.find_user("frivillig")
    staff = auth_services.find_user("medarbejder")
    if coordinator is None or staff is None:
        return {"kick-off meetings": 0}
    today = today_local()
    soon = today + timedelta(days=1 if today.weekday() < 6 else 0)  # this week: tomorrow, or today on a Sunday
    courses = [db.session.get(Course, c.course_id) for c in rules.kickoff_candidates(today)]
    # One booked this week inside its course, one held last week; the other courses stay proposals.
    planned = next((c for c in courses if latest_end(c.start_date) >= soon), None)
    held = next((c for c in courses if c is not planned and c.start_date <= today - timedelta(days=6)), None)
    created = 0
    for course, day, status in ((planned, soon, "planlagt"), (held, today - timedelta(days=6), "afholdt")):
        if course is None:
            continue
        db.session.add(Meeting(citizen_id=course.citizen_id, course_id=course.id, kind=rules.KICKOFF_KIND,
                               starts_at=_at(day, 13), duration_minutes=rules.KICKOFF_MINUTES, status=status,
                               staff1_id=staff.id, staff2_id=coordinator.id, created_by_id=staff.id))
        created += 1
    db.session.flush()
    return {"kick-off meetings": created}
