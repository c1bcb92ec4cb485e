"""The volunteer bridge over HTTP: staff ask, the coordinator works the queue and the match's
steps; the consent gate and the disclosure row; the options from week 4; the coordinator's need to
know; the group that carries on, naming only consenting participants."""

from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.auth.models import User
from webapp.extensions import db
from webapp.timeutil import today_local, utcnow
from webapp.volunteers.bridge import matches_for_citizen
from webapp.volunteers.bridge_models import VolunteerMatch, VolunteerRequest

from ..factories import make_citizen, make_user, refresh
from ..handover.factories import at, make_consent, make_course, make_guide_conversation
from ..outcomes.factories import enrol, make_run
from .factories import make_activity, make_match, make_organisation, make_request


@pytest.fixture
def walk_club(app):
    club = make_organisation("Idrætsforeningen", contact_person="Kim", phone="21 44 55 66")
    return {
        "walk": make_activity(club, "Gå-makker", "motion", "Voldene", ("man", "tor"), places_free=3),
        "full": make_activity(club, "Fuldt hold", "motion", "Hallen", ("man",), places_free=0),
        "food": make_activity(make_organisation("Madklubben"), "Fællesspisning", "madklub", "Kulturhuset", ("tor",),
                              open_to_all=True, places_free=None),
    }


def _events(action):
    refresh()
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


# --- asking --------------------------------------------------------------------------------------


def test_staff_ask_from_the_citizen_page_and_the_request_reaches_the_queue(login, walk_club):
    anna = make_citizen("Anna", "Andersen")
    staff = login("staff")
    page = staff.get(f"/borgere/{anna.id}").get_data(as_text=True)
    assert "Efterlys frivilligt tilbud" in page
    staff.get(f"/frivillige/borgere/{anna.id}/efterlys")
    refused = staff.post(f"/frivillige/borgere/{anna.id}/efterlys", {"wishes": "En gå-makker", "themes": ["yoga"]})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Ukendt tema" in html and "En gå-makker" in html  # Danish, and what was typed is kept
    response = staff.post(f"/frivillige/borgere/{anna.id}/efterlys", {
        "wishes": "En gå-makker om morgenen", "considerations": "Nervøs i store grupper",
        "themes": ["motion"], "weekdays": ["tor"], "origin": "borgerside"})
    assert response.status_code == 302
    row = db.session.scalars(select(VolunteerRequest)).one()
    assert (row.citizen_id, row.status, row.themes, row.weekdays, row.origin) == (anna.id, "aaben", "motion", "tor",
                                                                                   "borgerside")
    assert [e.citizen_id for e in _events("volunteer_request_created")] == [anna.id]

    coordinator = login("volunteer_coordinator", username="frida")
    queue = coordinator.get("/frivillige/efterlysninger").get_data(as_text=True)
    assert "Anna Andersen" in queue and "Nervøs i store grupper" in queue
    suggestions = queue.split("<h3>Forslag</h3>", 1)[1].split("</ul>", 1)[0]
    assert "Gå-makker" in suggestions and "Fuldt hold" not in suggestions and "Fællesspisning" not in suggestions
    assert [e.citizen_id for e in _events("volunteer_queue_viewed")] == [anna.id]


def test_the_queue_lists_open_requests_oldest_first(login, walk_club):
    first, second, closed = make_citizen("Bo", "Berg"), make_citizen("Cai", "Carl"), make_citizen("Dan", "Dal")
    make_request(second, created_at=utcnow() - timedelta(days=1))
    make_request(first, created_at=utcnow() - timedelta(days=5))
    make_request(closed, status="lukket")
    html = login("leader").get("/frivillige/efterlysninger").get_data(as_text=True)
    assert html.index("Bo Berg") < html.index("Cai Carl") and "Dan Dal" not in html


