"""Citizens, guide conversations and courses: rules as plain functions (no request handling)."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from ..board import SlotItem, board_slot
from ..extensions import db
from ..timeutil import LOCAL_TZ, as_utc, format_date, local, utcnow
from . import hooks, vocab
from . import milestones as ms
from .cpr import CprError, looks_like_cpr, mask_cpr, parse_cpr
from .models import Citizen, Course, GuideConversation, Meeting, Relative, citizen_names


class CitizenError(ValueError):
    """A request that cannot be carried out; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class DuplicateCprError(CitizenError):
    """Another citizen already has this CPR number: never saved twice, "Opret alligevel" or not.
    `existing_id` is for a link to that citizen (by id – never the CPR number in a URL)."""

    def __init__(self, existing_id: int | None):
        super().__init__(
            "Der findes allerede en borger med dette CPR-nummer. Brug den eksisterende borger i stedet.", "cpr"
        )
        self.existing_id = existing_id


# --- the register ----------------------------------------------------------------------------------


@dataclass
class CitizenData:
    first_name: str
    last_name: str = ""
    cpr: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    contact_preference: str = ""
    contact_consent: bool = False
    bring_person: str = ""
    next_meeting_at: datetime | None = None
    birth_date: date | None = None


def normalise_phone(text: str) -> str | None:
    digits = re.sub(r"\D", "", text or "")
    if not digits:
        return None
    if len(digits) == 10 and digits.startswith("45"):
        digits = digits[2:]
    if len(digits) != 8:
        raise CitizenError("Telefonnummeret skal have 8 cifre.", "phone")
    return digits


def apply_citizen_data(citizen: Citizen, data: CitizenData, today: date) -> None:
    """Validate everything first, then change the citizen (nothing half-applied)."""
    first = data.first_name.strip()
    if not first:
        raise CitizenError("Skriv borgerens fornavn.", "first_name")
    cpr_digits, birth = citizen.cpr, citizen.birth_date or data.birth_date
    if data.cpr.strip():
        try:
            parsed = parse_cpr(data.cpr, today=today)
        except CprError as error:
            raise CitizenError(str(error), "cpr") from None
        cpr_digits, birth = parsed.digits, parsed.birth_date
        if cpr_digits != citizen.cpr and (owner := cpr_owner(cpr_digits, citizen.id)) is not None:
            raise DuplicateCprError(owner)
    elif data.cpr == "" and citizen.cpr is None:
        birth = data.birth_date or citizen.birth_date
    phone = normalise_phone(data.phone)
    if data.contact_preference and data.contact_preference not in vocab.CONTACT_PREFERENCES:
        raise CitizenError("Ukendt kontaktform.", "contact_preference")
    citizen.first_name = first
    citizen.first_name_lower = first.lower()
    citizen.last_name = data.last_name.strip()
    citizen.cpr = cpr_digits
    citizen.birth_date = birth
    citizen.address = data.address.strip() or None
    citizen.phone = phone
    citizen.email = data.email.strip() or None
    citizen.contact_preference = data.contact_preference or None
    if data.contact_consent and not citizen.contact_consent:
        citizen.contact_consent_at = utcnow()
    citizen.contact_consent = data.contact_consent
    citizen.bring_person = data.bring_person.strip() or None
    citizen.next_meeting_at = data.next_meeting_at


def cpr_owner(cpr_digits: str, except_id: int | None = None) -> int | None:
    """The id of the citizen who has this CPR number (other than `except_id`), if any."""
    query = select(Citizen.id).where(Citizen.cpr == cpr_digits)
    if except_id is not None:
        query = query.where(Citizen.id != except_id)
    return db.session.scalar(query.limit(1))


def save_citizen(citizen: Citizen) -> None:
    """Add and flush. A CPR number saved by a colleague a moment ago (caught by the unique index,
    after apply_citizen_data's check) gives the same Danish message, not a server error."""
    cpr, own_id = citizen.cpr, citizen.id  # the savepoint's rollback expires them
    try:
        with db.session.begin_nested():
            db.session.add(citizen)
            db.session.flush()
    except IntegrityError:
        if cpr and (owner := cpr_owner(cpr, own_id)) is not None:
            raise DuplicateCprError(owner) from None
        raise


