"""The one id converter every route uses for database ids: `<db_id:name>`; dates and ids from
query values; `safe_next`, the one check on a "go back to" address."""

import re
from datetime import date
from urllib.parse import urlsplit

from werkzeug.routing import BaseConverter, IntegerConverter, ValidationError

# The largest id any supported database stores in an integer column (PostgreSQL int4). A longer
# number is a 404 at routing, never an overflow in the database.
MAX_DB_ID = 2_147_483_647


NO_ROW = 0  # what an id that cannot name a row becomes: every lookup finds nothing, the view says 404


class DbIdConverter(IntegerConverter):
    """Digits that name a row: non-digits and negatives do not match (404). Zero and numbers too
    large for an integer column become `NO_ROW`, which the view's lookup answers with 404, rather
    than failing the match: Werkzeug turns a failed match on a path that another method's rule
    shares into a 405."""

    regex = r"\d{1,30}"

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map)

    def to_python(self, value: str) -> int:
        number = int(value)
        return number if is_db_id(number) else NO_ROW


def is_db_id(value: object) -> bool:
    """True for an int that could be a row id (form fields and query values use the same bounds)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_DB_ID


def init_app(app) -> None:
    app.url_map.converters["db_id"] = DbIdConverter
    app.url_map.converters["day"] = DayConverter


def parse_id(text: object) -> int | None:
    """A row id from a form field or query value, or None: ASCII digits within the id range.
    (`str.isdigit` also accepts e.g. '²', which `int` refuses.)"""
    if isinstance(text, int) and not isinstance(text, bool):
        return text if is_db_id(text) else None
    text = (text or "").strip() if isinstance(text, str) else ""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_DB_ID)):
        return None
    value = int(text)
    return value if is_db_id(value) else None


def parse_small_int(text: object, default: int | None = None) -> int | None:
    """A non-negative count or page number from a query value (at most nine digits), or default."""
    text = (text or "").strip() if isinstance(text, str) else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else default


class DayConverter(BaseConverter):
    """`<day:name>`: an ISO date (YYYY-MM-DD) inside the date window (settings DATE_MIN/DATE_MAX);
    anything else, 9999-12-31 included, is a 404 at routing."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        from .forms import in_date_window

        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValidationError() from None
        if not in_date_window(day):
            raise ValidationError()
        return day

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)


def parse_day(text: object) -> date | None:
    """An ISO date from a query value inside the date window, or None."""
    from .forms import in_date_window

    try:
        day = date.fromisoformat((text or "").strip()) if isinstance(text, str) else None
    except ValueError:
        return None
    return day if day is not None and in_date_window(day) else None


# Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so "/<tab>/evil"
# and "/\\evil" leave the site as surely as "//evil" does.
_UNSAFE_IN_NEXT = re.compile(r"[\x00-\x1f\x7f\\]")
MAX_NEXT_LENGTH = 2000


def safe_next(value: object) -> str | None:
    """A local path to go back to after a form or a login (`/borgere/1?x=y`), or None for anything
    that could lead to another site or is not a path of ours."""
    if not isinstance(value, str) or len(value) > MAX_NEXT_LENGTH:
        return None
    if not value.startswith("/") or value.startswith("//") or _UNSAFE_IN_NEXT.search(value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value
