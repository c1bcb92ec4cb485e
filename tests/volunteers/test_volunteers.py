"""The volunteer world: search by theme, weekday and place on a hand-built set; who may change
what; bad input refused in Danish with what was typed kept; the audit rows name no citizen."""

import pytest
from markupsafe import escape
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.volunteers import services
from webapp.volunteers.models import VolunteerActivity, VolunteerOrganisation
from webapp.volunteers.vocab import join_weekdays, weekday_codes, weekday_labels

from ..factories import refresh
from .factories import make_activity, make_organisation

URL = "/frivillige"


def test_weekday_codes_are_kept_in_week_order_and_unknown_codes_dropped():
    assert join_weekdays(["fre", "man", "ons"]) == "man,ons,fre"
    assert weekday_codes("son, man,xyz") == ["man", "son"]
    assert weekday_labels("tir,lor") == "tirsdag, lørdag"


@pytest.fixture
def town(app):
    """Five activities: A motion Mon+Thu at Voldene; B motion Wed at Idrætscentret; C madklub Thu at
    Kulturhuset; D madklub Tue at Kulturhuset, paused; E selvhjælp Tue at Frivilligcentret of an
    organisation that is no longer active."""
    club = make_organisation("Idrætsforeningen")
    food = make_organisation("Madklubben")
    gone = make_organisation("Den gamle forening", active=False)
    return {
        "A": make_activity(club, "A gå-makker", "motion", "Voldene", ("man", "tor")),
        "B": make_activity(club, "B nybegyndere", "motion", "Idrætscentret", ("ons",)),
        "C": make_activity(food, "C fællesspisning", "madklub", "Kulturhuset", ("tor",), open_to_all=True,
                           places_free=None),
        "D": make_activity(food, "D madlavning", "madklub", "Kulturhuset", ("tir",), active=False),
        "E": make_activity(gone, "E samtalegruppe", "selvhjaelp", "Frivilligcentret", ("tir",)),
    }


@pytest.mark.parametrize("args, expected", [
    ({}, ["A", "B", "C"]),
    ({"tema": "motion"}, ["A", "B"]),
    ({"tema": "madklub"}, ["C"]),  # D is paused
    ({"tema": "selvhjaelp"}, []),  # E's organisation is not active
    ({"ugedag": "tor"}, ["A", "C"]),
    ({"ugedag": "tir"}, []),
    ({"sted": "kultur"}, ["C"]),
    ({"sted": "VOLD"}, ["A"]),
    ({"tema": "motion", "ugedag": "ons", "sted": "idræt"}, ["B"]),
    ({"sted": "%"}, []),  # a LIKE wildcard is a character, not a pattern
])
def test_the_search_by_theme_weekday_and_place(town, args, expected):
    found = services.search_activities(services.parse_search(args))
    assert [activity.title[0] for activity in found] == expected


@pytest.mark.parametrize("role", ["staff", "peer", "skp", "volunteer_coordinator", "leader"])
def test_staff_like_roles_browse_and_search_the_page(login, town, role):
    html = login(role).get(URL, query_string={"tema": "motion", "ugedag": "tor"}).get_data(as_text=True)
    assert "A gå-makker" in html and "B nybegyndere" not in html and "C fællesspisning" not in html
    keeper = role in ("volunteer_coordinator", "leader")
    assert ("Ny aktivitet" in html) is keeper
    assert ("D madlavning" in html) is keeper  # the paused list is the keepers'
    assert ('href="/frivillige/organisationer/ny"' in html) is keeper


@pytest.mark.parametrize("args, message", [
    ({"tema": "yoga"}, "Ukendt tema – vælg et tema fra listen."),
    ({"ugedag": "monday"}, "Ukendt ugedag – vælg en ugedag fra listen."),
    ({"sted": "x" * 101}, "Stedet er for langt – højst 100 tegn."),
])
def test_a_bad_search_is_refused_in_danish_keeping_what_was_typed(login, town, args, message):
    response = login("staff").get(URL, query_string={**args, "sted": args.get("sted", "Voldene")})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert escape(message) in html
    assert 'value="' + (args.get("sted", "Voldene")[:100]) + '"' in html


