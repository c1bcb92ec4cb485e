"""Every role's day: log in as each demo user and follow everything the pages offer.

Fails on a 5xx, on a shown link, `hx-get` or POST form the role may not use (403/404), on a full
page without <title> or <html lang>, and on a full CPR number anywhere in the HTML."""

import pytest
from sqlalchemy import select

from webapp.auth.models import User
from webapp.citizens.models import Citizen
from webapp.extensions import db
from webapp.tools.demo import DEMO_PASSWORD, DEMO_USERS

from ..conftest import Visitor
from ..walk import PAGE_CHECKS, Page, WalkResult, post_checker, walk

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
    print(f"\nrole walk {username} ({role}): {len(result.pages)} pages")
    assert len(result.pages) >= 3, [p.url for p in result.pages]
    assert not result.problems, "\n".join(result.problems)


def test_walk_summary(capsys):
    """Prints the pages walked per role (visible with -s; also in the closing note)."""
    with capsys.disabled():
        print("\nrole walk pages:", WALKED)
