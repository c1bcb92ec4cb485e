"""Guide conversations and courses through HTTP: start on the citizen's yes, milestones, closing,
returns, meetings – and the rules' Danish messages."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from webapp.citizens.models import Course, GuideConversation, Meeting
from webapp.extensions import db

from ..factories import make_citizen, make_user, refresh
from .factories import make_citizen_with_cpr, make_course, make_guide

TODAY = date(2026, 11, 23)  # a Monday


@pytest.fixture
def staff(login, time_machine):
    time_machine.move_to("2026-11-23 10:00:00+01:00", tick=False)
    return login("staff", username="mads", has_authority_experience=False)


def test_book_and_hold_a_guide_conversation_flags_missing_authority_experience(staff):
    nancy = make_citizen_with_cpr()
    peer = make_user("pia", roles=("peer",))
    staff.get(f"/borgere/{nancy.id}/guidesamtale")
    past = staff.post(f"/borgere/{nancy.id}/guidesamtale", {"date": "2026-11-20", "time": "10:00"})
    assert past.status_code == 422
    assert "fortiden" in past.get_data(as_text=True)
    assert staff.post(f"/borgere/{nancy.id}/guidesamtale", {"date": "2026-11-24", "time": "10:00"}).status_code == 302
    refresh()
    guide = db.session.scalars(select(GuideConversation)).one()
    staff.get(f"/guidesamtaler/{guide.id}")
    me = staff.token and db.session.scalar(select(GuideConversation.created_by_id))
    response = staff.post(f"/guidesamtaler/{guide.id}", {
        "date": "2026-11-23", "time": "09:00", "duration_minutes": "60", "staff1": str(me),
        "staff2": str(peer.id), "outcome": "forloeb"})
    assert response.status_code == 302
    refresh()
    guide = db.session.get(GuideConversation, guide.id)
    assert (guide.status, guide.outcome, guide.lacks_authority_experience) == ("afholdt", "forloeb", True)


def test_direct_to_authority_needs_a_reason(staff):
    nancy = make_citizen_with_cpr()
    leader = make_user("lene", roles=("leader",), has_authority_experience=True)
    staff.get(f"/borgere/{nancy.id}/guidesamtale")
    data = {"date": "2026-11-23", "time": "09:00", "staff1": str(leader.id), "outcome": "direkte_myndighed"}
    response = staff.post(f"/borgere/{nancy.id}/guidesamtale/afholdt", data)
    assert response.status_code == 422
    assert "Skriv hvorfor" in response.get_data(as_text=True)
    data["direct_authority_reason"] = "Har brug for bostøtte nu"
    assert staff.post(f"/borgere/{nancy.id}/guidesamtale/afholdt", data).status_code == 302
    refresh()
    guide = db.session.scalars(select(GuideConversation)).one()
    assert guide.lacks_authority_experience is False


def test_start_a_course_needs_cpr_and_only_one_can_be_open(staff):
    anna = make_citizen("Anna", "Andersen")
    staff.get(f"/borgere/{anna.id}")
    staff.post(f"/borgere/{anna.id}/forloeb", {"start_date": "2026-11-23"})
    assert "kræver borgerens CPR-nummer" in staff.get(f"/borgere/{anna.id}").get_data(as_text=True)
    nancy = make_citizen_with_cpr()
    assert staff.post(f"/borgere/{nancy.id}/forloeb", {"start_date": "2026-11-23"}).status_code == 302
    staff.post(f"/borgere/{nancy.id}/forloeb", {"start_date": "2026-11-23"})
    assert "allerede et åbent forløb" in staff.get(f"/borgere/{nancy.id}").get_data(as_text=True)
    refresh()
    assert len(db.session.scalars(select(Course)).all()) == 1


def test_citizen_page_shows_progress_and_milestones(staff):
    nancy = make_citizen_with_cpr()
    make_course(nancy, start=TODAY - timedelta(days=45))
    html = staff.get(f"/borgere/{nancy.id}").get_data(as_text=True)
    assert "Uge 7 af højst 20" in html
    assert '<progress class="course-progress" max="140" value="46"' in html
    assert "Forsinket</span>\n        Første opfølgning senest" in html
    assert "Psykisk syg" not in html  # never a diagnosis on the citizen page


def test_close_course_with_stop_reason_and_goal_attainment(staff):
    nancy = make_citizen_with_cpr()
    course = make_course(nancy, start=TODAY - timedelta(days=60))
    staff.get(f"/forloeb/{course.id}/afslut")
    url = f"/forloeb/{course.id}/afslut"
    bad = staff.post(url, {"end_date": "2026-11-23", "stop_reason": "ILB", "next_step": "ingen_behov",
                           "goal_attainment": "4.5"})
    assert bad.status_code == 422
    assert "mellem 1 og 4" in bad.get_data(as_text=True)
    before = staff.post(url, {"end_date": (TODAY - timedelta(days=61)).isoformat(), "stop_reason": "ILB",
                              "next_step": "ingen_behov"})
    assert "før startdato" in before.get_data(as_text=True)
    ok = staff.post(url, {"end_date": "2026-11-23", "stop_reason": "ILB", "next_step": "ingen_behov",
                          "goal_attainment": "3.5"})
    assert ok.status_code == 302
    refresh()
    course = db.session.get(Course, course.id)
    assert (course.end_date, course.stop_reason, float(course.goal_attainment)) == (TODAY, "ILB", 3.5)


def test_a_course_can_never_run_past_twenty_weeks(staff):
    nancy = make_citizen_with_cpr()
    course = make_course(nancy, start=TODAY - timedelta(days=150))
    staff.get(f"/forloeb/{course.id}/afslut")
    response = staff.post(f"/forloeb/{course.id}/afslut", {"end_date": "2026-11-23", "stop_reason": "P",
                                                            "next_step": "andet_tilbud"})
    assert response.status_code == 422
    assert "højst vare 20 uger" in response.get_data(as_text=True)


def test_a_return_is_one_tap_from_a_closed_course(staff):
    nancy = make_citizen_with_cpr()
    make_course(nancy, start=TODAY - timedelta(days=200), end=TODAY - timedelta(days=100), stop_reason="ILB")
    html = staff.get(f"/borgere/{nancy.id}").get_data(as_text=True)
    assert "Start nyt forløb (tilbagevenden)" in html
    staff.post(f"/borgere/{nancy.id}/forloeb", {"start_date": "2026-11-23"})
    refresh()
    new = db.session.scalars(select(Course).order_by(Course.id.desc())).first()
    assert new.is_return and new.end_date is None


def test_meetings_follow_ups_inside_the_course_only(staff):
    nancy = make_citizen_with_cpr()
    make_course(nancy, start=TODAY - timedelta(days=10))
    staff.get(f"/borgere/{nancy.id}/moeder/ny")
    outside = staff.post(f"/borgere/{nancy.id}/moeder/ny", {"kind": "opfoelgning", "date": "2026-11-01",
                                                             "time": "10:00", "status": "afholdt"})
    assert outside.status_code == 422
    assert "uden for forløbet" in outside.get_data(as_text=True)
    future_held = staff.post(f"/borgere/{nancy.id}/moeder/ny", {"kind": "coaching", "date": "2026-11-30",
                                                                 "time": "10:00", "status": "afholdt"})
    assert "fremtiden" in future_held.get_data(as_text=True)
    ok = staff.post(f"/borgere/{nancy.id}/moeder/ny", {"kind": "opfoelgning", "date": "2026-11-20",
                                                        "time": "10:00", "status": "afholdt",
                                                        "duration_minutes": "45"})
    assert ok.status_code == 302
    refresh()
    meeting = db.session.scalars(select(Meeting)).one()
    assert (meeting.kind, meeting.duration_minutes) == ("opfoelgning", 45)
    html = staff.get(f"/borgere/{nancy.id}").get_data(as_text=True)
    assert "Gjort</span>\n        Første opfølgning" in html


def test_board_shows_due_follow_ups_assessments_and_endings_discreetly(staff):
    nancy = make_citizen_with_cpr("Nancy", "Berggren")
    make_course(nancy, start=TODAY - timedelta(days=30))  # first follow-up overdue
    olga = make_citizen_with_cpr("Olga", "Olsen", "0101801234")
    make_course(olga, start=TODAY - timedelta(days=66))  # week 10 assessment due this week
    per = make_citizen_with_cpr("Per", "Petersen", "0202701234")
    make_course(per, start=TODAY - timedelta(days=130))  # ends within two weeks
    html = staff.get("/dagstavle").get_data(as_text=True)
    assert "Nancy B. – opfølgning" in html and "Forsinket:" in html
    assert "Olga O. – uge 10-vurdering" in html
    assert "Per P. – slutter senest" in html
    assert "Berggren" not in html and "251248" not in html


def test_a_guide_booked_for_today_is_on_the_board(staff):
    nancy = make_citizen_with_cpr()
    from webapp.timeutil import utcnow

    make_guide(nancy, scheduled_at=utcnow() + timedelta(hours=3))
    html = staff.get("/dagstavle").get_data(as_text=True)
    assert "N.B." in html and "13:00" in html
