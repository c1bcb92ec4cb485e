"""Citizens: what the citizen page and the day board show. The register's rules live in
register.py, guide conversations and courses in courses.py; their names stay importable from
here. Plain functions (no request handling)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from ..board import Slot, SlotItem, board_slot
from ..extensions import db
from ..timeutil import as_utc, format_date, local, utcnow
from . import hooks, vocab
from . import milestones as ms
from .courses import (  # noqa: F401
    Closing,
    GuideResult,
    MeetingData,
    add_meeting,
    book_guide_conversation,
    close_course,
    courses_of,
    hold_guide_conversation,
    local_datetime,
    open_course,
    parse_goal_attainment,
    record_assessment,
    set_meeting_status,
    start_course,
)
from .models import Citizen, Course, GuideConversation, Meeting, citizen_names
from .register import (  # noqa: F401
    CitizenData,
    CitizenError,
    DuplicateCprError,
    add_relative,
    apply_citizen_data,
    cpr_owner,
    find_by_cpr,
    find_citizens,
    likely_duplicates,
    masked_search_terms,
    normalise_phone,
    parse_birth_date,
    save_citizen,
)

# --- the citizen page ------------------------------------------------------------------------------


def held_follow_up_dates(course_ids: list[int]) -> dict[int, list[date]]:
    if not course_ids:
        return {}
    rows = db.session.execute(
        select(Meeting.course_id, Meeting.starts_at).where(
            Meeting.course_id.in_(course_ids), Meeting.kind == "opfoelgning", Meeting.status == "afholdt"
        )
    )
    found: dict[int, list[date]] = {}
    for course_id, starts_at in rows:
        found.setdefault(course_id, []).append(local(starts_at).date())
    for dates in found.values():
        dates.sort()
    return found


def held_follow_up_bounds(course_ids) -> dict[int, tuple[date, ...]]:
    """The first and the latest held follow-up per course – all the milestone rules need to know
    (was one held by the due date; was one held after the agreed date), in one grouped query.
    `course_ids` is a list or a subquery."""
    if isinstance(course_ids, list) and not course_ids:
        return {}
    rows = db.session.execute(
        select(Meeting.course_id, func.min(Meeting.starts_at), func.max(Meeting.starts_at))
        .where(Meeting.course_id.in_(course_ids), Meeting.kind == "opfoelgning", Meeting.status == "afholdt")
        .group_by(Meeting.course_id)
    )
    bounds = {}
    for course_id, first, latest in rows:
        first, latest = (local(as_utc(v) if isinstance(v, datetime) else _parse_dt(v)).date() for v in (first, latest))
        bounds[course_id] = (first,) if first == latest else (first, latest)
    return bounds


def _parse_dt(value) -> datetime:
    """SQLite returns aggregates of datetime columns as text."""
    return as_utc(datetime.fromisoformat(str(value)))


def next_follow_ups(course_ids) -> dict[int, date]:
    """The agreed next follow-up (Min Plan's »Næste opfølgning«) per course: the plan's own date,
    or the latest follow-up's. `course_ids` is a list or a subquery."""
    from ..plans.models import Plan, PlanFollowUp

    if isinstance(course_ids, list) and not course_ids:
        return {}
    found: dict[int, date] = {}
    for course_id, next_date in db.session.execute(
        select(Plan.course_id, Plan.next_follow_up).where(Plan.course_id.in_(course_ids))
    ):
        if next_date:
            found[course_id] = next_date
    rows = db.session.execute(
        select(Plan.course_id, PlanFollowUp.follow_up_date, PlanFollowUp.next_follow_up)
        .join(PlanFollowUp, PlanFollowUp.plan_id == Plan.id)
        .where(Plan.course_id.in_(course_ids))
        .order_by(PlanFollowUp.follow_up_date)
    )
    for course_id, _held, next_date in rows:
        if next_date:
            found[course_id] = next_date
    return found


def course_milestones(course: Course, today: date) -> ms.Milestones:
    held = held_follow_up_dates([course.id]).get(course.id, [])
    return ms.milestones(course.start_date, course.end_date, held, course.assessment_date, today=today)


@dataclass
class Overview:
    citizen: Citizen
    course: Course | None
    milestones: ms.Milestones | None
    plan: object | None
    upcoming: list = field(default_factory=list)
    recent: list = field(default_factory=list)
    earlier_courses: list[Course] = field(default_factory=list)
    guide_conversations: list[GuideConversation] = field(default_factory=list)


@dataclass
class TimelineEntry:
    at: datetime
    label: str
    detail: str = ""


def overview(citizen: Citizen, today: date, now: datetime | None = None) -> Overview:
    from ..plans.models import Plan

    now = now or utcnow()
    all_courses = courses_of(citizen.id)
    course = next((c for c in reversed(all_courses) if c.end_date is None), None)
    plan = db.session.scalar(select(Plan).where(Plan.course_id == course.id)) if course else None
    meetings = list(
        db.session.scalars(
            select(Meeting).where(Meeting.citizen_id == citizen.id).order_by(Meeting.starts_at.desc()).limit(40)
        )
    )
    conversations = list(
        db.session.scalars(
            select(GuideConversation)
            .where(GuideConversation.citizen_id == citizen.id)
            .order_by(GuideConversation.scheduled_at.desc())
            .limit(10)
        )
    )
    history = [entry for provider in hooks.CITIZEN_HISTORY for entry in provider(citizen)]
    upcoming = sorted(
        [
            TimelineEntry(m.starts_at, vocab.MEETING_KINDS.get(m.kind, m.kind), _staff_initials(m))
            for m in meetings
            if m.status == "planlagt" and m.starts_at >= now - timedelta(hours=2)
        ]
        + [
            TimelineEntry(g.scheduled_at, "Guidesamtale", "")
            for g in conversations
            if g.status == "booket" and g.scheduled_at >= now - timedelta(hours=2)
        ],
        key=lambda e: e.at,
    )
    recent = sorted(
        [
            TimelineEntry(
                m.starts_at,
                vocab.MEETING_KINDS.get(m.kind, m.kind),
                vocab.MEETING_STATUSES[m.status] + (f" · {m.duration_minutes} min" if m.duration_minutes else ""),
            )
            for m in meetings
            if m.status != "planlagt"
        ]
        + [
            TimelineEntry(g.scheduled_at, "Guidesamtale", vocab.GUIDE_OUTCOMES.get(g.outcome or "", ""))
            for g in conversations
            if g.status == "afholdt"
        ]
        + history,
        key=lambda e: e.at,
        reverse=True,
    )[:12]
    return Overview(
        citizen=citizen,
        course=course,
        milestones=course_milestones(course, today) if course else None,
        plan=plan,
        upcoming=upcoming,
        recent=recent,
        earlier_courses=[c for c in reversed(all_courses) if c.end_date is not None],
        guide_conversations=conversations,
    )


def _staff_initials(meeting: Meeting) -> str:
    return " og ".join(s.initials for s in (meeting.staff1, meeting.staff2) if s is not None)


# --- the day board ---------------------------------------------------------------------------------


def board_due(day: date):
    """Follow-ups due today and this week, week-10 assessments due and courses ending within two
    weeks – first names and initials only."""
    is_open = (Course.end_date.is_(None), Course.start_date <= day)
    open_ids = select(Course.id).where(*is_open)
    courses = list(
        db.session.execute(
            select(Course.id, Course.citizen_id, Course.start_date, Course.assessment_date,
                   *citizen_names(Course.citizen_id))
            .where(*is_open)
        )
    )
    held = held_follow_up_bounds(open_ids)
    planned = next_follow_ups(open_ids)
    board = ms.due_board(
        [
            ms.CourseDates(c.id, c.start_date, None, held.get(c.id, ()), c.assessment_date, planned.get(c.id))
            for c in courses
        ],
        day,
    )
    names = {c.id: f"{c.first_name} {c.last_name[:1]}.".strip() if c.last_name else c.first_name for c in courses}
    citizens = {c.id: c.citizen_id for c in courses}

    def item(due: ms.DueItem, text: str) -> SlotItem:
        # The welcome table shows the name only: the slot's heading says what is due, and dates
        # and course weeks are the workstation's business.
        return SlotItem(f"{names[due.course_id]} – {text}", urgent=due.overdue, citizen_id=citizens[due.course_id],
                        discreet=names[due.course_id])

    follow_ups = [
        item(d, f"opfølgning {format_date(d.due)} (uge {d.week})")
        for d in board.follow_ups_overdue + board.follow_ups_this_week
    ]
    assessments = [item(d, f"uge 10-vurdering senest {format_date(d.due)}") for d in board.assessments_due]
    ending = [item(d, f"slutter senest {format_date(d.due)} (uge {d.week} af højst 20)") for d in board.ending_soon]
    return follow_ups, assessments, ending


@board_slot
def course_milestones_today(day):
    follow_ups, assessments, ending = board_due(day)
    # Folded on the tablet: each ties a named person to a course.
    return [
        Slot("Opfølgninger i dag og denne uge", follow_ups, noun=("opfølgning", "opfølgninger")),
        Slot("Uge 10-vurderinger", assessments, noun=("vurdering", "vurderinger")),
        Slot("Forløb der slutter inden for to uger", ending, noun=("forløb", "forløb")),
    ]