@pytest.mark.parametrize("role", ["staff", "peer", "skp", "secretariat"])
def test_only_the_coordinator_and_the_leader_change(login, town, role):
    visitor = login(role)
    organisation_id, activity_id = town["A"].organisation_id, town["A"].id
    assert visitor.post("/frivillige/organisationer/ny", {"name": "X"}).status_code == 403
    assert visitor.post(f"/frivillige/organisationer/{organisation_id}", {"name": "X"}).status_code == 403
    assert visitor.post("/frivillige/aktiviteter/ny", {"title": "X"}).status_code == 403
    assert visitor.post(f"/frivillige/aktiviteter/{activity_id}", {"title": "X"}).status_code == 403
    refresh()
    assert db.session.get(VolunteerActivity, activity_id).title == "A gå-makker"


def test_the_coordinator_adds_an_organisation_and_an_activity_audited_without_a_citizen(login):
    visitor = login("volunteer_coordinator")
    visitor.get("/frivillige/organisationer/ny")
    response = visitor.post("/frivillige/organisationer/ny", {
        "name": " Besøgsvennerne ", "contact_person": "Inger", "phone": "22 77 88 99",
        "email": "ven@example.dk", "address": "Vendersgade 4", "active": "y"})
    assert response.status_code == 302
    refresh()
    organisation = db.session.scalar(select(VolunteerOrganisation))
    assert (organisation.name, organisation.email, organisation.active) == ("Besøgsvennerne", "ven@example.dk", True)
    visitor.get(URL)
    response = visitor.post("/frivillige/aktiviteter/ny", {
        "organisation_id": str(organisation.id), "title": "Følgeskab til indkøb", "theme": "besoegsven",
        "place": "Nærområdet", "when_text": "efter aftale", "weekdays": ["fre", "man"], "places_free": "2",
        "can_handle": "Nervøsitet", "cannot_handle": "Akut krise"})
    assert response.status_code == 302
    refresh()
    activity = db.session.scalar(select(VolunteerActivity))
    assert (activity.weekdays, activity.places_free, activity.open_to_all, activity.active) == ("man,fre", 2, False, True)
    # (the coordinator's home, where her login lands, writes its own view row)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("volunteer_%"),
                                                         AuditEvent.action != "volunteer_home_viewed")
                                .order_by(AuditEvent.id)).all()
    assert [event.action for event in events] == ["volunteer_organisation_added", "volunteer_activity_added"]
    assert all(event.citizen_id is None for event in events)
    assert "Følgeskab til indkøb" in login("staff").get(URL, query_string={"ugedag": "fre"}).get_data(as_text=True)


def _activity_form(activity, **changes):
    data = {"organisation_id": str(activity.organisation_id), "title": activity.title, "theme": activity.theme,
            "place": activity.place, "when_text": "kl. 10", "weekdays": ["man"], "places_free": "3",
            "active": "aktiv"}
    data.update(changes)
    return data


def test_the_leader_pauses_and_resumes_an_activity(login, town):
    visitor = login("leader")
    activity = town["A"]
    url = f"/frivillige/aktiviteter/{activity.id}"
    assert visitor.get(url).status_code == 200
    assert visitor.post(url, _activity_form(activity, active="pause")).status_code == 302
    refresh()
    assert db.session.get(VolunteerActivity, activity.id).active is False
    assert "A gå-makker" not in login("staff").get(URL).get_data(as_text=True)
    assert visitor.post(url, _activity_form(activity, active="aktiv", open_to_all="y", places_free="")).status_code == 302
    refresh()
    resumed = db.session.get(VolunteerActivity, activity.id)
    assert (resumed.active, resumed.open_to_all, resumed.places_free) == (True, True, None)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(activity.id),
                                                                 AuditEvent.action.like("volunteer_activity_%"))
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["volunteer_activity_paused", "volunteer_activity_resumed"]


