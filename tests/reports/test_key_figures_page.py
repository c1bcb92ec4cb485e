"""The key figures page and its CSV: who may see them, the period, the audit rows, Excel's format."""

import csv
import io
import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.timeutil import LOCAL_TZ

from ..factories import make_citizen, make_contact, refresh
from ..handover.factories import make_course

REPORT = "/noegletal?periode=valgt&fra=2017-01-01&til=2017-03-31"


def without_links(html: str) -> str:
    """The page with the figures' links to their lists taken out (tested in test_figure_lists.py)."""
    return re.sub(r'<a href="/noegletal/liste/[^"]*"[^>]*>([^<]*)</a>', r"\1", html)


@pytest.fixture
def some_contacts(app):
    anna = make_citizen("Anna", "Hemmeligsen")
    for i in range(3):
        make_contact(when=datetime(2017, 2, 1 + i, 10, tzinfo=LOCAL_TZ), kind="visit", citizen_id=anna.id)
    make_contact(when=datetime(2017, 2, 5, 10, tzinfo=LOCAL_TZ), kind="phone", from_type="paaroerende")
    make_course(anna, date(2017, 1, 5), date(2017, 2, 1), stop_reason="HFT")
    return anna


@pytest.mark.parametrize("role", ["staff", "leader", "secretariat"])
def test_staff_leader_and_secretariat_see_the_figures_without_names(login, some_contacts, role):
    visitor = login(role)
    response = visitor.get(REPORT)
    assert response.status_code == 200
    html = without_links(response.get_data(as_text=True))
    assert "Henvendelser i alt, fordelt på afsender" in html
    assert "Alle registrerede henvendelser" in html  # the definition is on the page
    assert '<th scope="row">Borger</th><td>3</td><td>75,0 %</td>' in html
    assert '<th scope="row">I alt</th><td>4</td>' in html
    assert '<th scope="row">Har fået tilbud (HFT)</th><td>1</td><td>100,0 %</td>' in html
    assert "Hemmeligsen" not in html and "Anna" not in html
    # The menu link is for the leader and the secretariat; a medarbejder has it on the register page.
    nav = html[html.index('class="mainnav"'):html.index("</nav>")]
    assert ("Nøgletal</a>" in nav) == (role != "staff")
    register = visitor.get("/henvendelser/uge").get_data(as_text=True)
    assert 'href="/noegletal"' in register


@pytest.mark.parametrize("role", ["peer", "skp", "volunteer_coordinator", "authority", "admin"])
def test_other_roles_are_refused(login, role):
    visitor = login(role)
    assert visitor.get("/noegletal").status_code == 403
    assert visitor.get("/noegletal.csv").status_code == 403


def test_anonymous_visitors_go_to_the_login_page(client):
    for url in ("/noegletal", "/noegletal.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_presets_render(login):
    visitor = login("leader")
    for preset in ("aar", "sidste-aar", "rapport"):
        assert visitor.get(f"/noegletal?periode={preset}").status_code == 200
    html = visitor.get("/noegletal?periode=rapport").get_data(as_text=True)
    assert "Rapportens periode · 9. sep 2016 – 3. dec 2017" in html


@pytest.mark.parametrize("query, message", [
    ("periode=valgt&fra=2017-03-01&til=2017-01-01", "Slutdatoen ligger før startdatoen"),
    ("periode=valgt&fra=1950-01-01&til=2017-01-01", "højst være 50 år"),
    ("periode=valgt&fra=2017-13-01&til=2017-12-31", "kan ikke læses"),
    ("periode=valgt&fra=1066-10-14&til=2017-12-31", "uden for"),
])
def test_a_bad_period_is_refused_in_danish_and_what_was_typed_is_kept(login, query, message):
    visitor = login("secretariat")
    response = visitor.get("/noegletal?" + query)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    fra = query.split("fra=")[1].split("&")[0]
    assert f'name="fra" value="{fra}"' in html
    assert visitor.get("/noegletal.csv?" + query).status_code == 422


def test_the_csv_is_for_danish_excel(login, some_contacts):
    visitor = login("secretariat")
    response = visitor.get("/noegletal.csv?periode=valgt&fra=2017-01-01&til=2017-03-31")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="noegletal-2017-01-01_2017-03-31.csv"' in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0][0] == "Nøgletal"
    assert ["Borger", "3", "75,0 %"] in table
    assert ["Pårørende", "1", "25,0 %"] in table
    assert ["I alt", "4", "100,0 %"] in table
    assert ["Borgere i forløb i perioden", "1", ""] in table
    assert "Hemmeligsen" not in text


def test_each_view_writes_one_audit_row_without_a_citizen(login, some_contacts):
    visitor = login("leader", username="lise")
    visitor.get(REPORT)
    visitor.get("/noegletal.csv?periode=valgt&fra=2017-01-01&til=2017-03-31")
    visitor.get("/noegletal?periode=valgt&fra=x&til=y")  # refused: nothing shown, nothing logged
    refresh()
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.citizen_id, AuditEvent.object_id, AuditEvent.username)
        .where(AuditEvent.action.like("key_figures%")).order_by(AuditEvent.id)
    ).all()
    assert [tuple(e) for e in events] == [
        ("key_figures_viewed", None, "2017-01-01_2017-03-31", "lise"),
        ("key_figures_exported", None, "2017-01-01_2017-03-31", "lise"),
    ]


