"""Time helpers: store UTC, show Copenhagen time."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")

MONTHS_DA = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
WEEKDAYS_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def utcnow() -> datetime:
    """Aware UTC now; the one clock the app reads (tests move it with time-machine)."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Databases hand back naive datetimes on SQLite; they are always UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local(value: datetime) -> datetime:
    return as_utc(value).astimezone(LOCAL_TZ)


def today_local() -> date:
    return utcnow().astimezone(LOCAL_TZ).date()


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value)
    return f"{value.day}. {MONTHS_DA[value.month - 1]} {value.year}"


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    value = local(value)
    return f"{format_date(value)} kl. {value:%H:%M}"


def format_time(value: datetime | None) -> str:
    return "" if value is None else f"{local(value):%H:%M}"


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants that start and end a Copenhagen calendar day."""
    start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
    return as_utc(start), as_utc(end)
