"""The economics of the shadow assessment (report §5.1): for the courses closed in a period, what
the citizens would have cost the municipality a year without Din Indgang, what those who received
an ordinary offer after the course actually cost, the estimated gain, and the investment (hours
with citizens × an hourly cost). Summed in the database; no citizen is named.

The report's own example: 106 of 186 closed courses would have received offers at 4.104.000 kr. a
year; 26 actually did, at 1.936.000 kr.; the estimated yearly gain is 2.168.000 kr.; the investment
was 3.350 hours with citizens ≈ 1.045.000 kr."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, and_, case, cast, func, select

from ..citizens.models import Course
from ..extensions import db
from .models import AFTER, WITHOUT, CourseDocumentation, ShadowLine

# The report's investment: 1.045.000 kr. for 3.350 hours with citizens, ≈ 312 kr. an hour.
DEFAULT_HOURLY_COST = 312
DEFAULT_EFFECT_YEARS = Decimal(1)
HOURLY_COST_MAX = 100_000
EFFECT_YEARS_MAX = Decimal(10)

CAVEATS = (
    "Skyggevisitationen er medarbejdernes eget skøn over, hvad borgeren ville have fået uden Din Indgang.",
    "Det antages, at effekten holder i det antal år, der er valgt nedenfor (rapporten regner med ét år).",
    "Tallene er et skøn, ikke en målt effekt: der er ingen kontrolgruppe.",
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


def _side_cost(scenario: str):
    """Per documentation: the number of lines and their yearly cost on one side (tariff × % / 100,
    floored per line, in 64-bit arithmetic: 100.000.000 kr. × 100 overflows a 32-bit integer)."""
    cost = cast(ShadowLine.yearly_tariff, BigInteger) * ShadowLine.percent / 100
    return (
        select(ShadowLine.documentation_id.label("doc_id"), func.count().label("lines"),
               func.sum(cost).label("cost"))
        .where(ShadowLine.scenario == scenario)
        .group_by(ShadowLine.documentation_id)
        .subquery()
    )


def course_counts(start: date, end: date) -> tuple[int, int, int, int, int, int]:
    """(closed, assessed, would_have, would_have_cost, received, received_cost) for courses with an
    end date in [start, end]. The without-side's cost is the override when one is set."""
    without, after = _side_cost(WITHOUT), _side_cost(AFTER)
    without_cost = func.coalesce(CourseDocumentation.tariff_override, without.c.cost, 0)
    assessed = CourseDocumentation.shadow_assessed_on.is_not(None)
    would = and_(assessed, without_cost > 0)
    got = and_(CourseDocumentation.after_recorded_on.is_not(None), func.coalesce(after.c.cost, 0) > 0)
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
        .where(Course.end_date >= start, Course.end_date <= end)
    ).one()
    return tuple(int(value or 0) for value in row)


def economics(start: date, end: date, *, hours_with_citizens: Decimal, hourly_cost: int = DEFAULT_HOURLY_COST,
              effect_years: Decimal = DEFAULT_EFFECT_YEARS) -> Economics:
    closed, assessed, would_have, would_cost, received, received_cost = course_counts(start, end)
    return Economics(closed, assessed, would_have, would_cost, received, received_cost,
                     Decimal(hours_with_citizens), hourly_cost, Decimal(effect_years))


def kroner(value: int) -> str:
    """Danish thousands separator: 2168000 -> »2.168.000«."""
    sign = "−" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")