def test_the_secretariat_starts_on_the_key_figures(login):
    response = login("secretariat").get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/noegletal")
    response = login("authority").get("/")
    assert response.status_code == 302 and "/noegletal" not in response.headers["Location"]
    assert login("staff", "secretariat", username="both").get("/").status_code == 200


def test_the_new_figures_show_on_the_page_and_in_the_csv(login, some_contacts):
    from ..handover.factories import make_guide_conversation, make_proposal

    make_guide_conversation(some_contacts, datetime(2017, 1, 4, 10, tzinfo=LOCAL_TZ), duration_minutes=45)
    make_proposal(some_contacts, datetime(2017, 1, 4, 11, tzinfo=LOCAL_TZ), decision="godkendt",
                  decided_on=date(2017, 1, 6))
    make_course(make_citizen("Bo", "B"), date(2016, 1, 1), date(2017, 3, 1), goal_attainment=3.5)
    visitor = login("secretariat")
    html = without_links(visitor.get(REPORT).get_data(as_text=True))
    assert '<th scope="row">Nye borgere</th><td>1</td>' in html
    # a share without a total still gets its column
    assert '<th scope="row">Direkte til myndighedsafdelingen</th><td>1</td><td>100,0 %</td>' in html
    assert '<th scope="row">3</th><td>1</td><td>50,0 %</td>' in html  # 3,5 counts as step 3
    assert '<th scope="row">Gennemsnit</th><td>3,5</td>' in html
    assert '<th scope="row">Guidesamtaler</th><td>0,8</td><td>100,0 %</td>' in html
    text = visitor.get("/noegletal.csv?periode=valgt&fra=2017-01-01&til=2017-03-31").get_data().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["Gennemsnit", "3,5", ""] in table
    assert ["Guidesamtaler", "0,8", "100,0 %"] in table
    assert ["Direkte til myndighedsafdelingen", "1", "100,0 %"] in table


def test_looking_again_reuses_the_figures_until_something_changes(login, some_contacts):
    """The figures are kept per value of the live change counter: the CSV of what is on the screen
    is not computed anew, and a change in the house shows at once."""
    from webapp.reports import figures as figures_module

    visitor = login("secretariat")
    calls = []
    original = figures_module.key_figures

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    figures_module.key_figures = counting
    try:
        first = without_links(visitor.get(REPORT).get_data(as_text=True))
        assert '<th scope="row">I alt</th><td>4</td>' in first
        assert visitor.get(REPORT.replace("/noegletal?", "/noegletal.csv?")).status_code == 200
        assert len(calls) == 1  # the CSV reused the page's figures
        make_contact(when=datetime(2017, 2, 6, 10, tzinfo=LOCAL_TZ), kind="phone")
        again = without_links(visitor.get(REPORT).get_data(as_text=True))
        assert len(calls) == 2
        assert '<th scope="row">I alt</th><td>5</td>' in again
    finally:
        figures_module.key_figures = original
