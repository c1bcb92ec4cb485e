from datetime import date, timedelta

import pytest

from webapp.citizens.milestones import (
    CourseDates,
    Kind,
    State,
    assessment_due,
    course_week,
    course_week_label,
    due_board,
    first_follow_up_due,
    latest_end,
    milestones,
    pending_follow_up,
    validate_course_dates,
    validate_follow_up_date,
    week_bounds,
)

SUNDAY = date(2027, 1, 3)  # a course may start on any weekday, also a Sunday
MONDAY = date(2027, 2, 15)
LEAP_START = date(2028, 2, 15)  # a Tuesday; the course runs across 29 February 2028


def days(n):
    return timedelta(days=n)


# --- course weeks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "week"),
    [(-1, 0), (-30, 0), (0, 1), (6, 1), (7, 2), (13, 2), (14, 3), (69, 10), (70, 11), (139, 20), (140, 21)],
)
def test_course_week_boundaries(offset, week):
    for start in (SUNDAY, MONDAY, LEAP_START):
        assert course_week(start, start + days(offset)) == week


def test_week_1_of_a_sunday_start_runs_to_saturday():
    assert SUNDAY.weekday() == 6
    assert course_week(SUNDAY, date(2027, 1, 9)) == 1  # Saturday
    assert course_week(SUNDAY, date(2027, 1, 10)) == 2  # the next Sunday


def test_week_label():
    assert course_week_label(MONDAY, MONDAY + days(42)) == "uge 7 af højst 20"
    assert course_week_label(MONDAY, MONDAY + days(140)) == "uge 21 af højst 20"


# --- due dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "first", "assessment", "last"),
    [
        (MONDAY, date(2027, 3, 15), date(2027, 4, 25), date(2027, 7, 4)),
        (SUNDAY, date(2027, 1, 31), date(2027, 3, 13), date(2027, 5, 22)),
        # leap year: 29 February 2028 is a day of the course
        (LEAP_START, date(2028, 3, 14), date(2028, 4, 24), date(2028, 7, 3)),
        (date(2026, 3, 1), date(2026, 3, 29), date(2026, 5, 9), date(2026, 7, 18)),
        # a course starting on 29 February itself
        (date(2028, 2, 29), date(2028, 3, 28), date(2028, 5, 8), date(2028, 7, 17)),
    ],
)
def test_due_dates(start, first, assessment, last):
    assert first_follow_up_due(start) == first == start + days(28)
    assert assessment_due(start) == assessment == start + days(69)
    assert latest_end(start) == last == start + days(139)
    assert course_week(start, assessment) == 10
    assert course_week(start, assessment + days(1)) == 11
    assert course_week(start, last) == 20
    assert course_week(start, last + days(1)) == 21


def test_twenty_weeks_are_140_days_counting_start_and_end():
    assert (latest_end(MONDAY) - MONDAY).days + 1 == 140
    assert latest_end(MONDAY).weekday() == 6  # a Monday start ends on a Sunday


# --- milestone states ------------------------------------------------------------------------------


def test_a_new_course():
    m = milestones(MONDAY, today=MONDAY)
    assert m.week == 1
    assert m.first_follow_up.state == State.NOT_YET
    assert m.first_follow_up.days_left == 28
    assert m.assessment.state == State.NOT_YET
    assert m.ending.state == State.NOT_YET
    assert m.progress == pytest.approx(1 / 140)
    assert not m.is_closed
    assert not m.is_past_latest_end
    assert m.needing_action() == []


@pytest.mark.parametrize(
    ("offset", "state"),
    [(20, State.NOT_YET), (21, State.DUE_SOON), (28, State.DUE_SOON), (29, State.OVERDUE), (100, State.OVERDUE)],
)
def test_first_follow_up_states(offset, state):
    m = milestones(MONDAY, today=MONDAY + days(offset))
    assert m.first_follow_up.state == state
    assert m.first_follow_up.needs_action is (state in (State.DUE_SOON, State.OVERDUE))


def test_follow_up_done_before_the_due_date():
    held = MONDAY + days(10)
    m = milestones(MONDAY, follow_up_dates=[held], today=MONDAY + days(40))
    assert m.first_follow_up.state == State.DONE
    assert m.first_follow_up.done_on == held
    assert not m.first_follow_up.done_late
    assert m.follow_ups_held == (held,)


def test_follow_up_done_late_counts_as_done():
    late = MONDAY + days(31)
    m = milestones(MONDAY, follow_up_dates=[late], today=MONDAY + days(35))
    assert m.first_follow_up.state == State.DONE
    assert m.first_follow_up.done_late


