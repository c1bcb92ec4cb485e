"""The economics page (/oekonomi): who may see it, the report's calculation written out, the
assumptions that recompute it, bad input in Danish, the audit row, the menu."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.documentation.services import (
    Choice,
    add_offer,
    documentation_for,
    save_received_after,
    save_shadow_assessment,
)
from webapp.extensions import db
from webapp.timeutil import LOCAL_TZ

from ..factories import make_citizen, refresh
from ..handover.factories import make_course, make_meeting

PAGE = "/oekonomi?periode=valgt&fra=2017-01-01&til=2017-06-30"


@pytest.fixture
def report_shaped(app):
    """The report's figures in two courses: one would have received 4.104.000 kr. a year, one
    received 1.936.000 kr. after the course; 90 minutes of coaching in the period (1,5 hours)."""
    bostoette = add_offer(name="Bostøtte (samlet)", law_section="SEL § 85", yearly_tariff=4_104_000)
    botilbud = add_offer(name="Botilbud", law_section="SEL § 107", yearly_tariff=1_936_000, is_housing=True)
    anna, bo = make_citizen("Anna", "Hemmeligsen"), make_citizen("Bo", "Fortroligsen")
    first = make_course(anna, date(2017, 1, 2), date(2017, 3, 31))
    second = make_course(bo, date(2017, 1, 2), date(2017, 4, 30))
    make_course(make_citizen("Cai", "Glemtsen"), date(2017, 1, 2), date(2017, 5, 31))  # no assessment
    save_shadow_assessment(documentation_for(first, create=True), None, choices=[Choice(1, bostoette, 100)])
    save_shadow_assessment(documentation_for(second, create=True), None, choices=[])
    save_received_after(documentation_for(second, create=True), None, choices=[Choice(3, botilbud, 100)])
    db.session.commit()
    make_meeting(anna, datetime(2017, 2, 1, 10, tzinfo=LOCAL_TZ), minutes=90, course=first)


def _main(html: str) -> str:
    return html[html.index("<main"):]


@pytest.mark.parametrize("role", ["leader", "secretariat"])
def test_the_leader_and_the_secretariat_see_the_calculation_the_way_the_report_writes_it(login, report_shaped, role):
    response = login(role).get(PAGE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<th scope="row">Afsluttede forløb</th><td>3</td>' in html
    assert '<th scope="row">Med skyggevisitation</th><td>2</td>' in html
    assert "Mangler skyggevisitation" in html
    assert ('<th scope="row">Ville have fået et almindeligt tilbud uden Din Indgang</th><td>1</td>'
            "<td>4.104.000 kr.</td>") in html
    assert ('<th scope="row">Har reelt fået et almindeligt tilbud efter forløbet</th><td>1</td>'
            "<td>1.936.000 kr.</td>") in html
    assert '<dd id="yearly-gain">4.104.000 − 1.936.000 = 2.168.000 kr.</dd>' in html
    assert '<dd id="gain">2.168.000 kr. × 1 år = 2.168.000 kr.</dd>' in html
    assert '<dd id="investment">1,5 timer × 312 kr. = 468 kr.</dd>' in html
    assert '<dd id="net">2.168.000 − 468 = 2.167.532 kr.</dd>' in html
    # The caveats beside it, and the cost per offer on both sides.
    assert "medarbejdernes eget skøn" in html and "holder ét år uden ændringer" in html
    assert "ikke en målt effekt" in html
    assert '<th scope="row">Bostøtte (samlet)</th><td class="text">SEL § 85</td><td>1</td><td>4.104.000 kr.</td>' in html
    assert '<th scope="row">Botilbud</th><td class="text">SEL § 107</td><td>1</td><td>1.936.000 kr.</td>' in html
    # No citizen is named.
    for name in ("Anna", "Hemmeligsen", "Fortroligsen", "Glemtsen"):
        assert name not in _main(html)


def test_the_list_of_missing_assessments_is_linked_once_it_exists(app, login, report_shaped):
    html = login("secretariat").get(PAGE).get_data(as_text=True)
    if "documentation.missing_shadow" in app.view_functions:
        with app.test_request_context():
            from flask import url_for

            assert f'href="{url_for("documentation.missing_shadow")}"' in html
    else:
        assert "se listen" not in html


def test_other_assumptions_recompute_the_figures_and_stay_in_the_fields(login, report_shaped):
    response = login("leader").get(PAGE + "&aar=2,5&timepris=1.000")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<dd id="yearly-gain">4.104.000 − 1.936.000 = 2.168.000 kr.</dd>' in html
    assert '<dd id="gain">2.168.000 kr. × 2,5 år = 5.420.000 kr.</dd>' in html
    assert '<dd id="investment">1,5 timer × 1.000 kr. = 1.500 kr.</dd>' in html
    assert '<dd id="net">5.420.000 − 1.500 = 5.418.500 kr.</dd>' in html
    assert "holder 2,5 år uden ændringer" in html
    assert 'name="aar" type="text" value="2,5"' in html
    assert 'name="timepris" type="text" value="1.000"' in html


def test_the_hourly_cost_defaults_to_the_setting(app, login, report_shaped):
    app.config["HOURLY_COST"] = 500
    try:
        html = login("secretariat").get(PAGE).get_data(as_text=True)
    finally:
        app.config["HOURLY_COST"] = 312
    assert '<dd id="investment">1,5 timer × 500 kr. = 750 kr.</dd>' in html
    assert "Standard: 500 kr." in html
    assert 'name="timepris" type="text" value="500"' in html
    assert 'name="aar" type="text" value="1"' in html


@pytest.mark.parametrize("role", ["staff", "peer", "skp", "volunteer_coordinator", "authority", "admin"])
def test_everyone_else_is_refused(login, role):
    assert login(role).get("/oekonomi").status_code == 403


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get("/oekonomi")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("field, typed, message", [
    ("aar", "0,4", "Skriv antal år som et tal fra 0,5 til 10"),
    ("aar", "11", "Skriv antal år som et tal fra 0,5 til 10"),
    ("aar", "et år", "Skriv antal år som et tal fra 0,5 til 10"),
    ("aar", "1e308", "Skriv antal år som et tal fra 0,5 til 10"),
    ("timepris", "0", "Skriv timeprisen i hele kroner fra 1 til 100.000"),
    ("timepris", "100001", "Skriv timeprisen i hele kroner fra 1 til 100.000"),
    ("timepris", "312,50", "Skriv timeprisen i hele kroner fra 1 til 100.000"),
    ("timepris", "-312", "Skriv timeprisen i hele kroner fra 1 til 100.000"),
    ("timepris", "9" * 30, "Skriv timeprisen i hele kroner fra 1 til 100.000"),
])
def test_a_bad_assumption_is_refused_at_its_field_and_what_was_typed_is_kept(login, report_shaped, field, typed, message):
    response = login("secretariat").get(PAGE + f"&{field}={typed}")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = html[html.index(f'id="{field}-error"'):]
    assert error.split("</p>")[0].endswith(message + (", fx 1 eller 1,5." if field == "aar" else ", fx 312."))
    assert f'name="{field}" type="text" value="{typed}"' in html
    assert 'aria-invalid="true"' in html
    assert "2.168.000" not in html  # nothing computed from an assumption that cannot be used


def test_endless_text_is_refused_at_the_field_and_control_characters_by_the_query_rule(login):
    visitor = login("leader")
    response = visitor.get("/oekonomi?aar=" + "1" * 5000 + "&timepris=" + "3" * 5000)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="aar-error"' in html and 'id="timepris-error"' in html
    # The product-wide rule for query strings answers a calm Danish 400 before the view runs.
    response = visitor.get("/oekonomi?aar=1%00")
    assert response.status_code == 400
    assert "Adressen indeholder ugyldige tegn" in response.get_data(as_text=True)


@pytest.mark.parametrize("query, message", [
    ("periode=valgt&fra=2017-03-01&til=2017-01-01", "Slutdatoen ligger før startdatoen"),
    ("periode=valgt&fra=1950-01-01&til=2017-01-01", "højst være 50 år"),
    ("periode=valgt&fra=2017-13-01&til=2017-12-31", "kan ikke læses"),
    ("periode=hvornaar", "Ukendt periode"),
])
def test_a_bad_period_is_refused_in_danish_and_everything_typed_is_kept(login, query, message):
    response = login("leader").get(f"/oekonomi?{query}&aar=2&timepris=400")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    if "fra=" in query:
        fra = query.split("fra=")[1].split("&")[0]
        assert f'name="fra" value="{fra}"' in html
    assert 'name="aar" type="text" value="2"' in html and 'name="timepris" type="text" value="400"' in html


def test_the_report_period_preset(login):
    html = login("secretariat").get("/oekonomi?periode=rapport").get_data(as_text=True)
    assert "Rapportens periode · 9. sep 2016 – 3. dec 2017" in html
    assert '<dd id="yearly-gain">0 − 0 = 0 kr.</dd>' in html


def test_each_view_writes_one_audit_row_naming_no_citizen(login, report_shaped):
    visitor = login("leader", username="lise")
    visitor.get(PAGE)
    visitor.get(PAGE + "&aar=0")  # refused: nothing shown, nothing logged
    visitor.get("/oekonomi?periode=valgt&fra=x&til=y")
    refresh()
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.citizen_id, AuditEvent.object_id, AuditEvent.username)
        .where(AuditEvent.action == "economics_viewed")
    ).all()
    assert [tuple(e) for e in events] == [("economics_viewed", None, "2017-01-01_2017-06-30", "lise")]


@pytest.mark.parametrize("role, shown", [("leader", True), ("secretariat", True), ("staff", False)])
def test_the_desk_tabs_have_oekonomi_for_the_leader_and_the_secretariat(login, role, shown):
    html = login(role).get("/noegletal").get_data(as_text=True)
    tabs = html[html.index('class="desk-nav"'):]
    tabs = tabs[:tabs.index("</nav>")]
    assert ('href="/oekonomi"' in tabs) == shown
    assert 'href="/mangler-skyggevisitation"' in tabs  # every reporter reaches the list from the figures
    if shown:
        page = login(role, username=f"{role}2").get("/oekonomi").get_data(as_text=True)
        tabs = page[page.index('class="desk-nav"'):]
        tabs = tabs[:tabs.index("</nav>")]
        assert '<a href="/oekonomi" aria-current="page">Økonomi</a>' in tabs
        assert tabs.count('aria-current="page"') == 1
        nav = page[page.index('class="mainnav"'):page.index("</nav>")]
        assert ">Nøgletal</a>" in nav and 'aria-current="page"' in nav  # the desk is one entry of the menu


@pytest.mark.parametrize("value", [0, 100_001, -312, "312", True, None, 312.5])
def test_a_bad_hourly_cost_setting_stops_the_app_with_a_clear_message(value):
    from webapp.config import ConfigError, check, defaults

    config = defaults("testing", "/nonexistent") | {"HOURLY_COST": value}
    with pytest.raises(ConfigError, match="HOURLY_COST"):
        check(config)
    check(defaults("testing", "/nonexistent"))  # the default, 312, is fine
