"""Course (forløb) milestones as pure functions: no database, no clock (callers pass `today`).

Conventions, counted in days from the start date (day 0 = the start date, any weekday):

- Course week N covers days 7(N-1) .. 7N-1: week 1 is days 0-6, week 2 starts on day 7. Dates
  before the start are week 0. Weeks go on past 20 ("uge 21 af højst 20") so an overdue course shows.
- First follow-up: "within 4 weeks of start" is a duration, so it is due by start + 28 days
  (inclusive; the first day of week 5).
- Assessment of future needs: "at the latest in week 10" is a course week, so it is due by the last
  day of week 10: start + 69 days.
- Latest end: "at the latest after 20 weeks" is due by the last day of week 20: start + 139 days,
  so a course may run 140 days counting both the start and the end date, and never longer.
- A course may end any day before that (it is never padded). A return after closing is a new course
  with its own start date: nothing from an earlier course counts (dates before `start` are ignored).

Milestone states: done (held on or before today, inside the course), due soon (not done, due today
or within DUE_SOON_DAYS; the end within ENDING_SOON_DAYS), overdue (not done, due date passed while
the course is open), not yet; for a closed course an undone milestone is "not needed" when the
course closed before its due date, "missed" when it closed after it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from ..timeutil import format_date

MAX_WEEKS = 20
MIN_WEEKS = 4  # the guideline; shorter courses are allowed (a citizen may stop at any time)
FIRST_FOLLOW_UP_DAYS = 28
ASSESSMENT_WEEK = 10
DUE_SOON_DAYS = 7
ENDING_SOON_DAYS = 14

MSG_END_BEFORE_START = "Slutdato kan ikke ligge før startdato."
MSG_TOO_LONG = "Et forløb kan højst vare 20 uger – seneste slutdato er {date}."
MSG_START_IN_FUTURE = "Startdato kan ikke ligge i fremtiden."
MSG_END_IN_FUTURE = "Slutdato kan ikke ligge i fremtiden."
MSG_FOLLOW_UP_OUTSIDE = "Opfølgningen ligger uden for forløbet ({start} – {end})."


class State(StrEnum):
    DONE = "done"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NOT_YET = "not_yet"
    NOT_NEEDED = "not_needed"
    MISSED = "missed"


class Kind(StrEnum):
    FIRST_FOLLOW_UP = "first_follow_up"
    FOLLOW_UP = "follow_up"  # an agreed next follow-up ("Næste opfølgning")
    ASSESSMENT = "assessment"
    END = "end"


def last_day_of_week(start: date, week: int) -> date:
    return start + timedelta(days=7 * week - 1)


def first_follow_up_due(start: date) -> date:
    return start + timedelta(days=FIRST_FOLLOW_UP_DAYS)


def assessment_due(start: date) -> date:
    return last_day_of_week(start, ASSESSMENT_WEEK)


def latest_end(start: date) -> date:
    return last_day_of_week(start, MAX_WEEKS)


def course_week(start: date, on_date: date) -> int:
    """1 for days 0-6 after the start, 2 for days 7-13, ...; 0 before the start; not capped."""
    days = (on_date - start).days
    return days // 7 + 1 if days >= 0 else 0


def course_week_label(start: date, on_date: date) -> str:
    return f"uge {course_week(start, on_date)} af højst {MAX_WEEKS}"


@dataclass(frozen=True)
class Milestone:
    kind: Kind
    due: date
    state: State
    done_on: date | None
    today: date = field(repr=False)

    @property
    def days_left(self) -> int:
        """Days until the due date; negative when it has passed."""
        return (self.due - self.today).days

    @property
    def done_late(self) -> bool:
        return self.done_on is not None and self.done_on > self.due

    @property
    def needs_action(self) -> bool:
        return self.state in (State.DUE_SOON, State.OVERDUE)


def _state(due: date, done_on: date | None, end: date | None, today: date, soon_days: int) -> State:
    if done_on is not None:
        return State.DONE
    if end is not None and end <= today:
        return State.NOT_NEEDED if end < due else State.MISSED
    if today > due:
        return State.OVERDUE
    if (due - today).days <= soon_days:
        return State.DUE_SOON
    return State.NOT_YET


@dataclass(frozen=True)
class Milestones:
    start: date
    end: date | None
    today: date
    first_follow_up: Milestone
    assessment: Milestone
    ending: Milestone
    follow_ups_held: tuple[date, ...]

    @property
    def latest_end(self) -> date:
        return self.ending.due

    @property
    def is_closed(self) -> bool:
        return self.end is not None and self.end <= self.today

    @property
    def has_started(self) -> bool:
        return self.today >= self.start

    @property
    def last_day(self) -> date:
        """The course's last day so far: its end when closed, otherwise today."""
        return self.end if self.is_closed else self.today

    @property
    def week(self) -> int:
        """Course week of today, or of the end date for a closed course."""
        return course_week(self.start, self.last_day)

    @property
    def week_label(self) -> str:
        return course_week_label(self.start, self.last_day)

    @property
    def is_past_latest_end(self) -> bool:
        """Open after the last day of week 20 (or, for bad data, closed after it)."""
        return self.last_day > self.latest_end

    @property
    def progress(self) -> float:
        """Share of the 20 weeks used, counting the start day: 1/140 on day 0, 1.0 on the last
        day of week 20; 0.0 before the start; never above 1.0 (for <progress max="1">)."""
        days = (self.last_day - self.start).days + 1
        return min(max(days, 0) / (7 * MAX_WEEKS), 1.0)

    @property
    def last_follow_up(self) -> date | None:
        return self.follow_ups_held[-1] if self.follow_ups_held else None

    def needing_action(self) -> list[Milestone]:
        return [m for m in (self.first_follow_up, self.assessment, self.ending) if m.needs_action]


