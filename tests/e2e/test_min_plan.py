"""Min Plan in a real browser (Debian's Chromium): typing is autosaved as a draft, Gem saves the
section in place, and a reload offers nothing unsaved."""

import re

import pytest
from playwright.sync_api import expect

from webapp.extensions import db
from webapp.timeutil import today_local

from ..factories import make_user
from ..plans.factories import FOLLOW_UPS, make_course, make_plan
from .helpers import log_in

pytestmark = pytest.mark.e2e


def test_writing_a_section_with_autosave_and_gem(live_server, page):
    make_user("ulla", full_name="Ulla Hansen")
    start = today_local().replace(day=1)
    course = make_course(start=start)
    make_plan(course, reasons="Brevene hober sig op.",
              follow_ups=[dict(FOLLOW_UPS[0], follow_up_date=start, next_follow_up=None)])
    db.session.commit()
    log_in(page, live_server, "ulla")
    page.goto(f"{live_server}/forloeb/{course.id}/plan?aaben=maal")
    goal = page.get_by_label("Mit mål", exact=True).first
    goal.fill("Jeg vil have styr på mine breve – æøå")
    expect(page.locator("#kladde-maal")).to_contain_text("Kladde gemt kl.", timeout=8000)

    page.reload()
    expect(page.locator("#afsnit-maal .draft-offer")).to_contain_text("Du har ikke-gemte ændringer")
    page.locator("#afsnit-maal").get_by_role("link", name="Fortsæt").click()
    expect(page.get_by_label("Mit mål", exact=True).first).to_have_value("Jeg vil have styr på mine breve – æøå")
    page.locator("#afsnit-maal").get_by_role("button", name="Gem").click()
    expect(page.locator("#afsnit-maal")).to_contain_text("Gemt kl.")
    expect(page.locator("#plan-gemt")).to_contain_text("Udgave 4")

    page.reload()
    expect(page.locator(".draft-offer")).to_have_count(0)


def test_two_people_in_one_section_see_both_texts_and_choose(live_server, page, browser):
    make_user("ulla", full_name="Ulla Hansen")
    make_user("mads", full_name="Mads Medarbejder")
    course = make_course(start=today_local().replace(day=1))
    make_plan(course, goal="Styr på økonomien")
    db.session.commit()
    url = f"{live_server}/forloeb/{course.id}/plan?aaben=maal"

    other = browser.new_context(viewport={"width": 1024, "height": 768}, locale="da-DK")
    mads = other.new_page()
    log_in(mads, live_server, "mads")
    mads.goto(url)
    log_in(page, live_server, "ulla")
    page.goto(url)

    mads.get_by_label("Mit mål", exact=True).first.fill("Styr på breve og økonomi")
    mads.locator("#afsnit-maal").get_by_role("button", name="Gem").click()
    expect(mads.locator("#afsnit-maal")).to_contain_text("Gemt kl.")
    other.close()

    page.get_by_label("Mit mål", exact=True).first.fill("Styr på økonomien og søvnen")
    page.locator("#afsnit-maal").get_by_role("button", name="Gem").click()
    section = page.locator("#afsnit-maal")
    expect(section).to_contain_text(re.compile(r"Mads har gemt en nyere udgave kl\. \d\d:\d\d\."))
    expect(section.locator(".their-text")).to_have_text("Styr på breve og økonomi")
    expect(page.get_by_label("Mit mål", exact=True).first).to_have_value("Styr på økonomien og søvnen")

    section.get_by_label("Begge tekster").check()
    section.get_by_role("button", name="Gem").click()
    expect(section).to_contain_text("Gemt kl.")
    expect(page.get_by_label("Mit mål", exact=True).first).to_have_value(
        "Styr på økonomien og søvnen\n\nStyr på breve og økonomi"
    )
