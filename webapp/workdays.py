"""Danish working days: weekdays that are neither a public holiday (helligdag) nor a day the
municipal offices close anyway (grundlovsdag, juleaftensdag, nytårsaftensdag).

Public holidays come from the `holidays` package (pinned in pyproject.toml) rather than our own
Easter arithmetic: it is actively maintained, names the days in Danish, and already knows that
store bededag was abolished from 2024 (a holiday up to 2023, a working day from 2024) — the
tests pin that down so an upgrade that got it wrong would fail loudly. Its "optional" category
is not used because it also contains 1 May, which is not a day the offices close; the days
they do close are `EXTRA_CLOSED_DAYS`, replaceable per call (pass `{}` to switch them off).

Every function takes the extra closed days as a keyword argument so callers (and the Friday
meeting, outreach deadlines, ...) can follow a municipality's own calendar.
"""

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType

import holidays

# (month, day) -> Danish name. Not public holidays, but municipal offices usually close.
EXTRA_CLOSED_DAYS: Mapping[tuple[int, int], str] = MappingProxyType(
    {
        (6, 5): "Grundlovsdag",
        (12, 24): "Juleaftensdag",
        (12, 31): "Nytårsaftensdag",
    }
)

_ONE_DAY = timedelta(days=1)


@cache
def _public_holidays(year: int) -> Mapping[date, str]:
    """The Danish public holidays of one year, read once per year and never mutated."""
    calendar = holidays.country_holidays("DK", years=year, language="da")
    return MappingProxyType(dict(calendar.items()))


def holidays_in(year: int, *, extra_closed: Mapping[tuple[int, int], str] = EXTRA_CLOSED_DAYS) -> dict[date, str]:
    """Every closed day of `year` that has a name -> its Danish name, in date order.

    Includes the public holidays that fall on a weekend (påskedag and pinsedag always do) and the
    extra closed days; a public holiday's name wins if both fall on the same date.
    """
    days = {date(year, month, day): name for (month, day), name in extra_closed.items()}
    days.update(_public_holidays(year))
    return dict(sorted(days.items()))


def is_working_day(d: date, *, extra_closed: Mapping[tuple[int, int], str] = EXTRA_CLOSED_DAYS) -> bool:
    """Monday to Friday, and neither a public holiday nor an extra closed day."""
    return d.weekday() < 5 and d not in _public_holidays(d.year) and (d.month, d.day) not in extra_closed


def add_working_days(d: date, n: int, *, extra_closed: Mapping[tuple[int, int], str] = EXTRA_CLOSED_DAYS) -> date:
    """The n-th working day after `d` (before it when n is negative); `d` itself when n is 0.

    `d` need not be a working day: 1 working day after a Saturday is the next working Monday.
    """
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    remaining = abs(n)
    while remaining:
        d += step
        if is_working_day(d, extra_closed=extra_closed):
            remaining -= 1
    return d


def working_days_between(
    start: date, end: date, *, extra_closed: Mapping[tuple[int, int], str] = EXTRA_CLOSED_DAYS
) -> int:
    """How many working days lie after `start`, up to and including `end`.

    0 when end == start; negative (the same count, reversed) when end is before start, so that
    `working_days_between(d, add_working_days(d, n)) == n` for every n >= 0.
    """
    if end < start:
        return -working_days_between(end, start, extra_closed=extra_closed)
    count = 0
    d = start
    while d < end:
        d += _ONE_DAY
        if is_working_day(d, extra_closed=extra_closed):
            count += 1
    return count
