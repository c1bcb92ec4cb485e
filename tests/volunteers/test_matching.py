"""The pure rules of the volunteer bridge, answers worked out by hand."""

from datetime import date
from types import SimpleNamespace

import pytest

from webapp.volunteers import matching
from webapp.volunteers.matching import StepRefused, Wishes, check_step, next_states, shows_options, suits

T = date(2026, 12, 10)


@pytest.mark.parametrize("state, expected", [
    ("foreslaaet", ["kontakt_etableret", "faldet_fra"]),
    ("kontakt_etableret", ["opstartsmoede", "faldet_fra"]),
    ("opstartsmoede", ["i_gang", "faldet_fra"]),
    ("i_gang", ["afsluttet", "faldet_fra"]),
    ("afsluttet", []),
    ("faldet_fra", []),
])
def test_a_match_moves_to_the_next_state_or_falls_off(state, expected):
    assert next_states(state) == expected


@pytest.mark.parametrize("state, to", [
    ("foreslaaet", "opstartsmoede"),  # skipping a step
    ("i_gang", "kontakt_etableret"),  # going back
    ("kontakt_etableret", "kontakt_etableret"),  # the same again
    ("foreslaaet", "ukendt"),
])
def test_skipping_or_going_back_is_refused_in_danish(state, to):
    with pytest.raises(StepRefused) as refused:
        check_step(state, to, T, None, T)
    assert refused.value.field == "state" and "Næste skridt er" in str(refused.value)


@pytest.mark.parametrize("state", ["afsluttet", "faldet_fra"])
def test_a_closed_match_takes_no_more_steps(state):
    with pytest.raises(StepRefused, match="der kan ikke registreres flere skridt"):
        check_step(state, "faldet_fra", T, None, T)


def test_the_day_of_a_step():
    check_step("foreslaaet", "kontakt_etableret", T, T, T)  # the same day as the previous step: fine
    check_step("i_gang", "faldet_fra", date(2026, 12, 1), date(2026, 11, 30), T)
    with pytest.raises(StepRefused, match="fremtiden"):
        check_step("foreslaaet", "kontakt_etableret", date(2026, 12, 11), None, T)
    with pytest.raises(StepRefused, match=r"før det forrige skridt \(9. dec 2026\)"):
        check_step("foreslaaet", "kontakt_etableret", date(2026, 12, 8), date(2026, 12, 9), T)
    with pytest.raises(StepRefused) as refused:
        check_step("foreslaaet", "kontakt_etableret", None, None, T)
    assert refused.value.field == "day"


def _activity(theme="motion", weekdays="man,tor", places_free=2, open_to_all=False, active=True, org_active=True):
    return SimpleNamespace(theme=theme, weekdays=weekdays, places_free=places_free, open_to_all=open_to_all,
                           active=active, organisation=SimpleNamespace(active=org_active))


@pytest.mark.parametrize("activity, wishes, expected", [
    (_activity(), Wishes(frozenset({"motion"})), True),
    (_activity(), Wishes(frozenset({"madklub"})), False),  # another theme
    (_activity(active=False), Wishes(frozenset({"motion"})), False),  # paused
    (_activity(org_active=False), Wishes(frozenset({"motion"})), False),  # organisation no longer active
    (_activity(places_free=0), Wishes(frozenset({"motion"})), False),  # full
    (_activity(places_free=None), Wishes(frozenset({"motion"})), False),  # no places given, not open
    (_activity(places_free=0, open_to_all=True), Wishes(frozenset({"motion"})), True),  # open to all
    (_activity(), Wishes(frozenset({"motion"}), frozenset({"tor"})), True),  # Thursday is one of its days
    (_activity(), Wishes(frozenset({"motion"}), frozenset({"ons", "fre"})), False),  # none of its days
    (_activity(weekdays=""), Wishes(frozenset({"motion"}), frozenset({"fre"})), True),  # "efter aftale"
])
def test_which_activities_suit_the_wishes(activity, wishes, expected):
    assert suits(activity, wishes) is expected


def test_the_wishes_are_those_of_the_requests_not_closed():
    rows = [SimpleNamespace(status="aaben", themes="motion,xyz", weekdays="man"),
            SimpleNamespace(status="matchet", themes="madklub", weekdays=""),
            SimpleNamespace(status="lukket", themes="genbrug", weekdays="fre")]
    assert matching.wishes_of(rows) == Wishes(frozenset({"motion", "madklub"}), frozenset({"man"}))
    assert matching.wishes_of([]).empty


@pytest.mark.parametrize("start, today, shown", [
    (date(2026, 11, 19), T, True),  # day 21: the first day of week 4
    (date(2026, 11, 20), T, False),  # day 20: the last day of week 3
    (date(2026, 7, 1), T, True),  # week 24, still open
    (T, T, False),  # week 1
])
def test_the_options_show_from_week_4_of_an_open_course(start, today, shown):
    assert shows_options(start, None, today) is shown


def test_no_options_for_a_closed_course_or_none():
    assert not shows_options(date(2026, 7, 1), date(2026, 12, 1), T)
    assert not shows_options(None, None, T)


# --- Bilag 6's »Frivillige aktiviteter«, derived from the matches ---------------------------------

START, END, TODAY_B6 = date(2026, 3, 2), date(2026, 7, 10), date(2026, 11, 1)


@pytest.mark.parametrize(("started", "has_open", "end", "today", "expected"), [
    ([date(2026, 6, 1)], False, END, TODAY_B6, True),  # i gang during the course
    ([date(2026, 10, 8)], False, END, TODAY_B6, True),  # the 90th day after the end still counts
    ([date(2026, 10, 9)], False, END, TODAY_B6, False),  # the 91st does not
    ([date(2026, 3, 1)], False, END, TODAY_B6, False),  # before the course: another course's
    ([], False, END, TODAY_B6, False),  # closed, nothing underway
    ([], True, END, date(2026, 9, 1), None),  # closed, a match underway within the 90 days: not yet
    ([], True, END, date(2026, 10, 9), False),  # … and after them: no
    ([], False, None, date(2026, 5, 1), None),  # an open course: not decided yet
    ([date(2026, 4, 1)], False, None, date(2026, 5, 1), True),
])
def test_bilag6_volunteer_yes_no(started, has_open, end, today, expected):
    assert matching.bilag6_volunteer(started, has_open, START, end, today) is expected