def test_a_follow_up_planned_in_the_future_is_not_done():
    m = milestones(MONDAY, follow_up_dates=[MONDAY + days(27)], today=MONDAY + days(22))
    assert m.first_follow_up.state == State.DUE_SOON
    assert m.follow_ups_held == ()


def test_follow_ups_are_sorted_and_the_earliest_completes_the_first():
    dates = [MONDAY + days(50), MONDAY + days(12), MONDAY + days(30), None]
    m = milestones(MONDAY, follow_up_dates=dates, today=MONDAY + days(60))
    assert m.follow_ups_held == (MONDAY + days(12), MONDAY + days(30), MONDAY + days(50))
    assert m.first_follow_up.done_on == MONDAY + days(12)
    assert m.last_follow_up == MONDAY + days(50)


@pytest.mark.parametrize(
    ("offset", "state"),
    [(61, State.NOT_YET), (62, State.DUE_SOON), (69, State.DUE_SOON), (70, State.OVERDUE)],
)
def test_assessment_is_due_by_the_last_day_of_week_10(offset, state):
    m = milestones(MONDAY, today=MONDAY + days(offset))
    assert m.assessment.state == state


def test_assessment_done():
    m = milestones(MONDAY, assessment_date=MONDAY + days(66), today=MONDAY + days(80))
    assert m.assessment.state == State.DONE
    assert m.assessment.done_on == MONDAY + days(66)


@pytest.mark.parametrize(
    ("offset", "state", "past", "progress"),
    [
        (124, State.NOT_YET, False, 125 / 140),
        (125, State.DUE_SOON, False, 126 / 140),  # 14 days before the latest end
        (139, State.DUE_SOON, False, 1.0),  # the last allowed day
        (140, State.OVERDUE, True, 1.0),
        (300, State.OVERDUE, True, 1.0),  # progress stays capped
    ],
)
def test_the_twenty_week_cap(offset, state, past, progress):
    m = milestones(
        MONDAY, follow_up_dates=[MONDAY + days(20)], assessment_date=MONDAY + days(60), today=MONDAY + days(offset)
    )
    assert m.ending.state == state
    assert m.is_past_latest_end is past
    assert m.progress == pytest.approx(progress)
    assert m.progress <= 1.0


def test_progress_before_the_start_is_zero():
    m = milestones(MONDAY, today=MONDAY - days(3))
    assert m.progress == 0.0
    assert m.week == 0
    assert not m.has_started


def test_closing_early():
    end = MONDAY + days(20)  # week 3, before the first follow-up was due
    m = milestones(MONDAY, end=end, today=MONDAY + days(100))
    assert m.is_closed
    assert m.week == 3  # frozen at the end date
    assert m.progress == pytest.approx(21 / 140)
    assert m.first_follow_up.state == State.NOT_NEEDED
    assert m.assessment.state == State.NOT_NEEDED
    assert m.ending.state == State.DONE
    assert m.ending.done_on == end
    assert not m.is_past_latest_end
    assert m.needing_action() == []


def test_closing_after_a_missed_assessment():
    end = MONDAY + days(80)
    m = milestones(MONDAY, end=end, follow_up_dates=[MONDAY + days(25)], today=end)
    assert m.first_follow_up.state == State.DONE
    assert m.assessment.state == State.MISSED
    assert m.ending.state == State.DONE


def test_closing_on_the_last_allowed_day():
    m = milestones(MONDAY, end=latest_end(MONDAY), today=latest_end(MONDAY) + days(30))
    assert m.is_closed
    assert not m.is_past_latest_end
    assert m.progress == 1.0
    assert m.week == 20


def test_follow_ups_after_closing_do_not_count():
    end = MONDAY + days(20)
    m = milestones(MONDAY, end=end, follow_up_dates=[MONDAY + days(25)], today=MONDAY + days(30))
    assert m.follow_ups_held == ()
    assert m.first_follow_up.state == State.NOT_NEEDED


def test_a_return_is_a_fresh_start():
    first_start = date(2027, 1, 4)
    first_end = first_start + days(90)
    old_follow_ups = [first_start + days(20), first_start + days(50)]
    return_start = first_end + days(60)
    # The caller passes everything it has for the citizen by mistake: only the new course counts.
    m = milestones(
        return_start,
        follow_up_dates=old_follow_ups,
        assessment_date=first_start + days(65),
        today=return_start + days(5),
    )
    assert m.week == 1
    assert m.follow_ups_held == ()
    assert m.first_follow_up.state == State.NOT_YET
    assert m.first_follow_up.due == return_start + days(28)
    assert m.assessment.state == State.NOT_YET
    assert m.latest_end == return_start + days(139)
    assert m.progress == pytest.approx(6 / 140)


