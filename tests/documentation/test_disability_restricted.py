"""Issue #11 item 2: the disability category is set and seen only on the documentation form
(Bilag 6) and in counts. Every demo citizen gets a distinctive category, and none of the pages and
documents about them – the welcome page and day board, the citizen page as every role, Min Plan and
its two PDFs, the closing letter, the handover and its PDF, the Friday meeting and its projector,
the authority's inbox, the contact register and its CSV, the key figures as a medarbejder – shows it.
Each page is first shown to name a citizen, so the test could fail."""

import re
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import select, update

from webapp.auth.roles import ALL_ROLES
from webapp.citizens.models import Citizen, Course
from webapp.extensions import db
from webapp.handover.models import Handover
from webapp.meeting import services as meeting_services
from webapp.meeting.rules import meeting_date_for
from webapp.plans.models import Plan
from webapp.timeutil import today_local
from webapp.tools.demo import DEMO_PASSWORD, DEMO_USERS

from ..conftest import Visitor

pytestmark = pytest.mark.demo_data

CATEGORY = "Muskelsvind/sclerose"
TELLTALES = ("muskelsvind", "sclerose")
TEMPLATES = Path(__file__).parents[2] / "templates"
# The only templates that may name the field: the documentation form and its PDF.
ALLOWED = ("documentation/", "pdf/bilag6")
USERNAME = {roles[0]: username for username, _n, _i, roles, _a in DEMO_USERS if username != "vaert"}


@pytest.fixture(scope="module")
def marked(app, demo):
    """Every demo citizen has the category; the citizen with a plan and a handover is the one we follow."""
    with app.app_context():
        db.session.execute(update(Citizen).values(disability_category=CATEGORY))
        db.session.commit()
        handover = db.session.scalars(
            select(Handover).join(Plan, Plan.course_id == Handover.course_id).order_by(Handover.id)).first()
        assert handover is not None, "the demo data has a handover of a course with a plan"
        closed = db.session.scalars(
            select(Course).join(Plan, Plan.course_id == Course.id).where(Course.end_date.is_not(None))
            .order_by(Course.id)).first()
        assert closed is not None, "the demo data has a closed course with a plan"
        citizen = db.session.get(Citizen, handover.citizen_id)
        names = {c.first_name for c in db.session.scalars(select(Citizen))}
        return {"citizen_id": citizen.id, "first_name": citizen.first_name, "course_id": handover.course_id,
                "handover_id": handover.id, "closed_course_id": closed.id,
                "closed_first_name": db.session.get(Citizen, closed.citizen_id).first_name, "names": names}


def _as(app, role: str) -> Visitor:
    visitor = Visitor(app.test_client())
    assert visitor.login(USERNAME[role], DEMO_PASSWORD).status_code == 302
    return visitor


def _text(response) -> str:
    if response.mimetype == "application/pdf":
        return " ".join(page.extract_text() or "" for page in pypdf.PdfReader(BytesIO(response.data)).pages)
    return response.get_data(as_text=True)


def _clean(response, what: str) -> str:
    assert response.status_code == 200, f"{what}: {response.status_code}"
    text = _text(response)
    found = [t for t in TELLTALES if t in text.lower()]
    assert not found, f"the disability category shows on {what}"
    return text


def _names_someone(text: str, names: set[str]) -> bool:
    return any(re.search(rf"\b{re.escape(name)}\b", text) for name in names)


def test_the_category_is_set_on_every_demo_citizen(marked):
    assert set(db.session.scalars(select(Citizen.disability_category))) == {CATEGORY}


@pytest.mark.parametrize("role", ["staff", "leader", "secretariat", "peer"])
def test_not_on_the_welcome_page_or_the_day_board(app, marked, role):
    visitor = _as(app, role)
    home = visitor.get("/", follow_redirects=True)
    if role == "secretariat":  # the secretariat's home is the key figures: counts per category, no one named
        page = home.get_data(as_text=True)
        assert 'id="disability_categories"' in page and not _names_someone(page, marked["names"])
    else:
        _clean(home, f"the welcome page as {role}")
    board = _clean(visitor.get("/dagstavle"), f"the day board as {role}")
    if role != "secretariat":  # the secretariat's board is discreet too, but without names to check
        assert _names_someone(board, marked["names"]), "the day board names a citizen"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_not_on_the_citizen_page_for_any_role(app, marked, role):
    response = _as(app, role).get(f"/borgere/{marked['citizen_id']}")
    if response.status_code == 403:
        assert not any(t in response.get_data(as_text=True).lower() for t in TELLTALES)
        return
    page = _clean(response, f"the citizen page as {role}")
    assert marked["first_name"] in page


