"""Group rules: runs and their meetings, enrolment with capacity and waiting list, attendance,
the entrance board, the day board slot and the citizen page section. Plain functions; flush, never
commit; raise GroupError with a Danish message for anything the user must fix."""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from .. import versioning
from ..board import Slot, SlotItem, board_slot
from ..citizens.hooks import citizen_section
from ..citizens.models import Citizen, Course, citizen_in_use
from ..extensions import db
from ..timeutil import LOCAL_TZ, WEEKDAYS_DA, as_utc, day_bounds, format_date, local, today_local
from . import vocab
from .models import GroupAttendance, GroupEnrolment, GroupMeeting, GroupRun, GroupTheme


class GroupError(ValueError):
    """Input the groups cannot take; the message is Danish and shown as is."""


class CapacityError(GroupError):
    """The run is full: the caller offers the waiting list."""


# --- catalogue -------------------------------------------------------------------------------------


def ensure_default_themes() -> int:
    """Add the report's themes that are missing (the migration seeds them; demo data calls this)."""
    have = set(db.session.scalars(select(GroupTheme.name)))
    added = 0
    for name, description, capacity, meetings, minutes, activity in vocab.DEFAULT_THEMES:
        if name not in have:
            db.session.add(GroupTheme(name=name, description=description, max_participants=capacity,
                                      usual_meetings=meetings, meeting_minutes=minutes, hours_activity=activity))
            added += 1
    db.session.flush()
    return added


def themes(active_only: bool = False) -> list[GroupTheme]:
    query = select(GroupTheme).order_by(GroupTheme.active.desc(), GroupTheme.name)
    if active_only:
        query = query.where(GroupTheme.active)
    return list(db.session.scalars(query))


def theme_name_taken(name: str, theme_id: int | None = None) -> bool:
    query = select(GroupTheme.id).where(func.lower(GroupTheme.name) == name.strip().lower())
    if theme_id is not None:
        query = query.where(GroupTheme.id != theme_id)
    return db.session.scalar(query) is not None


# --- runs and meetings -----------------------------------------------------------------------------


def next_team_number(start: date) -> str:
    """Hold numbers read year-number, e.g. 2026-07; the next free one in the start year."""
    prefix = f"{start.year}-"
    used = db.session.scalars(select(GroupRun.team_number).where(GroupRun.team_number.like(prefix + "%")))
    numbers = [int(m.group(1)) for t in used if (m := re.fullmatch(rf"{start.year}-(\d+)", t))]
    return f"{prefix}{(max(numbers, default=0) + 1):02d}"


def team_number_taken(number: str, run_id: int | None = None) -> bool:
    query = select(GroupRun.id).where(GroupRun.team_number == number.strip())
    if run_id is not None:
        query = query.where(GroupRun.id != run_id)
    return db.session.scalar(query) is not None


def local_instant(day: date, at: time) -> datetime:
    return as_utc(datetime.combine(day, at, tzinfo=LOCAL_TZ))


def weekly_dates(start: date, count: int) -> list[date]:
    return [start + timedelta(weeks=n) for n in range(count)]


def create_run(theme: GroupTheme, *, team_number: str, start_date: date, end_date: date | None, at: time,
               meetings: int, minutes: int, place: str, capacity: int, facilitator1_id: int,
               facilitator2_id: int | None, user) -> GroupRun:
    """A run with `meetings` weekly meetings from the start date at the given time. Without an end
    date the run ends on the day of its last meeting."""
    dates = weekly_dates(start_date, meetings)
    if end_date is not None and end_date < start_date:
        raise GroupError("Slutdatoen kan ikke ligge før startdatoen.")
    if end_date is not None and dates and dates[-1] > end_date:
        raise GroupError(f"{meetings} ugentlige møder rækker ud over slutdatoen – det sidste ville være "
                         f"{format_date(dates[-1])}. Vælg færre møder eller en senere slutdato.")
    if facilitator2_id is not None and facilitator2_id == facilitator1_id:
        raise GroupError("Vælg to forskellige gruppeledere – eller lad den anden stå tom.")
    run = GroupRun(
        theme=theme, team_number=team_number.strip(), start_date=start_date,
        end_date=end_date or (dates[-1] if dates else start_date), place=place, capacity=capacity,
        facilitator1_id=facilitator1_id, facilitator2_id=facilitator2_id, created_by_id=user.id,
    )
    db.session.add(run)
    db.session.flush()
    for day in dates:
        db.session.add(GroupMeeting(run_id=run.id, starts_at=local_instant(day, at), duration_minutes=minutes))
    db.session.flush()
    return run


