"""Group attendance reaches the Friday meeting (missed in a row) and the handover's activities."""

from datetime import date, timedelta

from webapp.handover.services import course_activities
from webapp.meeting.services import repeated_no_shows

from ..factories import make_citizen
from ..outcomes.factories import attend, enrol, make_course, make_run, make_theme, run_meetings


def test_two_missed_group_meetings_in_a_row_reach_the_friday_meeting(app):
    today = date(2026, 11, 27)
    anna = make_citizen("Anna", "Andersen")
    make_course(anna, today - timedelta(weeks=6))
    run = make_run(start=today - timedelta(weeks=3), meetings=3)
    enrol(run, anna, start=today - timedelta(weeks=3))
    first, second, third = run_meetings(run)
    attend(first, anna, "moedt")
    attend(second, anna, "ikke_moedt")
    attend(third, anna, "ikke_moedt")
    items = repeated_no_shows(today)
    assert [i.citizen_id for i in items] == [anna.id]
    # Attending the last meeting breaks the run of misses.
    from webapp.extensions import db
    from webapp.groups.models import GroupAttendance

    db.session.query(GroupAttendance).filter_by(meeting_id=third.id).update({"status": "moedt"})
    db.session.commit()
    assert repeated_no_shows(today) == []


def test_attended_group_meetings_are_activities_in_the_handover(app):
    today = date(2026, 11, 27)
    anna = make_citizen("Anna", "Andersen")
    course = make_course(anna, today - timedelta(weeks=6))
    run = make_run(make_theme("Struktur på din dag"), start=today - timedelta(weeks=3), meetings=3)
    enrol(run, anna, start=today - timedelta(weeks=3))
    first, second, third = run_meetings(run)
    attend(first, anna, "moedt")
    attend(second, anna, "gik_undervejs")
    attend(third, anna, "ikke_moedt")
    phrases = [a.phrase for a in course_activities(course, today)]
    assert "2 gruppemøder i Struktur på din dag" in phrases
