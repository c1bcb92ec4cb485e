"""The derived part of Bilag 6 and the hours per citizen, on a hand-built course whose hours are
worked out by hand below (minutes → hours)."""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine

from webapp.documentation.form import BILAG6_HOURS, bilag6
from webapp.outcomes.coaching import ACTIVITY_LABELS, MEETING_KIND_ACTIVITY, course_window, hours_by_activity
from webapp.outcomes.services import hours_per_course
from webapp.timeutil import LOCAL_TZ

from .factories import END, START, build_course

TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2026, 3, 20, 10, tzinfo=LOCAL_TZ), tick=False):
        yield


def H(text: str) -> Decimal:
    return Decimal(text)


def test_welfare_technology_has_its_own_activity():
    assert ACTIVITY_LABELS["welfare_technology"] == "Velfærdsteknologi"
    assert MEETING_KIND_ACTIVITY["velfaerdsteknologi"] == "welfare_technology"


def test_bilag6_hours_by_type_within_the_course():
    built = build_course()
    b = bilag6(built.course, TODAY)
    rows = {row.key: (row.with_citizen, row.staff) for row in b.hours}
    assert list(rows) == list(BILAG6_HOURS)  # Bilag 6's types, in its order, even when zero
    # coaching: 60 min (one staff) + 45 min (two staff); the missed one and the one after the end don't count
    assert rows["coaching"] == (H("1.75"), H("2.50"))  # 105 min; staff 60 + 2×45 = 150 min
    assert rows["welfare_technology"] == (H("0.50"), H("0.50"))
    assert rows["ad_hoc"] == (H("0.50"), H("0.50"))  # 30 min; the plain visit and the January help don't count
    assert rows["guide_conversation"] == (H("1.00"), H("2.00"))  # on the start day, two staff
    assert rows["network_meeting"] == (H("1.50"), H("3.00"))
    assert rows["outreach"] == (H("1.25"), H("1.25"))  # one 75-minute visit
    assert rows["nada"] == (H("2.00"), H("4.00"))  # 2 × 60 min attended (left early counts); 2 facilitators
    other = {row.key: (row.with_citizen, row.staff) for row in b.other_hours}
    assert other == {
        "follow_up": (H("0.50"), H("0.50")),  # 21:00 on the end day still counts
        "groups": (H("4.00"), H("4.00")),  # Mindfulness 2 × 120 min (one no-show); one facilitator
    }
    assert b.total == H("13.00")  # 1.75+0.5+0.5+1+1.5+1.25+2 + 0.5+4
    assert b.staff_total == H("18.25")  # 2.5+0.5+0.5+2+3+1.25+4 + 0.5+4


def test_bilag6_facts():
    built = build_course()
    b = bilag6(built.course, TODAY)
    assert b.enrolled_by == "Mette Madsen"
    assert b.window == (START, END)
    assert b.stop_reason_label == "Ikke længere behov"
    assert b.filled_on is None and b.documentation is None
    assert [(r.team_number, r.theme, r.start, r.stop) for r in b.group_runs] == [
        ("N-7", "NADA", date(2026, 2, 9), date(2026, 2, 16)),  # no stop of her own: the run's end
        ("M-3", "Mindfulness", date(2026, 2, 11), date(2026, 2, 27)),
    ]


def test_an_open_course_counts_to_today():
    built = build_course()
    built.course.end_date = None
    assert course_window(built.course, TODAY) == (START, TODAY)
    b = bilag6(built.course, TODAY)
    coaching = next(row for row in b.hours if row.key == "coaching")
    assert coaching.with_citizen == H("2.75")  # now the 10 March conversation is inside too


def test_hours_per_course_and_outside_any_course():
    built = build_course()
    per_course, outside = hours_per_course(built.citizen.id, TODAY)
    assert [row.course.id for row in per_course] == [built.course.id]
    assert per_course[0].hours.total == H("13.00")
    # After the course: the 60-minute coaching on 10 March; before it: 30 minutes of ad hoc help.
    assert outside.with_citizen["coaching"] == H("1.00") and outside.with_citizen["ad_hoc"] == H("0.50")
    assert outside.total == H("1.50")
    # Together they are everything logged for her: nothing counted twice, nothing lost.
    assert hours_by_activity(built.citizen.id).total == H("14.50")