def update_run(run: GroupRun, *, end_date: date | None, place: str, capacity: int, facilitator1_id: int,
               facilitator2_id: int | None, saved_by=None) -> None:
    if end_date is not None and end_date < run.start_date:
        raise GroupError("Slutdatoen kan ikke ligge før startdatoen.")
    if facilitator2_id is not None and facilitator2_id == facilitator1_id:
        raise GroupError("Vælg to forskellige gruppeledere – eller lad den anden stå tom.")
    if end_date is not None:
        last = db.session.scalar(select(func.max(GroupMeeting.starts_at)).where(
            GroupMeeting.run_id == run.id, GroupMeeting.cancelled.is_(False)))
        if last is not None and local(last).date() > end_date:
            raise GroupError(f"Holdet har et møde {format_date(local(last))}, efter den nye slutdato.")
    run.end_date, run.place, run.capacity = end_date, place, capacity
    run.facilitator1_id, run.facilitator2_id = facilitator1_id, facilitator2_id
    versioning.saved(run, saved_by)
    db.session.flush()


def check_in_run(run: GroupRun, day: date) -> None:
    if day < run.start_date or (run.end_date is not None and day > run.end_date):
        end = f" til {format_date(run.end_date)}" if run.end_date else ""
        raise GroupError(f"Mødet ligger uden for holdets periode ({format_date(run.start_date)}{end}). "
                         "Ret datoen – eller ret holdets slutdato først.")


def add_meeting(run: GroupRun, day: date, at: time, minutes: int) -> GroupMeeting:
    check_in_run(run, day)
    meeting = GroupMeeting(run_id=run.id, starts_at=local_instant(day, at), duration_minutes=minutes)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def set_meeting_cancelled(meeting: GroupMeeting, cancelled: bool) -> None:
    meeting.cancelled = cancelled
    db.session.flush()


def run_meetings(run_id: int) -> list[GroupMeeting]:
    return list(db.session.scalars(
        select(GroupMeeting).where(GroupMeeting.run_id == run_id).order_by(GroupMeeting.starts_at)))


def meeting_of_run(run: GroupRun, meeting_id: int) -> GroupMeeting:
    meeting = db.session.get(GroupMeeting, meeting_id)
    if meeting is None or meeting.run_id != run.id:
        raise GroupError("Mødet hører ikke til dette hold.")
    return meeting


# --- enrolment -------------------------------------------------------------------------------------


def holds_place(day: date):
    """SQL condition: an enrolment that holds one of the run's places on `day`. Enrolled people
    hold their place until their stop date; from that day the place is free for someone else."""
    return and_(GroupEnrolment.waiting.is_(False),
                or_(GroupEnrolment.stop_date.is_(None), GroupEnrolment.stop_date > day))


def places_taken(run_id: int, day: date | None = None) -> int:
    day = day or today_local()
    return db.session.scalar(select(func.count()).select_from(GroupEnrolment).where(
        GroupEnrolment.run_id == run_id, holds_place(day))) or 0


