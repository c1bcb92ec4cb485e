"""FIT scoring rules (ORS, SRS, GSRS) – every threshold the product uses, in one place.

Pure functions on `Decimal` values: no database, no request. Scores are 0–10 per item with one
decimal, totals 0–40. A skipped form (any item missing) has NO total; it is never counted as 0.

Published sources for the default thresholds:

- ORS clinical cut-off 25 and reliable change index 5 points (adults): Miller, S. D., Duncan,
  B. L., Brown, J., Sparks, J. A. & Claud, D. A. (2003). "The Outcome Rating Scale: A preliminary
  study of the reliability, validity, and feasibility of a brief visual analog measure." Journal of
  Brief Therapy 2(2), 91–100; repeated in Miller & Duncan's ORS/SRS administration and scoring
  manuals. The manuals describe scores *below* 25 as typical of people seeking help; secondary
  sources disagree about a score of exactly 25, so the convention is written down here: 25.0 is
  on or over the cut-off ("over grænsen"), 24.9 is in the clinical range.
  The manuals give other cut-offs for children (32) and adolescents (28); set `ors_cutoff` for them.
- SRS total cut-off 36 and item cut-off 9 ("below 36", "any item below 9" invites a conversation
  about the session): Duncan, B. L., Miller, S. D., Sparks, J. A., Claud, D. A., Reynolds, L. R.,
  Brown, J. & Johnson, L. D. (2003). "The Session Rating Scale: Preliminary psychometric properties
  of a 'working' alliance measure." Journal of Brief Therapy 3(1), 3–12, and the SRS manual. The
  GSRS (Duncan & Miller, group version) is read with the same thresholds.
- A fall of 1 point or more in SRS/GSRS from one session to the next is treated as worth
  mentioning; this is the local practice rule the brief asks for, not a published norm.

Deliberately NOT implemented: expected-treatment-response ("trajectory") curves. They are
proprietary to the licensed FIT software and are not published as open formulas.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("10")
ONE_DECIMAL = Decimal("0.1")
SCORE_ERROR_MESSAGE = "Skriv et tal mellem 0 og 10 med højst én decimal."

# Digits only (no signs, exponents, NaN or non-ASCII digits); one optional decimal after . or ,
_SCORE_RE = re.compile(r"[0-9]{1,2}(?:[.,][0-9])?")

Number = Decimal | int | float | str


def _decimal(value: Number) -> Decimal:
    # str() first so a float like 7.1 becomes Decimal("7.1"), not 7.0999999...
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class Thresholds:
    """Named, configurable thresholds; defaults are the published adult values (see module doc).

    Any number type is accepted (`Thresholds(ors_cutoff=28)`) and stored as `Decimal`.
    """

    ors_cutoff: Decimal = Decimal("25")  # ORS total below this: clinical range (Miller et al. 2003)
    ors_reliable_change: Decimal = Decimal("5")  # ORS reliable change index (Miller et al. 2003)
    session_total_cutoff: Decimal = Decimal("36")  # SRS/GSRS total below this: talk (SRS manual)
    session_item_cutoff: Decimal = Decimal("9")  # any SRS/GSRS item below this: talk (SRS manual)
    session_drop: Decimal = Decimal("1")  # SRS/GSRS total fell this much since last time: talk (local rule)

    def __post_init__(self):
        for f in fields(self):
            object.__setattr__(self, f.name, _decimal(getattr(self, f.name)))


DEFAULT_THRESHOLDS = Thresholds()


class ScoreError(ValueError):
    """A typed score that cannot be used; `str(error)` is the Danish message for the form."""


def parse_score(text: str | None) -> Decimal:
    """'7', '7.5' or '7,5' -> Decimal('7.5'); always one decimal place ('7' -> Decimal('7.0'))."""
    cleaned = (text or "").strip()
    if not _SCORE_RE.fullmatch(cleaned):
        raise ScoreError(SCORE_ERROR_MESSAGE)
    value = Decimal(cleaned.replace(",", "."))
    if not SCORE_MIN <= value <= SCORE_MAX:
        raise ScoreError(SCORE_ERROR_MESSAGE)
    return value.quantize(ONE_DECIMAL)


def parse_optional_score(text: str | None) -> Decimal | None:
    """Like `parse_score`, but an empty field means the item was skipped (None, never 0)."""
    return None if not (text or "").strip() else parse_score(text)


def format_score(value: Number | None, empty: str = "–") -> str:
    """Danish display with one decimal: Decimal('23.5') -> '23,5'; None -> '–'."""
    if value is None:
        return empty
    return f"{_decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)}".replace(".", ",")


def total(item_scores: Mapping[str, Number | None] | Iterable[Number | None]) -> Decimal | None:
    """Sum of the item scores, or None when the form is skipped (no items, or any item missing)."""
    values = list(item_scores.values() if isinstance(item_scores, Mapping) else item_scores)
    if not values or any(value is None for value in values):
        return None
    return sum((_decimal(value) for value in values), Decimal("0")).quantize(ONE_DECIMAL)


def average(totals: Iterable[Number | None]) -> Decimal | None:
    """Mean of the scored totals (e.g. a group meeting's GSRS), skipped forms left out; one decimal."""
    scored = [_decimal(value) for value in totals if value is not None]
    if not scored:
        return None
    return (sum(scored, Decimal("0")) / len(scored)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


class ClinicalSide(StrEnum):
    CLINICAL = "clinical"
    NON_CLINICAL = "non_clinical"

    @property
    def label(self) -> str:
        return "I klinisk område" if self is ClinicalSide.CLINICAL else "Over grænsen"


def ors_clinical_side(ors_total: Number | None, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> ClinicalSide | None:
    """Below the cut-off (24.9) is the clinical range; exactly the cut-off (25.0) and above is not.
    None for a skipped form."""
    if ors_total is None:
        return None
    return ClinicalSide.CLINICAL if _decimal(ors_total) < thresholds.ors_cutoff else ClinicalSide.NON_CLINICAL


class ChangeStatus(StrEnum):
    TOO_FEW_SCORES = "too_few_scores"
    RELIABLY_IMPROVED = "reliably_improved"
    RELIABLY_DETERIORATED = "reliably_deteriorated"
    NO_RELIABLE_CHANGE = "no_reliable_change"


CHANGE_LABELS = {
    ChangeStatus.TOO_FEW_SCORES: "For få målinger til at vurdere ændring",
    ChangeStatus.RELIABLY_IMPROVED: "Pålidelig forbedring",
    ChangeStatus.RELIABLY_DETERIORATED: "Pålidelig forværring",
    ChangeStatus.NO_RELIABLE_CHANGE: "Ingen pålidelig ændring",
}
RECOVERED_LABEL = "Klinisk signifikant forbedring"


@dataclass(frozen=True)
class ChangeResult:
    status: ChangeStatus
    first: Decimal | None = None
    latest: Decimal | None = None
    difference: Decimal | None = None  # latest - first
    recovered: bool = False  # reliably improved AND crossed the cut-off from below
    scored_count: int = 0

    @property
    def label(self) -> str:
        return RECOVERED_LABEL if self.recovered else CHANGE_LABELS[self.status]


def ors_change(series: Iterable[Number | None], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> ChangeResult:
    """Compare the FIRST and the LATEST scored ORS totals of a chronological series (None = skipped).

    Reliable change is a difference of at least `ors_reliable_change` (5 points) either way;
    "recovered" (klinisk signifikant forbedring, Jacobson & Truax) additionally needs first < cut-off
    <= latest. Nothing is reported before two scored forms exist.
    """
    scored = [_decimal(value) for value in series if value is not None]
    if len(scored) < 2:
        return ChangeResult(ChangeStatus.TOO_FEW_SCORES, first=scored[0] if scored else None, scored_count=len(scored))
    first, latest = scored[0], scored[-1]
    difference = latest - first
    if difference >= thresholds.ors_reliable_change:
        status = ChangeStatus.RELIABLY_IMPROVED
    elif difference <= -thresholds.ors_reliable_change:
        status = ChangeStatus.RELIABLY_DETERIORATED
    else:
        status = ChangeStatus.NO_RELIABLE_CHANGE
    recovered = status is ChangeStatus.RELIABLY_IMPROVED and first < thresholds.ors_cutoff <= latest
    return ChangeResult(status, first, latest, difference, recovered, len(scored))


SESSION_SUGGESTION = "Tal gerne med borgeren om, hvad der kunne gøres anderledes næste gang."


@dataclass(frozen=True)
class SessionFeedback:
    """The gentle nudge after an SRS/GSRS: `talk` is True when there is something to ask about."""

    total: Decimal | None
    reasons: tuple[str, ...] = ()
    low_items: tuple[str, ...] = ()  # item keys below the item cut-off
    suggestion: str = ""
    dropped_by: Decimal | None = None  # how far the total fell since the previous session

    @property
    def talk(self) -> bool:
        return bool(self.reasons)


def session_feedback_prompt(
    current_items: Mapping[str, Number | None],
    previous_total: Number | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    *,
    labels: Mapping[str, str] | None = None,
) -> SessionFeedback:
    """Reasons to talk about the session: total below 36, any item below 9, or a fall of 1 point or
    more since the previous session. `labels` maps item keys to the names shown in the reasons.

    A skipped item is not a low item; a skipped form (no total) only triggers its low items.
    """
    labels = labels or {}
    current_total = total(current_items)
    reasons: list[str] = []
    if current_total is not None and current_total < thresholds.session_total_cutoff:
        reasons.append(
            f"Den samlede vurdering er {format_score(current_total)} "
            f"(under {format_score(thresholds.session_total_cutoff)})."
        )
    low_items = tuple(
        key
        for key, value in current_items.items()
        if value is not None and _decimal(value) < thresholds.session_item_cutoff
    )
    for key in low_items:
        reasons.append(
            f"»{labels.get(key, key)}« fik {format_score(current_items[key])} "
            f"(under {format_score(thresholds.session_item_cutoff)})."
        )
    dropped_by = None
    if current_total is not None and previous_total is not None:
        difference = _decimal(previous_total) - current_total
        if difference >= thresholds.session_drop:
            dropped_by = difference
            reasons.append(
                f"Vurderingen er faldet {format_score(difference)} point siden sidst "
                f"(fra {format_score(previous_total)} til {format_score(current_total)})."
            )
    return SessionFeedback(
        total=current_total,
        reasons=tuple(reasons),
        low_items=low_items,
        suggestion=SESSION_SUGGESTION if reasons else "",
        dropped_by=dropped_by,
    )