def _held(dates: Iterable[date | None], start: date, end: date | None, today: date) -> tuple[date, ...]:
    """Dates that count for this course: inside it and not in the future (a later date is a plan,
    not a follow-up held). Dates before the start belong to an earlier course."""
    last = min(end, today) if end is not None else today
    return tuple(sorted(d for d in dates if d is not None and start <= d <= last))


def milestones(
    start: date,
    end: date | None = None,
    follow_up_dates: Iterable[date] = (),
    assessment_date: date | None = None,
    *,
    today: date,
) -> Milestones:
    """Due dates and states of one course's milestones on `today`.

    `follow_up_dates` are the dates of follow-ups held (Min Plan, "Opfølgning – Dato"); any one
    of them completes the first follow-up, even if it was held early or late (`done_late`).
    `end` is the closing date; an `end` after `today` counts as not yet closed.
    """
    closing = end if end is not None and end <= today else None
    held = _held(follow_up_dates, start, end, today)
    first_done = held[0] if held else None
    assessed = _held([assessment_date], start, end, today)
    assessment_done = assessed[0] if assessed else None

    first = first_follow_up_due(start)
    assess = assessment_due(start)
    last = latest_end(start)
    return Milestones(
        start=start,
        end=end,
        today=today,
        first_follow_up=Milestone(
            Kind.FIRST_FOLLOW_UP, first, _state(first, first_done, closing, today, DUE_SOON_DAYS), first_done, today
        ),
        assessment=Milestone(
            Kind.ASSESSMENT,
            assess,
            _state(assess, assessment_done, closing, today, DUE_SOON_DAYS),
            assessment_done,
            today,
        ),
        ending=Milestone(
            Kind.END,
            last,
            State.DONE if closing else _state(last, None, None, today, ENDING_SOON_DAYS),
            closing,
            today,
        ),
        follow_ups_held=held,
    )


# --- Validation for forms: a Danish message, or None when the dates are fine ---------------------


def validate_course_dates(start: date, end: date | None, today: date) -> str | None:
    """Start not in the future; end (the closing date, if given) not before the start, not after
    the last day of week 20 and not in the future (closing records what happened)."""
    if start > today:
        return MSG_START_IN_FUTURE
    if end is None:
        return None
    if end < start:
        return MSG_END_BEFORE_START
    if end > latest_end(start):
        return MSG_TOO_LONG.format(date=format_date(latest_end(start)))
    if end > today:
        return MSG_END_IN_FUTURE
    return None


