"""The report-shaped data (`flask --app wsgi demo-data --report`): built once on an empty database,
the key figures and the economics for the report's period show the evaluation report's numbers
exactly (report §5.1, figure 5.1, tables 5.1–5.2; DESIGN.md §3)."""

import random
import re
import time
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from webapp.cache import clear_caches
from webapp.database import write_intent
from webapp.documentation.economics import economics, kroner
from webapp.extensions import db
from webapp.reports.figures import key_figures
from webapp.reports.hours import hours_figures
from webapp.reports.periods import REPORT_END, REPORT_START
from webapp.tools.demo import DEMO_PASSWORD
from webapp.tools.demo.report import _line_cost, assessments_summing, load_report_data, sum_to
from webapp.welcome.models import Contact

from ..conftest import Visitor, wipe_database

pytestmark = pytest.mark.demo_data


@pytest.fixture(scope="module")
def report(app):
    with app.app_context():
        wipe_database()
        started = time.perf_counter()
        with app.test_request_context(), write_intent():
            load_report_data()
            db.session.commit()
        seconds = time.perf_counter() - started
    # Speed is measured, not asserted (README: never in tests); the time is printed with -s.
    print(f"\nreport data built in {seconds:.1f} s")
    yield seconds
    with app.app_context():
        wipe_database()
    clear_caches()


@pytest.fixture(scope="module")
def figures(app, report):
    with app.app_context():
        return {figure.key: figure for figure in key_figures(REPORT_START, REPORT_END)}


def rows(figure) -> dict:
    return {row.label: (row.count, row.share) for row in figure.rows}


def test_contacts_are_the_reports_1396_split_50_9_41(figures):
    sender = figures["contacts_by_sender"]
    assert sender.total == 1396
    assert rows(sender) == {"Borger": (698, 50.0), "Pårørende": (126, 9.0), "Samarbejdspartner": (572, 41.0)}


def test_persons_in_course_ad_hoc_groups_and_returns(figures):
    assert rows(figures["persons_in_course"]) == {
        "Borgere i forløb i perioden": (269, None), "Heraf stadig i forløb ved periodens slutning": (83, None)}
    assert rows(figures["persons_with_ad_hoc_help"]) == {"Borgere med ad hoc-hjælp": (67, None)}
    assert rows(figures["persons_in_groups"]) == {"Borgere i grupper": (57, None)}
    new = figures["new_courses"]
    assert new.total == 269  # every person's one course in the period …
    assert rows(new)["Genindskrivninger"] == (14, 5.2)  # … 14 of them after a closed course
    assert figures["closed_courses"].total == 186  # 269 − 83 still in a course


def test_about_six_percent_led_around_each_way(figures):
    assert rows(figures["new_citizens"]) == {"Nye borgere": (283, None)}
    assert rows(figures["led_around"]) == {
        "Direkte til myndighedsafdelingen": (17, 6.0),  # 17 / 283 new citizens
        "Overdraget under fire uger efter start": (16, 5.9),  # 16 / 269 new courses
    }


def test_hours_with_citizens_are_the_reports(figures):
    hours = rows(figures["hours_with_citizens"])
    assert hours["Ad hoc-hjælp"][0] == 200.0
    assert hours["Guidesamtaler"][0] == 275.0
    assert hours["Coachende samtaler"][0] == 218.0
    assert figures["hours_with_citizens"].total == 3350.0  # the report's investment: 3.350 hours


def test_the_total_hours_with_citizens_are_the_reports_3350(app, report):
    with app.app_context():
        with_citizens = next(f for f in hours_figures(REPORT_START, REPORT_END) if f.key == "hours_with_citizens")
    assert with_citizens.total == 3350.0
    by_activity = rows(with_citizens)
    # Every activity type of Bilag 6 has hours, not only the three the report names.
    for label in ("Grupper", "NADA", "Netværksmøder", "Opfølgninger", "Pårørendesamtaler", "Udekørende funktion"):
        assert by_activity[label][0] > 0, label


def test_the_economics_say_4104000_minus_1936000_is_2168000(app, report):
    with app.app_context():
        hours = Decimal(str(hours_figures(REPORT_START, REPORT_END)[0].total))
        result = economics(REPORT_START, REPORT_END, hours_with_citizens=hours)
    assert (result.closed, result.assessed, result.missing) == (186, 186, 0)
    assert (result.would_have, kroner(result.would_have_cost)) == (106, "4.104.000")
    assert (result.received, kroner(result.received_cost)) == (26, "1.936.000")
    assert kroner(result.yearly_gain) == "2.168.000"
    assert result.investment == int((hours * 312).quantize(Decimal(1)))
    assert (hours, result.investment) == (Decimal("3350.0"), 1_045_200)  # 3.350 h × 312 kr.