def test_milestones_across_29_february():
    m = milestones(LEAP_START, today=date(2028, 3, 7))
    assert m.week == 4  # 15 Feb + 21 days = 7 March, counting 29 Feb
    assert m.first_follow_up.due == date(2028, 3, 14)
    assert m.first_follow_up.state == State.DUE_SOON
    assert m.first_follow_up.days_left == 7


# --- validation ------------------------------------------------------------------------------------

TODAY = date(2027, 6, 1)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2027, 3, 1), None, None),
        (date(2027, 3, 1), date(2027, 3, 1), None),  # a one-day course is allowed (never padded)
        (date(2027, 3, 1), date(2027, 5, 1), None),
        (date(2027, 1, 10), date(2027, 5, 29), None),  # the last day of week 20
        (date(2027, 3, 1), date(2027, 2, 28), "Slutdato kan ikke ligge før startdato."),
        (
            date(2027, 1, 10),
            date(2027, 5, 30),
            "Et forløb kan højst vare 20 uger – seneste slutdato er 29. maj 2027.",
        ),
        (date(2027, 6, 2), None, "Startdato kan ikke ligge i fremtiden."),
        (date(2027, 5, 1), date(2027, 6, 2), "Slutdato kan ikke ligge i fremtiden."),
    ],
)
def test_validate_course_dates(start, end, message):
    assert validate_course_dates(start, end, TODAY) == message


def test_too_long_message_uses_the_leap_year_date():
    message = validate_course_dates(LEAP_START, date(2028, 7, 4), today=date(2028, 8, 1))
    assert message == "Et forløb kan højst vare 20 uger – seneste slutdato er 3. jul 2028."


@pytest.mark.parametrize(
    ("end", "on_date", "message"),
    [
        (None, date(2027, 2, 3), None),
        (None, date(2027, 2, 15), None),
        (None, date(2027, 6, 22), None),  # the latest end while the course is open
        (None, date(2027, 2, 2), "Opfølgningen ligger uden for forløbet (3. feb 2027 – 22. jun 2027)."),
        (None, date(2027, 6, 23), "Opfølgningen ligger uden for forløbet (3. feb 2027 – 22. jun 2027)."),
        (date(2027, 3, 1), date(2027, 3, 1), None),
        (date(2027, 3, 1), date(2027, 3, 2), "Opfølgningen ligger uden for forløbet (3. feb 2027 – 1. mar 2027)."),
    ],
)
def test_validate_follow_up_date(end, on_date, message):
    assert validate_follow_up_date(date(2027, 2, 3), end, on_date) == message


# --- the day board ---------------------------------------------------------------------------------

BOARD_DAY = date(2027, 6, 2)  # a Wednesday: the board's week is Mon 31 May .. Sun 6 June


def test_week_bounds():
    assert week_bounds(BOARD_DAY) == (date(2027, 5, 31), date(2027, 6, 6))
    assert week_bounds(date(2027, 6, 6)) == (date(2027, 5, 31), date(2027, 6, 6))
    assert week_bounds(date(2027, 5, 31)) == (date(2027, 5, 31), date(2027, 6, 6))


def course(course_id, start, **kwargs):
    return CourseDates(course_id=course_id, start=start, **kwargs)


def ids(items):
    return [item.course_id for item in items]


def test_follow_ups_today_this_week_and_overdue():
    courses = [
        course(1, BOARD_DAY - days(28)),  # first follow-up due today
        course(2, BOARD_DAY - days(26)),  # due Friday
        course(3, BOARD_DAY - days(24)),  # due Sunday (still this week)
        course(4, BOARD_DAY - days(23)),  # due next Monday: not this week
        course(5, BOARD_DAY - days(30)),  # due Monday this week: overdue
        course(6, BOARD_DAY - days(40)),  # overdue for weeks: stays until someone acts
        course(7, BOARD_DAY - days(28), follow_up_dates=[BOARD_DAY - days(10)]),  # done early
        course(8, BOARD_DAY - days(28), end=BOARD_DAY - days(1)),  # closed
        course(9, BOARD_DAY + days(1)),  # not started
    ]
    board = due_board(courses, BOARD_DAY)
    assert ids(board.follow_ups_today) == [1]
    assert ids(board.follow_ups_later_this_week) == [2, 3]
    assert ids(board.follow_ups_this_week) == [1, 2, 3]
    assert ids(board.follow_ups_overdue) == [6, 5]  # oldest first
    assert all(item.overdue for item in board.follow_ups_overdue)
    assert not any(item.overdue for item in board.follow_ups_this_week)
    assert {item.kind for item in board.follow_ups_this_week} == {Kind.FIRST_FOLLOW_UP}
    assert board.follow_ups_today[0].week == 5


