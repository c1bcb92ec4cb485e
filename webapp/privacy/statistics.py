"""The pseudonymised statistics export for research and evaluation (#13 item 7): one row per course
in progress on at least one day of a period, with no name, CPR number, address, date of birth or
free text – only a keyed pseudonym, bands, months, codes and numbers – and small cells suppressed.

Rules (plain functions, unit-tested in tests/privacy/test_statistics.py):
- The pseudonym is HMAC-SHA256 over the citizen's internal id with the export key, cut to 12 hex
  characters: the same key gives the same pseudonym in every export (two courses of one citizen
  share it; a researcher who keeps the key can link a later export), another key gives unrelated
  ones, and without the key it cannot be turned back into the citizen. The key is never stored,
  logged or written to the file; only a short check value of it (`key_check`) is, so two files can
  be seen to come from the same key.
- Age band at the course's start from `Citizen.birth_date` (set from the CPR number when it is
  registered; the CPR column itself is never read here).
- Hours with the citizen by type, counted within the course's days AND the period's days, with the
  same rules as the documentation form (Bilag 6) and the key figures (outcomes.coaching): the rows'
  hours add up to the key figures' hours of the period for everything done inside a course.
- FIT: the first and the last filled (not skipped) ORS and SRS totals of the course, in points;
  the last only when there were at least two.
- Small-cell suppression (`suppress`): in each categorical column a value held by fewer than
  MIN_CELL rows is replaced by SUPPRESSED. Numbers (hours, FIT) are measurements, not traits
  someone outside knows about a person, and are kept. See `suppress` for the secondary rules.
- Citizens whose processing is restricted (GDPR art. 18: `restricted_at`) are left out, as
  restricted data may only be stored; erased citizens are kept (their rows are pseudonymised and
  this export reads only dates, codes and numbers)."""

import hashlib
import hmac
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ..citizens.models import Citizen, Course
from ..extensions import db
from ..outcomes.coaching import ACTIVITY_LABELS, course_window, hours_by_activity
from ..outcomes.models import FitScore
from ..reports.figures import course_overlaps
from ..reports.periods import Period

MIN_CELL = 5  # a categorical value held by fewer rows than this is suppressed
SUPPRESSED = "*"
PSEUDONYM_LENGTH = 12  # hex characters: 48 bits, no collision in practice for thousands of citizens
KEY_MIN_LENGTH = 16
KEY_MAX_LENGTH = 200
_PSEUDONYM_CONTEXT = b"din-indgang/statistik/borger/"
_CHECK_CONTEXT = b"din-indgang/statistik/kontrol"

AGE_BANDS = ((18, "under 18"), (25, "18–24"), (35, "25–34"), (45, "35–44"), (55, "45–54"), (65, "55–64"))
OLDEST_BAND = "65+"
YES, NO = "Ja", "Nej"


class ExportKeyError(ValueError):
    """An export key that cannot be used; the message is Danish."""


# --- the rules ---------------------------------------------------------------------------------------

def check_key(text: str | None) -> str:
    """The export key as it is used: surrounding spaces removed, otherwise exactly as typed."""
    key = (text or "").strip()
    if not key:
        raise ExportKeyError("Skriv en eksportnøgle på mindst 16 tegn – eller få en tilfældig nøgle.")
    if len(key) < KEY_MIN_LENGTH:
        raise ExportKeyError(f"Eksportnøglen skal være på mindst {KEY_MIN_LENGTH} tegn (den har {len(key)}).")
    if len(key) > KEY_MAX_LENGTH:
        raise ExportKeyError(f"Eksportnøglen må højst være på {KEY_MAX_LENGTH} tegn.")
    return key


def random_key() -> str:
    """A fresh key of 128 random bits, as eight groups of four hex digits (easy to copy and read aloud)."""
    digits = secrets.token_hex(16)
    return "-".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def pseudonym(key: str, citizen_id: int) -> str:
    """The citizen's keyed pseudonym: stable for one key, unrelated for another, not reversible without it."""
    digest = hmac.new(key.encode("utf-8"), _PSEUDONYM_CONTEXT + str(citizen_id).encode("ascii"), hashlib.sha256)
    return digest.hexdigest()[:PSEUDONYM_LENGTH]


def key_check(key: str) -> str:
    """A short check value of the key (not the key): equal in two files made with the same key."""
    return hmac.new(key.encode("utf-8"), _CHECK_CONTEXT, hashlib.sha256).hexdigest()[:8]


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_band(birth: date | None, day: date) -> str | None:
    """The age band on `day` (18–24 … 55–64, 65+; under 18); None without a birth date."""
    if birth is None:
        return None
    age = age_on(birth, day)
    for below, label in AGE_BANDS:
        if age < below:
            return label
    return OLDEST_BAND


def month(day: date | None) -> str | None:
    return None if day is None else f"{day.year:04d}-{day.month:02d}"


