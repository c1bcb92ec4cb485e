"""The list »mangler skyggevisitation«: which closed courses are on it (worked out by hand), the
order, the period, the pages, and one audit row per citizen shown."""

from datetime import date

import pytest
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.documentation import missing, services
from webapp.extensions import db

from ..factories import make_citizen, make_user, refresh
from ..handover.factories import at, make_course, make_guide_conversation
from .factories import make_offer, make_shadow_assessment

URL = "/mangler-skyggevisitation"


@pytest.fixture
def courses(app):
    """A: closed 10 Mar, no documentation row – missing.
    B: closed 1 May, a documentation row without a shadow assessment (only remarks) – missing.
    C: closed 1 Apr with a shadow assessment (»no offer« counts too) – not missing.
    D: still open – not missing.  E: closed 1 May, no row – missing; same stop day as B, newer course;
    started from Lis' guide conversation, so she enrolled Eva."""
    mads = make_user("mads", full_name="Mads Madsen")
    anna, bo, cia, dan, eva = (make_citizen(n, "Testesen") for n in ("Anna", "Bo", "Cia", "Dan", "Eva"))
    a = make_course(anna, date(2026, 1, 5), date(2026, 3, 10), stop_reason="ILB", created_by_id=mads.id)
    b = make_course(bo, date(2026, 2, 2), date(2026, 5, 1), stop_reason="HFT")
    doc = services.documentation_for(b, create=True)
    doc.remarks = "Mangler stadig skyggevisitationen"
    db.session.commit()
    c = make_course(cia, date(2026, 1, 12), date(2026, 4, 1), stop_reason="EE")
    services.save_shadow_assessment(services.documentation_for(c, create=True), None, choices=[], day=date(2026, 4, 2))
    db.session.commit()
    make_course(dan, date(2026, 3, 2))
    lis = make_user("lis", full_name="Lis Lund")
    gc = make_guide_conversation(eva, at(date(2026, 2, 6)), staff=[lis])
    e = make_course(eva, date(2026, 2, 9), date(2026, 5, 1), stop_reason="UB", guide_conversation_id=gc.id)
    return {"a": a, "b": b, "c": c, "e": e, "anna": anna, "bo": bo, "eva": eva}


def test_closed_courses_without_a_shadow_assessment_newest_stop_first(courses):
    listing = missing.missing_shadow()
    assert listing.total == 3 and listing.pages == 1
    assert [row.course_id for row in listing.rows] == [courses["e"].id, courses["b"].id, courses["a"].id]
    anna_row = listing.rows[2]
    assert (anna_row.citizen_name, anna_row.start_date, anna_row.end_date, anna_row.stop_reason, anna_row.enrolled_by) == (
        "Anna Testesen", date(2026, 1, 5), date(2026, 3, 10), "ILB", "Mads Madsen")
    assert [row.enrolled_by for row in listing.rows[:2]] == ["Lis Lund", None]


def test_a_period_counts_courses_stopped_within_it(courses):
    assert missing.count_missing(date(2026, 4, 1), date(2026, 12, 31)) == 2  # B and E
    assert missing.count_missing(date(2026, 3, 10), date(2026, 3, 10)) == 1  # A, on its stop day
    assert missing.count_missing(date(2026, 3, 11), date(2026, 4, 30)) == 0  # only C, which has one


def test_an_assessment_saved_later_takes_the_course_off_the_list(courses):
    make_shadow_assessment(courses["a"], make_offer())
    assert missing.count_missing() == 2


def test_pages_of_a_given_size_and_a_page_past_the_last(courses):
    second = missing.missing_shadow(page=2, size=2)
    assert (second.total, second.pages, second.page) == (3, 2, 2)
    assert [row.course_id for row in second.rows] == [courses["a"].id]
    assert (second.first_number, second.last_number) == (3, 3)
    assert missing.missing_shadow(page=99, size=2).page == 2
    assert missing.missing_shadow(page=0, size=2).page == 1


@pytest.mark.parametrize("role", ["staff", "leader", "secretariat"])
def test_the_page_counts_lists_links_to_bilag_6_and_audits_each_citizen(login, courses, role):
    visitor = login(role)
    response = visitor.get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<strong>3</strong> afsluttede forløb mangler skyggevisitation" in html
    assert html.index("Eva Testesen") < html.index("Bo Testesen") < html.index("Anna Testesen")
    assert "Cia" not in html and "Dan" not in html
    assert "Mads Madsen" in html and ">ILB</abbr>" in html
    assert f'href="/forloeb/{courses["a"].id}/dokumentation"' in html
    assert 'href="/tilbudskatalog"' in html
    refresh()
    rows = db.session.execute(select(AuditEvent.citizen_id, AuditEvent.action)
                              .where(AuditEvent.action == "missing_shadow_listed")).all()
    assert sorted(c for c, _a in rows) == sorted([courses["anna"].id, courses["bo"].id, courses["eva"].id])


def test_the_period_filter_and_the_singular(login, courses):
    html = login("leader").get(f"{URL}?periode=valgt&fra=2026-03-01&til=2026-03-31").get_data(as_text=True)
    assert "<strong>1</strong> afsluttet forløb mangler skyggevisitation" in html
    assert "Anna Testesen" in html and "Bo Testesen" not in html


@pytest.mark.parametrize("query, message", [
    ("periode=valgt&fra=2026-05-01&til=2026-01-01", "Slutdatoen ligger før startdatoen"),
    ("periode=valgt&fra=1990-01-01&til=2045-01-01", "højst være 50 år lang"),
    ("periode=valgt&fra=31-12-2026&til=2026-12-31", "kan ikke læses"),
    ("periode=hvornaar", "Ukendt periode"),
])
def test_a_bad_period_is_refused_in_danish_and_the_typed_dates_kept(login, courses, query, message):
    response = login("staff").get(f"{URL}?{query}")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    if "fra=" in query:
        typed = query.split("fra=")[1].split("&")[0]
        assert f'value="{typed}"' in html
    refresh()
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "missing_shadow_listed")) is None


def test_fifty_to_a_page_with_a_link_to_the_next(login):
    for i in range(51):
        make_course(make_citizen(f"Borger{i:02d}", "Testesen"), date(2026, 1, 5), date(2026, 3, 1 + i % 28))
    visitor = login("secretariat")
    html = visitor.get(URL).get_data(as_text=True)
    assert "<strong>51</strong> afsluttede forløb" in html
    assert html.count("Udfyld Bilag 6") == 50 and "Side 1 af 2" in html
    assert f'href="{URL}?side=2"' in html
    second = visitor.get(f"{URL}?side=2").get_data(as_text=True)
    assert second.count("Udfyld Bilag 6") == 1 and "Side 2 af 2" in second
    refresh()
    listed = db.session.scalars(select(AuditEvent.citizen_id).where(AuditEvent.action == "missing_shadow_listed")).all()
    assert len(listed) == 51  # 50 rows for the first page, 1 for the second


@pytest.mark.parametrize("role", ["staff", "leader", "secretariat"])
def test_the_key_figures_page_leads_to_the_list_and_the_catalogue(login, role):
    html = login(role).get("/noegletal").get_data(as_text=True)
    assert f'href="{URL}"' in html and 'href="/tilbudskatalog"' in html
