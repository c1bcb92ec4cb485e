from datetime import date

import pytest

from webapp.workdays import (
    EXTRA_CLOSED_DAYS,
    add_working_days,
    holidays_in,
    is_working_day,
    working_days_between,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # an ordinary week
        ("2026-11-23", True),  # Monday
        ("2026-11-27", True),  # Friday
        ("2026-11-28", False),  # Saturday
        ("2026-11-29", False),  # Sunday
        # Easter 2026
        ("2026-04-01", True),  # Wednesday before
        ("2026-04-02", False),  # skærtorsdag
        ("2026-04-03", False),  # langfredag
        ("2026-04-06", False),  # 2. påskedag
        ("2026-04-07", True),
        # Easter 2027
        ("2027-03-24", True),
        ("2027-03-25", False),  # skærtorsdag
        ("2027-03-26", False),  # langfredag
        ("2027-03-29", False),  # 2. påskedag
        ("2027-03-30", True),
        # Kristi himmelfart and pinse
        ("2026-05-14", False),  # Kristi himmelfartsdag
        ("2026-05-15", True),  # the Friday after is an ordinary working day
        ("2027-05-06", False),
        ("2026-05-25", False),  # 2. pinsedag
        # store bededag: 4th Friday after Easter up to 2023, abolished from 2024
        ("2023-05-05", False),
        ("2022-05-13", False),
        ("2024-04-26", True),
        ("2026-05-01", True),  # would-be store bededag 2026, also 1 May: a working day
        # Christmas 2026 and new year
        ("2026-12-23", True),
        ("2026-12-24", False),  # juleaftensdag (extra closed day)
        ("2026-12-25", False),  # juledag
        ("2026-12-28", True),
        ("2026-12-31", False),  # nytårsaftensdag (extra closed day)
        ("2027-01-01", False),  # nytårsdag
        ("2027-01-04", True),
        ("2026-06-05", False),  # grundlovsdag (extra closed day)
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(D(day)) is expected


@pytest.mark.parametrize("day", ["2026-06-05", "2026-12-24", "2026-12-31"])
def test_extra_closed_days_can_be_switched_off(day):
    assert is_working_day(D(day), extra_closed={}) is True


def test_extra_closed_days_can_be_replaced():
    may_day = {(5, 1): "Arbejdernes kampdag"}
    assert is_working_day(D("2026-05-01"), extra_closed=may_day) is False
    assert is_working_day(D("2026-12-24"), extra_closed=may_day) is True


def test_holidays_in_2026_names_every_closed_day_in_danish():
    assert holidays_in(2026) == {
        D("2026-01-01"): "Nytårsdag",
        D("2026-04-02"): "Skærtorsdag",
        D("2026-04-03"): "Langfredag",
        D("2026-04-05"): "Påskedag",
        D("2026-04-06"): "Anden påskedag",
        D("2026-05-14"): "Kristi himmelfartsdag",
        D("2026-05-24"): "Pinsedag",
        D("2026-05-25"): "Anden pinsedag",
        D("2026-06-05"): "Grundlovsdag",
        D("2026-12-24"): "Juleaftensdag",
        D("2026-12-25"): "Juledag",
        D("2026-12-26"): "Anden juledag",
        D("2026-12-31"): "Nytårsaftensdag",
    }
    assert list(holidays_in(2026)) == sorted(holidays_in(2026))


@pytest.mark.parametrize(
    ("year", "easter"), [(2023, "2023-04-09"), (2024, "2024-03-31"), (2026, "2026-04-05"), (2027, "2027-03-28")]
)
def test_easter_sunday(year, easter):
    assert holidays_in(year)[D(easter)] == "Påskedag"


def test_store_bededag_is_a_holiday_in_2023_and_gone_from_2024():
    assert holidays_in(2023)[D("2023-05-05")] == "Store bededag"
    for year in (2024, 2025, 2026, 2027):
        assert "Store bededag" not in holidays_in(year).values()


def test_holidays_in_without_extra_closed_days():
    assert len(holidays_in(2026, extra_closed={})) == 10
    assert D("2026-12-24") not in holidays_in(2026, extra_closed={})


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-11-23", 0, "2026-11-23"),
        ("2026-11-28", 0, "2026-11-28"),  # 0 leaves a weekend day alone
        ("2026-11-23", 1, "2026-11-24"),
        ("2026-11-27", 1, "2026-11-30"),  # Friday -> Monday
        ("2026-11-28", 1, "2026-11-30"),  # Saturday -> Monday
        ("2026-11-23", 5, "2026-11-30"),
        ("2026-11-23", 6, "2026-12-01"),
        ("2026-04-01", 1, "2026-04-07"),  # over Easter 2026
        ("2027-03-24", 1, "2027-03-30"),  # over Easter 2027
        ("2026-05-13", 1, "2026-05-15"),  # over Kristi himmelfart
        ("2026-12-23", 1, "2026-12-28"),  # over Christmas 2026
        ("2026-12-30", 1, "2027-01-04"),  # over the new year
        ("2026-11-30", -1, "2026-11-27"),
        ("2026-12-28", -1, "2026-12-23"),
        ("2026-04-07", -2, "2026-03-31"),
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(D(start), n) == D(expected)


def test_add_working_days_without_extra_closed_days():
    assert add_working_days(D("2026-12-23"), 1, extra_closed={}) == D("2026-12-24")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-11-23", "2026-11-23", 0),
        ("2026-11-23", "2026-11-24", 1),
        ("2026-11-23", "2026-11-30", 5),  # Tue-Fri + Monday
        ("2026-11-27", "2026-11-29", 0),  # Friday to Sunday
        ("2026-11-28", "2026-11-30", 1),  # from a Saturday
        ("2026-03-31", "2026-04-07", 2),  # 1 Apr and 7 Apr; Easter in between
        ("2026-12-21", "2027-01-04", 6),  # 22, 23, 28, 29, 30 Dec and 4 Jan
        ("2026-11-30", "2026-11-23", -5),
        ("2026-01-01", "2026-12-31", 251),  # 365 - 104 weekend days - 10 closed weekdays
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(D(start), D(end)) == expected


@pytest.mark.parametrize("start", ["2026-03-27", "2026-05-13", "2026-12-18", "2026-12-26", "2027-03-20"])
@pytest.mark.parametrize("n", [0, 1, 3, 5, 6, 10, 25])
def test_add_and_between_agree(start, n):
    assert working_days_between(D(start), add_working_days(D(start), n)) == n


def test_default_extra_closed_days_cannot_be_changed_by_accident():
    with pytest.raises(TypeError):
        EXTRA_CLOSED_DAYS[(5, 1)] = "Arbejdernes kampdag"
