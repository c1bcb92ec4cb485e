"""Two people edit the same citizen's details: the later save never silently overwrites the earlier."""

from html import unescape

import pytest

from webapp.citizens.models import Citizen
from webapp.extensions import db

from ..factories import make_citizen
from ..forms_in_pages import form_data


@pytest.fixture
def anna():
    citizen = make_citizen("Anna", "Andersen")
    citizen.address = "Havnegade 1"
    db.session.commit()
    return citizen


def url(citizen) -> str:
    return f"/borgere/{citizen.id}/ret"


def fresh(citizen_id: int) -> Citizen:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Citizen, citizen_id)


def loaded(visitor, citizen) -> dict:
    return form_data(visitor.get(url(citizen)).get_data(as_text=True), "")


def test_a_stale_save_is_refused_with_both_texts_and_overwrites_nothing(login, anna):
    mads = login("staff", username="mads", full_name="Mads Madsen")
    ulla = login("staff", username="ulla", full_name="Ulla Hansen")
    mads_form, ulla_form = loaded(mads, anna), loaded(ulla, anna)
    assert mads_form["version"] == ulla_form["version"] == "1"

    assert mads.post(url(anna), mads_form | {"address": "Strandvejen 7"}).status_code == 302
    assert fresh(anna.id).version == 2

    stale = ulla.post(url(anna), ulla_form | {"address": "Bygaden 3, 2. tv.", "phone": "20 30 40 50"})
    assert stale.status_code == 409
    html = unescape(stale.get_data(as_text=True))
    assert "Mads har gemt ændringer kl." in html and "mens du skrev" in html
    assert "Bygaden 3, 2. tv." in html and "Strandvejen 7" in html and "Mads' tekst" in html
    assert html.count('name="konflikt"') == 1
    row = fresh(anna.id)
    assert (row.address, row.phone, row.version) == ("Strandvejen 7", None, 2)

    resolve = form_data(stale.get_data(as_text=True), "")
    assert resolve["version"] == "2" and resolve["phone"] == "20 30 40 50"
    assert ulla.post(url(anna), resolve | {"konflikt": "address", "valg_address": "mine"}).status_code == 302
    row = fresh(anna.id)
    assert (row.address, row.phone, row.version) == ("Bygaden 3, 2. tv.", "20304050", 3)


def test_a_stale_save_of_other_fields_is_merged(login, anna):
    mads = login("staff", username="mads", full_name="Mads Madsen")
    ulla = login("staff", username="ulla", full_name="Ulla Hansen")
    mads_form, ulla_form = loaded(mads, anna), loaded(ulla, anna)
    assert mads.post(url(anna), mads_form | {"address": "Strandvejen 7", "contact_consent": "y"}).status_code == 302
    assert ulla.post(url(anna), ulla_form | {"email": "anna@example.org"}).status_code == 302
    row = fresh(anna.id)
    assert (row.address, row.contact_consent, row.email, row.version) == (
        "Strandvejen 7", True, "anna@example.org", 3)


def test_a_conflict_on_a_choice_shows_its_label(login, anna):
    mads = login("staff", username="mads", full_name="Mads Madsen")
    ulla = login("staff", username="ulla", full_name="Ulla Hansen")
    mads_form, ulla_form = loaded(mads, anna), loaded(ulla, anna)
    assert mads.post(url(anna), mads_form | {"contact_preference": "sms"}).status_code == 302
    stale = ulla.post(url(anna), ulla_form | {"contact_preference": "email"})
    assert stale.status_code == 409
    html = unescape(stale.get_data(as_text=True))
    assert "Mads' valg" in html and "Mit valg" in html and "Begge tekster" not in html
    resolve = form_data(stale.get_data(as_text=True), "")
    done = ulla.post(url(anna), resolve | {"konflikt": "contact_preference", "valg_contact_preference": "theirs"})
    assert done.status_code == 302
    assert fresh(anna.id).contact_preference == "sms"