def likely_duplicates(citizen: Citizen) -> list[Citizen]:
    """Same first and last name with the same birth date: maybe the same person, and the user may
    answer "Opret alligevel". A CPR number is never shared (apply_citizen_data refuses it)."""
    conditions = []
    if citizen.birth_date:
        conditions.append(
            and_(
                Citizen.first_name_lower == citizen.first_name.lower(),
                func.lower(Citizen.last_name) == citizen.last_name.lower(),
                Citizen.birth_date == citizen.birth_date,
            )
        )
    if not conditions:
        return []
    query = select(Citizen).where(or_(*conditions)).order_by(Citizen.id).limit(10)
    if citizen.id is not None:
        query = query.where(Citizen.id != citizen.id)
    return list(db.session.scalars(query))


def find_citizens(query: str, limit: int = 20) -> list[Citizen]:
    """By first name (prefix), phone or birth date. CPR numbers are searched with find_by_cpr."""
    q = (query or "").strip()
    if len(q) < 2:
        return []
    birth = parse_birth_date(q)
    digits = re.sub(r"\D", "", q)
    if birth is not None:
        condition = Citizen.birth_date == birth
    elif digits and len(digits) >= 4 and len(digits) == len(re.sub(r"[\s+-]", "", q)):
        condition = Citizen.phone == digits[-8:] if len(digits) >= 8 else Citizen.phone.like(digits + "%")
    else:
        words = q.lower().split()
        condition = Citizen.first_name_lower.like(_escape_like(words[0]) + "%", escape="\\")
        if len(words) > 1:
            condition = and_(condition, func.lower(Citizen.last_name).like(_escape_like(words[-1]) + "%", escape="\\"))
    return list(
        db.session.scalars(select(Citizen).where(condition).order_by(Citizen.first_name, Citizen.id).limit(limit))
    )


def find_by_cpr(text: str, today: date) -> list[Citizen]:
    try:
        digits = parse_cpr(text, today=today).digits
    except CprError as error:
        raise CitizenError(str(error), "cpr") from None
    return list(db.session.scalars(select(Citizen).where(Citizen.cpr == digits).order_by(Citizen.id)))


def masked_search_terms(query: str) -> str:
    """What the audit log keeps of a search: never a full CPR number."""
    q = (query or "").strip()[:60]
    if looks_like_cpr(q):
        return "cpr " + mask_cpr(re.sub(r"\D", "", q))
    return "søgning " + re.sub(r"\d{6}[- ]?\d{4}", lambda m: mask_cpr(re.sub(r"\D", "", m.group())), q)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def parse_birth_date(text: str) -> date | None:
    m = re.fullmatch(r"(\d{1,2})[.\-/ ](\d{1,2})[.\-/ ](\d{4})", text.strip())
    if m:
        d, mth, y = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{2})(\d{2})(\d{2})", text.strip())
        if not m:
            return None
        d, mth, yy = (int(g) for g in m.groups())
        y = 2000 + yy if 2000 + yy <= date.today().year else 1900 + yy
    try:
        return date(y, mth, d)
    except ValueError:
        return None


def add_relative(citizen: Citizen, name: str, relation: str, phone: str) -> Relative:
    if not name.strip():
        raise CitizenError("Skriv den pårørendes navn.", "name")
    relative = Relative(
        citizen_id=citizen.id,
        name=name.strip()[:120],
        relation=relation.strip()[:60] or None,
        phone=normalise_phone(phone),
    )
    db.session.add(relative)
    db.session.flush()
    return relative


# --- guide conversations ---------------------------------------------------------------------------


def local_datetime(day: date, at: time) -> datetime:
    return as_utc(datetime.combine(day, at, tzinfo=LOCAL_TZ))


def book_guide_conversation(citizen: Citizen, at: datetime, user, now: datetime | None = None) -> GuideConversation:
    now = now or utcnow()
    if at < now - timedelta(minutes=5):
        raise CitizenError("En guidesamtale kan ikke bookes i fortiden – registrér den som afholdt i stedet.", "date")
    conversation = GuideConversation(citizen_id=citizen.id, scheduled_at=at, status="booket", created_by_id=user.id)
    db.session.add(conversation)
    db.session.flush()
    return conversation


