"""economics(): the shadow assessment's sums for the courses closed in a period, on a small data
set whose answers are worked out by hand below; the calculation written out; the assumptions."""

from datetime import date
from decimal import Decimal

import pytest

from webapp.documentation import economics as shadow
from webapp.documentation.economics import Economics, OfferCost
from webapp.documentation.models import AFTER, WITHOUT
from webapp.documentation.services import (
    Choice,
    add_offer,
    documentation_for,
    remove_offer,
    save_received_after,
    save_shadow_assessment,
)
from webapp.extensions import db

from ..factories import make_citizen
from ..handover.factories import make_course

START, END = date(2017, 1, 1), date(2017, 6, 30)
CLOSED = date(2017, 3, 31)


def _course(name: str, end: date | None = CLOSED):
    return make_course(make_citizen(name, "Hemmeligsen"), date(2016, 11, 1), end)


def _assess(course, *choices, override=None, reason=None):
    doc = documentation_for(course, create=True)
    save_shadow_assessment(doc, None, choices=list(choices), tariff_override=override,
                           tariff_override_reason=reason, day=date(2017, 4, 1))
    return doc


def _after(course, *choices):
    doc = documentation_for(course, create=True)
    save_received_after(doc, None, choices=list(choices), day=date(2017, 4, 1))
    return doc


@pytest.fixture
def data_set(app):
    """Eleven courses. Without-side per course (tariff × % floored per line):
    c1  closed, assessed, no lines                                  → assessed, no offer
    c2  closed, A 200.000 × 100 %                                   → 200.000
    c3  closed, A 200.000 × 50 % + B 120.000 × 100 % + C 500.000 × 50 % (housing)
                                                                    → 100.000 + 120.000 + 250.000 = 470.000
        after: B 120.000 × 50 %                                     → received 60.000
    c4  closed, B × 0 %                                             → assessed, no offer (0 %)
    c5  closed, A × 100 % + F 100.001 × 50 % (50.000,5 → 50.000) = 250.000, override 150.000 with a reason
                                                                    → 150.000
    c6  closed, no assessment; after: A × 100 %                     → missing; received 200.000
    c7  closed 31 Dec 2016 (outside), A × 100 %, after A × 100 %    → not counted
    c8  closed, E 80.000 × 100 %, E removed, renamed and repriced afterwards → 80.000 as »Gammelt tilbud«
    c9  closed, D 100.000.000 × 100 %                               → 100.000.000 (10^10 before ÷ 100)
    c10 open, A × 100 %                                             → not counted
    c11 closed, no documentation                                    → missing
    c2  also has the after-side saved with nothing received         → not received

    Closed in the period: c1–c6, c8, c9, c11 = 9; assessed: c1–c5, c8, c9 = 7; missing 2.
    Would have: c2, c3, c5, c8, c9 = 5 at 200.000 + 470.000 + 150.000 + 80.000 + 100.000.000
    = 100.900.000 kr. Received: c3, c6 = 2 at 60.000 + 200.000 = 260.000 kr."""
    a = add_offer(name="Bostøtte", law_section="SEL § 85", yearly_tariff=200_000)
    b = add_offer(name="Aktivitets- og samværstilbud", law_section="SEL § 104", yearly_tariff=120_000)
    c = add_offer(name="Botilbud", law_section="SEL § 107", yearly_tariff=500_000, is_housing=True)
    d = add_offer(name="Dyrt tilbud", law_section="SEL § 108", yearly_tariff=100_000_000)
    e = add_offer(name="Gammelt tilbud", law_section="SEL § 103", yearly_tariff=80_000)
    f = add_offer(name="Ledsagelse", law_section="SEL § 97", yearly_tariff=100_001)

    _assess(_course("c1"))
    c2 = _course("c2")
    _assess(c2, Choice(1, a, 100))
    _after(c2)
    c3 = _course("c3")
    _assess(c3, Choice(1, a, 50), Choice(2, b, 100), Choice(3, c, 50))
    _after(c3, Choice(1, b, 50))
    _assess(_course("c4"), Choice(1, b, 0))
    _assess(_course("c5"), Choice(1, a, 100), Choice(2, f, 50), override=150_000, reason="Kun et halvt år")
    _after(_course("c6"), Choice(1, a, 100))
    c7 = _course("c7", date(2016, 12, 31))
    _assess(c7, Choice(1, a, 100))
    _after(c7, Choice(1, a, 100))
    _assess(_course("c8"), Choice(1, e, 100))
    _assess(_course("c9"), Choice(1, d, 100))
    _assess(_course("c10", None), Choice(1, a, 100))
    _course("c11")
    db.session.commit()

    remove_offer(e)
    e.name, e.law_section, e.yearly_tariff = "Nyt navn", "SEL § 999", 1
    db.session.commit()


