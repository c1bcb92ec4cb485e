"""The kick-off meeting: which courses are proposed (week 16, or a closing planned by a handover),
booking and moving it with the coordinator invited, the Friday agenda and the day board, and the
coordinator's need to know on the booking page."""

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.auth.models import User
from webapp.citizens.models import Meeting
from webapp.citizens.register import CitizenError
from webapp.extensions import db
from webapp.handover.models import Handover
from webapp.meeting.sections import kickoff_items
from webapp.timeutil import LOCAL_TZ, as_utc, local, today_local
from webapp.volunteers import kickoff as rules
from webapp.volunteers.kickoff_routes import kickoffs_today

from ..citizens.factories import make_citizen_with_cpr, make_course, make_meeting
from ..factories import make_user, refresh

TODAY = date(2026, 12, 2)


def _course_in_week(week: int, first="Karen", cpr="0101901234", **fields):
    citizen = make_citizen_with_cpr(first, "Kickoffsen", cpr=cpr)
    return make_course(citizen, start=TODAY - timedelta(days=7 * (week - 1)), **fields)


def test_proposal_reason_from_week_16_or_a_planned_closing():
    assert rules.proposal_reason(15, None) is None
    assert rules.proposal_reason(16, None) == "Uge 16 af højst 20"
    assert rules.proposal_reason(21, None) == "Uge 21 af højst 20"
    assert rules.proposal_reason(5, "kladde") == "Afslutning planlagt: overdragelse under forberedelse (uge 5)"
    assert rules.proposal_reason(9, "sendt") == "Afslutning planlagt: overdragelse sendt (uge 9)"


def test_candidates_are_open_courses_at_week_16_or_with_a_handover_and_no_kickoff(app):
    week15 = _course_in_week(15, "Ib", "0101901111")
    week16 = _course_in_week(16, "Jens", "0101902222")
    closed = _course_in_week(18, "Kim", "0101903333", end=TODAY - timedelta(days=1))
    handover = _course_in_week(5, "Lis", "0101904444")
    db.session.add(Handover(citizen_id=handover.citizen_id, course_id=handover.id, status="kladde"))
    booked = _course_in_week(17, "Mads", "0101905555")
    make_meeting(booked.citizen, booked, kind="kickoff", status="planlagt",
                 starts_at=as_utc(datetime.combine(TODAY + timedelta(days=3), time(10), tzinfo=LOCAL_TZ)))
    cancelled = _course_in_week(17, "Nis", "0101906666")
    make_meeting(cancelled.citizen, cancelled, kind="kickoff", status="aflyst")
    db.session.commit()

    found = {c.course_id: c for c in rules.kickoff_candidates(TODAY)}
    assert set(found) == {week16.id, handover.id, cancelled.id}
    assert week15.id not in found and closed.id not in found and booked.id not in found
    assert found[week16.id].week == 16 and found[week16.id].citizen_name == "Jens K."
    assert found[handover.id].reason.startswith("Afslutning planlagt")
    assert [c.course_id for c in rules.kickoff_candidates(TODAY, [week16.id])] == [week16.id]


@pytest.fixture
def people(app):
    return {"staff": make_user("sara", roles=("staff",), full_name="Sara Stab", initials="SS"),
            "coordinator": make_user("frida", roles=("volunteer_coordinator",), full_name="Frida Frivillig",
                                     initials="FF")}


def _booking(day, people, at=time(10)):
    return rules.KickoffBooking(day, at, people["staff"], people["coordinator"])


def test_booking_invites_the_coordinator_and_moving_keeps_one_meeting(app, people):
    course = _course_in_week(16)
    now = as_utc(datetime.combine(TODAY, time(9), tzinfo=LOCAL_TZ))
    meeting = rules.book_kickoff(course, _booking(TODAY + timedelta(days=7), people), people["staff"], TODAY, now)
    db.session.commit()
    assert (meeting.kind, meeting.status, meeting.duration_minutes) == ("kickoff", "planlagt", 60)
    assert (meeting.staff1_id, meeting.staff2_id) == (people["staff"].id, people["coordinator"].id)
    assert rules.kickoff_candidates(TODAY, [course.id]) == []

    moved = rules.book_kickoff(course, _booking(TODAY + timedelta(days=9), people, time(13, 30)), people["staff"],
                               TODAY, now)
    db.session.commit()
    assert moved.id == meeting.id
    assert local(moved.starts_at).replace(tzinfo=None) == datetime.combine(TODAY + timedelta(days=9), time(13, 30))
    assert db.session.scalar(select(db.func.count()).select_from(Meeting).where(Meeting.kind == "kickoff")) == 1
    booked = rules.kickoffs_between(TODAY + timedelta(days=9), TODAY + timedelta(days=9))
    assert [(b.meeting_id, b.coordinator_id) for b in booked] == [(meeting.id, people["coordinator"].id)]
    assert rules.kickoffs_between(TODAY, TODAY + timedelta(days=8)) == []