@dataclass
class GuideResult:
    held_at: datetime
    duration_minutes: int | None
    staff1: object | None
    staff2: object | None
    others_present: str
    outcome: str
    direct_authority_reason: str = ""


def hold_guide_conversation(conversation: GuideConversation, result: GuideResult, now: datetime) -> None:
    if result.outcome not in vocab.GUIDE_OUTCOMES:
        raise CitizenError("Vælg hvad samtalen førte til.", "outcome")
    if result.held_at > now + timedelta(minutes=5):
        raise CitizenError("En afholdt samtale kan ikke ligge i fremtiden.", "date")
    if result.duration_minutes is not None and not 0 < result.duration_minutes <= 480:
        raise CitizenError("Varighed skal være mellem 1 og 480 minutter.", "duration_minutes")
    if result.staff1 is None:
        raise CitizenError("Vælg mindst én medarbejder.", "staff1")
    if result.outcome == "direkte_myndighed" and not result.direct_authority_reason.strip():
        raise CitizenError(
            "Skriv hvorfor borgeren foreslås direkte til myndighedsafdelingen.", "direct_authority_reason"
        )
    conversation.scheduled_at = result.held_at
    conversation.status = "afholdt"
    conversation.duration_minutes = result.duration_minutes
    conversation.staff1_id = result.staff1.id
    conversation.staff2_id = result.staff2.id if result.staff2 else None
    conversation.others_present = result.others_present.strip() or None
    conversation.outcome = result.outcome
    conversation.direct_authority_reason = result.direct_authority_reason.strip() or None
    staff = [s for s in (result.staff1, result.staff2) if s is not None]
    conversation.lacks_authority_experience = not any(s.has_authority_experience for s in staff)
    db.session.flush()


# --- courses ---------------------------------------------------------------------------------------


def open_course(citizen_id: int) -> Course | None:
    return db.session.scalar(
        select(Course).where(Course.citizen_id == citizen_id, Course.end_date.is_(None)).order_by(Course.id.desc())
    )


def courses_of(citizen_id: int) -> list[Course]:
    return list(db.session.scalars(select(Course).where(Course.citizen_id == citizen_id).order_by(Course.start_date)))


def start_course(
    citizen: Citizen, user, start: date, today: date, guide_conversation: GuideConversation | None = None
) -> Course:
    """The citizen's yes. A course needs a CPR number; only one open course at a time; a course
    after a closed one is a return (counted as one)."""
    if not citizen.cpr:
        raise CitizenError("Et forløb kræver borgerens CPR-nummer. Tilføj det under »Ret oplysninger«.", "cpr")
    if open_course(citizen.id) is not None:
        raise CitizenError("Borgeren har allerede et åbent forløb.", "start_date")
    if problem := ms.validate_course_dates(start, None, today):
        raise CitizenError(problem, "start_date")
    earlier = db.session.scalar(
        select(func.count()).select_from(Course).where(Course.citizen_id == citizen.id, Course.end_date.is_not(None))
    )
    course = Course(
        citizen_id=citizen.id,
        start_date=start,
        is_return=bool(earlier),
        created_by_id=user.id,
        guide_conversation_id=guide_conversation.id if guide_conversation else None,
    )
    db.session.add(course)
    db.session.flush()
    return course


@dataclass
class Closing:
    end_date: date
    stop_reason: str
    next_step: str
    goal_attainment: str = ""
    stop_reason_text: str = ""


def parse_goal_attainment(text: str) -> Decimal | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CitizenError("Målopfyldelse skal være et tal fra 1 til 4, fx 3,5.", "goal_attainment") from None
    if not value.is_finite() or not Decimal(1) <= value <= Decimal(4) or value != value.quantize(Decimal("0.1")):
        raise CitizenError("Målopfyldelse skal være mellem 1 og 4 med højst én decimal.", "goal_attainment")
    return value.quantize(Decimal("0.1"))


