"""The economics of the shadow assessment (report §5.1): for the courses closed in a period, what
the citizens would have cost the municipality a year without Din Indgang, what those who received
an ordinary offer after the course actually cost, the estimated gain, and the investment (hours
with citizens × an hourly cost). Summed in the database; no citizen is named.

The report's own example: 106 of 186 closed courses would have received offers at 4.104.000 kr. a
year; 26 actually did, at 1.936.000 kr.; the estimated yearly gain is 2.168.000 kr.; the investment
was 3.350 hours with citizens ≈ 1.045.000 kr.

Definitions (both sides over the courses closed in the period, as the report counts them):
- »would have received an ordinary offer«: the shadow assessment is saved and has a line with an
  enrolment above 0 %, or an override above 0 kr. Its yearly cost is the override when one is set,
  else Σ tariff × enrolment % (floored per line, as ShadowLine.yearly_cost).
- »actually received one«: what the citizen received after the course is saved and has a line with
  an enrolment above 0 %; its yearly cost is Σ tariff × enrolment %.
A line keeps its own copy of the offer's name, section and tariff, so an offer removed from or
repriced in the catalogue afterwards changes none of these sums."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, and_, case, cast, distinct, func, or_, select

from ..citizens.models import Course
from ..extensions import db
from .models import AFTER, WITHOUT, CourseDocumentation, ShadowLine

# The report's investment: 1.045.000 kr. for 3.350 hours with citizens, ≈ 312 kr. an hour. The
# page's default comes from the setting HOURLY_COST (webapp/config.py), which defaults to this.
DEFAULT_HOURLY_COST = 312
DEFAULT_EFFECT_YEARS = Decimal(1)
HOURLY_COST_MIN = 1
HOURLY_COST_MAX = 100_000
EFFECT_YEARS_MIN = Decimal("0.5")
EFFECT_YEARS_MAX = Decimal(10)

CAVEATS = (
    "Skyggevisitationen er medarbejdernes eget skøn over, hvad borgeren ville have fået uden Din Indgang.",
    "Det antages, at effekten holder i det antal år, der er valgt nedenfor (rapporten regner med ét år).",
    "Tallene er et skøn, ikke en målt effekt: der er ingen kontrolgruppe.",
)


def caveats(effect_years: Decimal) -> tuple[str, ...]:
    """The caveats with the chosen effect duration written in."""
    years = "ét år" if effect_years == 1 else f"{decimal_da(effect_years)} år"
    return (
        CAVEATS[0],
        f"Det antages, at effekten holder {years} uden ændringer (rapporten regner med ét år).",
        CAVEATS[2],
    )


@dataclass(frozen=True)
class Economics:
    closed: int  # courses closed in the period
    assessed: int  # of those, with a shadow assessment
    would_have: int  # of those, who would have received an ordinary offer
    would_have_cost: int  # kr. a year
    received: int  # who actually received an offer after the course
    received_cost: int  # kr. a year
    hours_with_citizens: Decimal
    hourly_cost: int
    effect_years: Decimal

    @property
    def missing(self) -> int:
        return self.closed - self.assessed

    @property
    def yearly_gain(self) -> int:
        return self.would_have_cost - self.received_cost

    @property
    def gain(self) -> int:
        """The gain over the assumed effect duration, whole kroner."""
        return int((self.yearly_gain * self.effect_years).quantize(Decimal(1), ROUND_HALF_UP))

    @property
    def investment(self) -> int:
        return int((self.hours_with_citizens * self.hourly_cost).quantize(Decimal(1), ROUND_HALF_UP))

    @property
    def net(self) -> int:
        return self.gain - self.investment

    # The calculations written out the way the report does: »4.104.000 − 1.936.000 = 2.168.000 kr.«

    @property
    def yearly_gain_sum(self) -> str:
        return f"{kroner(self.would_have_cost)} − {kroner(self.received_cost)} = {kroner(self.yearly_gain)} kr."

    @property
    def gain_sum(self) -> str:
        return f"{kroner(self.yearly_gain)} kr. × {decimal_da(self.effect_years)} år = {kroner(self.gain)} kr."

    @property
    def investment_sum(self) -> str:
        return (f"{decimal_da(self.hours_with_citizens)} timer × {kroner(self.hourly_cost)} kr. "
                f"= {kroner(self.investment)} kr.")

    @property
    def net_sum(self) -> str:
        return f"{kroner(self.gain)} − {kroner(self.investment)} = {kroner(self.net)} kr."


@dataclass(frozen=True)
class OfferCost:
    """One row of the breakdown: an offer as the lines copied it, how many courses, their yearly cost."""

    name: str
    law_section: str
    courses: int
    cost: int  # kr. a year


# Per line: tariff × % / 100, floored, in 64-bit arithmetic (100.000.000 kr. × 100 overflows a
# 32-bit integer on PostgreSQL).
_LINE_COST = cast(ShadowLine.yearly_tariff, BigInteger) * ShadowLine.percent / 100


def _side(scenario: str):
    """Per documentation: how many lines with an enrolment above 0 %, and the side's yearly cost."""
    return (
        select(ShadowLine.documentation_id.label("doc_id"),
               func.count(case((ShadowLine.percent > 0, ShadowLine.id))).label("offers"),
               func.sum(_LINE_COST).label("cost"))
        .where(ShadowLine.scenario == scenario)
        .group_by(ShadowLine.documentation_id)
        .subquery()
    )