def points(tenths: int | None) -> Decimal | None:
    return None if tenths is None else Decimal(tenths) / 10


# --- the columns -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str  # the header in the file (plain ASCII, for statistics programs)
    title: str  # the Danish heading on the page and in »Om udtrækket«
    about: str  # what it holds, in plain Danish
    categorical: bool = False  # suppressed when a value is held by fewer than MIN_CELL rows
    per_citizen: bool = False  # the same trait in every row of the citizen (suppressed in all of them)


HOURS_COLUMNS = {code: f"timer_{code}" for code in ACTIVITY_LABELS}
FIT_COLUMNS = ("ors_start", "ors_slut", "srs_start", "srs_slut")

COLUMNS: tuple[Column, ...] = (
    Column("pseudonym", "Pseudonym",
           "Borgerens pseudonym: 12 tegn beregnet med eksportnøglen (HMAC-SHA256). Samme borger har samme "
           "pseudonym i alle sine forløb og i senere udtræk med samme nøgle; uden nøglen kan det ikke føres "
           "tilbage til borgeren."),
    Column("genindskrivning", "Genindskrivning",
           "Ja, når forløbet er et nyt forløb for en borger, der før har haft et afsluttet forløb.", categorical=True),
    Column("aldersgruppe", "Aldersgruppe",
           "Borgerens alder ved forløbets start i grupper (under 18, 18–24, 25–34, 35–44, 45–54, 55–64, 65+); "
           "tom når fødselsdatoen ikke er registreret.", categorical=True, per_citizen=True),
    Column("startmaaned", "Startmåned", "Måneden forløbet startede (år-måned).", categorical=True),
    Column("slutmaaned", "Slutmåned", "Måneden forløbet sluttede (år-måned); tom mens forløbet er i gang.",
           categorical=True),
    Column("stopkode", "Stopkode",
           "Årsagskoden fra dokumentationsskemaet: P Pause, ILB Ikke længere behov, EE Efter eget ønske, HFT Har "
           "fået tilbud, UB Udeblevet, FFK Fraflyttet kommunen, anden (uden fritekst); tom mens forløbet er i gang.",
           categorical=True),
    Column("maalopfyldelse", "Målopfyldelse",
           "Hvor langt borgerens mål er nået ved afslutningen (Min Fremtid), 1–4 (4 = i høj grad); tom når det "
           "ikke er angivet.", categorical=True),
    Column("handicapkategori", "Handicapkategori",
           "Handicapkategorien fra dokumentationsskemaet (Bilag 6); tom når den ikke er angivet.",
           categorical=True, per_citizen=True),
    *(Column(HOURS_COLUMNS[code], f"Timer: {label}",
             f"Timer med borgeren ({label.lower()}) i forløbets dage inden for perioden, to decimaler – talt som "
             "nøgletallene og dokumentationsskemaet gør.") for code, label in ACTIVITY_LABELS.items()),
    Column("timer_i_alt", "Timer i alt", "Summen af timerne ovenfor."),
    Column("ors_start", "ORS ved start", "Første udfyldte ORS-score (0–40 point) i forløbet."),
    Column("ors_slut", "ORS ved slut", "Sidste udfyldte ORS-score i forløbet; tom når der kun er én."),
    Column("srs_start", "SRS ved start", "Første udfyldte SRS-score (0–40 point) i forløbet."),
    Column("srs_slut", "SRS ved slut", "Sidste udfyldte SRS-score i forløbet; tom når der kun er én."),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)


# --- suppression -------------------------------------------------------------------------------------

@dataclass
class Suppression:
    cells: int = 0
    by_column: dict[str, int] = field(default_factory=dict)


def _blank(value) -> bool:
    return value is None or value == ""


def suppress(rows: list[dict], columns=COLUMNS, *, threshold: int = MIN_CELL) -> Suppression:
    """Replace small cells by SUPPRESSED in place; return how many cells were hidden, per column.

    For each categorical column (blank cells are never counted or hidden):
    1. primary: every cell whose value is held by fewer than `threshold` rows;
    2. per citizen: for a trait of the citizen (age band, disability category), a hidden cell hides
       that column in all the citizen's rows, so another course of the same pseudonym cannot show it;
    3. secondary: when the hidden cells hold a single value and the column shows others, the least
       frequent shown value is hidden too – otherwise the hidden value could be named by elimination
       (a Ja/Nej column, or next to the published key figures).
    Steps 2 and 3 repeat until nothing more is hidden."""
    result = Suppression()
    owners = [row.get("pseudonym") for row in rows]
    for column in columns:
        if not column.categorical:
            continue
        values = [row.get(column.key) for row in rows]
        counts = Counter(v for v in values if not _blank(v))
        hidden = {i for i, v in enumerate(values) if not _blank(v) and counts[v] < threshold}
        while True:
            before = len(hidden)
            if column.per_citizen and hidden:
                people = {owners[i] for i in hidden}
                hidden |= {i for i, v in enumerate(values) if owners[i] in people and not _blank(v)}
            hidden_values = {values[i] for i in hidden}
            shown = Counter(v for i, v in enumerate(values) if i not in hidden and not _blank(v))
            if len(hidden_values) == 1 and shown:
                least = min(shown.items(), key=lambda item: (item[1], str(item[0])))[0]
                hidden |= {i for i, v in enumerate(values) if v == least}
            if len(hidden) == before:
                break
        for i in hidden:
            rows[i][column.key] = SUPPRESSED
        if hidden:
            result.by_column[column.key] = len(hidden)
            result.cells += len(hidden)
    return result


