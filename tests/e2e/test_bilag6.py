"""Bilag 6 in a real browser (Debian's Chromium): a medarbejder opens the course's documentation
form from the citizen page, fills in the shadow assessment and saves; a bad percentage is refused
at its field with what was typed kept."""

import pytest
from playwright.sync_api import expect

from ..documentation.factories import build_course, make_offer
from .helpers import log_in

pytestmark = pytest.mark.e2e


def test_filling_in_the_shadow_assessment(live_server, page):
    built = build_course()
    support = make_offer("Bostøtte", "SEL § 85", 200_000)
    log_in(page, live_server, "mette")
    page.goto(f"{live_server}/borgere/{built.citizen.id}")
    page.get_by_role("link", name="Bilag 6", exact=True).click()
    expect(page.get_by_role("heading", name="Din Indgang aktivitet – maksimalt 20 uger")).to_be_visible()
    expect(page.locator(".bilag6-hours tfoot")).to_contain_text("13,0")

    page.get_by_label("Sagsbehandler").fill("Karen Hansen")
    page.locator("#offer_1").select_option(str(support.id))
    page.locator("#percent_1").fill("150")
    page.get_by_role("button", name="Gem skemaet").click()
    expect(page.locator("#percent_1-error")).to_contain_text("helt tal fra 0 til 100")
    expect(page.get_by_label("Sagsbehandler")).to_have_value("Karen Hansen")

    page.locator("#percent_1").fill("50")
    page.locator("#disability_category").select_option("ADHD")
    page.get_by_role("button", name="Gem skemaet").click()
    expect(page.get_by_text("Dokumentationsskemaet er gemt.")).to_be_visible()
    expect(page.locator(".bilag6-tariff").first).to_contain_text("100.000 kr. om året")
