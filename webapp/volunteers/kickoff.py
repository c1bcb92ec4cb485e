"""The kick-off meeting (#12 item 4): the citizen's last meeting before the course closes, where the
volunteer coordinator joins so that the citizen does not "fall over the edge into loneliness".

A kick-off is a `Meeting` of kind "kickoff" in the course, with the volunteer coordinator invited
(staff2). A course is proposed for one from week 16, or as soon as a closing is planned (a handover
to the authority department is being written or has been sent), until one is booked or held or the
course closes. Plain functions; flush, never commit."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, or_, select

from ..auth.models import User
from ..auth.roles import VOLUNTEER_COORDINATOR
from ..auth.services import staff_members
from ..citizens import milestones as ms
from ..citizens.courses import MeetingData, add_meeting, local_datetime
from ..citizens.models import Citizen, Course, Meeting, citizen_in_use, citizen_names, discreet_name
from ..citizens.register import CitizenError
from ..extensions import db
from ..handover.models import Handover
from ..timeutil import day_bounds, format_date, utcnow

KICKOFF_KIND = "kickoff"
KICKOFF_FROM_WEEK = 16
KICKOFF_MINUTES = 60
LIVE_STATUSES = ("planlagt", "afholdt")  # a cancelled or missed kick-off may be booked again


@dataclass(frozen=True)
class KickoffCandidate:
    """A course that should have a kick-off booked."""

    course_id: int
    citizen_id: int
    first_name: str
    last_name: str
    week: int  # the course's week today (1-based)
    reason: str  # Danish: "Uge 16 af højst 20" or "Afslutning planlagt: overdragelse …"

    @property
    def citizen_name(self) -> str:
        return discreet_name(self.first_name, self.last_name)


@dataclass(frozen=True)
class BookedKickoff:
    meeting_id: int
    course_id: int | None
    citizen_id: int
    first_name: str
    last_name: str
    starts_at: datetime  # aware, UTC
    status: str
    coordinator_id: int | None

    @property
    def citizen_name(self) -> str:
        return discreet_name(self.first_name, self.last_name)


def proposal_reason(week: int, handover_status: str | None) -> str | None:
    """Why a course is proposed for a kick-off, or None when it is not (yet)."""
    if handover_status is not None:
        what = "overdragelse sendt" if handover_status != "kladde" else "overdragelse under forberedelse"
        return f"Afslutning planlagt: {what} (uge {week})"
    if week >= KICKOFF_FROM_WEEK:
        return f"Uge {week} af højst {ms.MAX_WEEKS}"
    return None


def _kickoff_of(course_id_column):
    """A live kick-off of the course (by the course's meeting index, per course: never a scan)."""
    return exists().where(Meeting.course_id == course_id_column, Meeting.kind == KICKOFF_KIND,
                          Meeting.status.in_(LIVE_STATUSES))


def kickoff_candidates(today: date, course_ids=None) -> list[KickoffCandidate]:
    """Open courses at week 16 or later, or with a closing planned, without a kick-off booked or held.
    `course_ids` narrows the answer to some courses (one course's booking page, the citizen page)."""
    week_start = today - timedelta(days=7 * (KICKOFF_FROM_WEEK - 1))  # started by then: week >= 16
    handover_status = select(Handover.status).where(Handover.course_id == Course.id).scalar_subquery()
    query = select(Course.id, Course.citizen_id, Course.start_date, *citizen_names(Course.citizen_id),
                   handover_status.label("handover_status")).where(
        Course.end_date.is_(None), Course.start_date <= today,
        or_(Course.start_date <= week_start, exists().where(Handover.course_id == Course.id)),
        ~_kickoff_of(Course.id),
        citizen_in_use(Course.citizen_id),  # restricted (GDPR art. 18): nothing to book for them
    )
    if course_ids is not None:
        query = query.where(Course.id.in_(list(course_ids)))
    candidates = []
    for course_id, citizen_id, start, first, last, status in db.session.execute(query.order_by(Course.start_date,
                                                                                                 Course.id)):
        week = ms.course_week(start, today)
        if (reason := proposal_reason(week, status)) is not None:
            candidates.append(KickoffCandidate(course_id, citizen_id, first, last, week, reason))
    return candidates


def _booked(query) -> list[BookedKickoff]:
    rows = db.session.execute(
        select(Meeting.id, Meeting.course_id, Meeting.citizen_id, *citizen_names(Meeting.citizen_id),
               Meeting.starts_at, Meeting.status, Meeting.staff2_id).where(Meeting.kind == KICKOFF_KIND, query)
        .order_by(Meeting.starts_at, Meeting.id))
    return [BookedKickoff(*row) for row in rows]


def kickoffs_between(start: date, end: date) -> list[BookedKickoff]:
    """Planned kick-offs whose local day lies in [start, end] (not a restricted citizen's: GDPR art. 18)."""
    first, _ = day_bounds(start)
    _, last = day_bounds(end)
    return _booked((Meeting.status == "planlagt") & (Meeting.starts_at >= first) & (Meeting.starts_at < last)
                   & citizen_in_use(Meeting.citizen_id))


def kickoff_for_course(course_id: int) -> Meeting | None:
    """The course's planned kick-off (the one a booking page moves), else its held one."""
    return db.session.scalars(
        select(Meeting).where(Meeting.course_id == course_id, Meeting.kind == KICKOFF_KIND,
                              Meeting.status.in_(LIVE_STATUSES))
        .order_by(Meeting.status.desc(), Meeting.starts_at.desc())  # the planned one first
    ).first()


def coordinators(include=()) -> list[User]:
    """Active users with the volunteer coordinator's role (usually one), plus any already chosen."""
    return staff_members(include, roles={VOLUNTEER_COORDINATOR})


def course_open_to_coordinator(course_id: int, user_id: int, today: date) -> bool:
    """The coordinator may open a course's kick-off page when it is proposed or has a kick-off with her."""
    if kickoff_candidates(today, [course_id]):
        return True
    return bool(db.session.scalar(select(Meeting.id).where(
        Meeting.course_id == course_id, Meeting.kind == KICKOFF_KIND, Meeting.staff2_id == user_id).limit(1)))


@dataclass
class KickoffBooking:
    day: date
    at: time
    staff: User | None  # the citizen's medarbejder (staff1)
    coordinator: User | None  # invited (staff2)


def book_kickoff(course: Course, booking: KickoffBooking, user, today: date,
                 now: datetime | None = None) -> Meeting:
    """Book the course's kick-off, or move the one already planned. CitizenError (Danish) on bad input."""
    now = now or utcnow()
    if course.end_date is not None:
        raise CitizenError("Forløbet er afsluttet – et kick-off-møde hører til et åbent forløb.", "date")
    if booking.coordinator is None:
        raise CitizenError("Vælg frivilligkoordinatoren, der inviteres til mødet.", "coordinator")
    if booking.staff is None:
        raise CitizenError("Vælg borgerens medarbejder, der holder mødet.", "staff")
    starts_at = local_datetime(booking.day, booking.at)
    if starts_at < now - timedelta(minutes=5):
        raise CitizenError("Et kick-off-møde kan ikke bookes i fortiden.", "date")
    existing = kickoff_for_course(course.id)
    if existing is not None and existing.status == "afholdt":
        raise CitizenError(f"Kick-off-mødet blev holdt {format_date(existing.starts_at)}.", "date")
    if existing is not None:
        if problem := ms.validate_follow_up_date(course.start_date, None, booking.day):
            raise CitizenError(problem.replace("Opfølgningen", "Kick-off-mødet"), "date")
        existing.starts_at = starts_at
        existing.staff1_id = booking.staff.id
        existing.staff2_id = booking.coordinator.id
        db.session.flush()
        return existing
    citizen = db.session.get(Citizen, course.citizen_id)
    try:
        return add_meeting(citizen, course, MeetingData(
            kind=KICKOFF_KIND, day=booking.day, at=booking.at, duration_minutes=KICKOFF_MINUTES, status="planlagt",
            staff1=booking.staff, staff2=booking.coordinator), user, today)
    except CitizenError as error:
        raise CitizenError(str(error), "date" if error.field == "day" else error.field) from error
