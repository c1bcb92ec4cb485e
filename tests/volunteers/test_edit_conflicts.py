"""The coordinator and the leader both keep the volunteer world: an edit made on a page loaded
before someone else saved is merged field by field, and where both changed the same field
nothing is saved and both values are shown (webapp/versioning.py)."""

import re

from webapp.extensions import db
from webapp.volunteers.models import VolunteerActivity, VolunteerOrganisation

from ..factories import refresh
from .factories import make_activity, make_organisation


def loaded(visitor, url) -> dict:
    html = visitor.get(url).get_data(as_text=True)
    return {name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1) for name in ("version", "version_base")}


def organisation_form(**values) -> dict:
    data = {"name": "Madklubben", "contact_person": "Ahmad", "phone": "23 12 34 56", "email": "mad@example.dk",
            "address": "Kulturhuset", "active": "y"}
    data.update(values)
    return data


def test_two_keepers_changing_the_same_organisation_field_get_the_conflict_screen(login):
    organisation = make_organisation("Madklubben", contact_person="Ahmad", phone="23 12 34 56",
                                     email="mad@example.dk", address="Kulturhuset")
    url = f"/frivillige/organisationer/{organisation.id}"
    frida, lene = login("volunteer_coordinator", username="frida"), login("leader", username="lene")
    frida_page, lene_page = loaded(frida, url), loaded(lene, url)
    assert frida.post(url, organisation_form(phone="20 20 20 20", **frida_page)).status_code == 302
    # Lene changed the phone too: nothing of hers is saved, both numbers are shown.
    answer = lene.post(url, organisation_form(phone="30 30 30 30", **lene_page))
    assert answer.status_code == 409
    html = answer.get_data(as_text=True)
    assert "20 20 20 20" in html and "30 30 30 30" in html and "Hvad skal stå?" in html
    refresh()
    assert db.session.get(VolunteerOrganisation, organisation.id).phone == "20 20 20 20"
    # A field only Lene changed is saved with Frida's phone kept.
    assert lene.post(url, organisation_form(address="Kulturhuset, sal 2", **lene_page)).status_code == 302
    refresh()
    saved = db.session.get(VolunteerOrganisation, organisation.id)
    assert (saved.phone, saved.address, saved.version) == ("20 20 20 20", "Kulturhuset, sal 2", 3)


def test_an_activity_edit_merges_the_places_and_the_weekdays_conflict_reads_in_danish(login):
    activity = make_activity(make_organisation(), "Gå-makker", weekdays=("man",), places_free=3)
    url = f"/frivillige/aktiviteter/{activity.id}"
    frida, lene = login("volunteer_coordinator", username="frida"), login("leader", username="lene")
    frida_page, lene_page = loaded(frida, url), loaded(lene, url)
    base = {"organisation_id": str(activity.organisation_id), "title": "Gå-makker", "theme": "motion",
            "place": "Voldene", "weekdays": ["man"], "places_free": "3", "active": "aktiv"}
    assert frida.post(url, {**base, "places_free": "1", "weekdays": ["man", "tor"], **frida_page}).status_code == 302
    answer = lene.post(url, {**base, "weekdays": ["fre"], **lene_page})
    assert answer.status_code == 409
    html = answer.get_data(as_text=True)
    assert "mandag, torsdag" in html and 'name="valg_weekdays"' in html
    assert re.search(r'name="places_free"[^>]*value="1"', html)  # Frida's places, which Lene left alone
    answer = lene.post(url, {**base, "places_free": "1", "weekdays": ["fre"], "konflikt": "weekdays",
                             "valg_weekdays": "mine",
                             "version": "2", "version_base": lene_page["version_base"]})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    refresh()
    saved = db.session.get(VolunteerActivity, activity.id)
    assert (saved.weekdays, saved.places_free, saved.version) == ("fre", 1, 3)