def places_taken_by_run(run_ids: list[int], today: date) -> dict[int, int]:
    if not run_ids:
        return {}
    rows = db.session.execute(
        select(GroupEnrolment.run_id, func.count()).where(GroupEnrolment.run_id.in_(run_ids), holds_place(today))
        .group_by(GroupEnrolment.run_id))
    return dict(rows.all())


def open_course_on(citizen_id: int, day: date) -> Course | None:
    return db.session.scalar(
        select(Course).where(Course.citizen_id == citizen_id, Course.start_date <= day,
                             or_(Course.end_date.is_(None), Course.end_date >= day))
        .order_by(Course.start_date.desc()).limit(1))


def enrol(run: GroupRun, citizen: Citizen, start_date: date, user, *, waiting_list: bool = False,
          today: date | None = None) -> GroupEnrolment:
    """Enrol a citizen (or put them on the waiting list). A full run raises CapacityError so the
    page can offer the waiting list; nothing is stored then."""
    today = today or today_local()
    existing = db.session.scalar(select(GroupEnrolment).where(
        GroupEnrolment.run_id == run.id, GroupEnrolment.citizen_id == citizen.id))
    if existing is not None and (existing.stop_date is None or existing.stop_date > today):
        where = "på ventelisten til" if existing.waiting else "allerede tilmeldt"
        raise GroupError(f"{citizen.first_name} står {where} dette hold.")
    if start_date < run.start_date:
        raise GroupError(f"Startdatoen kan ikke ligge før holdets start ({format_date(run.start_date)}).")
    if run.end_date is not None and start_date > run.end_date:
        raise GroupError(f"Holdet slutter {format_date(run.end_date)} – startdatoen ligger efter.")
    taken = places_taken(run.id, max(start_date, today))
    if not waiting_list and taken >= run.capacity:
        raise CapacityError(f"Holdet er fuldt ({taken} af {run.capacity} pladser). "
                            f"Vil du sætte {citizen.first_name} på ventelisten?")
    course = open_course_on(citizen.id, start_date) or open_course_on(citizen.id, today)
    if existing is not None:  # stopped earlier and back again: the same row, a new start
        enrolment = existing
        enrolment.start_date, enrolment.stop_date, enrolment.waiting = start_date, None, waiting_list
        enrolment.course_id = course.id if course else None
    else:
        enrolment = GroupEnrolment(run_id=run.id, citizen_id=citizen.id, course_id=course.id if course else None,
                                   start_date=start_date, waiting=waiting_list, created_by_id=user.id)
        db.session.add(enrolment)
    db.session.flush()
    return enrolment


def stop_enrolment(enrolment: GroupEnrolment, stop_date: date) -> None:
    """Set the stop date (also: taken off the waiting list)."""
    if enrolment.waiting:
        stop_date = max(stop_date, enrolment.start_date)
    if stop_date < enrolment.start_date:
        raise GroupError(f"Stopdatoen kan ikke ligge før startdatoen ({format_date(enrolment.start_date)}).")
    enrolment.stop_date = stop_date
    db.session.flush()


def admit_from_waiting_list(enrolment: GroupEnrolment, today: date | None = None) -> None:
    today = today or today_local()
    run = enrolment.run
    if not enrolment.waiting:
        raise GroupError("Borgeren står ikke på ventelisten.")
    start = max(enrolment.start_date, today)
    taken = places_taken(run.id, start)
    if taken >= run.capacity:
        raise GroupError(f"Holdet er stadig fuldt ({taken} af {run.capacity} pladser).")
    enrolment.waiting = False
    enrolment.start_date = start
    db.session.flush()


def enrolments(run_id: int) -> list[GroupEnrolment]:
    return list(db.session.scalars(
        select(GroupEnrolment).options(selectinload(GroupEnrolment.citizen))
        .where(GroupEnrolment.run_id == run_id, citizen_in_use(GroupEnrolment.citizen_id))
        .order_by(GroupEnrolment.waiting, GroupEnrolment.created_at, GroupEnrolment.id)))


# --- attendance ------------------------------------------------------------------------------------


