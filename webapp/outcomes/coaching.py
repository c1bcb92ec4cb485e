"""Coaching conversations in a course, their guideline (about six, report §5.5) and the hours per
activity (Bilag 6, key figures). Plain functions; flush, never commit; no request in here."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, func, not_, or_, select
from sqlalchemy.orm import selectinload

from ..citizens.models import Course, GuideConversation, Meeting, Relative
from ..extensions import db
from ..timeutil import LOCAL_TZ, as_utc, day_bounds, format_date, utcnow
from ..welcome.models import Contact, ad_hoc_help
from .definitions import FitError

# --- coaching conversations ------------------------------------------------------------------------

COACHING_GUIDELINE = 6  # "about six coaching conversations" per course (report §5.5)
MUNICIPAL_ACTIVITIES_GUIDELINE = 3  # "at most three municipal activities", administered flexibly
MEETING_STATUSES = {"planlagt": "Planlagt", "afholdt": "Afholdt", "udeblevet": "Udeblevet", "aflyst": "Aflyst"}
COURSE_MEETING_KINDS = ("coaching", "paaroerende")
MAX_MINUTES = 480


def course_meetings(course: Course) -> list[Meeting]:
    """The course's coaching conversations and relatives' own conversations, staff and relative loaded."""
    return list(db.session.scalars(
        select(Meeting).options(selectinload(Meeting.staff1), selectinload(Meeting.staff2),
                                selectinload(Meeting.relative))
        .where(Meeting.course_id == course.id, Meeting.kind.in_(COURSE_MEETING_KINDS))
        .order_by(Meeting.starts_at, Meeting.id)))


def check_in_course(course: Course, day: date) -> None:
    """Inside the course: from its start to its end, or to its latest end (20 weeks) while open."""
    from ..citizens.milestones import latest_end

    end = course.end_date or latest_end(course.start_date)
    if not course.start_date <= day <= end:
        raise FitError(f"Datoen ligger uden for forløbet ({format_date(course.start_date)} – {format_date(end)}).")


def save_course_meeting(course: Course, *, kind: str, day: date, at: time, minutes: int, staff1_id: int,
                        staff2_id: int | None, relative_id: int | None, user, meeting: Meeting | None = None,
                        now: datetime | None = None) -> Meeting:
    """Create (or change) a coaching conversation or a relative's own conversation in the course."""
    now = now or utcnow()
    if kind not in COURSE_MEETING_KINDS:
        raise FitError("Ukendt type samtale.")
    check_in_course(course, day)
    if not 5 <= minutes <= MAX_MINUTES:
        raise FitError(f"Varigheden skal være mellem 5 og {MAX_MINUTES} minutter.")
    if staff2_id is not None and staff2_id == staff1_id:
        raise FitError("Vælg to forskellige medarbejdere – eller lad den anden stå tom.")
    if relative_id is not None:
        relative = db.session.get(Relative, relative_id)
        if relative is None or relative.citizen_id != course.citizen_id:
            raise FitError("Den pårørende hører ikke til borgeren.")
    elif kind == "paaroerende":
        raise FitError("Vælg den pårørende, samtalen er med.")
    starts_at = as_utc(datetime.combine(day, at, tzinfo=LOCAL_TZ))
    if meeting is None:
        meeting = Meeting(citizen_id=course.citizen_id, course_id=course.id, kind=kind, created_by_id=user.id,
                          status="afholdt" if starts_at <= now else "planlagt")
        db.session.add(meeting)
    meeting.kind, meeting.starts_at, meeting.duration_minutes = kind, starts_at, minutes
    meeting.staff1_id, meeting.staff2_id, meeting.relative_id = staff1_id, staff2_id, relative_id
    db.session.flush()
    return meeting


def set_meeting_status(meeting: Meeting, status: str) -> None:
    if status not in MEETING_STATUSES:
        raise FitError("Ukendt status – vælg en af mulighederne.")
    meeting.status = status
    db.session.flush()


@dataclass
class Guideline:
    coaching: int
    groups: int
    hints: list[str] = field(default_factory=list)

    @property
    def activities(self) -> int:
        return self.groups + (1 if self.coaching else 0)