@pytest.mark.parametrize(("case", "field", "words"), [
    ("past", "date", "fortiden"),
    ("outside", "date", "uden for forløbet"),
    ("closed", "date", "afsluttet"),
    ("no_coordinator", "coordinator", "frivilligkoordinatoren"),
    ("no_staff", "staff", "medarbejder"),
])
def test_bad_bookings_are_refused_in_danish(app, people, case, field, words):
    course = _course_in_week(16, end=TODAY if case == "closed" else None)
    day = {"past": TODAY - timedelta(days=2), "outside": TODAY + timedelta(days=60)}.get(case, TODAY + timedelta(days=3))
    booking = _booking(day, people)
    if case == "no_coordinator":
        booking.coordinator = None
    if case == "no_staff":
        booking.staff = None
    now = as_utc(datetime.combine(TODAY, time(9), tzinfo=LOCAL_TZ))
    with pytest.raises(CitizenError) as refused:
        rules.book_kickoff(course, booking, people["staff"], TODAY, now)
    assert refused.value.field == field and words in str(refused.value)


def test_the_friday_agenda_proposes_the_kickoff_with_a_booking_link(app, login):
    course = _course_in_week(16, "Jens", "0101902222")
    items = kickoff_items(TODAY)
    assert [(i.key, i.title, i.facts, i.kickoff_course_id) for i in items] == [
        (f"course-kickoff:{course.id}", "Jens K.", ["Uge 16 af højst 20"], course.id)]
    leader = login("leader")
    page = leader.get(f"/fredagsmoede?dato={TODAY.isoformat()}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Kick-off-møde med frivilligkoordinatoren" in html
    assert f"/forloeb/{course.id}/kickoff" in html


def test_the_day_board_shows_todays_kickoff_with_initials_only(app, people):
    course = _course_in_week(17, "Jens", "0101902222")
    make_meeting(course.citizen, course, kind="kickoff", status="planlagt", staff2_id=people["coordinator"].id,
                 starts_at=as_utc(datetime.combine(TODAY, time(14), tzinfo=LOCAL_TZ)))
    slot = kickoffs_today(TODAY)
    items = slot.items
    assert slot.heading == "Kick-off-møder i dag" and not slot.folded
    assert [i.text for i in items] == ["14:00 J.K. · med FF"]
    assert [i.discreet for i in items] == ["14:00 J.K. · med FF"]  # the tablet may show it as it is
    assert "Kickoffsen" not in items[0].text and items[0].citizen_id == course.citizen_id


def test_staff_book_from_the_citizen_page_and_the_coordinator_only_where_proposed(app, login):
    coordinator_user = make_user("frida", roles=("volunteer_coordinator",), full_name="Frida Frivillig")
    proposed = _course_in_week(16, "Jens", "0101902222")
    early = _course_in_week(3, "Ib", "0101901111")
    staff = login("staff")
    page = staff.get(f"/borgere/{proposed.citizen_id}").get_data(as_text=True)
    assert "Book kick-off-mødet" in page
    assert "Book kick-off-mødet" not in staff.get(f"/borgere/{early.citizen_id}").get_data(as_text=True)

    day = today_local() + timedelta(days=2)
    if day > proposed.start_date + timedelta(days=139):
        day = today_local()
    answer = staff.post(f"/forloeb/{proposed.id}/kickoff", data={
        "date": day.isoformat(), "time": "23:30", "staff": "", "coordinator": str(coordinator_user.id)})
    assert answer.status_code == 422  # no staff chosen: refused, what was typed kept
    body = answer.get_data(as_text=True)
    assert "Vælg en fra listen." in body and 'value="23:30"' in body

    me = db.session.scalar(select(User).where(User.username == "u_staff"))
    answer = staff.post(f"/forloeb/{proposed.id}/kickoff", data={
        "date": day.isoformat(), "time": "23:30", "staff": str(me.id), "coordinator": str(coordinator_user.id)})
    assert answer.status_code == 302, answer.headers
    refresh()
    meeting = db.session.scalar(select(Meeting).where(Meeting.kind == "kickoff"))
    assert meeting.staff2_id == coordinator_user.id and meeting.course_id == proposed.id
    assert db.session.scalar(select(AuditEvent.citizen_id).where(AuditEvent.action == "kickoff_booked")) == \
        proposed.citizen_id

    coordinator = login("volunteer_coordinator", username="frida2")
    assert coordinator.get(f"/forloeb/{early.id}/kickoff").status_code == 403
    other = _course_in_week(16, "Ole", "0101907777")
    assert coordinator.get(f"/forloeb/{other.id}/kickoff").status_code == 200
    # booked (with a colleague): the unit's coordinators share the kick-offs
    assert coordinator.get(f"/forloeb/{proposed.id}/kickoff").status_code == 200