@pytest.mark.parametrize("field, typed, message", [
    ("title", "", "Skriv aktivitetens titel."),
    ("title", "T" * 10_000, "Titlen er for lang – højst 200 tegn."),
    ("places_free", "-3", "Skriv et helt tal."),
    ("theme", "yoga", "Ukendt valg – vælg en af mulighederne."),
])
def test_bad_activity_input_is_refused_in_danish_and_what_was_typed_is_kept(login, town, field, typed, message):
    visitor = login("volunteer_coordinator")
    activity = town["B"]
    url = f"/frivillige/aktiviteter/{activity.id}"
    visitor.get(url)
    data = _activity_form(activity, place="Hallen bag skolen", **{field: typed})
    response = visitor.post(url, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert escape(message) in html
    assert 'value="Hallen bag skolen"' in html
    if field in ("title", "places_free") and typed:
        assert f'value="{typed}"' in html
    refresh()
    assert db.session.get(VolunteerActivity, activity.id).place == "Idrætscentret"


def test_a_bad_weekday_code_is_refused_in_danish_and_the_good_ones_kept(login, town):
    visitor = login("volunteer_coordinator")
    activity = town["B"]
    visitor.get(URL)
    response = visitor.post("/frivillige/aktiviteter/ny",
                            _activity_form(activity, title="Ny ting", weekdays=["tir", "mon"]))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert escape("Ukendt ugedag – vælg blandt mandag til søndag.") in html
    assert 'value="Ny ting"' in html
    assert 'checked id="weekdays-1" name="weekdays" type="checkbox" value="tir"' in html or \
        ('value="tir"' in html and "checked" in html[html.index('value="tir"') - 80:html.index('value="tir"')])
    refresh()
    assert db.session.scalar(select(VolunteerActivity).where(VolunteerActivity.title == "Ny ting")) is None


def test_neither_places_nor_open_to_all_is_refused(login, town):
    visitor = login("volunteer_coordinator")
    visitor.get(URL)
    response = visitor.post("/frivillige/aktiviteter/ny", _activity_form(town["B"], title="Ny ting", places_free=""))
    assert response.status_code == 422
    assert "Skriv ledige pladser eller vælg »åben for alle«." in response.get_data(as_text=True)


@pytest.mark.parametrize("field, typed, message", [
    ("name", "", "Skriv organisationens navn."),
    ("name", "N" * 10_000, "Navnet er for langt – højst 200 tegn."),
    ("email", "ikke en adresse", "Skriv en gyldig e-mailadresse, fx kontakt@forening.dk."),
])
def test_bad_organisation_input_is_refused_in_danish_and_what_was_typed_is_kept(login, field, typed, message):
    visitor = login("volunteer_coordinator")
    visitor.get("/frivillige/organisationer/ny")
    data = {"name": "Madklubben", "contact_person": "Ahmad", "email": "mad@example.dk", field: typed}
    response = visitor.post("/frivillige/organisationer/ny", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert escape(message) in html
    assert 'value="Ahmad"' in html
    refresh()
    assert db.session.scalar(select(VolunteerOrganisation)) is None


def test_the_coordinator_edits_an_organisation_and_marks_it_inactive(login, town):
    visitor = login("volunteer_coordinator")
    organisation_id = town["C"].organisation_id
    url = f"/frivillige/organisationer/{organisation_id}"
    assert "Madklubben" in visitor.get(url).get_data(as_text=True)
    assert visitor.post(url, {"name": "Madklubben Fælles Bord", "phone": "23 12 34 56"}).status_code == 302
    refresh()
    organisation = db.session.get(VolunteerOrganisation, organisation_id)
    assert (organisation.name, organisation.active) == ("Madklubben Fælles Bord", False)
    assert "C fællesspisning" not in login("staff").get(URL).get_data(as_text=True)


def test_the_menu_line_is_the_coordinators_and_staff_reach_the_page_from_the_groups_page(login):
    visitor = login("volunteer_coordinator")
    assert visitor.get("/").headers["Location"].endswith("/frivilligkoordinator")  # her own home (#12)
    coordinator = visitor.get("/frivilligkoordinator").get_data(as_text=True)
    assert '<a href="/frivillige"' in coordinator
    assert '<a href="/frivillige"' not in login("leader").get("/").get_data(as_text=True)
    assert 'href="/frivillige"' in login("staff").get("/grupper").get_data(as_text=True)