def _closed_in(start: date, end: date):
    return and_(Course.end_date >= start, Course.end_date <= end)


def course_counts(start: date, end: date) -> tuple[int, int, int, int, int, int]:
    """(closed, assessed, would_have, would_have_cost, received, received_cost) for courses with an
    end date in [start, end] (see the module's definitions)."""
    without, after = _side(WITHOUT), _side(AFTER)
    without_cost = func.coalesce(CourseDocumentation.tariff_override, without.c.cost, 0)
    assessed = CourseDocumentation.shadow_assessed_on.is_not(None)
    would = and_(assessed, or_(func.coalesce(without.c.offers, 0) > 0,
                               func.coalesce(CourseDocumentation.tariff_override, 0) > 0))
    got = and_(CourseDocumentation.after_recorded_on.is_not(None), func.coalesce(after.c.offers, 0) > 0)
    row = db.session.execute(
        select(
            func.count(Course.id),
            func.count(case((assessed, Course.id))),
            func.count(case((would, Course.id))),
            func.sum(case((would, without_cost), else_=0)),
            func.count(case((got, Course.id))),
            func.sum(case((got, after.c.cost), else_=0)),
        )
        .select_from(Course)
        .outerjoin(CourseDocumentation, CourseDocumentation.course_id == Course.id)
        .outerjoin(without, without.c.doc_id == CourseDocumentation.id)
        .outerjoin(after, after.c.doc_id == CourseDocumentation.id)
        .where(_closed_in(start, end))
    ).one()
    return tuple(int(value or 0) for value in row)


def economics(start: date, end: date, *, hours_with_citizens: Decimal, hourly_cost: int = DEFAULT_HOURLY_COST,
              effect_years: Decimal = DEFAULT_EFFECT_YEARS) -> Economics:
    closed, assessed, would_have, would_cost, received, received_cost = course_counts(start, end)
    return Economics(closed, assessed, would_have, would_cost, received, received_cost,
                     Decimal(hours_with_citizens), hourly_cost, Decimal(effect_years))


