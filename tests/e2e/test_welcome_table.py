"""The host taps at the welcome table; another screen sees it live."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.welcome.models import Contact

from ..factories import make_user
from .helpers import log_in

pytestmark = pytest.mark.e2e


def live_count():
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Contact).where(Contact.deleted_at.is_(None)))


@pytest.fixture
def second_screen(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="da-DK")
    page = context.new_page()
    log_in(page, live_server, "mads")
    page.goto(live_server + "/dagstavle")
    yield page
    context.close()


def test_tap_is_seen_on_another_board_and_undo_removes_it_from_both(live_server, page, browser):
    make_user("vera", full_name="Vera Vært")
    make_user("mads", full_name="Mads Madsen")
    log_in(page, live_server, "vera")

    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="da-DK")
    board = context.new_page()
    log_in(board, live_server, "mads")
    board.goto(live_server + "/dagstavle")
    calls = board.locator(".counters li").nth(1)
    expect(calls).to_contain_text("0 opkald")

    page.get_by_role("button", name="Telefon", exact=True).click()
    expect(page.get_by_text("Telefon er gemt kl.")).to_be_visible()
    expect(page.locator("#board .counters li").nth(1)).to_contain_text("1 opkald")
    expect(calls).to_contain_text("1 opkald", timeout=5000)  # live within 5 s, no reload
    assert live_count() == 1

    # The optional panel: one chip, and the board row follows.
    page.get_by_role("button", name="Samarbejdspartner", exact=True).click()
    page.get_by_role("button", name="Jobcenter", exact=True).click()
    expect(page.get_by_role("button", name="Jobcenter", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(board.locator(".timeline")).to_contain_text("Jobcenter", timeout=5000)

    page.get_by_role("button", name="Fortryd").click()
    expect(page.get_by_text("er fjernet")).to_be_visible()
    expect(page.locator("#board .counters li").nth(1)).to_contain_text("0 opkald")
    expect(calls).to_contain_text("0 opkald", timeout=5000)
    assert live_count() == 0
    context.close()


def test_a_double_tap_stores_one_contact(live_server, page):
    make_user("vera")
    log_in(page, live_server, "vera")
    page.get_by_role("button", name="Besøg", exact=True).dblclick()
    expect(page.get_by_text("Besøg er gemt kl.")).to_be_visible()
    page.wait_for_timeout(300)
    assert live_count() == 1


def test_a_failed_tap_says_so_and_can_be_tapped_again(live_server, page):
    make_user("vera")
    log_in(page, live_server, "vera")
    page.route("**/henvendelser", lambda route: route.abort())
    button = page.get_by_role("button", name="Ad hoc-hjælp", exact=True)
    button.click()
    expect(page.get_by_text("Ikke gemt – tryk igen")).to_be_visible()
    assert live_count() == 0
    page.unroute("**/henvendelser")
    button.click()
    expect(page.get_by_text("Ad hoc-hjælp er gemt kl.")).to_be_visible()
    assert live_count() == 1


def test_a_lost_response_is_not_stored_twice_when_tapped_again(live_server, page):
    """The request reaches the server but the answer is lost: the retry re-sends the same token."""
    make_user("vera")
    log_in(page, live_server, "vera")

    def lose_answer(route):
        route.fetch()  # the server stores the contact ...
        route.abort()  # ... but the tablet never hears back

    page.route("**/henvendelser", lose_answer)
    page.get_by_role("button", name="Besøg", exact=True).click()
    expect(page.get_by_text("Ikke gemt – tryk igen")).to_be_visible()
    page.unroute("**/henvendelser")
    page.get_by_role("button", name="Besøg", exact=True).click()
    expect(page.get_by_text("Besøg er gemt kl.")).to_be_visible()
    assert live_count() == 1