@dataclass
class AttendanceRow:
    citizen: Citizen
    status: str | None
    enrolled: bool  # False: has a row from earlier but is no longer on the run that day


def attendance_rows(meeting: GroupMeeting) -> list[AttendanceRow]:
    """Everyone enrolled on the meeting's date, and anyone with attendance recorded (two queries)."""
    day = local(meeting.starts_at).date()
    statuses = dict(db.session.execute(
        select(GroupAttendance.citizen_id, GroupAttendance.status).where(GroupAttendance.meeting_id == meeting.id)
    ).all())
    rows = []
    for enrolment in enrolments(meeting.run_id):
        active = enrolment.active_on(day)
        if active or enrolment.citizen_id in statuses:
            rows.append(AttendanceRow(enrolment.citizen, statuses.get(enrolment.citizen_id), active))
    rows.sort(key=lambda row: (row.citizen.first_name.lower(), row.citizen.id))
    return rows


def record_attendance(meeting: GroupMeeting, citizen_id: int, status: str, user) -> str | None:
    """One tap: set the status; tapping the status already set takes it away again (a mistap is
    undone in one tap). Returns the status now stored (None when cleared)."""
    if status not in vocab.ATTENDANCE:
        raise GroupError("Ukendt fremmøde – vælg mødt, ikke mødt eller gik undervejs.")
    if meeting.cancelled:
        raise GroupError("Mødet er aflyst – der kan ikke registreres fremmøde.")
    day = local(meeting.starts_at).date()
    enrolment = db.session.scalar(select(GroupEnrolment).where(
        GroupEnrolment.run_id == meeting.run_id, GroupEnrolment.citizen_id == citizen_id))
    if enrolment is None or not enrolment.active_on(day):
        raise GroupError("Borgeren er ikke tilmeldt holdet på mødets dato, så fremmøde kan ikke registreres.")
    row = db.session.scalar(select(GroupAttendance).where(
        GroupAttendance.meeting_id == meeting.id, GroupAttendance.citizen_id == citizen_id))
    if row is not None and row.status == status:
        db.session.delete(row)
        db.session.flush()
        return None
    if row is None:
        row = GroupAttendance(meeting_id=meeting.id, citizen_id=citizen_id)
        db.session.add(row)
    row.status, row.recorded_by_id = status, user.id
    db.session.flush()
    return status


def attendance_counts(meeting_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(vocab.ATTENDANCE, 0))
    if meeting_ids:
        for meeting_id, status, n in db.session.execute(
            select(GroupAttendance.meeting_id, GroupAttendance.status, func.count())
            .where(GroupAttendance.meeting_id.in_(meeting_ids))
            .group_by(GroupAttendance.meeting_id, GroupAttendance.status)
        ):
            counts[meeting_id][status] = n
    return counts


# --- overviews -------------------------------------------------------------------------------------


@dataclass
class RunSummary:
    run: GroupRun
    taken: int
    waiting: int
    next_meeting: datetime | None
    meetings: int

    @property
    def full(self) -> bool:
        return self.taken >= self.run.capacity


def run_summaries(runs: list[GroupRun], today: date) -> list[RunSummary]:
    """Counts for a list of runs in three grouped queries (never one per run)."""
    ids = [run.id for run in runs]
    if not ids:
        return []
    taken = places_taken_by_run(ids, today)
    waiting = dict(db.session.execute(
        select(GroupEnrolment.run_id, func.count()).where(
            GroupEnrolment.run_id.in_(ids), GroupEnrolment.waiting.is_(True),
            or_(GroupEnrolment.stop_date.is_(None), GroupEnrolment.stop_date > today))
        .group_by(GroupEnrolment.run_id)).all())
    start, _ = day_bounds(today)
    meeting_rows = db.session.execute(
        select(GroupMeeting.run_id, func.count(),
               func.min(GroupMeeting.starts_at).filter(GroupMeeting.starts_at >= start))
        .where(GroupMeeting.run_id.in_(ids), GroupMeeting.cancelled.is_(False))
        .group_by(GroupMeeting.run_id)).all()
    meetings = {run_id: (n, as_utc(nxt) if nxt else None) for run_id, n, nxt in meeting_rows}
    return [RunSummary(run, taken.get(run.id, 0), waiting.get(run.id, 0), meetings.get(run.id, (0, None))[1],
                       meetings.get(run.id, (0, None))[0]) for run in runs]


