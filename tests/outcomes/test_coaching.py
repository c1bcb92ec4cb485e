"""Coaching conversations in a course, relatives' own conversations, the soft guideline, the board."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from webapp.citizens.models import Meeting
from webapp.extensions import db
from webapp.timeutil import local

from ..factories import make_citizen, make_user
from .factories import TODAY, at_local, enrol, fresh, make_course, make_meeting, make_relative, make_run, make_theme

pytestmark = pytest.mark.usefixtures("clock")
HX = {"HX-Request": "true"}


@pytest.fixture
def staff(login):
    return login("staff", username="mads", full_name="Mads Madsen", initials="MM")


@pytest.fixture
def anna():
    return make_citizen("Anna", "Andersen")


@pytest.fixture
def course(anna):
    return make_course(anna, TODAY - timedelta(weeks=3))


def meetings():
    fresh()
    return db.session.scalars(select(Meeting).order_by(Meeting.starts_at)).all()


def mads_id():
    from webapp.auth.models import User

    fresh()
    return db.session.scalar(select(User.id).where(User.username == "mads"))


def test_coaching_page_shows_the_course_and_a_form(staff, anna, course):
    response = staff.get(f"/forloeb/{course.id}/coaching")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Coachende samtaler – Anna Andersen" in html
    assert "Ny coachende samtale" in html
    assert "Borgeren har ingen pårørende registreret." in html


def test_add_a_coaching_conversation_with_a_relative_present(staff, anna, course):
    mor = make_relative(anna)
    pia = make_user("pia", roles=("peer",), full_name="Pia Peer", initials="PP")
    response = staff.post(f"/forloeb/{course.id}/coaching", {
        "day": (TODAY - timedelta(days=1)).isoformat(), "at": "13:00", "minutes": "75",
        "staff1": str(mads_id()), "staff2": str(pia.id), "relative": str(mor.id)}, headers=HX)
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    assert "er gemt" in html and "med Bente Andersen" in html
    [meeting] = meetings()
    assert (meeting.kind, meeting.duration_minutes, meeting.relative_id, meeting.course_id) == (
        "coaching", 75, mor.id, course.id)
    assert meeting.status == "afholdt"  # in the past: held
    assert f"{local(meeting.starts_at):%H:%M}" == "13:00"


def test_a_future_conversation_is_planned(staff, anna, course):
    staff.post(f"/forloeb/{course.id}/coaching", {
        "day": (TODAY + timedelta(days=3)).isoformat(), "at": "10:00", "minutes": "60", "staff1": str(mads_id())},
        headers=HX)
    [meeting] = meetings()
    assert meeting.status == "planlagt"


def test_a_relative_may_have_a_conversation_of_their_own(staff, anna, course):
    mor = make_relative(anna)
    response = staff.post(f"/forloeb/{course.id}/paaroerende", {
        "rel-day": TODAY.isoformat(), "rel-at": "08:00", "rel-minutes": "45", "rel-staff1": str(mads_id()),
        "rel-relative": str(mor.id)}, headers=HX)
    assert response.status_code == 200
    [meeting] = meetings()
    assert meeting.kind == "paaroerende" and meeting.relative_id == mor.id
    # It is not a coaching conversation and cannot be rated with FIT.
    assert staff.get(f"/fit/borger/{anna.id}/samtale/{meeting.id}/ors").status_code == 422


def test_a_relatives_conversation_needs_the_relative(staff, anna, course):
    make_relative(anna)
    response = staff.post(f"/forloeb/{course.id}/paaroerende", {
        "rel-day": TODAY.isoformat(), "rel-at": "08:00", "rel-minutes": "45", "rel-staff1": str(mads_id())},
        headers=HX)
    assert response.status_code == 422
    assert "Vælg en fra listen." in response.get_data(as_text=True)
    assert meetings() == []


@pytest.mark.parametrize("change, message", [
    ({"day": "2026-01-01"}, "uden for forløbet"),
    ({"day": "10-03-2026"}, "Skriv en dato"),
    ({"at": "25:99"}, "Skriv et klokkeslæt"),
    ({"minutes": "0"}, "Varigheden skal være mellem 5 og 480"),
    ({"minutes": "lang"}, "Skriv et helt tal"),
    ({"staff1": "999999"}, "Vælg en fra listen."),
])
def test_bad_input_is_refused_in_danish_and_kept(staff, anna, course, change, message):
    data = {"day": TODAY.isoformat(), "at": "10:00", "minutes": "60", "staff1": str(mads_id()), **change}
    response = staff.post(f"/forloeb/{course.id}/coaching", data, headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    for value in change.values():
        if value != "999999":
            assert f'value="{value}"' in html
    assert meetings() == []


def test_the_other_staff_member_must_differ(staff, anna, course):
    response = staff.post(f"/forloeb/{course.id}/coaching", {
        "day": TODAY.isoformat(), "at": "10:00", "minutes": "60", "staff1": str(mads_id()),
        "staff2": str(mads_id())}, headers=HX)
    assert response.status_code == 422
    assert "to forskellige medarbejdere" in response.get_data(as_text=True)


def test_the_guideline_of_about_six_is_a_hint_never_a_block(staff, anna, course):
    for n in range(6):
        make_meeting(anna, course, when=at_local(TODAY - timedelta(days=20 - 3 * n)))
    html = staff.get(f"/forloeb/{course.id}/coaching").get_data(as_text=True)
    assert "Dette bliver samtale nr. 7" in html
    response = staff.post(f"/forloeb/{course.id}/coaching", {
        "day": TODAY.isoformat(), "at": "10:00", "minutes": "60", "staff1": str(mads_id())}, headers=HX)
    assert response.status_code == 200
    assert "Forløbet har 7 samtaler" in response.get_data(as_text=True)
    assert len(meetings()) == 7


def test_more_than_three_municipal_activities_shows_a_hint(staff, anna, course):
    make_meeting(anna, course, when=at_local(TODAY - timedelta(days=7)))
    for name in ("Mindfulness", "Dating", "NADA"):
        enrol(make_run(make_theme(name), start=TODAY - timedelta(days=8)), anna)
    html = staff.get(f"/forloeb/{course.id}/coaching").get_data(as_text=True)
    assert "4 kommunale aktiviteter" in html and "administreres fleksibelt" in html


def test_status_in_one_tap(staff, anna, course):
    meeting = make_meeting(anna, course, when=at_local(TODAY, 14), status="planlagt")
    response = staff.post(f"/forloeb/{course.id}/samtaler/{meeting.id}/status", {"status": "udeblevet"}, headers=HX)
    assert response.status_code == 200
    assert 'value="udeblevet" class="chip" aria-pressed="true"' in response.get_data(as_text=True)
    assert meetings()[0].status == "udeblevet"
    assert staff.post(f"/forloeb/{course.id}/samtaler/{meeting.id}/status", {"status": "x"},
                      headers=HX).status_code == 422


def test_edit_a_conversation(staff, anna, course):
    meeting = make_meeting(anna, course, when=at_local(TODAY - timedelta(days=1)))
    page = staff.get(f"/forloeb/{course.id}/samtaler/{meeting.id}")
    assert page.status_code == 200
    response = staff.post(f"/forloeb/{course.id}/samtaler/{meeting.id}", {
        "day": (TODAY - timedelta(days=2)).isoformat(), "at": "11:15", "minutes": "50", "staff1": str(mads_id())})
    assert response.status_code == 302
    [changed] = meetings()
    assert changed.duration_minutes == 50 and f"{local(changed.starts_at):%d %H:%M}" == "08 11:15"


def test_a_meeting_of_another_course_is_not_found(staff, anna, course):
    other = make_course(make_citizen("Bo"), TODAY - timedelta(days=5))
    meeting = make_meeting(anna, course, when=at_local(TODAY))
    assert staff.post(f"/forloeb/{other.id}/samtaler/{meeting.id}/status", {"status": "aflyst"}).status_code == 404


def test_the_day_board_shows_todays_coaching_with_initials_only(staff, anna, course):
    mads = db.session.get(type(make_user("x")), mads_id())
    make_meeting(anna, course, when=at_local(TODAY, 13), status="planlagt", staff1=mads)
    make_meeting(anna, course, when=at_local(TODAY, 15), status="aflyst", staff1=mads)
    html = staff.get("/dagstavle").get_data(as_text=True)
    assert "Coachende samtaler i dag" in html
    assert "13:00 A.A. · MM" in html
    assert "15:00" not in html  # cancelled
    assert "Andersen" not in html