def test_the_guide_conversation_outcome_leads_to_the_request_form(login):
    anna = make_citizen("Anna")
    staff = login("staff", username="ulla")
    guide = make_guide_conversation(anna, at(today_local() + timedelta(days=1)), status="booket", outcome=None)
    me = db.session.scalar(select(User.id).where(User.username == "ulla"))
    staff.get(f"/guidesamtaler/{guide.id}")
    response = staff.post(f"/guidesamtaler/{guide.id}", {
        # Held yesterday morning: a time today could still lie ahead when the suite runs early.
        "date": (today_local() - timedelta(days=1)).isoformat(), "time": "09:00", "duration_minutes": "45",
        "staff1": str(me), "outcome": "frivilligt_tilbud"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert f"/frivillige/borgere/{anna.id}/efterlys?fra=guidesamtale&samtale={guide.id}" in response.headers["Location"]
    form = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="origin" type="hidden" value="guidesamtale"' in form
    saved = staff.post(f"/frivillige/borgere/{anna.id}/efterlys", {
        "origin": "guidesamtale", "guide_conversation_id": str(guide.id), "wishes": "Noget med mad",
        "themes": ["madklub"]})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    refresh()
    row = db.session.scalars(select(VolunteerRequest)).one()
    assert (row.origin, row.guide_conversation_id) == ("guidesamtale", guide.id)


# --- proposing and the steps ---------------------------------------------------------------------


def test_the_coordinator_proposes_and_records_every_step(login, walk_club):
    anna = make_citizen("Anna", "Andersen")
    make_consent(anna, recipient="frivillig_organisation", given_on=today_local() - timedelta(days=3),
                 purpose="Brobygning til frivilligt tilbud")
    row = make_request(anna)
    coordinator = login("volunteer_coordinator", username="frida")
    coordinator.get("/frivillige/efterlysninger")
    response = coordinator.post(f"/frivillige/efterlysninger/{row.id}/foreslaa",
                                {"activity_id": str(walk_club["walk"].id)})
    assert response.status_code == 302
    refresh()
    match = db.session.scalars(select(VolunteerMatch)).one()
    assert (match.state, db.session.get(VolunteerRequest, row.id).status) == ("foreslaaet", "matchet")
    today = today_local().isoformat()
    for state in ("kontakt_etableret", "opstartsmoede", "i_gang", "afsluttet"):
        coordinator.get(f"/frivillige/matches/{match.id}")
        refresh()
        version = db.session.get(VolunteerMatch, match.id).version
        response = coordinator.post(f"/frivillige/matches/{match.id}/skridt",
                                    {"state": state, "day": today, "comment": f"Skridt {state}", "version": version})
        assert response.status_code == 302, response.get_data(as_text=True)
    refresh()
    match = db.session.get(VolunteerMatch, match.id)
    assert [s.state for s in match.steps] == ["foreslaaet", "kontakt_etableret", "opstartsmoede", "i_gang", "afsluttet"]
    assert all(s.recorded_by is not None and s.recorded_by.username == "frida" for s in match.steps)
    assert [m.id for m in matches_for_citizen(anna.id)] == [match.id]
    # Done is done: no more steps.
    response = coordinator.post(f"/frivillige/matches/{match.id}/skridt", {"state": "faldet_fra", "day": today})
    assert response.status_code == 422


def test_a_step_backwards_a_future_day_or_a_stale_version_is_refused_keeping_the_text(login, walk_club):
    anna = make_citizen("Anna")
    match = make_match(anna, walk_club["walk"], state="opstartsmoede",
                       steps=(("foreslaaet", today_local() - timedelta(days=5)),
                              ("kontakt_etableret", today_local() - timedelta(days=4)),
                              ("opstartsmoede", today_local() - timedelta(days=2))))
    leader = login("leader")
    leader.get(f"/frivillige/matches/{match.id}")
    back = leader.post(f"/frivillige/matches/{match.id}/skridt", {
        "state": "kontakt_etableret", "day": today_local().isoformat(), "comment": "Ringede igen", "version": "1"})
    assert back.status_code == 422 and "Ringede igen" in back.get_data(as_text=True)
    early = leader.post(f"/frivillige/matches/{match.id}/skridt", {
        "state": "i_gang", "day": (today_local() - timedelta(days=3)).isoformat(), "comment": "Første gang",
        "version": "1"})
    assert early.status_code == 422 and escape("før det forrige skridt") in early.get_data(as_text=True)
    future = leader.post(f"/frivillige/matches/{match.id}/skridt", {
        "state": "i_gang", "day": (today_local() + timedelta(days=1)).isoformat(), "version": "1"})
    assert future.status_code == 422 and "fremtiden" in future.get_data(as_text=True)
    stale = leader.post(f"/frivillige/matches/{match.id}/skridt", {
        "state": "i_gang", "day": today_local().isoformat(), "comment": "Min kommentar", "version": "0"})
    assert stale.status_code == 409 and "Min kommentar" in stale.get_data(as_text=True)
    refresh()
    assert db.session.get(VolunteerMatch, match.id).state == "opstartsmoede"


def test_falling_off_reopens_the_request(login, walk_club):
    anna = make_citizen("Anna")
    row = make_request(anna, status="matchet")
    match = make_match(anna, walk_club["walk"], request=row, steps=(("foreslaaet", today_local()),))
    leader = login("leader")
    response = leader.post(f"/frivillige/matches/{match.id}/skridt", {
        "state": "faldet_fra", "day": today_local().isoformat(), "comment": "Ville ikke alligevel", "version": "1"})
    assert response.status_code == 302
    refresh()
    assert (db.session.get(VolunteerMatch, match.id).state, db.session.get(VolunteerRequest, row.id).status) == (
        "faldet_fra", "aaben")


# --- the consent gate ----------------------------------------------------------------------------


def test_telling_the_organisation_who_the_citizen_is_needs_consent_and_is_a_disclosure(login, walk_club):
    anna = make_citizen("Anna", "Andersen", phone="12345678")
    match = make_match(anna, walk_club["walk"], steps=(("foreslaaet", today_local()),))
    coordinator = login("volunteer_coordinator", username="frida")
    coordinator.get(f"/frivillige/matches/{match.id}")
    data = {"state": "kontakt_etableret", "day": today_local().isoformat(), "comment": "Ringede til Kim",
            "version": "1"}
    refused = coordinator.post(f"/frivillige/matches/{match.id}/skridt", data)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "intet gyldigt samtykke" in html and "Ringede til Kim" in html
    shown = coordinator.post(f"/frivillige/matches/{match.id}/kontaktoplysninger")
    assert shown.status_code == 422 and "12345678" not in shown.get_data(as_text=True)
    assert _events("volunteer_contact_disclosed") == []

    consent = make_consent(anna, recipient="frivillig_organisation", given_on=today_local() - timedelta(days=1),
                           purpose="Brobygning til frivilligt tilbud")
    shown = coordinator.post(f"/frivillige/matches/{match.id}/kontaktoplysninger")
    assert shown.status_code == 200 and "12345678" in shown.get_data(as_text=True)
    assert coordinator.post(f"/frivillige/matches/{match.id}/skridt", data).status_code == 302
    rows = _events("volunteer_contact_disclosed")
    assert [(e.citizen_id, e.object_type) for e in rows] == [(anna.id, "volunteer_match")] * 2
    assert rows[0].details == f"til Idrætsforeningen, samtykke {consent.id}"

    # Withdrawn: refused again.
    consent = db.session.get(type(consent), consent.id)
    consent.withdrawn_at = utcnow()
    db.session.commit()
    shown = coordinator.post(f"/frivillige/matches/{match.id}/kontaktoplysninger")
    assert shown.status_code == 422 and "12345678" not in shown.get_data(as_text=True)
    assert len(_events("volunteer_contact_disclosed")) == 2


# --- options from week 4 -------------------------------------------------------------------------


@pytest.mark.parametrize("days_in, shown", [(21, True), (20, False)])
def test_the_options_show_from_week_4_on_the_citizen_page_and_the_follow_up_form(login, walk_club, days_in, shown):
    anna = make_citizen("Anna")
    make_course(anna, today_local() - timedelta(days=days_in))
    staff = login("staff")
    for url in (f"/borgere/{anna.id}", f"/borgere/{anna.id}/moeder/ny?type=opfoelgning"):
        html = staff.get(url).get_data(as_text=True)
        assert ("Frivillige muligheder" in html) is shown, url
        if shown:  # no wishes yet: say so and offer the request
            assert "ingen ønsker fra borgeren" in html
    make_request(anna, themes=("madklub",), weekdays=("tor",))
    html = staff.get(f"/borgere/{anna.id}/moeder/ny?type=opfoelgning").get_data(as_text=True)
    assert ("Fællesspisning" in html) is shown and "Gå-makker" not in html
    assert "Frivillige muligheder" not in staff.get(f"/borgere/{anna.id}/moeder/ny?type=coaching").get_data(as_text=True)


# --- the coordinator's need to know --------------------------------------------------------------


def test_the_coordinator_sees_only_citizens_her_work_links_her_to(login, walk_club):
    linked, by_match, by_kickoff, other = (make_citizen("Anna"), make_citizen("Bo"), make_citizen("Cai"),
                                           make_citizen("Dan"))
    make_request(linked)
    make_match(by_match, walk_club["walk"], steps=(("foreslaaet", today_local()),))
    from webapp.citizens.models import Meeting

    db.session.add(Meeting(citizen_id=by_kickoff.id, kind="kickoff", starts_at=at(today_local() + timedelta(days=2))))
    db.session.commit()
    coordinator = login("volunteer_coordinator", username="frida")
    for citizen in (linked, by_match, by_kickoff):
        response = coordinator.get(f"/frivillige/borgere/{citizen.id}")
        assert response.status_code == 200 and citizen.first_name in response.get_data(as_text=True)
    assert coordinator.get(f"/frivillige/borgere/{other.id}").status_code == 403
    assert coordinator.get(f"/borgere/{linked.id}").status_code == 403  # not the full citizen page
    assert coordinator.get("/borgere").status_code == 403
    assert [e.citizen_id for e in _events("volunteer_citizen_viewed")] == [linked.id, by_match.id, by_kickoff.id]
    assert login("staff").get(f"/frivillige/borgere/{other.id}").status_code == 200


def test_the_coordinators_home(login, walk_club):
    anna, bo = make_citizen("Anna", "Andersen"), make_citizen("Bo", "Berg")
    make_request(anna)
    make_match(bo, walk_club["food"], state="i_gang", steps=(("foreslaaet", today_local()),))
    coordinator = login("volunteer_coordinator", username="frida")
    response = coordinator.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/frivilligkoordinator")
    html = coordinator.get("/frivilligkoordinator").get_data(as_text=True)
    assert "Anna Andersen" in html and "Bo Berg – Fællesspisning" in html and "I gang: 1" in html
    assert "Gå-makker" in html and "Fuldt hold" not in html.split("Aktiviteter med ledige pladser", 1)[1]
    assert ">Efterlysninger</a>" in html and ">Grupper der fortsætter</a>" in html and ">Dagstavle<" not in html
    assert {e.citizen_id for e in _events("volunteer_home_viewed")} == {anna.id, bo.id}


# --- a group carries on --------------------------------------------------------------------------


def test_a_run_carries_on_and_only_consenting_participants_are_named(login, walk_club):
    run = make_run(start=today_local() - timedelta(days=60), end=today_local() - timedelta(days=5))
    anna, bo, cai = make_citizen("Anna", "Andersen"), make_citizen("Bo", "Berg"), make_citizen("Cai", "Carl")
    for citizen in (anna, bo, cai):
        enrol(run, citizen)
    enrol(run, make_citizen("Dan", "Dal"), waiting=True)  # never took part
    make_consent(anna, recipient="frivillig_organisation", given_on=today_local() - timedelta(days=10))
    make_consent(bo, recipient="myndighedsafdelingen", given_on=today_local() - timedelta(days=10))  # another recipient
    staff = login("staff")
    assert "Fortsætter som frivilliggruppe" in staff.get(f"/grupper/hold/{run.id}").get_data(as_text=True)
    staff.get(f"/frivillige/hold/{run.id}/fortsaetter")
    organisation_id = walk_club["walk"].organisation_id
    early = staff.post(f"/frivillige/hold/{run.id}/fortsaetter", {
        "organisation_id": str(organisation_id), "continues_from": (run.start_date - timedelta(days=1)).isoformat(),
        "continues_note": "Mødes i Frivilligcentret"})
    assert early.status_code == 422 and "Mødes i Frivilligcentret" in early.get_data(as_text=True)
    response = staff.post(f"/frivillige/hold/{run.id}/fortsaetter", {
        "organisation_id": str(organisation_id), "continues_from": today_local().isoformat(),
        "continues_note": "Mødes i Frivilligcentret", "tilbage": "grupper"})
    assert response.status_code == 302
    html = login("volunteer_coordinator", username="frida").get("/frivillige/grupper-der-fortsaetter").get_data(
        as_text=True)
    assert "Anna Andersen" in html and "Bo Berg" not in html and "Cai Carl" not in html and "Dan Dal" not in html
    assert "2 deltagere uden samtykke nævnes ikke" in html and "Idrætsforeningen" in html
    assert [e.citizen_id for e in _events("volunteer_continuing_viewed")] == [anna.id]


def test_a_user_picks_the_coordinator_as_staff2_of_a_meeting(login):
    """She is no longer STAFF_LIKE, but she still joins meetings (the kick-off) as staff."""
    from webapp.auth.services import staff_members

    frida = make_user("frida", roles=("volunteer_coordinator",))
    assert frida.id in [u.id for u in staff_members()]
