"""Groups through real HTTP: catalogue, runs, enrolment with capacity and waiting list, attendance in
one tap, the entrance board and the day board."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.groups import services as group_services
from webapp.groups.models import GroupAttendance, GroupEnrolment, GroupMeeting, GroupRun, GroupTheme
from webapp.timeutil import local

from ..factories import make_citizen, make_user
from ..outcomes.factories import (
    TODAY,
    at_local,
    attend,
    enrol,
    fresh,
    make_run,
    make_score,
    make_theme,
    run_meetings,
)

pytestmark = pytest.mark.usefixtures("clock")
HX = {"HX-Request": "true"}


@pytest.fixture
def staff(login):
    return login("staff", username="mads", full_name="Mads Madsen", initials="MM")


def user_id(username):
    from webapp.auth.models import User

    fresh()
    return db.session.scalar(select(User.id).where(User.username == username))


# --- catalogue -------------------------------------------------------------------------------------


def test_the_report_themes_can_be_seeded_and_are_listed(staff):
    group_services.ensure_default_themes()
    db.session.commit()
    assert group_services.ensure_default_themes() == 0  # idempotent
    html = staff.get("/grupper").get_data(as_text=True)
    for name in ("NADA", "Struktur på din dag", "Dig og dit dilemma", "Dating", "Mindfulness",
                 "Aktivitet og sundhed", "Mobning", "At være sensitiv", "Følelseshåndtering"):
        assert name in html
    assert "Højst 8 deltagere" in html


def test_create_and_edit_a_theme(staff):
    response = staff.post("/grupper/tema/ny", {
        "name": "Kreativ hverdag", "description": "Maling og ler.", "max_participants": "6",
        "usual_meetings": "5", "meeting_minutes": "120", "place": "frivilligcenter", "hours_activity": "groups",
        "active": "y"})
    assert response.status_code == 302
    fresh()
    theme = db.session.scalar(select(GroupTheme).where(GroupTheme.name == "Kreativ hverdag"))
    assert (theme.max_participants, theme.place, theme.active) == (6, "frivilligcenter", True)
    duplicate = staff.post("/grupper/tema/ny", {"name": "kreativ hverdag", "max_participants": "8",
                                                "usual_meetings": "6", "meeting_minutes": "120"})
    assert duplicate.status_code == 422 and "findes allerede" in duplicate.get_data(as_text=True)
    bad = staff.post(f"/grupper/tema/{theme.id}", {"name": "Kreativ hverdag", "max_participants": "99",
                                                    "usual_meetings": "6", "meeting_minutes": "120"})
    assert bad.status_code == 422 and "Antallet skal være mellem 1 og 30" in bad.get_data(as_text=True)
    assert 'value="99"' in bad.get_data(as_text=True)


# --- runs ------------------------------------------------------------------------------------------


def run_form(**change):
    data = {"team_number": "2026-05", "start_date": "2026-03-16", "at": "13:00", "meetings": "4",
            "minutes": "120", "place": "din_indgang", "capacity": "8", "facilitator1": str(user_id("mads")),
            "facilitator2": ""}
    data.update(change)
    return data


def test_a_run_gets_weekly_meetings_and_two_facilitators_one_may_be_a_peer(staff):
    theme = make_theme("Dig og dit dilemma")
    pia = make_user("pia", roles=("peer",), full_name="Pia Peer", initials="PP")
    page = staff.get(f"/grupper/tema/{theme.id}/nyt-hold").get_data(as_text=True)
    assert 'value="2026-01"' in page  # the next free team number
    response = staff.post(f"/grupper/tema/{theme.id}/nyt-hold", run_form(facilitator2=str(pia.id)))
    assert response.status_code == 302
    fresh()
    run = db.session.scalar(select(GroupRun))
    assert (run.team_number, run.start_date, run.end_date) == ("2026-05", date(2026, 3, 16), date(2026, 4, 6))
    assert {u.initials for u in run.facilitators} == {"MM", "PP"}
    times = [local(m.starts_at) for m in run_meetings(run)]
    assert [t.date() for t in times] == [date(2026, 3, 16), date(2026, 3, 23), date(2026, 3, 30), date(2026, 4, 6)]
    assert {f"{t:%H:%M}" for t in times} == {"13:00"}
    page = staff.get(f"/grupper/hold/{run.id}").get_data(as_text=True)
    assert "Pia Peer" in page and "Mads Madsen" in page


@pytest.mark.parametrize("change, message", [
    ({"team_number": "2026-07", "end_date": "2026-03-20"}, "rækker ud over slutdatoen"),
    ({"start_date": "16/03/2026"}, "Skriv en dato"),
    ({"meetings": "0"}, "Antallet af møder skal være mellem 1 og 30"),
    ({"facilitator1": ""}, "Vælg en fra listen."),
])
def test_bad_run_input_is_refused_and_kept(staff, change, message):
    theme = make_theme()
    response = staff.post(f"/grupper/tema/{theme.id}/nyt-hold", run_form(**change))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'value="13:00"' in html
    fresh()
    assert db.session.scalars(select(GroupRun)).all() == []


def test_a_meeting_outside_its_run_is_refused(staff):
    run = make_run(start=date(2026, 3, 2), meetings=4)  # ends 23 March
    response = staff.post(f"/grupper/hold/{run.id}/moeder", {"day": "2026-04-20", "at": "10:00", "minutes": "120"},
                          headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "uden for holdets periode" in html and 'value="2026-04-20"' in html
    ok = staff.post(f"/grupper/hold/{run.id}/moeder", {"day": "2026-03-19", "at": "10:00", "minutes": "90"},
                    headers=HX)
    assert ok.status_code == 200 and "er tilføjet" in ok.get_data(as_text=True)
    assert len(run_meetings(run)) == 5


def test_cancel_and_reinstate_a_meeting(staff):
    run = make_run()
    first = run_meetings(run)[0]
    staff.post(f"/grupper/hold/{run.id}/moeder/{first.id}/aflys", headers=HX)
    fresh()
    assert db.session.get(GroupMeeting, first.id).cancelled
    staff.post(f"/grupper/hold/{run.id}/moeder/{first.id}/aflys", headers=HX)
    fresh()
    assert not db.session.get(GroupMeeting, first.id).cancelled
    other = make_run(make_theme("Dating"))
    assert staff.post(f"/grupper/hold/{other.id}/moeder/{first.id}/aflys").status_code == 404


def test_edit_a_run(staff):
    run = make_run(start=date(2026, 3, 2), meetings=4)
    response = staff.post(f"/grupper/hold/{run.id}/rediger", {
        "end_date": "2026-03-10", "capacity": "6", "place": "din_indgang", "facilitator1": str(user_id("mads"))})
    assert response.status_code == 422  # a meeting on 16 and 23 March lies after it
    assert "efter den nye slutdato" in response.get_data(as_text=True)
    response = staff.post(f"/grupper/hold/{run.id}/rediger", {
        "end_date": "2026-04-30", "capacity": "6", "place": "frivilligcenter", "facilitator1": str(user_id("mads"))})
    assert response.status_code == 302
    fresh()
    assert (db.session.get(GroupRun, run.id).capacity, db.session.get(GroupRun, run.id).place) == (
        6, "frivilligcenter")


# --- enrolment -------------------------------------------------------------------------------------


def test_enrolment_up_to_capacity_then_the_waiting_list_is_offered(staff):
    run = make_run(make_theme("Dating", capacity=2), start=date(2026, 3, 16))
    anna, bo, cille = make_citizen("Anna"), make_citizen("Bo"), make_citizen("Cille")
    for citizen in (anna, bo):
        response = staff.post(f"/grupper/hold/{run.id}/tilmeld",
                              {"citizen_id": str(citizen.id), "start_date": "2026-03-16"}, headers=HX)
        assert response.status_code == 200
        assert f"{citizen.first_name} er tilmeldt holdet." in response.get_data(as_text=True)
    full = staff.post(f"/grupper/hold/{run.id}/tilmeld", {"citizen_id": str(cille.id), "start_date": "2026-03-16"},
                      headers=HX)
    assert full.status_code == 422
    html = full.get_data(as_text=True)
    assert "Holdet er fuldt (2 af 2 pladser)" in html
    assert "Sæt Cille på ventelisten" in html
    waiting = staff.post(f"/grupper/hold/{run.id}/tilmeld", {"citizen_id": str(cille.id), "start_date": "2026-03-16",
                                                             "waiting_list": "y"}, headers=HX)
    assert waiting.status_code == 200 and "sat på ventelisten" in waiting.get_data(as_text=True)
    fresh()
    rows = {e.citizen_id: e for e in db.session.scalars(select(GroupEnrolment))}
    assert rows[cille.id].waiting and not rows[anna.id].waiting

    # Bo stops; Cille can be admitted from the waiting list.
    assert staff.post(f"/grupper/hold/{run.id}/tilmeldinger/{rows[cille.id].id}/optag",
                      headers=HX).status_code == 422
    staff.post(f"/grupper/hold/{run.id}/tilmeldinger/{rows[bo.id].id}/stop", {"stop_date": "2026-03-09"}, headers=HX)
    stopped = staff.post(f"/grupper/hold/{run.id}/tilmeldinger/{rows[bo.id].id}/stop",
                         {"stop_date": "2026-03-16"}, headers=HX)
    assert stopped.status_code == 200, re.findall(r'role="alert"><p>([^<]+)', stopped.get_data(as_text=True))
    admitted = staff.post(f"/grupper/hold/{run.id}/tilmeldinger/{rows[cille.id].id}/optag", headers=HX)
    assert admitted.status_code == 200 and "optaget" in admitted.get_data(as_text=True)


def test_stop_date_before_start_is_refused(staff):
    run = make_run(start=date(2026, 3, 2))
    enrolment = enrol(run, make_citizen("Anna"))
    response = staff.post(f"/grupper/hold/{run.id}/tilmeldinger/{enrolment.id}/stop", {"stop_date": "2026-02-01"},
                          headers=HX)
    assert response.status_code == 422 and "før startdatoen" in response.get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({"start_date": "2026-03-16"}, "Find og vælg borgeren først."),
    ({"citizen_id": "999999", "start_date": "2026-03-16"}, "Borgeren findes ikke"),
    ({"citizen_id": "ANNA", "start_date": "2026-03-16"}, "Skriv et helt tal"),
    ({"citizen_id": "ANNA", "start_date": "2026-01-01"}, "før holdets start"),
])
def test_bad_enrolment_input(staff, data, message):
    run = make_run(start=date(2026, 3, 16))
    anna = make_citizen("Anna")
    data = {k: (str(anna.id) if v == "ANNA" and message != "Skriv et helt tal" else v) for k, v in data.items()}
    response = staff.post(f"/grupper/hold/{run.id}/tilmeld", data, headers=HX)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_twice_on_the_same_run_is_refused(staff):
    run = make_run(start=date(2026, 3, 16))
    anna = make_citizen("Anna")
    enrol(run, anna)
    response = staff.post(f"/grupper/hold/{run.id}/tilmeld", {"citizen_id": str(anna.id), "start_date": "2026-03-16"},
                          headers=HX)
    assert response.status_code == 422 and "allerede tilmeldt" in response.get_data(as_text=True)


def test_citizen_search_for_enrolment(staff):
    run = make_run()
    make_citizen("Annika", "Holm")
    html = staff.post(f"/grupper/hold/{run.id}/borgere", {"q": "ann"}, headers=HX).get_data(as_text=True)
    assert "Annika Holm" in html and 'name="citizen_id"' in html


# --- attendance ------------------------------------------------------------------------------------


def attendance():
    fresh()
    return {(a.meeting_id, a.citizen_id): a.status for a in db.session.scalars(select(GroupAttendance))}


def test_attendance_in_one_tap_per_person_and_a_second_tap_undoes(staff):
    run = make_run(start=date(2026, 3, 2))
    anna, bo = make_citizen("Anna", "Andersen"), make_citizen("Bo", "Berg")
    enrol(run, anna)
    enrol(run, bo)
    meeting = run_meetings(run)[1]  # Monday 9 March
    page = staff.get(f"/grupper/moede/{meeting.id}").get_data(as_text=True)
    assert "Anna Andersen" in page and "Bo Berg" in page
    assert page.count('aria-pressed="true"') == 0
    url = f"/grupper/moede/{meeting.id}/fremmoede"
    response = staff.post(url, {"citizen_id": str(anna.id), "status": "moedt"}, headers=HX)
    assert response.status_code == 200
    row = response.get_data(as_text=True)
    assert row.lstrip().startswith(f'<li id="attendance-{anna.id}"')
    assert 'value="moedt" class="attend attend-moedt" aria-pressed="true"' in row
    assert "/gruppemoede/" in row and "GSRS" in row  # the tablet form for the group session
    staff.post(url, {"citizen_id": str(bo.id), "status": "gik_undervejs"}, headers=HX)
    assert attendance() == {(meeting.id, anna.id): "moedt", (meeting.id, bo.id): "gik_undervejs"}
    staff.post(url, {"citizen_id": str(bo.id), "status": "ikke_moedt"}, headers=HX)
    staff.post(url, {"citizen_id": str(anna.id), "status": "moedt"}, headers=HX)  # mistap undone
    assert attendance() == {(meeting.id, bo.id): "ikke_moedt"}
    fresh()
    assert db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc())).first() == (
        "group_attendance_recorded")


def test_attendance_is_never_a_warning(staff):
    run = make_run(start=date(2026, 3, 2))
    anna = make_citizen("Anna")
    enrol(run, anna)
    meeting = run_meetings(run)[0]
    html = staff.post(f"/grupper/moede/{meeting.id}/fremmoede", {"citizen_id": str(anna.id), "status": "ikke_moedt"},
                      headers=HX).get_data(as_text=True)
    for word in ("advarsel", "fravær", "urgent", "danger"):
        assert word not in html.lower()


@pytest.mark.parametrize("case", ["not_enrolled", "waiting", "stopped_before", "unknown_status", "no_citizen"])
def test_attendance_for_someone_not_on_the_run_is_refused(staff, case):
    run = make_run(start=date(2026, 3, 2))
    anna = make_citizen("Anna")
    meeting = run_meetings(run)[2]  # 16 March
    status = "moedt"
    citizen_id = str(anna.id)
    if case == "waiting":
        enrol(run, anna, waiting=True)
    elif case == "stopped_before":
        enrol(run, anna, stop=date(2026, 3, 10))
    elif case == "unknown_status":
        enrol(run, anna)
        status = "syg"
    elif case == "no_citizen":
        citizen_id = "abc"
    response = staff.post(f"/grupper/moede/{meeting.id}/fremmoede", {"citizen_id": citizen_id, "status": status},
                          headers=HX)
    assert response.status_code == 422
    assert "form-errors" in response.get_data(as_text=True)
    assert attendance() == {}


def test_attendance_on_a_cancelled_meeting_is_refused(staff):
    run = make_run(start=date(2026, 3, 2))
    anna = make_citizen("Anna")
    enrol(run, anna)
    meeting = run_meetings(run)[0]
    meeting.cancelled = True
    db.session.commit()
    response = staff.post(f"/grupper/moede/{meeting.id}/fremmoede", {"citizen_id": str(anna.id), "status": "moedt"},
                          headers=HX)
    assert response.status_code == 422 and "aflyst" in response.get_data(as_text=True)


def test_run_page_shows_gsrs_per_meeting(staff):
    run = make_run(start=date(2026, 3, 2))
    anna, bo = make_citizen("Anna"), make_citizen("Bo")
    enrol(run, anna)
    enrol(run, bo)
    first, second = run_meetings(run)[:2]
    make_score(anna, group_meeting=first, scale="GSRS", items=(9, 9, 9, 9))
    make_score(bo, group_meeting=first, scale="GSRS", items=(8, 8, 8, 8))
    make_score(anna, group_meeting=second, scale="GSRS", items=None)  # skipped: not in the average
    attend(first, anna)
    html = staff.get(f"/grupper/hold/{run.id}").get_data(as_text=True)
    assert "Gruppens vurdering (GSRS) pr. møde" in html
    assert ">34</text>" in html or ">34,0</text>" in html  # (36 + 32) / 2
    assert "2 svar" in html and "ingen svar" in html
    assert "1 mødt" in html


# --- boards ----------------------------------------------------------------------------------------


def test_entrance_board_is_public_and_shows_no_names(client):
    theme = make_theme("Mindfulness")
    run = make_run(theme, start=date(2026, 3, 16), hour=13)
    enrol(run, make_citizen("Hemmelig", "Hemmeligsen"))
    make_run(make_theme("Gammelt hold"), start=date(2025, 1, 6))  # ended long ago
    response = client.get("/grupper/aktuelle")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Mindfulness" in html and "Starter 16. mar 2026" in html and "mandage kl. 13:00" in html
    assert "Hemmelig" not in html and "Gammelt hold" not in html
    assert "Der er plads" in html
    assert 'class="mainnav"' not in html


def test_the_day_board_shows_todays_groups(staff):
    pia = make_user("pia", roles=("peer",), full_name="Pia Peer", initials="PP")
    mads = db.session.get(type(pia), user_id("mads"))
    run = make_run(make_theme("NADA", minutes=60), start=TODAY, hour=11, facilitators=(mads, pia))
    enrol(run, make_citizen("Anna", "Andersen"))
    enrol(run, make_citizen("Bo", "Berg"))
    enrol(run, make_citizen("Cille", "Carlsen"), waiting=True)
    make_run(make_theme("Dating"), start=TODAY + timedelta(days=1))
    html = staff.get("/dagstavle").get_data(as_text=True)
    assert "Grupper i dag" in html
    assert "11:00 NADA · Din Indgang · MM og PP · 2 tilmeldt" in html
    assert "Dating" not in html
    assert "Andersen" not in html and "Anna" not in html


def test_meeting_times_are_local(staff):
    run = make_run(start=date(2026, 3, 23), hour=10, meetings=2)  # across the switch to summer time
    assert [f"{local(m.starts_at):%H:%M}" for m in run_meetings(run)] == ["10:00", "10:00"]
    assert at_local(date(2026, 3, 30)).hour == 8  # 10:00 CEST is 08:00 UTC
