"""Min Plan's sections and their fields, and values: the one representation forms, drafts,
snapshots and merges compare.

Sections (also the URL part and PlanDraft.section): "start", "maal" (Mit mål), one
"opfoelgning-<id>" per follow-up, "ny-opfoelgning" (the form that adds one) and "fremtid"
(Min Fremtid)."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .models import (
    FOLLOW_UP_FIELDS,
    FUTURE_FIELDS,
    GOAL_ATTAINMENT,
    GOAL_FIELDS,
    LATER_FOLLOW_UP_FIELDS,
    START_FIELDS,
    PlanFollowUp,
)

# --- sections and fields ------------------------------------------------------------------------

START = "start"
GOAL = "maal"
FUTURE = "fremtid"
NEW_FOLLOW_UP = "ny-opfoelgning"
FOLLOW_UP_PREFIX = "opfoelgning-"

TEXT = "text"
DATE = "date"
ATTAINMENT = "attainment"

DATE_LABEL = "Dato"
NEXT_FOLLOW_UP_LABEL = "Næste opfølgning"
ATTAINMENT_LABEL = "I hvor høj grad er mit mål nået"
END_DATE_LABEL = "Afslutningsdato"

SECTION_TITLES = {START: "Start", GOAL: "Mit mål", NEW_FOLLOW_UP: "Ny opfølgning", FUTURE: "Min Fremtid"}
FOLLOW_UP_TITLE = "Opfølgning"

TEXT_MAX = 5000  # per field; a plan is short first-person text, not a journal
DRAFT_TEXT_MAX = 2 * TEXT_MAX  # drafts keep what was typed, even too much, up to a sane cap

MSG_FOLLOW_UP_DATE_MISSING = "Skriv datoen for opfølgningen."
MSG_ATTAINMENT = "Vælg et tal fra 1,0 til 4,0 (højst én decimal)."


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = TEXT


def _texts(labels: dict[str, str]) -> list[Field]:
    return [Field(name, label) for name, label in labels.items()]


START_SECTION = (*_texts(START_FIELDS),)
GOAL_SECTION = (
    Field("goal_date", DATE_LABEL, DATE),
    *_texts(GOAL_FIELDS),
    Field("next_follow_up", NEXT_FOLLOW_UP_LABEL, DATE),
)
FUTURE_SECTION = (
    Field("future_date", DATE_LABEL, DATE),
    Field("goal_attainment", ATTAINMENT_LABEL, ATTAINMENT),
    *_texts(FUTURE_FIELDS),
)
PLAN_COLUMNS = tuple(f.name for f in (*START_SECTION, *GOAL_SECTION, *FUTURE_SECTION) if f.name != "goal_attainment")
FOLLOW_UP_COLUMNS = (
    "follow_up_date",
    *FOLLOW_UP_FIELDS,
    *LATER_FOLLOW_UP_FIELDS,
    "next_follow_up",
)


def follow_up_section_fields(later: bool) -> tuple[Field, ...]:
    return (
        Field("follow_up_date", DATE_LABEL, DATE),
        *_texts(FOLLOW_UP_FIELDS),
        *(_texts(LATER_FOLLOW_UP_FIELDS) if later else ()),
        Field("next_follow_up", NEXT_FOLLOW_UP_LABEL, DATE),
    )


def follow_up_key(follow_up: PlanFollowUp) -> str:
    return f"{FOLLOW_UP_PREFIX}{follow_up.id}"


class PlanError(ValueError):
    """A rule of the plan was broken; str(error) is a Danish message, `field` the field it is about."""

    def __init__(self, message: str, field_name: str | None = None):
        super().__init__(message)
        self.field = field_name


# --- values: the one representation forms, drafts, snapshots and merges compare -----------------
# str for text (None when empty), ISO dates, goal attainment as "3.5".


def normalize_text(value: str | None) -> str | None:
    """Browsers send textarea line breaks as CRLF; surrounding blanks carry no meaning."""
    if value is None:
        return None
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value or None


def to_value(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | float | int):
        return f"{Decimal(str(value)):.1f}"
    return str(value)


def parse_attainment(text: str | None) -> Decimal | None:
    """Goal attainment (Min Fremtid): empty, or 1.0-4.0 with at most one decimal ("3,5" too)."""
    from ..citizens.services import CitizenError, parse_goal_attainment

    try:
        return parse_goal_attainment(text or "")
    except CitizenError:
        raise PlanError(MSG_ATTAINMENT, "goal_attainment") from None


ATTAINMENT_CHOICES = tuple(f"{Decimal(n) / 10:.1f}" for n in range(10, 41))


def attainment_label(value) -> str:
    """ "4,0 I høj grad" as on the paper form; the words of the nearest whole step (half up)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    words = GOAL_ATTAINMENT.get(int(number.quantize(Decimal("1"), rounding=ROUND_HALF_UP)), "")
    return f"{number:.1f}".replace(".", ",") + (f" {words}" if words else "")


def _from_value(kind: str, value: str | None):
    if value is None:
        return None
    if kind == DATE:
        return date.fromisoformat(value)
    if kind == ATTAINMENT:
        return Decimal(value)
    return value