WITH_FACILITATORS = (selectinload(GroupRun.facilitator1), selectinload(GroupRun.facilitator2))


def current_and_upcoming_runs(today: date) -> list[GroupRun]:
    return list(db.session.scalars(
        select(GroupRun).options(*WITH_FACILITATORS).where(or_(GroupRun.end_date.is_(None), GroupRun.end_date >= today))
        .order_by(GroupRun.start_date, GroupRun.id)))


def past_runs(today: date, limit: int = 30) -> list[GroupRun]:
    return list(db.session.scalars(
        select(GroupRun).options(*WITH_FACILITATORS).where(GroupRun.end_date < today)
        .order_by(GroupRun.start_date.desc()).limit(limit)))


@dataclass
class BoardGroup:
    """A line on the entrance board: no names, no counts of people – themes, dates, times, place."""

    theme: str
    description: str
    start_date: date
    weekday: str
    time: str
    place: str
    meetings: int
    started: bool
    has_room: bool


def entrance_board(today: date) -> list[BoardGroup]:
    runs = [run for run in current_and_upcoming_runs(today) if run.theme.active]
    summaries = run_summaries(runs, today)
    firsts = dict(db.session.execute(
        select(GroupMeeting.run_id, func.min(GroupMeeting.starts_at))
        .where(GroupMeeting.run_id.in_([r.id for r in runs]), GroupMeeting.cancelled.is_(False))
        .group_by(GroupMeeting.run_id)).all()) if runs else {}
    board = []
    for summary in summaries:
        run = summary.run
        first = firsts.get(run.id)
        first_local = local(as_utc(first)) if first else None
        board.append(BoardGroup(
            theme=run.theme.name, description=run.theme.description, start_date=run.start_date,
            weekday=WEEKDAYS_DA[first_local.weekday()] if first_local else "",
            time=f"{first_local:%H:%M}" if first_local else "", place=run.place_label,
            meetings=summary.meetings, started=run.start_date <= today, has_room=not summary.full,
        ))
    return board


# --- the day board and the citizen page ------------------------------------------------------------


def meetings_on(day: date) -> list[GroupMeeting]:
    start, end = day_bounds(day)
    return list(db.session.scalars(
        select(GroupMeeting).options(selectinload(GroupMeeting.run))
        .where(GroupMeeting.starts_at >= start, GroupMeeting.starts_at < end, GroupMeeting.cancelled.is_(False))
        .order_by(GroupMeeting.starts_at)))


def staff_initials(user_ids) -> dict[int, str]:
    """Initials of the given users in one small query (the day board needs nothing else)."""
    from ..auth.models import User

    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.initials).where(User.id.in_(ids))).all())


