"""Guide conversations (booked and held), courses (start, assessment, close) and their meetings.
Plain functions; flush, never commit; no request in here."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from ..extensions import db
from ..timeutil import LOCAL_TZ, as_utc, local, utcnow
from . import milestones as ms
from . import vocab
from .models import Citizen, Course, GuideConversation, Meeting, Relative
from .register import CitizenError

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
