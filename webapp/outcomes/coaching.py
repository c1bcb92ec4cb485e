"""Coaching conversations in a course, their guideline (about six, report §5.5) and the hours per
activity (Bilag 6, key figures). Plain functions; flush, never commit; no request in here."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..citizens.models import Course, GuideConversation, Meeting, Relative
from ..extensions import db
from ..timeutil import LOCAL_TZ, as_utc, format_date, utcnow
from ..welcome.models import Contact
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
    "nada": "nada",
    "netvaerksmoede": "network_meeting",
    "opfoelgning": "follow_up",
    "paaroerende": "relative",
    "udekoerende": "outreach",
}
HOUR = Decimal(60)
HUNDREDTH = Decimal("0.01")


def hours_by_activity(citizen_id: int) -> dict[str, Decimal]:
    """Hours with the citizen per activity type, from what is already logged (four grouped queries):
    meetings held (by kind), guide conversations held, group meetings attended (mødt or gik
    undervejs, at the meeting's length; NADA groups count as NADA) and ad hoc help. Every key of
    ACTIVITY_LABELS is present; values are hours with two decimals."""
    from ..groups.models import GroupAttendance, GroupMeeting, GroupRun, GroupTheme
    from ..groups.vocab import ATTENDED

    minutes: dict[str, int] = dict.fromkeys(ACTIVITY_LABELS, 0)
    for kind, total in db.session.execute(
        select(Meeting.kind, func.sum(Meeting.duration_minutes))
        .where(Meeting.citizen_id == citizen_id, Meeting.status == "afholdt").group_by(Meeting.kind)
    ):
        minutes[MEETING_KIND_ACTIVITY.get(kind, "other")] += total or 0
    minutes["guide_conversation"] += db.session.scalar(
        select(func.sum(GuideConversation.duration_minutes))
        .where(GuideConversation.citizen_id == citizen_id, GuideConversation.status == "afholdt")) or 0
    for activity, total in db.session.execute(
        select(GroupTheme.hours_activity, func.sum(GroupMeeting.duration_minutes))
        .select_from(GroupAttendance)
        .join(GroupMeeting, GroupMeeting.id == GroupAttendance.meeting_id)
        .join(GroupRun, GroupRun.id == GroupMeeting.run_id)
        .join(GroupTheme, GroupTheme.id == GroupRun.theme_id)
        .where(GroupAttendance.citizen_id == citizen_id, GroupAttendance.status.in_(ATTENDED),
               GroupMeeting.cancelled.is_(False))
        .group_by(GroupTheme.hours_activity)
    ):
        minutes[activity if activity in minutes else "groups"] += total or 0
    minutes["ad_hoc"] += db.session.scalar(
        select(func.sum(Contact.duration_minutes))
        .where(Contact.citizen_id == citizen_id, Contact.is_ad_hoc.is_(True), Contact.deleted_at.is_(None))) or 0
    return {key: (Decimal(value) / HOUR).quantize(HUNDREDTH) for key, value in minutes.items()}


def format_hours(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'))}".replace(".", ",")