def test_the_economics_page_shows_the_reports_calculation(app, report):
    visitor = Visitor(app.test_client())
    assert visitor.login("sekretariat", DEMO_PASSWORD).status_code == 302
    response = visitor.get("/oekonomi?periode=rapport")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for part in (
        '<tr><th scope="row">Afsluttede forløb</th><td>186</td>',
        '<tr><th scope="row">Med skyggevisitation</th><td>186</td>',
        '<tr id="would-have"><th scope="row">Ville have fået et almindeligt tilbud uden Din Indgang</th>'
        '<td>106</td><td>4.104.000 kr.</td></tr>',
        '<tr id="received"><th scope="row">Har reelt fået et almindeligt tilbud efter forløbet</th>'
        '<td>26</td><td>1.936.000 kr.</td></tr>',
        '<dd id="yearly-gain">4.104.000 − 1.936.000 = 2.168.000 kr.</dd>',
        '<dd id="investment">3.350 timer × 312 kr. = 1.045.200 kr.</dd>',
    ):
        assert part in html, part


def test_the_key_figures_page_shows_the_reports_numbers(app, report):
    visitor = Visitor(app.test_client())
    assert visitor.login("sekretariat", DEMO_PASSWORD).status_code == 302
    response = visitor.get("/noegletal?periode=rapport")
    assert response.status_code == 200
    html = re.sub(r"</?a\b[^>]*>", "", response.get_data(as_text=True))  # figures link to their lists
    for row in (
        '<th scope="row">Borger</th><td>698</td><td>50,0 %</td>',
        '<th scope="row">Pårørende</th><td>126</td><td>9,0 %</td>',
        '<th scope="row">Samarbejdspartner</th><td>572</td><td>41,0 %</td>',
        '<th scope="row">I alt</th><td>1396</td>',
        '<th scope="row">Borgere i forløb i perioden</th><td>269</td>',
        '<th scope="row">Heraf stadig i forløb ved periodens slutning</th><td>83</td>',
        '<th scope="row">Borgere med ad hoc-hjælp</th><td>67</td>',
        '<th scope="row">Borgere i grupper</th><td>57</td>',
        '<th scope="row">Genindskrivninger</th><td>14</td><td>5,2 %</td>',
        '<th scope="row">Direkte til myndighedsafdelingen</th><td>17</td><td>6,0 %</td>',
        '<th scope="row">Overdraget under fire uger efter start</th><td>16</td><td>5,9 %</td>',
    ):
        assert row in html, row
    with_citizens = html[html.index('id="hours_with_citizens"'):html.index('id="staff_hours"')]
    for row in ('<th scope="row">Ad hoc-hjælp</th><td>200,0</td>', '<th scope="row">Guidesamtaler</th><td>275,0</td>',
                '<th scope="row">Coachende samtaler</th><td>218,0</td>'):
        assert row in with_citizens, row


def test_report_on_a_database_with_data_is_refused_in_danish(app, report):
    result = app.test_cli_runner().invoke(args=["demo-data", "--report", "--force"])
    assert result.exit_code != 0
    assert "kun bygges i en tom database" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Contact)) == 1396


# --- the two helpers that make the sums exact, on small cases worked out by hand -----------------


def test_sum_to_splits_a_total_in_steps_within_bounds():
    values = sum_to(random.Random(1), 100, 4, 10, 40, step=5)
    assert sum(values) == 100 and len(values) == 4
    assert all(10 <= v <= 40 and v % 5 == 0 for v in values)
    assert sum_to(random.Random(2), 120, 3, 40, 40) == [40, 40, 40]  # the only way
    with pytest.raises(ValueError):
        sum_to(random.Random(3), 130, 3, 10, 40)  # three values of at most 40 never make 130


def test_assessments_add_up_to_the_yearly_cost_asked_for():
    # Socialpædagogisk støtte 180.000 kr. × 20 % = 36.000 kr.; three assessments of 60.000 kr. in all.
    picks = assessments_summing(random.Random(4), 60_000, 3, (10, 20), housing=False)
    assert len(picks) == 3
    assert sum(_line_cost(lines) for lines in picks) == 60_000
    assert _line_cost(((1, "Socialpædagogisk støtte", 20),)) == 36_000
