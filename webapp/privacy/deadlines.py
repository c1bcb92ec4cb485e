"""The one-month deadline of GDPR art. 12(3), counted in calendar months.

A request received on 31 January is due on the last day of February (28 or 29); one received on
15 March is due on 15 April. Pure functions, unit-tested in tests/privacy/test_requests.py."""

import calendar
from datetime import date


def add_months(day: date, months: int = 1) -> date:
    """The same day `months` calendar months later, or that month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deadline(received_on: date) -> date:
    """The last day to answer a request received on `received_on` (art. 12(3): one month)."""
    return add_months(received_on, 1)


def days_left(received_on: date, today: date) -> int:
    """Days from `today` to the deadline: 0 on the day itself, negative once overdue."""
    return (deadline(received_on) - today).days


def is_overdue(received_on: date, today: date) -> bool:
    return days_left(received_on, today) < 0