def test_the_sums_for_the_period_are_worked_out_by_hand(data_set):
    result = shadow.economics(START, END, hours_with_citizens=Decimal("10.5"), hourly_cost=312,
                              effect_years=Decimal("1.5"))
    assert (result.closed, result.assessed, result.missing) == (9, 7, 2)
    assert (result.would_have, result.would_have_cost) == (5, 100_900_000)
    assert (result.received, result.received_cost) == (2, 260_000)
    assert result.yearly_gain == 100_640_000
    assert result.gain == 150_960_000  # × 1,5 years
    assert result.investment == 3_276  # 10,5 hours × 312 kr.
    assert result.net == 150_956_724


def test_a_period_with_nothing_closed_is_all_zeros(data_set):
    result = shadow.economics(date(2018, 1, 1), date(2018, 12, 31), hours_with_citizens=Decimal(0))
    assert (result.closed, result.assessed, result.would_have, result.would_have_cost,
            result.received, result.received_cost, result.net) == (0, 0, 0, 0, 0, 0, 0)


def test_the_course_closed_outside_the_period_counts_in_its_own(data_set):
    result = shadow.economics(date(2016, 12, 1), date(2016, 12, 31), hours_with_citizens=Decimal(0))
    assert (result.closed, result.would_have, result.would_have_cost, result.received_cost) == (1, 1, 200_000, 200_000)


def test_the_breakdown_per_offer_uses_the_lines_own_copies(data_set):
    without = shadow.offer_breakdown(START, END, WITHOUT)
    assert without == [
        OfferCost("Dyrt tilbud", "SEL § 108", 1, 100_000_000),
        OfferCost("Bostøtte", "SEL § 85", 3, 500_000),  # c2 200.000, c3 100.000, c5 200.000 (before its override)
        OfferCost("Botilbud", "SEL § 107", 1, 250_000),
        OfferCost("Aktivitets- og samværstilbud", "SEL § 104", 1, 120_000),  # c4's 0 % is no offer
        OfferCost("Gammelt tilbud", "SEL § 103", 1, 80_000),  # removed, renamed and repriced since
        OfferCost("Ledsagelse", "SEL § 97", 1, 50_000),
    ]
    # c5's override: 150.000 instead of the computed 250.000.
    assert shadow.override_adjustment(START, END) == (1, -100_000)
    assert sum(row.cost for row in without) + shadow.override_adjustment(START, END)[1] == 100_900_000
    assert shadow.offer_breakdown(START, END, AFTER) == [
        OfferCost("Bostøtte", "SEL § 85", 1, 200_000),
        OfferCost("Aktivitets- og samværstilbud", "SEL § 104", 1, 60_000),
    ]


def test_an_override_alone_is_an_offer_and_an_override_of_nothing_is_not(app):
    a = add_offer(name="Bostøtte", law_section="SEL § 85", yearly_tariff=200_000)
    _assess(_course("x1"), override=30_000, reason="Særlig aftale")  # no lines, but a cost
    _assess(_course("x2"), Choice(1, a, 100), override=0, reason="Betales af regionen")  # an offer at 0 kr.
    db.session.commit()
    result = shadow.economics(START, END, hours_with_citizens=Decimal(0))
    assert (result.assessed, result.would_have, result.would_have_cost) == (2, 2, 30_000)
    assert shadow.override_adjustment(START, END) == (2, 30_000 - 200_000)


