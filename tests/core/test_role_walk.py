"""Every role's day: log in as each demo user and follow everything the pages offer.

Fails on a 5xx, on a shown link, `data-hx-get` or POST form the role may not use (403/404), on a full
page without <title> or <html lang>, and on a full CPR number anywhere in the HTML."""

import pytest
from sqlalchemy import select

from webapp.auth.models import User
from webapp.citizens.models import Citizen
from webapp.extensions import db
from webapp.tools.demo import DEMO_PASSWORD, DEMO_USERS

from ..conftest import Visitor
from ..walk import PAGE_CHECKS, WALKED_PAGES, Page, WalkResult, post_checker, walk

pytestmark = pytest.mark.demo_data

ROLES = [(username, roles[0]) for username, _name, _initials, roles, _authority in DEMO_USERS]
WALKED: dict[str, int] = {}


def _cprs() -> list[str]:
    numbers = db.session.scalars(select(Citizen.cpr).where(Citizen.cpr.is_not(None))).all()
    return [v for n in numbers for v in (n, f"{n[:6]}-{n[6:]}")]


@pytest.fixture(scope="module")
def cpr_numbers(app, demo):
    with app.app_context():
        return _cprs()


def test_demo_users_cover_the_nine_roles(demo):
    assert len({role for _u, role in ROLES}) == 8 and len(ROLES) == 9


@pytest.mark.parametrize("username, role", ROLES, ids=[u for u, _r in ROLES])
def test_role_walk(app, demo, cpr_numbers, username, role):
    visitor = Visitor(app.test_client())
    assert visitor.login(username, DEMO_PASSWORD).status_code == 302
    user = db.session.scalar(select(User).where(User.username == username))

    def no_full_cpr(_role: str, page: Page, result: WalkResult) -> None:
        for number in cpr_numbers:
            if number in page.body:
                result.add(f"full CPR number in the HTML of {page.url}")
                return

    PAGE_CHECKS.append(no_full_cpr)
    try:
        result = walk(app, visitor.client, username, may_post=post_checker(app, user))
    finally:
        PAGE_CHECKS.remove(no_full_cpr)
    WALKED[username] = len(result.pages)
    WALKED_PAGES[username] = result.pages
    print(f"\nrole walk {username} ({role}): {len(result.pages)} pages")
    assert len(result.pages) >= 3, [p.url for p in result.pages]
    assert not result.problems, "\n".join(result.problems)


def test_walk_summary(capsys):
    """Prints the pages walked per role (visible with -s; also in the closing note)."""
    with capsys.disabled():
        print("\nrole walk pages:", WALKED)


def test_the_citizen_page_shows_consents_handovers_and_outreach_of_a_demo_citizen(app, demo):
    """Finding 1 of issue #10: the section was empty for every citizen. Walk to a demo citizen who
    has all three, as a medarbejder, and read the section inside the page."""
    from webapp.handover.models import Consent, Handover
    from webapp.outreach.models import OutreachRequest

    with_all = (
        select(Citizen.id)
        .where(Citizen.id.in_(select(Consent.citizen_id)), Citizen.id.in_(select(Handover.citizen_id)))
        .order_by(Citizen.id)
    )
    candidates = db.session.scalars(with_all).all()
    assert candidates, "the demo data has a citizen with a consent and a handover"
    outreach_ids = set(db.session.scalars(select(OutreachRequest.citizen_id)).all())
    citizen_id = next((c for c in candidates if c in outreach_ids), candidates[0])
    visitor = Visitor(app.test_client())
    visitor.login("medarbejder", DEMO_PASSWORD)
    html = visitor.get(f"/borgere/{citizen_id}").get_data(as_text=True)
    section = html[html.index("Samtykke, overdragelse og udekørende"):]
    assert "Intet samtykke registreret" not in section
    assert "Tilbagekald" in section or "Trukket tilbage" in section or "Udløbet" in section
    assert "Overdragelse oprettet" in section
    if citizen_id in outreach_ids:
        assert "/udekoerende/" in section.split("Udekørende funktion", 1)[1]
    assert "Opret overdragelse fra forløbet" in section or "Åbn overdragelsen" in section