def course_guideline(course: Course, *, adding: str | None = None) -> Guideline:
    """Soft guideline: about six coaching conversations and at most three municipal activities
    (coaching counts as one, each group run as one). A hint, never a block. `adding` ("coaching"
    or "group") words the hint for the next one."""
    from ..groups.models import GroupEnrolment

    coaching = db.session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.course_id == course.id, Meeting.kind == "coaching", Meeting.status != "aflyst")) or 0
    overlap = [GroupEnrolment.citizen_id == course.citizen_id, GroupEnrolment.waiting.is_(False),
               or_(GroupEnrolment.stop_date.is_(None), GroupEnrolment.stop_date >= course.start_date)]
    if course.end_date is not None:
        overlap.append(GroupEnrolment.start_date <= course.end_date)
    groups = db.session.scalar(select(func.count(func.distinct(GroupEnrolment.run_id))).where(*overlap)) or 0
    result = Guideline(coaching, groups)
    coaching_after = coaching + (adding == "coaching")
    activities = groups + (adding == "group") + (1 if coaching_after else 0)
    if coaching_after > COACHING_GUIDELINE:
        counted = f"Dette bliver samtale nr. {coaching_after}" if adding else f"Forløbet har {coaching} samtaler"
        result.hints.append(f"{counted}. Retningslinjen er omkring {COACHING_GUIDELINE} coachende samtaler pr. "
                            "forløb – en rettesnor, ikke en grænse.")
    if activities > MUNICIPAL_ACTIVITIES_GUIDELINE:
        result.hints.append(
            f"Borgeren får {'dermed ' if adding else ''}{activities} kommunale aktiviteter i forløbet. "
            f"Retningslinjen er højst {MUNICIPAL_ACTIVITIES_GUIDELINE}, og den administreres fleksibelt.")
    return result


# --- hours (Bilag 6, key figures) ------------------------------------------------------------------

ACTIVITY_LABELS = {
    "coaching": "Coachende samtaler",
    "welfare_technology": "Velfærdsteknologi",
    "groups": "Grupper",
    "guide_conversation": "Guidesamtaler",
    "ad_hoc": "Ad hoc-hjælp",
    "nada": "NADA",
    "network_meeting": "Netværksmøder",
    "follow_up": "Opfølgninger",
    "relative": "Pårørendesamtaler",
    "outreach": "Udekørende funktion",
    "other": "Andet",
}
MEETING_KIND_ACTIVITY = {
    "coaching": "coaching",
    "velfaerdsteknologi": "welfare_technology",
    "nada": "nada",
    "netvaerksmoede": "network_meeting",
    "opfoelgning": "follow_up",
    "paaroerende": "relative",
    "udekoerende": "outreach",
}
HOUR = Decimal(60)
HUNDREDTH = Decimal("0.01")

Window = tuple[date, date]  # first and last local calendar day, both included


def course_window(course: Course, today: date) -> Window:
    """The days a course's hours are counted in: its start to its end, or to today while open."""
    return course.start_date, course.end_date or max(today, course.start_date)


@dataclass(frozen=True)
class ActivityHours:
    """Hours per activity key of ACTIVITY_LABELS (every key present, two decimals): with the
    citizen, and the staff hours the same activities took."""

    with_citizen: dict[str, Decimal]
    staff: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.with_citizen.values(), Decimal(0))

    @property
    def staff_total(self) -> Decimal:
        return sum(self.staff.values(), Decimal(0))

    def __bool__(self) -> bool:
        return any(self.with_citizen.values()) or any(self.staff.values())


def staff_count(first, second):
    """How many staff members took part: the filled ones of two columns, at least one."""
    return case((and_(first.is_not(None), second.is_not(None)), 2), else_=1)


def _days(column, windows: Sequence[Window], *, instant: bool):
    """`column` (a UTC instant, or a local date) inside any of the windows."""
    parts = []
    for first, last in windows:
        if instant:
            parts.append(and_(column >= day_bounds(first)[0], column < day_bounds(last)[1]))
        else:
            parts.append(and_(column >= first, column <= last))
    return or_(*parts)


def _when(column, window: Window | None, outside: Sequence[Window], *, instant: bool = True) -> list:
    conditions = []
    if window is not None:
        conditions.append(_days(column, [window], instant=instant))
    if outside:
        conditions.append(not_(_days(column, outside, instant=instant)))
    return conditions