def test_the_report_written_out():
    report = Economics(closed=186, assessed=186, would_have=106, would_have_cost=4_104_000, received=26,
                       received_cost=1_936_000, hours_with_citizens=Decimal(3350), hourly_cost=312,
                       effect_years=Decimal(1))
    assert report.yearly_gain_sum == "4.104.000 − 1.936.000 = 2.168.000 kr."
    assert report.gain_sum == "2.168.000 kr. × 1 år = 2.168.000 kr."
    assert report.investment_sum == "3.350 timer × 312 kr. = 1.045.200 kr."
    assert report.net_sum == "2.168.000 − 1.045.200 = 1.122.800 kr."


def test_a_loss_and_half_kroner_are_written_the_danish_way():
    loss = Economics(closed=3, assessed=3, would_have=1, would_have_cost=1_000, received=1, received_cost=2_001,
                     hours_with_citizens=Decimal("0.5"), hourly_cost=5, effect_years=Decimal("0.5"))
    assert loss.yearly_gain_sum == "1.000 − 2.001 = −1.001 kr."
    assert loss.gain == -501  # −500,5 rounded half away from zero
    assert loss.gain_sum == "−1.001 kr. × 0,5 år = −501 kr."
    assert loss.investment_sum == "0,5 timer × 5 kr. = 3 kr."  # 2,5 rounded half up
    assert loss.net_sum == "−501 − 3 = −504 kr."


def test_the_caveats_name_the_chosen_duration():
    assert "holder ét år uden ændringer" in shadow.caveats(Decimal(1))[1]
    assert "holder 2,5 år uden ændringer" in shadow.caveats(Decimal("2.5"))[1]
    assert "skøn" in shadow.caveats(Decimal(1))[0] and "ikke en målt effekt" in shadow.caveats(Decimal(1))[2]


@pytest.mark.parametrize("text, years", [
    ("", Decimal(1)), ("1", Decimal(1)), ("1,5", Decimal("1.5")), ("0.5", Decimal("0.5")), (" 10 ", Decimal(10)),
    ("2,25", Decimal("2.25")), ("10,00", Decimal(10)),
])
def test_effect_years_accept_a_decimal_comma(text, years):
    assert shadow.parse_effect_years(text) == years


@pytest.mark.parametrize("text", ["0,4", "0", "10,01", "11", "-1", "1,555", "1e1", "NaN", "Infinity", "½", "1,5 år", "١"])
def test_effect_years_outside_half_a_year_to_ten_are_refused_in_danish(text):
    with pytest.raises(shadow.AssumptionError, match=r"fra 0,5 til 10"):
        shadow.parse_effect_years(text)


@pytest.mark.parametrize("text, cost", [("", 312), ("1", 1), ("312", 312), ("1.250", 1250), ("100.000", 100_000),
                                        ("100000", 100_000), ("1 250", 1250)])
def test_the_hourly_cost_is_whole_kroner_with_or_without_thousands_dots(text, cost):
    assert shadow.parse_hourly_cost(text, 312) == cost


@pytest.mark.parametrize("text", ["0", "100001", "100.001", "-5", "12,5", "1.25", "312 kr.", "9" * 40, "1e3", "٣١٢"])
def test_an_hourly_cost_outside_1_to_100_000_is_refused_in_danish(text):
    with pytest.raises(shadow.AssumptionError, match=r"hele kroner fra 1 til 100\.000"):
        shadow.parse_hourly_cost(text, 312)


def test_danish_numbers():
    assert [shadow.decimal_da(v) for v in (0, 3350, Decimal("3350.5"), Decimal("0.25"), 1_234_567.8)] == \
        ["0", "3.350", "3.350,5", "0,25", "1.234.567,8"]
    assert shadow.kroner(2_168_000) == "2.168.000" and shadow.kroner(-1_001) == "−1.001"