@board_slot
def groups_today(day: date):
    """Today's groups on the day board: time, theme, place, facilitators' initials, number enrolled
    (four queries whatever the number of groups)."""
    meetings = meetings_on(day)
    runs = list({m.run_id: m.run for m in meetings}.values())
    initials = staff_initials(i for r in runs for i in (r.facilitator1_id, r.facilitator2_id))
    enrolled = dict(db.session.execute(
        select(GroupEnrolment.run_id, func.count()).where(
            GroupEnrolment.run_id.in_([r.id for r in runs]), GroupEnrolment.waiting.is_(False),
            GroupEnrolment.start_date <= day,
            or_(GroupEnrolment.stop_date.is_(None), GroupEnrolment.stop_date >= day))
        .group_by(GroupEnrolment.run_id)).all()) if runs else {}
    items = []
    for meeting in meetings:
        run = meeting.run
        leaders = " og ".join(initials[i] for i in (run.facilitator1_id, run.facilitator2_id) if i in initials)
        text = (f"{local(meeting.starts_at):%H:%M} {run.theme.name} · {run.place_label} · "
                f"{leaders or 'ingen gruppeleder valgt'} · {enrolled.get(run.id, 0)} tilmeldt")
        # No citizen is named, and the current groups hang in the entrance anyway.
        items.append(SlotItem(text, discreet=text))
    return Slot("Grupper i dag", items, folded=False, noun=("gruppe", "grupper"))


@dataclass
class CitizenGroup:
    enrolment: GroupEnrolment
    attended: int  # meetings taken part in (never "missed": no raised eyebrows)


@citizen_section
def citizen_groups_section(citizen, course):
    rows = list(db.session.scalars(
        select(GroupEnrolment).options(selectinload(GroupEnrolment.run))
        .where(GroupEnrolment.citizen_id == citizen.id).order_by(GroupEnrolment.start_date.desc())))
    if not rows:
        return None
    attended = dict(db.session.execute(
        select(GroupMeeting.run_id, func.count()).join(GroupAttendance, GroupAttendance.meeting_id == GroupMeeting.id)
        .where(GroupAttendance.citizen_id == citizen.id, GroupAttendance.status.in_(vocab.ATTENDED))
        .group_by(GroupMeeting.run_id)).all())
    groups = [CitizenGroup(row, attended.get(row.run_id, 0)) for row in rows]
    return "groups/_citizen_groups.html", {"citizen": citizen, "citizen_groups": groups}


# --- what other features read from the groups ------------------------------------------------------


def _register_cross_feature_sources() -> None:
    """Group attendance counts at the Friday meeting (missed meetings in a row) and in the
    handover's 'what we worked on'."""
    from ..handover.services import Activity, activity_source
    from ..meeting.services import attendance_source

    @attendance_source
    def group_attendance(citizens, first: date, last: date):
        start, _ = day_bounds(first)
        _, end = day_bounds(last)
        rows = db.session.execute(
            select(GroupAttendance.citizen_id, GroupMeeting.starts_at, GroupAttendance.status)
            .join(GroupMeeting, GroupMeeting.id == GroupAttendance.meeting_id)
            .where(
                GroupAttendance.citizen_id.in_(citizens),
                GroupMeeting.starts_at >= start,
                GroupMeeting.starts_at < end,
                GroupMeeting.cancelled.is_(False),
            )
        )
        return [(cid, local(at).date(), status != "ikke_moedt") for cid, at, status in rows]

    @activity_source
    def group_activities(course: Course):
        last = course.end_date or today_local()
        start, _ = day_bounds(course.start_date)
        _, end = day_bounds(last)
        rows = db.session.execute(
            select(GroupTheme.name, func.count(), func.coalesce(func.sum(GroupMeeting.duration_minutes), 0))
            .select_from(GroupAttendance)
            .join(GroupMeeting, GroupMeeting.id == GroupAttendance.meeting_id)
            .join(GroupRun, GroupRun.id == GroupMeeting.run_id)
            .join(GroupTheme, GroupTheme.id == GroupRun.theme_id)
            .where(
                GroupAttendance.citizen_id == course.citizen_id,
                GroupAttendance.status != "ikke_moedt",
                GroupMeeting.starts_at >= start,
                GroupMeeting.starts_at < end,
            )
            .group_by(GroupTheme.name)
            .order_by(GroupTheme.name)
        )
        return [Activity(f"gruppemøde i {name}", f"gruppemøder i {name}", n, int(minutes or 0))
                for name, n, minutes in rows]


_register_cross_feature_sources()
