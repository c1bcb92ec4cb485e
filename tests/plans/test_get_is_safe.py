"""Opening Min Plan changes nothing: no plan row until the first save (a POST)."""

from sqlalchemy import func, select

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.plans.models import Plan, PlanDraft, PlanVersion

from .conftest import HX
from .test_page import form_of, page_url, section_url


def counts() -> dict[str, int]:
    db.session.rollback()
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Plan, PlanVersion, PlanDraft)}


def audit_actions() -> list[str]:
    db.session.rollback()
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_opening_min_plan_leaves_the_tables_unchanged(staff, course):
    before = counts()
    assert before == {"Plan": 0, "PlanVersion": 0, "PlanDraft": 0}
    for url, headers in [
        (page_url(course), {}),
        (page_url(course), HX),
        (section_url(course, "start"), HX),
        (section_url(course, "maal") + "?kladde=1", HX),
        (f"/forloeb/{course.id}/plan.pdf?udgave=borger", {}),
        (f"/forloeb/{course.id}/plan-journal.pdf", {}),
        (f"/forloeb/{course.id}/afslutning.pdf", {}),
    ]:
        response = staff.client.get(url, headers=headers)
        assert response.status_code == 200, url
    assert staff.get(f"/forloeb/{course.id}/plan/udgaver/1").status_code == 404
    assert counts() == before
    # Each view is still accounted for.
    assert audit_actions()[-7:] == ["plan_viewed"] * 4 + ["plan_printed"] * 2 + ["closing_letter_printed"]


def test_the_empty_page_says_nothing_is_saved_and_the_first_save_creates_the_plan(staff, course):
    html = staff.get(page_url(course)).get_data(as_text=True)
    assert "Intet er gemt endnu." in html
    data = form_of(html, "start") | {"reasons": "Jeg vil have styr på min post."}
    response = staff.post(section_url(course, "start"), data, headers=HX)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert counts()["Plan"] == 1
    plan = db.session.scalar(select(Plan))
    assert plan.reasons == "Jeg vil have styr på min post."
    assert plan.course_id == course.id