def offer_breakdown(start: date, end: date, scenario: str) -> list[OfferCost]:
    """Yearly cost per offer on one side, for the courses closed in [start, end]: grouped by the
    lines' own copy of the offer's name and section (a removed or renamed offer stays readable),
    lines with an enrolment above 0 % only, dearest first. The rows add up to the side's total,
    except for the without-side's overrides (see `override_adjustment`)."""
    saved = (CourseDocumentation.shadow_assessed_on if scenario == WITHOUT
             else CourseDocumentation.after_recorded_on)
    cost = func.sum(_LINE_COST)
    rows = db.session.execute(
        select(ShadowLine.offer_name, ShadowLine.law_section,
               func.count(distinct(ShadowLine.documentation_id)), cost)
        .join(CourseDocumentation, CourseDocumentation.id == ShadowLine.documentation_id)
        .join(Course, Course.id == CourseDocumentation.course_id)
        .where(ShadowLine.scenario == scenario, ShadowLine.percent > 0, saved.is_not(None), _closed_in(start, end))
        .group_by(ShadowLine.offer_name, ShadowLine.law_section)
        .order_by(cost.desc(), ShadowLine.offer_name, ShadowLine.law_section)
    ).all()
    return [OfferCost(name, section or "", int(courses), int(total or 0)) for name, section, courses, total in rows]


def override_adjustment(start: date, end: date) -> tuple[int, int]:
    """(courses, kr.) by which overridden tariffs change the without-side's computed cost: the
    breakdown's rows plus this amount are the without-side's total."""
    without = _side(WITHOUT)
    would = or_(func.coalesce(without.c.offers, 0) > 0, CourseDocumentation.tariff_override > 0)
    courses, amount = db.session.execute(
        select(func.count(CourseDocumentation.id),
               func.sum(CourseDocumentation.tariff_override - func.coalesce(without.c.cost, 0)))
        .join(Course, Course.id == CourseDocumentation.course_id)
        .outerjoin(without, without.c.doc_id == CourseDocumentation.id)
        .where(CourseDocumentation.shadow_assessed_on.is_not(None),
               CourseDocumentation.tariff_override.is_not(None), would, _closed_in(start, end))
    ).one()
    return int(courses or 0), int(amount or 0)


# --- the page's assumptions, typed in Danish ------------------------------------------------------


class AssumptionError(ValueError):
    """An assumption that cannot be used; the message is Danish and shown at the field."""


def parse_effect_years(text: str | None) -> Decimal:
    """»1«, »1,5« or »0.5« years, 0,5–10 with at most two decimals; empty means the default."""
    text = (text or "").strip()
    if not text:
        return DEFAULT_EFFECT_YEARS
    message = "Skriv antal år som et tal fra 0,5 til 10, fx 1 eller 1,5."
    if not re.fullmatch(r"\d{1,2}(?:[.,]\d{1,2})?", text, re.ASCII):
        raise AssumptionError(message)
    years = Decimal(text.replace(",", "."))
    if not EFFECT_YEARS_MIN <= years <= EFFECT_YEARS_MAX:
        raise AssumptionError(message)
    return Decimal(int(years)) if years == years.to_integral_value() else years.normalize()


def parse_hourly_cost(text: str | None, default: int) -> int:
    """Whole kroner, 1–100.000, with or without Danish thousands dots (»1.250«); empty means the default."""
    text = re.sub(r"\s+", "", text or "")
    if not text:
        return default
    message = f"Skriv timeprisen i hele kroner fra {HOURLY_COST_MIN} til {kroner(HOURLY_COST_MAX)}, fx 312."
    if not re.fullmatch(r"\d{1,6}|\d{1,3}(?:\.\d{3})+", text, re.ASCII):
        raise AssumptionError(message)
    value = int(text.replace(".", ""))
    if not HOURLY_COST_MIN <= value <= HOURLY_COST_MAX:
        raise AssumptionError(message)
    return value


# --- Danish numbers -------------------------------------------------------------------------------


def kroner(value: int) -> str:
    """Danish thousands separator: 2168000 -> »2.168.000«."""
    sign = "−" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def decimal_da(value) -> str:
    """Thousands dots and a decimal comma, no trailing zeros: 3350 -> »3.350«, 3350.5 -> »3.350,5«."""
    value = Decimal(str(value))
    whole = int(value)
    text = kroner(whole) if whole or value >= 0 else "−0"
    fraction = format(abs(value - whole).normalize(), "f")
    return text + ("," + fraction[2:] if fraction not in ("0", "0.0") and "." in fraction else "")
