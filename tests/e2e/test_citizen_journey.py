"""Issue 4 end to end: a welcome-table contact becomes a citizen, has a guide conversation, says
yes to a course, writes a goal in Min Plan, and the citizen's Min Plan is downloaded."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from webapp.citizens.models import Citizen
from webapp.extensions import db

from ..factories import PASSWORD, make_user, refresh

pytestmark = pytest.mark.e2e


def test_from_welcome_table_to_a_printed_min_plan(live_server, page):
    make_user("mads", full_name="Mads Medarbejder", has_authority_experience=True)
    page.goto(live_server + "/login")
    page.get_by_label("Brugernavn").fill("mads")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(live_server + "/")

    # The host taps "Besøg" and creates the citizen from the refine panel.
    page.get_by_role("button", name="Besøg", exact=True).click()
    page.get_by_text("Ny borger").click()
    page.get_by_role("textbox", name="Fornavn").fill("Åse")
    page.get_by_label("Efternavn").fill("Ørnholt")
    page.get_by_role("button", name="Opret og kobl").click()
    expect(page.get_by_text("Koblet til")).to_be_visible()
    page.get_by_role("link", name="Åbn borgersiden").click()
    expect(page.get_by_role("heading", name="Åse Ørnholt")).to_be_visible()

    # A course needs the CPR number: add it.
    page.get_by_role("link", name="Ret oplysninger").click()
    page.get_by_label("CPR-nummer").fill("010190-1235")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("010190-xxxx")).to_be_visible()
    # »Vis CPR« (data-hx-post) swaps the full number into the page in place.
    page.get_by_role("button", name="Vis CPR").click()
    expect(page.locator("#cpr")).to_have_text("010190-1235")
    expect(page.get_by_role("heading", name="Åse Ørnholt")).to_be_visible()
    expect(page.locator("#cpr")).to_have_count(1)

    # The guide conversation, held at once, ends with a yes.
    page.get_by_role("link", name="Guidesamtale").click()
    page.get_by_label("Hvad førte samtalen til?").select_option("forloeb")
    page.get_by_role("button", name="Gem samtalen").click()
    expect(page.get_by_text("Start forløbet, når borgeren siger ja.")).to_be_visible()
    page.get_by_role("button", name="Start forløb").click()

    # Min Plan opens: write the goal and save.
    expect(page.get_by_role("heading", name="Min plan for Åse Ørnholt")).to_be_visible()
    page.goto(page.url.split("?")[0] + "?aaben=maal")
    page.get_by_label("Mit mål", exact=True).first.fill("Jeg vil selv kunne læse min post – også fra SKAT.")
    page.locator("#afsnit-maal").get_by_role("button", name="Gem").click()
    expect(page.locator("#afsnit-maal")).to_contain_text("Gemt kl.")

    # Back on the citizen page: the course and the goal; then download the citizen's Min Plan.
    page.get_by_role("link", name="← Åse Ørnholt").click()
    expect(page.get_by_text("Uge 1 af højst 20", exact=True)).to_be_visible()  # not the progress bar's fallback text
    expect(page.get_by_text("Jeg vil selv kunne læse min post")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Min plan – til borgeren (PDF)").click(modifiers=["Alt"])
    pdf = download_info.value.path()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "Åse" in text and "Jeg vil selv kunne læse min post" in text
    assert "010190" not in text  # no CPR on the citizen's copy

    refresh()
    citizen = db.session.scalars(select(Citizen)).one()
    assert citizen.cpr == "0101901235"
