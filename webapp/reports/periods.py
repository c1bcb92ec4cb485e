"""The period a key-figures page covers: a preset or a custom from/til, checked in plain Danish."""

from dataclasses import dataclass
from datetime import date

from ..forms import date_window, date_window_message, in_date_window
from ..timeutil import format_date
from ..urls import parse_day

YEAR = "aar"
LAST_YEAR = "sidste-aar"
REPORT = "rapport"
CUSTOM = "valgt"
PRESETS = {YEAR: "I år", LAST_YEAR: "Sidste år", REPORT: "Rapportens periode", CUSTOM: "Valgt periode"}

# The evaluation report's period: 9 September 2016 to 3 December 2017 (week 48 2017).
REPORT_START = date(2016, 9, 9)
REPORT_END = date(2017, 12, 3)
MAX_YEARS = 50


class PeriodError(ValueError):
    """A period that cannot be used; the message is Danish and shown as it is."""


@dataclass(frozen=True)
class Period:
    code: str
    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{format_date(self.start)} – {format_date(self.end)}"

    @property
    def slug(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


def default(today: date) -> Period:
    return Period(YEAR, date(today.year, 1, 1), today)


def preset(code: str, today: date) -> Period:
    if code == YEAR:
        return default(today)
    if code == LAST_YEAR:
        return Period(LAST_YEAR, date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    if code == REPORT:
        return Period(REPORT, REPORT_START, REPORT_END)
    raise PeriodError("Ukendt periode – vælg i år, sidste år, rapportens periode eller en valgt periode.")


def _day(text: str, what: str) -> date:
    if not text.strip():
        raise PeriodError(f"Skriv en {what}dato, fx 2017-01-31.")
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        day = None
    if day is not None and not in_date_window(day):
        low, high = date_window()
        raise PeriodError(f"{what.capitalize()}datoen ligger uden for de datoer, systemet kan bruge. "
                          + date_window_message(low, high))
    day = parse_day(text)
    if day is None:
        raise PeriodError(f"{what.capitalize()}datoen kan ikke læses – skriv den som år-måned-dag, fx 2017-01-31.")
    return day


def custom(start_text: str, end_text: str) -> Period:
    start = _day(start_text, "fra")
    end = _day(end_text, "til")
    if end < start:
        raise PeriodError("Slutdatoen ligger før startdatoen – byt om på dem.")
    try:
        limit = start.replace(year=start.year + MAX_YEARS)
    except ValueError:  # 29 February
        limit = date(start.year + MAX_YEARS, 3, 1)
    if end > limit:
        raise PeriodError(f"Perioden må højst være {MAX_YEARS} år lang.")
    return Period(CUSTOM, start, end)


def from_args(args, today: date) -> Period:
    """The period asked for in the query (?periode=…&fra=…&til=…); PeriodError when it cannot be used."""
    code = (args.get("periode") or YEAR).strip()
    if code == CUSTOM:
        return custom(args.get("fra") or "", args.get("til") or "")
    return preset(code, today)
