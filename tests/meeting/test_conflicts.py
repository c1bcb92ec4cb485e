"""Two leaders decide the same direct-to-authority proposal at the Friday meeting (the projector
and a laptop): the later decision never silently overwrites the earlier."""

import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.handover.models import DirectAuthorityProposal

from ..factories import make_citizen
from ..forms_in_pages import form_data
from ..handover.factories import at, fresh, make_guide_conversation, make_proposal

F = date(2026, 11, 27)
AGENDA = f"/fredagsmoede?dato={F.isoformat()}&punkt="
DECIDE = f"/fredagsmoede/{F.isoformat()}/direkte"


@pytest.fixture
def two(login):
    return (login("leader", username="lene", full_name="Lene Leder"),
            login("authority", username="morten", full_name="Morten Myndighed"))


def loaded(visitor) -> dict:
    """The decision form of the item that asks for a direct-to-authority decision."""
    page = visitor.get(f"/fredagsmoede?dato={F.isoformat()}").get_data(as_text=True)
    number = re.search(r'punkt=(\d+)#punkt-\d+">Beslut<', page).group(1)
    return form_data(visitor.get(f"{AGENDA}{number}").get_data(as_text=True), DECIDE)


def test_a_stale_decision_is_refused_with_both_and_overwrites_nothing(two):
    lene, morten = two
    proposal = make_proposal(make_citizen("Anna", "Andersen"), at(date(2026, 11, 24)))
    lene_form, morten_form = loaded(lene), loaded(morten)
    assert lene_form["version"] == morten_form["version"] == "1"

    assert lene.post(DECIDE, lene_form | {"decision": "godkendt", "note": "Rådgiver ringer i dag"}).status_code == 302
    stale = morten.post(DECIDE, morten_form | {"decision": "afvist", "note": "Prøv Din Indgang først"})
    assert stale.status_code == 409
    html = unescape(stale.get_data(as_text=True))
    assert "Lene har gemt ændringer kl." in html and "mens du skrev" in html
    assert "Prøv Din Indgang først" in html and "Rådgiver ringer i dag" in html and "Lenes tekst" in html
    assert 'name="konflikt" value="decision"' in html and 'name="konflikt" value="note"' in html
    row = fresh(DirectAuthorityProposal, proposal.id)
    assert (row.decision, row.decision_note, row.version) == ("godkendt", "Rådgiver ringer i dag", 2)

    resolve = form_data(stale.get_data(as_text=True), DECIDE)
    assert resolve["version"] == "2" and resolve["note"] == "Prøv Din Indgang først"
    done = morten.post(DECIDE, resolve | {"konflikt": ["decision", "note"], "valg_decision": "theirs",
                                          "valg_note": "both"})
    assert done.status_code == 302
    row = fresh(DirectAuthorityProposal, proposal.id)
    assert (row.decision, row.decision_note, row.version) == (
        "godkendt", "Prøv Din Indgang først\n\nRådgiver ringer i dag", 3)


def test_a_stale_decision_on_a_guide_conversation_nobody_proposed_yet(two):
    lene, morten = two
    make_guide_conversation(make_citizen("Anna", "Andersen"), at(date(2026, 11, 24)), outcome="direkte_myndighed",
                            direct_authority_reason="Har brug for bostøtte nu")
    lene_form, morten_form = loaded(lene), loaded(morten)
    assert lene_form["version"] == morten_form["version"] == "0"
    assert lene.post(DECIDE, lene_form | {"decision": "godkendt"}).status_code == 302
    stale = morten.post(DECIDE, morten_form | {"decision": "afvist"})
    assert stale.status_code == 409
    db.session.rollback()
    assert db.session.scalar(select(DirectAuthorityProposal.decision)) == "godkendt"
