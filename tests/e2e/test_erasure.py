"""Erasure in Chromium, as the leader taps through it: from the citizen's page she registers the
citizen's request, reads what the erasure goes through, tries a partial approval without choosing a
part (a Danish message, her legal basis still there), approves it in full, and the citizen's page
then shows *Slettet borger* with no name, CPR number or note left."""

import pytest
from playwright.sync_api import expect

from webapp.citizens.models import Citizen
from webapp.extensions import db

from ..factories import make_citizen, make_contact, make_user, refresh
from .helpers import log_in

pytestmark = pytest.mark.e2e

LEGAL_BASIS = "Databeskyttelsesforordningens artikel 17, stk. 1, litra a"


def test_the_leader_erases_a_citizen_on_request(live_server, page):
    make_user("lise", roles=["leader"], full_name="Lise Leder")
    citizen = make_citizen("Nora", "Nielsen", phone="20 30 40 50")
    citizen.cpr = "0101901234"
    make_contact(None, citizen_id=citizen.id, note="Spurgte om hjælp til boligstøtte")
    db.session.commit()

    log_in(page, live_server, "lise")
    page.goto(f"{live_server}/borgere/{citizen.id}")
    page.get_by_role("link", name="Registrér en anmodning").click()
    page.get_by_label("Borgeren beder om").select_option("sletning")
    page.get_by_label("Hvem bad om det?").fill("Borgeren selv")
    page.get_by_label("Hvordan blev vedkommende identificeret?").fill("Sundhedskort vist i receptionen")
    page.get_by_role("button", name="Registrér anmodningen").click()
    expect(page.get_by_role("heading", name="Sletning (artikel 17)")).to_be_visible()

    page.get_by_text("Det, sletningen gennemgår").click()
    expect(page.get_by_role("cell", name="Henvendelser i receptionen")).to_be_visible()

    # A partial approval needs its parts; what she typed stays.
    page.get_by_label("Anmodningen er").select_option("delvist")
    page.get_by_label("Retsgrundlag").fill(LEGAL_BASIS)
    page.get_by_label("Begrundelse").fill("Kun noterne")
    page.get_by_role("button", name="Registrér afgørelsen").click()
    expect(page.get_by_text("Vælg, hvilke dele der slettes.")).to_be_visible()
    expect(page.get_by_label("Retsgrundlag")).to_have_value(LEGAL_BASIS)

    page.get_by_label("Anmodningen er").select_option("godkendt")
    page.get_by_role("button", name="Registrér afgørelsen").click()
    expect(page.get_by_text("Borgerens personoplysninger er slettet.")).to_be_visible()

    page.get_by_role("link", name="Slettet borger").click()
    expect(page.get_by_role("heading", name="Slettet borger")).to_be_visible()
    body = page.content()
    assert "Nora" not in body and "Nielsen" not in body and "boligstøtte" not in body
    refresh()
    erased = db.session.get(Citizen, citizen.id)
    assert erased.cpr is None and erased.phone is None and erased.erased_at is not None