# --- gathering ---------------------------------------------------------------------------------------

@dataclass
class Export:
    period: Period
    rows: list[dict]  # COLUMN_KEYS → value (str, Decimal or None), suppressed cells SUPPRESSED
    citizen_ids: list[int]  # whom the rows are about: for the audit log only, never in the file
    suppression: Suppression
    key_check: str
    left_out_restricted: int = 0  # courses of citizens whose processing is restricted (art. 18)

    @property
    def citizens(self) -> int:
        return len(self.citizen_ids)


def _fit(course_ids: list[int]) -> dict[tuple[int, str], list[int]]:
    """(course id, scale) → the filled totals in tenths, in session order."""
    found: dict[tuple[int, str], list[int]] = {}
    for start in range(0, len(course_ids), 500):
        chunk = course_ids[start:start + 500]
        for course_id, scale, total in db.session.execute(
            select(FitScore.course_id, FitScore.scale, FitScore.total_tenths)
            .where(FitScore.course_id.in_(chunk), FitScore.scale.in_(("ORS", "SRS")),
                   FitScore.skipped.is_(False), FitScore.total_tenths.is_not(None))
            .order_by(FitScore.course_id, FitScore.session_at, FitScore.id)
        ):
            found.setdefault((course_id, scale), []).append(total)
    return found


def _goal(value) -> str | None:
    if value is None:
        return None
    number = Decimal(str(value)).quantize(Decimal("0.1"))
    return (str(int(number)) if number == number.to_integral_value() else str(number)).replace(".", ",")


def course_rows(period: Period, key: str, today: date, *, threshold: int = MIN_CELL) -> Export:
    """The export of the period with this key: rows sorted by pseudonym (so their order tells nothing
    about a hidden month), then by the course's start; small cells suppressed."""
    found = db.session.execute(
        select(Course.id, Course.citizen_id, Course.start_date, Course.end_date, Course.is_return,
               Course.stop_reason, Course.goal_attainment, Citizen.birth_date, Citizen.disability_category,
               Citizen.restricted_at)
        .join(Citizen, Citizen.id == Course.citizen_id)
        .where(course_overlaps(period.start, period.end))
        .order_by(Course.start_date, Course.id)
    ).all()
    restricted = [c for c in found if c.restricted_at is not None]
    courses = [c for c in found if c.restricted_at is None]
    fit = _fit([c.id for c in courses])
    rows: list[tuple[tuple, dict]] = []
    for c in courses:
        first, last = course_window(c, today)  # the course's days (to today while open) …
        window = (max(first, period.start), min(last, period.end))  # … inside the period
        hours = (hours_by_activity(c.citizen_id, window).with_citizen if window[0] <= window[1]
                 else dict.fromkeys(ACTIVITY_LABELS, Decimal("0.00")))
        row = {
            "pseudonym": pseudonym(key, c.citizen_id),
            "genindskrivning": YES if c.is_return else NO,
            "aldersgruppe": age_band(c.birth_date, c.start_date),
            "startmaaned": month(c.start_date),
            "slutmaaned": month(c.end_date),
            "stopkode": c.stop_reason or None,
            "maalopfyldelse": _goal(c.goal_attainment),
            "handicapkategori": c.disability_category or None,
            **{HOURS_COLUMNS[code]: hours[code] for code in ACTIVITY_LABELS},
            "timer_i_alt": sum(hours.values(), Decimal("0.00")),
        }
        for scale in ("ORS", "SRS"):
            totals = fit.get((c.id, scale), [])
            row[f"{scale.lower()}_start"] = points(totals[0]) if totals else None
            row[f"{scale.lower()}_slut"] = points(totals[-1]) if len(totals) >= 2 else None
        rows.append(((row["pseudonym"], c.start_date, c.id), row))
    ordered = [row for _order, row in sorted(rows, key=lambda pair: pair[0])]
    suppression = suppress(ordered, threshold=threshold)
    citizen_ids = list(dict.fromkeys(c.citizen_id for c in courses))
    return Export(period, ordered, citizen_ids, suppression, key_check(key), len(restricted))
