"""The derived part of the documentation form per course (Bilag 6): everything on it that was
already logged – who enrolled the citizen, the course's dates and stop code, the group runs the
citizen took part in during the course, and the hours with the citizen by the types Bilag 6 lists
(with the staff hours beside them). Plain functions; summed in the database; no request in here."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select

from ..auth.models import User
from ..citizens.models import Citizen, Course
from ..citizens.vocab import STOP_REASONS
from ..extensions import db
from ..groups.models import GroupEnrolment, GroupRun, GroupTheme
from ..outcomes.coaching import ActivityHours, Window, course_window, hours_by_activity
from .models import CourseDocumentation
from .services import documentation_for

# The hour types Bilag 6 lists, in its order, with its words; the other logged activities follow.
BILAG6_HOURS = {
    "coaching": "Coachende samtale",
    "welfare_technology": "Velfærdsteknologi",
    "ad_hoc": "Ad hoc-hjælp",
    "guide_conversation": "Guidesamtale",
    "network_meeting": "Netværksmøde",
    "outreach": "Udekørende funktion",
    "nada": "NADA",
}
OTHER_HOURS = {
    "follow_up": "Opfølgning",
    "relative": "Pårørendesamtaler",
    "groups": "Grupper",
    "other": "Andet",
}


@dataclass(frozen=True)
class HoursRow:
    key: str
    label: str
    with_citizen: Decimal
    staff: Decimal


@dataclass(frozen=True)
class GroupRunLine:
    team_number: str
    theme: str
    start: date
    stop: date | None


@dataclass(frozen=True)
class Bilag6:
    course: Course
    citizen: Citizen
    documentation: CourseDocumentation | None
    window: Window
    enrolled_by: str | None
    group_runs: list[GroupRunLine]
    hours: list[HoursRow]  # the Bilag 6 types, always all of them
    other_hours: list[HoursRow]  # follow-ups, relatives' conversations, groups, other
    total: Decimal
    staff_total: Decimal
    volunteer: bool | None = None  # »Frivillige aktiviteter«, derived from the volunteer matches
    volunteer_basis: tuple[str, ...] = ()  # what it rests on, or that it was recorded by hand

    @property
    def filled_on(self) -> date | None:
        return self.documentation.filled_on if self.documentation is not None else None

    @property
    def stop_reason_label(self) -> str | None:
        code = self.course.stop_reason
        if code is None:
            return None
        if code == "anden" and self.course.stop_reason_text:
            return self.course.stop_reason_text
        return STOP_REASONS.get(code, code)


def group_runs(course: Course, window: Window) -> list[GroupRunLine]:
    """The group runs the citizen was on (not the waiting list) during the course's days: team
    number, theme, and the citizen's own start and stop on the run (the run's end if no stop)."""
    first, last = window
    rows = db.session.execute(
        select(GroupRun.team_number, GroupTheme.name, GroupEnrolment.start_date, GroupEnrolment.stop_date,
               GroupRun.end_date)
        .select_from(GroupEnrolment)
        .join(GroupRun, GroupRun.id == GroupEnrolment.run_id)
        .join(GroupTheme, GroupTheme.id == GroupRun.theme_id)
        .where(GroupEnrolment.citizen_id == course.citizen_id, GroupEnrolment.waiting.is_(False),
               GroupEnrolment.start_date <= last,
               or_(GroupEnrolment.stop_date.is_(None), GroupEnrolment.stop_date >= first))
        .order_by(GroupEnrolment.start_date, GroupRun.team_number)
    ).all()
    return [GroupRunLine(team, theme, start, stop or run_end) for team, theme, start, stop, run_end in rows]


def hours_rows(hours: ActivityHours, labels: dict[str, str]) -> list[HoursRow]:
    return [HoursRow(key, label, hours.with_citizen[key], hours.staff[key]) for key, label in labels.items()]


def bilag6(course: Course, today: date) -> Bilag6:
    """The derived part of the course's Bilag 6 as of `today` (an open course counts to today)."""
    window = course_window(course, today)
    hours = hours_by_activity(course.citizen_id, window)
    enrolled_by = db.session.get(User, course.created_by_id) if course.created_by_id else None
    documentation_for_course = documentation_for(course)
    return Bilag6(
        course=course,
        citizen=course.citizen,
        documentation=documentation_for_course,
        window=window,
        enrolled_by=enrolled_by.full_name if enrolled_by is not None else None,
        group_runs=group_runs(course, window),
        hours=hours_rows(hours, BILAG6_HOURS),
        other_hours=[row for row in hours_rows(hours, OTHER_HOURS) if row.with_citizen or row.staff],
        total=hours.total,
        staff_total=hours.staff_total,
        **volunteer_part(course, documentation_for_course, today),
    )


def volunteer_part(course: Course, doc: CourseDocumentation | None, today: date) -> dict:
    """Bilag 6's »Frivillige aktiviteter« from the volunteer matches (webapp/volunteers). A course
    whose citizen has no match keeps a yes/no recorded by hand before the bridge existed."""
    from ..volunteers.bridge import bilag6_volunteer

    outcome = bilag6_volunteer(course.citizen_id, course.start_date, course.end_date, today)
    if not outcome.has_matches and doc is not None and doc.volunteer_activities is not None:
        return {"volunteer": doc.volunteer_activities, "volunteer_basis": ("angivet manuelt før frivilligbroen",)}
    return {"volunteer": outcome.answer, "volunteer_basis": tuple(outcome.basis)}
