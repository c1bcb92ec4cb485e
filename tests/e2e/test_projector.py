"""Projector mode at the Friday meeting: opened and walked with the keyboard only (arrow keys and
Page Up/Page Down, as a presenter clicker sends them), one decision recorded, readable at
1280×720 and 1920×1080."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from sqlalchemy import select

from webapp.extensions import db
from webapp.meeting.models import MeetingDecision
from webapp.meeting.rules import meeting_date_for, previous_meeting_date
from webapp.timeutil import today_local

from ..factories import make_citizen, make_user
from ..handover.factories import at, make_guide_conversation, make_outreach
from .helpers import log_in

pytestmark = pytest.mark.e2e


def focused_text(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.textContent.trim() : ''")


def tab_to(page, text: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_text(page) == text:
            return
    raise AssertionError(f"never reached {text!r} with Tab")


@pytest.fixture
def agenda():
    meeting = meeting_date_for(today_local())
    since = previous_meeting_date(meeting)
    make_user("lene", roles=("leader",), full_name="Lene Leder")
    make_user("mads", full_name="Mads Madsen")
    make_guide_conversation(make_citizen("Anna", "Andersen"), at(since, 10))
    make_guide_conversation(make_citizen("Bo", "Berg"), at(since, 11))
    make_outreach(since, citizen_first_name="Kasper", reason="Meget personlig note")
    return meeting


def press(page, key: str) -> None:
    """Each move loads a page; press only once its script is listening (deferred scripts run
    before DOMContentLoaded), as a person would see the new item before clicking on."""
    page.wait_for_load_state("domcontentloaded")
    page.keyboard.press(key)


def test_walk_the_agenda_with_the_keyboard_and_record_a_decision(live_server, page, agenda):
    page.set_viewport_size({"width": 1280, "height": 720})
    log_in(page, live_server, "lene")
    page.goto(live_server + "/fredagsmoede")
    tab_to(page, "Projektor")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/projektor$"))
    count = page.locator(".pj-count")
    expect(count).to_have_text("Punkt 1 af 3")
    expect(page.locator(".pj-title")).to_have_text("Anna A.")

    press(page, "PageDown")
    expect(count).to_have_text("Punkt 2 af 3")
    press(page, "ArrowRight")
    expect(count).to_have_text("Punkt 3 af 3")
    expect(page.locator(".pj-title")).to_contain_text("Kasper")
    expect(page.get_by_text("Meget personlig note")).to_be_hidden()  # a note shows only when expanded
    press(page, "PageDown")  # the last item: stays put
    expect(count).to_have_text("Punkt 3 af 3")
    press(page, "PageUp")
    expect(count).to_have_text("Punkt 2 af 3")
    press(page, "ArrowLeft")
    expect(count).to_have_text("Punkt 1 af 3")

    press(page, "b")
    decision = page.get_by_label("Beslutning", exact=True)
    expect(decision).to_be_focused()
    page.keyboard.type("Mads ringer til Anna i dag")
    press(page, "PageDown")  # typing: the clicker keys do not move away from the form
    expect(count).to_have_text("Punkt 1 af 3")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Ansvarlig")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Ansvarlig")).to_have_value(re.compile(r"\d+"))
    tab_to(page, "Gem beslutning")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Beslutningen er gemt.")).to_be_visible()
    expect(count).to_have_text("Punkt 1 af 3")
    # The message floats: the item and Forrige/Næste stay on the 1280×720 screen.
    # (measured once fonts and layout have settled, as a person sees the screen)
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_function("document.querySelector('.pj-nav').getBoundingClientRect().bottom <= 720")
    expect(page.locator(".pj-decisions")).to_contain_text("Mads ringer til Anna i dag")
    db.session.rollback()
    row = db.session.scalar(select(MeetingDecision))
    assert (row.text, row.meeting_date, row.responsible.username) == ("Mads ringer til Anna i dag", agenda, "mads")

    # Escape leaves for the overview; if focus is still in a field of the reloaded page, the first
    # Escape leaves the field and the second the projector (as projector.js documents).
    overview = re.compile(r".*/fredagsmoede\?dato=.*")
    press(page, "Escape")
    try:
        page.wait_for_url(overview, timeout=5000)
    except PlaywrightTimeoutError:
        press(page, "Escape")
        page.wait_for_url(overview)


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_projector_is_readable_across_a_room(live_server, page, agenda, width, height):
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server, "lene")
    page.goto(f"{live_server}/fredagsmoede/{agenda.isoformat()}/projektor")
    sizes = page.evaluate("""() => ({
        title: parseFloat(getComputedStyle(document.querySelector('.pj-title')).fontSize),
        body: parseFloat(getComputedStyle(document.querySelector('.pj-facts li')).fontSize),
        scroll: document.documentElement.scrollWidth,
        navBottom: document.querySelector('.pj-nav').getBoundingClientRect().bottom,
        bg: getComputedStyle(document.body).backgroundColor,
        fg: getComputedStyle(document.body).color,
    })""")
    assert sizes["title"] >= 0.075 * height  # about 13 lines of the title's height fill the screen
    assert sizes["body"] >= 0.035 * height
    assert sizes["scroll"] <= width  # nothing runs off the side
    assert sizes["navBottom"] <= height  # Forrige/Næste are on screen without scrolling
    assert (sizes["bg"], sizes["fg"]) == ("rgb(0, 0, 0)", "rgb(255, 255, 255)")