def validate_follow_up_date(course_start: date, course_end_or_latest_end: date | None, on_date: date) -> str | None:
    """A follow-up lies inside its course: from the start to the closing date, or to the latest
    end while the course is open (pass None for that)."""
    last = course_end_or_latest_end or latest_end(course_start)
    if course_start <= on_date <= last:
        return None
    return MSG_FOLLOW_UP_OUTSIDE.format(start=format_date(course_start), end=format_date(last))


# --- The day board: what is due across many courses ------------------------------------------------


@dataclass(frozen=True)
class CourseDates:
    """What the board needs of one course (one row from the database)."""

    course_id: int
    start: date
    end: date | None = None
    follow_up_dates: Sequence[date] = ()
    assessment_date: date | None = None
    next_follow_up: date | None = None  # agreed in Min Plan ("Næste opfølgning")


@dataclass(frozen=True)
class DueItem:
    course_id: int
    kind: Kind
    due: date
    week: int  # course week today
    overdue: bool


@dataclass(frozen=True)
class DueBoard:
    """Non-overlapping lists, each sorted by due date then course id."""

    today: date
    follow_ups_overdue: list[DueItem]
    follow_ups_today: list[DueItem]
    follow_ups_later_this_week: list[DueItem]  # tomorrow .. Sunday
    assessments_due: list[DueItem]  # due by Sunday of this week, or overdue
    ending_soon: list[DueItem]  # latest end within ENDING_SOON_DAYS, or already passed

    @property
    def follow_ups_this_week(self) -> list[DueItem]:
        """Due today or later this week (overdue ones are listed on their own)."""
        return self.follow_ups_today + self.follow_ups_later_this_week


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the calendar week of `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def pending_follow_up(course: CourseDates, today: date) -> tuple[Kind, date] | None:
    """The follow-up an open course is waiting for, if any: the earlier of the first follow-up
    (until one is held) and the agreed next follow-up (until one is held on or after its date)."""
    m = milestones(course.start, course.end, course.follow_up_dates, course.assessment_date, today=today)
    return _pending_follow_up(m, course.next_follow_up)


def _pending_follow_up(m: Milestones, planned: date | None) -> tuple[Kind, date] | None:
    if m.is_closed or not m.has_started:
        return None
    candidates = []
    if m.first_follow_up.done_on is None:
        candidates.append((m.first_follow_up.due, Kind.FIRST_FOLLOW_UP))
    if (
        planned is not None
        and m.start <= planned <= m.latest_end  # a date left over from an earlier course is ignored
        and not any(held >= planned for held in m.follow_ups_held)
    ):
        candidates.append((planned, Kind.FOLLOW_UP))
    if not candidates:
        return None
    due, kind = min(candidates)
    return kind, due


def due_board(courses: Iterable[CourseDates], today: date) -> DueBoard:
    """What the day board shows for open courses; closed and not yet started courses are left
    out. Overdue items stay until someone acts (nobody falls through the cracks)."""
    _, sunday = week_bounds(today)
    overdue, due_today, later, assessments, ending = [], [], [], [], []
    for course in courses:
        m = milestones(course.start, course.end, course.follow_up_dates, course.assessment_date, today=today)
        if m.is_closed or not m.has_started:
            continue
        week = m.week
        if (pending := _pending_follow_up(m, course.next_follow_up)) is not None:
            kind, due = pending
            item = DueItem(course.course_id, kind, due, week, overdue=due < today)
            if due < today:
                overdue.append(item)
            elif due == today:
                due_today.append(item)
            elif due <= sunday:
                later.append(item)
        if m.assessment.done_on is None and m.assessment.due <= sunday:
            assessments.append(
                DueItem(course.course_id, Kind.ASSESSMENT, m.assessment.due, week, overdue=m.assessment.due < today)
            )
        if (m.latest_end - today).days <= ENDING_SOON_DAYS:
            ending.append(DueItem(course.course_id, Kind.END, m.latest_end, week, overdue=m.latest_end < today))

    def ordered(items: list[DueItem]) -> list[DueItem]:
        return sorted(items, key=lambda item: (item.due, item.course_id))

    return DueBoard(
        today=today,
        follow_ups_overdue=ordered(overdue),
        follow_ups_today=ordered(due_today),
        follow_ups_later_this_week=ordered(later),
        assessments_due=ordered(assessments),
        ending_soon=ordered(ending),
    )