def test_not_in_min_plan_its_two_pdfs_or_the_closing_letter(app, marked):
    visitor = _as(app, "staff")
    course = marked["course_id"]
    assert marked["first_name"] in _clean(visitor.get(f"/forloeb/{course}/plan"), "Min Plan")
    assert marked["first_name"] in _clean(visitor.client.get(f"/forloeb/{course}/plan.pdf"), "the citizen's Min Plan PDF")
    assert marked["first_name"] in _clean(visitor.client.get(f"/forloeb/{course}/plan-journal.pdf"), "the journal copy of Min Plan")
    letter = _clean(visitor.client.get(f"/forloeb/{marked['closed_course_id']}/afslutning.pdf"), "the closing letter")
    assert marked["closed_first_name"] in letter


@pytest.mark.parametrize("role", ["staff", "leader"])
def test_not_on_the_handover_or_its_pdf(app, marked, role):
    visitor = _as(app, role)
    assert marked["first_name"] in _clean(visitor.get(f"/overdragelser/{marked['handover_id']}"), "the handover page")
    assert marked["first_name"] in _clean(visitor.client.get(f"/overdragelser/{marked['handover_id']}/overdragelse.pdf"),
                                          "the handover PDF")
    _clean(visitor.get("/overdragelser"), "the list of handovers")


@pytest.mark.parametrize("role", ["leader", "authority", "staff"])
def test_not_at_the_friday_meeting_or_on_its_projector(app, marked, role):
    visitor = _as(app, role)
    agenda_page = _clean(visitor.get("/fredagsmoede"), f"the Friday meeting agenda as {role}")
    day = meeting_date_for(today_local())
    agenda = meeting_services.agenda_for(day)
    assert agenda.items, "the demo agenda has items"
    assert _names_someone(agenda_page, marked["names"])
    shown = ""
    for number in range(1, len(agenda.items) + 1):
        shown += _clean(visitor.get(f"/fredagsmoede/{day.isoformat()}/projektor?punkt={number}"),
                        f"projector item {number} as {role}")
    assert _names_someone(shown, marked["names"])


def test_not_in_the_authority_inbox(app, marked):
    inbox = _clean(_as(app, "authority").get("/indbakke"), "the authority's inbox")
    assert _names_someone(inbox, marked["names"]), "the inbox names a citizen"


@pytest.mark.parametrize("role", ["staff", "secretariat"])
def test_not_in_the_contact_register_or_its_csv(app, marked, role):
    visitor = _as(app, role)
    _clean(visitor.get("/henvendelser/uge"), f"the contact register as {role}")
    csv_text = _clean(visitor.client.get("/henvendelser/uge.csv"), f"the contact register CSV as {role}")
    assert csv_text.count("\n") > 1, "the CSV has rows"


@pytest.mark.parametrize("query", ["", "?periode=sidste-aar", "?periode=valgt&fra=2000-01-01&til=2040-12-31"])
def test_not_on_the_key_figures_as_a_medarbejder(app, marked, query):
    page = _clean(_as(app, "staff").get(f"/noegletal{query}"), "the key figures as a medarbejder")
    assert "Nøgletal" in page
    _clean(_as(app, "staff").client.get(f"/noegletal.csv{query}"), "the key figures CSV as a medarbejder")


def test_no_template_but_bilag_6_names_the_field():
    users = sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*")
                   if path.is_file() and "disability_category" in path.read_text(encoding="utf-8", errors="ignore"))
    assert [name for name in users if not name.startswith(ALLOWED)] == []


def test_no_template_lists_the_categories_but_bilag_6():
    """A template could show the category without the field's name (a loop over the vocabulary)."""
    users = sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*")
                   if path.is_file() and any(word in path.read_text(encoding="utf-8", errors="ignore")
                                             for word in ("DISABILITY_CATEGORIES", CATEGORY)))
    assert [name for name in users if not name.startswith(ALLOWED)] == []


NOT_REPORTING = [role for role in ALL_ROLES if role not in ("staff", "leader", "secretariat")]


@pytest.mark.parametrize("role", NOT_REPORTING)
def test_roles_that_do_not_report_meet_it_on_no_page_they_can_reach(app, marked, role):
    """Everything a peer, SKP worker, volunteer coordinator, the authority or the administrator can
    follow from their home page: the category is on none of it."""
    from ..walk import walk

    visitor = _as(app, role)
    result = walk(app, visitor.client, USERNAME[role], max_pages=150)
    shown = [page.url for page in result.pages if any(t in page.body.lower() for t in TELLTALES)]
    assert len(result.pages) >= 3
    assert shown == [], f"the disability category shows to {role} on {shown}"