def test_agreed_next_follow_up():
    start = BOARD_DAY - days(50)
    held = [start + days(20)]
    courses = [
        course(1, start, follow_up_dates=held, next_follow_up=BOARD_DAY),
        course(2, start, follow_up_dates=held, next_follow_up=BOARD_DAY + days(3)),
        course(3, start, follow_up_dates=held, next_follow_up=BOARD_DAY - days(5)),  # not held: overdue
        course(4, start, follow_up_dates=[*held, BOARD_DAY - days(5)], next_follow_up=BOARD_DAY - days(5)),
        course(5, start, follow_up_dates=held),  # nothing agreed
        course(6, start, follow_up_dates=held, next_follow_up=BOARD_DAY + days(10)),  # next week
    ]
    board = due_board(courses, BOARD_DAY)
    assert ids(board.follow_ups_today) == [1]
    assert ids(board.follow_ups_later_this_week) == [2]
    assert ids(board.follow_ups_overdue) == [3]
    assert board.follow_ups_today[0].kind == Kind.FOLLOW_UP


def test_an_agreed_follow_up_before_the_first_deadline_comes_first():
    start = BOARD_DAY - days(10)
    c = course(1, start, next_follow_up=BOARD_DAY + days(2))
    assert pending_follow_up(c, BOARD_DAY) == (Kind.FOLLOW_UP, BOARD_DAY + days(2))
    late_plan = course(2, start, next_follow_up=start + days(35))
    assert pending_follow_up(late_plan, BOARD_DAY) == (Kind.FIRST_FOLLOW_UP, start + days(28))


def test_a_return_ignores_the_plan_left_from_the_earlier_course():
    old_start = BOARD_DAY - days(200)
    new_start = BOARD_DAY - days(3)
    c = course(1, new_start, follow_up_dates=[old_start + days(20)], next_follow_up=old_start + days(40))
    assert pending_follow_up(c, BOARD_DAY) == (Kind.FIRST_FOLLOW_UP, new_start + days(28))
    assert due_board([c], BOARD_DAY).follow_ups_overdue == []


def test_assessments_due_this_week_or_overdue():
    courses = [
        course(1, BOARD_DAY - days(69)),  # due today
        course(2, BOARD_DAY - days(65)),  # due Sunday
        course(3, BOARD_DAY - days(64)),  # due next Monday
        course(4, BOARD_DAY - days(75)),  # overdue
        course(5, BOARD_DAY - days(75), assessment_date=BOARD_DAY - days(10)),  # done
    ]
    board = due_board(courses, BOARD_DAY)
    assert ids(board.assessments_due) == [4, 1, 2]
    assert [item.overdue for item in board.assessments_due] == [True, False, False]
    assert board.assessments_due[1].week == 10


def test_courses_ending_within_14_days():
    courses = [
        course(1, BOARD_DAY - days(125)),  # latest end in 14 days
        course(2, BOARD_DAY - days(124)),  # in 15 days: not yet
        course(3, BOARD_DAY - days(139)),  # today is the last allowed day
        course(4, BOARD_DAY - days(145)),  # past week 20 and still open
        course(5, BOARD_DAY - days(130), end=BOARD_DAY - days(2)),  # closed
    ]
    board = due_board(courses, BOARD_DAY)
    assert ids(board.ending_soon) == [4, 3, 1]
    assert [item.overdue for item in board.ending_soon] == [True, False, False]
    assert board.ending_soon[0].week == 21


def test_a_course_starting_on_sunday_on_the_board():
    start = date(2027, 5, 9)  # Sunday; first follow-up due Sunday 6 June
    board = due_board([course(1, start)], BOARD_DAY)
    assert ids(board.follow_ups_later_this_week) == [1]
    assert board.follow_ups_later_this_week[0].due == date(2027, 6, 6)
    # seen on that Sunday, it is due today; on the Monday after, overdue
    assert ids(due_board([course(1, start)], date(2027, 6, 6)).follow_ups_today) == [1]
    assert ids(due_board([course(1, start)], date(2027, 6, 7)).follow_ups_overdue) == [1]


def test_the_board_accepts_any_iterable_and_an_empty_one():
    board = due_board(iter([]), BOARD_DAY)
    assert board.follow_ups_this_week == []
    assert board.ending_soon == []
