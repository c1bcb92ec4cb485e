"""The charts: the geometry is a pure function of the numbers; the numbers come from GROUP BY."""

from datetime import date

from webapp.reports import charts
from webapp.reports.figures import Figure, Row

from ..factories import make_citizen, make_contact
from ..handover.factories import make_course
from .fixtures import at

# The plot box: x 96–708 (612 wide), y 12–216 (204 high).


def test_one_series_bar_heights_and_positions():
    chart = charts.bar_chart("k", "T", "D", ["a", "b"], [("n", [8, 4])], stacked=False)
    # largest 8: gridlines every 2, the top is 8; 8 fills the 204 px, 4 half of it
    assert [tick.text for tick in chart.y_ticks] == ["0", "2", "4", "6", "8"]
    assert [tick.position for tick in chart.y_ticks] == [216, 165, 114, 63, 12]
    first, second = chart.bars
    assert (first.height, first.y) == (204, 12) and (second.height, second.y) == (102, 114)
    # two slots of 306 px, each bar 80 % of its slot and centred
    assert (first.x, first.width, second.x) == (126.6, 244.8, 432.6)
    assert [(t.position, t.text) for t in chart.x_ticks] == [(249, "a"), (555, "b")]
    assert first.title == "a: 8"


def test_stacked_bars_sit_on_each_other():
    chart = charts.bar_chart("k", "T", "D", ["jan", "feb"], [("Borger", [2, 0]), ("Pårørende", [1, 4])], stacked=True)
    # the tallest stack is 4: the top is 4, one is 51 px
    a0, a1, b1 = chart.bars  # feb has no »Borger« bar
    assert (a0.y, a0.height, a0.series) == (114, 102, 0)
    assert (a1.y, a1.height, a1.series) == (63, 51, 1)
    assert (b1.y, b1.height) == (12, 204)
    assert a1.title == "jan, Pårørende: 1"
    assert chart.rows == [("jan", ["2", "1"]), ("feb", ["0", "4"])]


def test_grouped_bars_share_the_slot():
    chart = charts.bar_chart("k", "T", "D", ["x"], [("Med borgerne", [1.5]), ("Medarbejdere", [3.0])], stacked=False)
    citizens, staff = chart.bars
    assert (citizens.x, citizens.width) == (157.2, 244.8) and (staff.x, staff.width) == (402, 244.8)
    assert (citizens.height, staff.height) == (76.5, 153)  # of a top of 4
    assert chart.rows == [("x", ["1,5", "3,0"])]


def test_gridline_steps_are_whole_and_reach_the_largest_value():
    assert [charts.tick_step(v) for v in (0, 3, 4, 5, 9, 10, 83, 100, 1396)] == [1, 1, 1, 2, 5, 5, 25, 25, 500]


def test_at_most_twelve_category_labels():
    chart = charts.bar_chart("k", "T", "D", [str(i) for i in range(60)], [("n", [1] * 60)], stacked=False)
    assert len(chart.x_ticks) == 12 and chart.x_ticks[1].text == "5"


def test_contacts_per_month_by_sender(app):
    make_contact(when=at(date(2017, 1, 1), 0), kind="visit")
    make_contact(when=at(date(2017, 1, 31), 23), kind="visit")
    make_contact(when=at(date(2017, 1, 15)), kind="phone", from_type="paaroerende")
    make_contact(when=at(date(2017, 3, 2)), kind="phone", from_type="samarbejdspartner")
    make_contact(when=at(date(2017, 3, 2)), kind="visit", deleted_at=at(date(2017, 3, 2), 11))  # deleted
    make_contact(when=at(date(2017, 4, 1)), kind="visit")  # after
    chart = charts.contacts_per_month(date(2017, 1, 1), date(2017, 3, 31))
    assert chart.categories == ["jan 2017", "feb 2017", "mar 2017"]
    assert chart.series == [("Borger", [2, 0, 0]), ("Pårørende", [1, 0, 0]), ("Samarbejdspartner", [0, 0, 1])]
    assert chart.stacked


def test_a_long_period_counts_contacts_per_year(app):
    make_contact(when=at(date(2015, 6, 1)), kind="visit")
    make_contact(when=at(date(2017, 6, 1)), kind="visit")
    chart = charts.contacts_per_month(date(2014, 1, 1), date(2018, 12, 31))
    assert chart.categories == ["2014", "2015", "2016", "2017", "2018"]
    assert chart.series[0] == ("Borger", [0, 1, 0, 1, 0])


def test_courses_active_per_week(app):
    people = [make_citizen(n, "X") for n in "ABCDEF"]
    make_course(people[0], date(2016, 12, 1))  # open all along: every week
    make_course(people[1], date(2017, 1, 4), date(2017, 1, 6))  # week 1 only
    make_course(people[2], date(2017, 1, 16), date(2017, 1, 16))  # one day in week 3
    make_course(people[3], date(2016, 11, 1), date(2017, 1, 1))  # closed the Sunday before
    make_course(people[4], date(2017, 1, 23))  # starts the Monday after
    make_course(people[5], date(2017, 1, 10))  # from week 2 on
    # weeks 1–3 of 2017: Monday 2 January to Sunday 22 January (a Wednesday start is its week)
    for start in (date(2017, 1, 2), date(2017, 1, 4)):
        chart = charts.courses_active_per_week(start, date(2017, 1, 22))
        assert chart.categories == ["uge 1 2017", "uge 2 2017", "uge 3 2017"]
        assert chart.series == [("Forløb i gang", [2, 2, 3])]


def test_hours_per_activity_takes_the_labels_from_the_hours_figures():
    with_citizens = Figure("hours_with_citizens", "", "", [Row("Coaching", 1.5), Row("Ny aktivitet", 2.0)])
    staff = Figure("staff_hours", "", "", [Row("Coaching", 3.0), Row("Ny aktivitet", 2.0)])
    chart = charts.hours_per_activity([with_citizens, staff])
    assert chart.categories == ["Coaching", "Ny aktivitet"]
    assert chart.series == [("Timer med borgerne", [1.5, 2.0]), ("Medarbejdertimer", [3.0, 2.0])]