def hours_by_activity(citizen_id: int, window: Window | None = None, *,
                      outside: Sequence[Window] = ()) -> ActivityHours:
    """Hours with the citizen and staff hours per activity type, from what is already logged, in
    the days of `window` (all time when None) and outside every window in `outside` (activities
    outside any course). Summed in the database (a few grouped queries), each activity counted
    once: meetings held by kind (two staff on it are two staff hours); guide conversations held;
    group meetings attended (mødt or gik undervejs, at the meeting's length; the theme's hours
    type decides NADA; staff hours once per facilitator); ad hoc help (a contact with a duration
    linked to the citizen); outreach visits for the citizen (udekørende funktion, one staff)."""
    from ..groups.models import GroupAttendance, GroupMeeting, GroupRun, GroupTheme
    from ..groups.vocab import ATTENDED
    from ..outreach.models import OutreachRequest, OutreachVisit

    citizen: dict[str, int] = dict.fromkeys(ACTIVITY_LABELS, 0)
    staff: dict[str, int] = dict.fromkeys(ACTIVITY_LABELS, 0)

    def add(activity: str, with_citizen, staff_minutes) -> None:
        key = activity if activity in citizen else "other"
        citizen[key] += int(with_citizen or 0)
        staff[key] += int(staff_minutes or 0)

    for kind, with_citizen, staff_minutes in db.session.execute(
        select(Meeting.kind, func.sum(Meeting.duration_minutes),
               func.sum(Meeting.duration_minutes * staff_count(Meeting.staff1_id, Meeting.staff2_id)))
        .where(Meeting.citizen_id == citizen_id, Meeting.status == "afholdt",
               *_when(Meeting.starts_at, window, outside))
        .group_by(Meeting.kind)
    ):
        add(MEETING_KIND_ACTIVITY.get(kind, "other"), with_citizen, staff_minutes)

    add("guide_conversation", *db.session.execute(
        select(func.sum(GuideConversation.duration_minutes),
               func.sum(GuideConversation.duration_minutes
                        * staff_count(GuideConversation.staff1_id, GuideConversation.staff2_id)))
        .where(GuideConversation.citizen_id == citizen_id, GuideConversation.status == "afholdt",
               *_when(GuideConversation.scheduled_at, window, outside))
    ).one())

    for activity, with_citizen, staff_minutes in db.session.execute(
        select(GroupTheme.hours_activity, func.sum(GroupMeeting.duration_minutes),
               func.sum(GroupMeeting.duration_minutes
                        * staff_count(GroupRun.facilitator1_id, GroupRun.facilitator2_id)))
        .select_from(GroupAttendance)
        .join(GroupMeeting, GroupMeeting.id == GroupAttendance.meeting_id)
        .join(GroupRun, GroupRun.id == GroupMeeting.run_id)
        .join(GroupTheme, GroupTheme.id == GroupRun.theme_id)
        .where(GroupAttendance.citizen_id == citizen_id, GroupAttendance.status.in_(ATTENDED),
               GroupMeeting.cancelled.is_(False), *_when(GroupMeeting.starts_at, window, outside))
        .group_by(GroupTheme.hours_activity)
    ):
        add(activity if activity in ("groups", "nada") else "groups", with_citizen, staff_minutes)

    ad_hoc = db.session.scalar(
        select(func.sum(Contact.duration_minutes))
        .where(Contact.citizen_id == citizen_id, ad_hoc_help(), Contact.deleted_at.is_(None),
               *_when(Contact.local_date, window, outside, instant=False)))
    add("ad_hoc", ad_hoc, ad_hoc)

    outreach = db.session.scalar(
        select(func.sum(OutreachVisit.duration_minutes))
        .join(OutreachRequest, OutreachRequest.id == OutreachVisit.request_id)
        .where(OutreachRequest.citizen_id == citizen_id,
               *_when(OutreachVisit.visit_date, window, outside, instant=False)))
    add("outreach", outreach, outreach)

    def hours(minutes: dict[str, int]) -> dict[str, Decimal]:
        return {key: (Decimal(value) / HOUR).quantize(HUNDREDTH) for key, value in minutes.items()}

    return ActivityHours(hours(citizen), hours(staff))


def format_hours(value: Decimal) -> str:
    """One decimal, halves rounded up as people do (and as the key figures do): 1,25 → »1,3«."""
    return f"{Decimal(value).quantize(Decimal('0.1'), ROUND_HALF_UP)}".replace(".", ",")