def close_course(course: Course, closing: Closing, user, today: date) -> None:
    if course.end_date is not None:
        raise CitizenError("Forløbet er allerede afsluttet.", "end_date")
    if problem := ms.validate_course_dates(course.start_date, closing.end_date, today):
        raise CitizenError(problem, "end_date")
    if closing.stop_reason not in vocab.STOP_REASONS:
        raise CitizenError("Vælg en årsagskode.", "stop_reason")
    if closing.stop_reason == "anden" and not closing.stop_reason_text.strip():
        raise CitizenError("Skriv den anden årsag.", "stop_reason_text")
    if closing.next_step not in vocab.NEXT_STEPS:
        raise CitizenError("Vælg hvad der skal ske bagefter.", "next_step")
    attainment = parse_goal_attainment(closing.goal_attainment)
    course.end_date = closing.end_date
    course.stop_reason = closing.stop_reason
    course.stop_reason_text = closing.stop_reason_text.strip() or None
    course.next_step = closing.next_step
    course.goal_attainment = attainment
    course.closed_by_id = user.id
    db.session.flush()


def record_assessment(course: Course, on: date, today: date) -> None:
    if problem := ms.validate_follow_up_date(course.start_date, course.end_date, on):
        raise CitizenError(problem.replace("Opfølgningen", "Vurderingen"), "assessment_date")
    if on > today:
        raise CitizenError("Vurderingen kan ikke ligge i fremtiden.", "assessment_date")
    course.assessment_date = on
    db.session.flush()


@dataclass
class MeetingData:
    kind: str
    day: date
    at: time
    duration_minutes: int | None
    status: str
    staff1: object | None
    staff2: object | None = None
    relative_id: int | None = None


def add_meeting(citizen: Citizen, course: Course | None, data: MeetingData, user, today: date) -> Meeting:
    if data.kind not in vocab.MEETING_KINDS:
        raise CitizenError("Ukendt mødetype.", "kind")
    if data.status not in vocab.MEETING_STATUSES:
        raise CitizenError("Ukendt status.", "status")
    if data.duration_minutes is not None and not 0 < data.duration_minutes <= 480:
        raise CitizenError("Varighed skal være mellem 1 og 480 minutter.", "duration_minutes")
    if course is not None and data.kind != "paaroerende":
        end = course.end_date
        if problem := ms.validate_follow_up_date(course.start_date, end, data.day):
            kind_label = vocab.MEETING_KINDS[data.kind]
            raise CitizenError(problem.replace("Opfølgningen", kind_label), "day")
    if data.status in ("afholdt", "udeblevet") and data.day > today:
        raise CitizenError("Et møde i fremtiden kan ikke være afholdt endnu.", "status")
    if data.relative_id is not None and not db.session.scalar(
        select(Relative.id).where(Relative.id == data.relative_id, Relative.citizen_id == citizen.id)
    ):
        raise CitizenError("Den pårørende hører ikke til borgeren.", "relative_id")
    meeting = Meeting(
        citizen_id=citizen.id,
        course_id=course.id if course else None,
        kind=data.kind,
        starts_at=local_datetime(data.day, data.at),
        duration_minutes=data.duration_minutes,
        status=data.status,
        staff1_id=data.staff1.id if data.staff1 else None,
        staff2_id=data.staff2.id if data.staff2 else None,
        relative_id=data.relative_id,
        created_by_id=user.id,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def set_meeting_status(meeting: Meeting, status: str, today: date) -> None:
    if status not in vocab.MEETING_STATUSES:
        raise CitizenError("Ukendt status.", "status")
    if status in ("afholdt", "udeblevet") and local(meeting.starts_at).date() > today:
        raise CitizenError("Et møde i fremtiden kan ikke være afholdt endnu.", "status")
    meeting.status = status
    db.session.flush()


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
        return SlotItem(f"{names[due.course_id]} – {text}", urgent=due.overdue, citizen_id=citizens[due.course_id])

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
    return [
        ("Opfølgninger i dag og denne uge", follow_ups),
        ("Uge 10-vurderinger", assessments),
        ("Forløb der slutter inden for to uger", ending),
    ]
