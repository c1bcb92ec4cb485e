"""Service functions other features call: hours per activity, the course chart for Min Plan, the
citizen page sections and the day board slots."""

import inspect
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import render_template
from markupsafe import Markup

from webapp.outcomes import services
from webapp.outcomes.services import course_chart_svg, hours_by_activity

from ..factories import make_citizen, make_contact
from .factories import (
    TODAY,
    at_local,
    attend,
    enrol,
    make_course,
    make_guide,
    make_meeting,
    make_run,
    make_score,
    make_theme,
    run_meetings,
)

pytestmark = pytest.mark.usefixtures("clock")


def test_signatures_other_features_rely_on():
    assert str(inspect.signature(course_chart_svg)) == "(course_id: int, width: int = 640) -> markupsafe.Markup | None"
    assert str(inspect.signature(hours_by_activity)) == (
        "(citizen_id: int, window: tuple[datetime.date, datetime.date] | None = None, *, "
        "outside: collections.abc.Sequence[tuple[datetime.date, datetime.date]] = ()) "
        "-> webapp.outcomes.coaching.ActivityHours")


def test_hours_by_activity_sums_what_is_logged():
    anna = make_citizen("Anna")
    course = make_course(anna, TODAY - timedelta(weeks=6))
    make_meeting(anna, course, when=at_local(TODAY - timedelta(days=30)), minutes=60)
    make_meeting(anna, course, when=at_local(TODAY - timedelta(days=20)), minutes=45)
    make_meeting(anna, course, when=at_local(TODAY - timedelta(days=10)), minutes=60, status="udeblevet")
    make_meeting(anna, course, when=at_local(TODAY + timedelta(days=3)), minutes=60, status="planlagt")
    make_meeting(anna, course, when=at_local(TODAY - timedelta(days=5)), kind="netvaerksmoede", minutes=90)
    make_meeting(anna, course, when=at_local(TODAY - timedelta(days=4)), kind="nada", minutes=30)
    make_guide(anna, at_local(TODAY - timedelta(weeks=7)), minutes=70)
    make_guide(anna, at_local(TODAY - timedelta(weeks=8)), status="udeblevet", minutes=60)
    run = make_run(make_theme("Mindfulness", minutes=120), start=TODAY - timedelta(weeks=3), meetings=3)
    nada_run = make_run(make_theme("NADA", minutes=60, hours_activity="nada"), start=TODAY - timedelta(weeks=2),
                        meetings=2)
    enrol(run, anna)
    enrol(nada_run, anna)
    first, second, third = run_meetings(run)
    attend(first, anna, "moedt")
    attend(second, anna, "gik_undervejs")
    attend(third, anna, "ikke_moedt")
    attend(run_meetings(nada_run)[0], anna)
    make_contact(kind="ad_hoc", citizen_id=anna.id, duration_minutes=15)
    make_contact(kind="ad_hoc", citizen_id=anna.id, duration_minutes=30)
    make_contact(kind="visit", citizen_id=anna.id, duration_minutes=30)  # not ad hoc help
    make_contact(kind="ad_hoc", citizen_id=anna.id, duration_minutes=30, deleted_at=at_local(TODAY))  # undone
    make_contact(kind="ad_hoc", citizen_id=make_citizen("Bo").id, duration_minutes=30)

    hours = hours_by_activity(anna.id).with_citizen
    assert set(hours) == set(services.ACTIVITY_LABELS)
    assert hours["coaching"] == Decimal("1.75")
    assert hours["network_meeting"] == Decimal("1.50")
    assert hours["nada"] == Decimal("1.50")  # a NADA meeting (30 min) and a NADA group meeting (60 min)
    assert hours["guide_conversation"] == Decimal("1.17")
    assert hours["groups"] == Decimal("4.00")  # left early still took part
    assert hours["ad_hoc"] == Decimal("0.75")
    assert all(isinstance(value, Decimal) for value in hours.values())


def test_hours_of_a_citizen_with_nothing_logged_are_zero():
    assert not hours_by_activity(make_citizen("Tom").id)


def test_course_chart_svg_for_min_plan():
    anna = make_citizen("Anna")
    guide = make_guide(anna, at_local(TODAY - timedelta(weeks=5)))
    course = make_course(anna, TODAY - timedelta(weeks=4), guide=guide)
    assert course_chart_svg(course.id) is None  # no scores yet: nothing to draw
    assert course_chart_svg(999999) is None
    make_score(anna, guide=guide, items=(3, 4, 4, 5))  # before the course existed: no course id
    meeting = make_meeting(anna, course, when=at_local(TODAY - timedelta(weeks=2)))
    make_score(anna, meeting=meeting, items=(5, 5, 6, 6))
    make_score(anna, meeting=meeting, scale="SRS", items=(9, 9, 9.5, 9))
    other_course = make_course(make_citizen("Bo"), TODAY - timedelta(weeks=4))
    make_score(other_course.citizen, meeting=make_meeting(other_course.citizen, other_course, when=at_local(TODAY)),
               items=(1, 1, 1, 1))
    svg = course_chart_svg(course.id, width=500)
    assert isinstance(svg, Markup)
    assert svg.startswith("<svg") and 'width="500"' in svg
    assert svg.count('class="marker series-0"') == 2  # the guide conversation and the coaching
    assert svg.count('class="marker series-1"') == 1  # SRS
    assert ">16</text>" in svg or ">16,0</text>" in svg
    assert "<script" not in svg and "style=" not in svg


def test_citizen_sections_render_without_a_diagnosis(app):
    anna = make_citizen("Anna", "Andersen")
    anna.disability_category = "Psykisk syg"
    course = make_course(anna, TODAY - timedelta(weeks=4))
    meeting = make_meeting(anna, course, when=at_local(TODAY - timedelta(weeks=1)))
    make_score(anna, meeting=meeting, items=(5, 5, 5, 5))
    run = make_run(start=TODAY - timedelta(weeks=2), meetings=2)
    enrol(run, anna)
    attend(run_meetings(run)[0], anna)
    from webapp.citizens.hooks import CITIZEN_SECTIONS

    rendered = []
    with app.test_request_context("/"):
        for provider in CITIZEN_SECTIONS:
            section = provider(anna, course)
            if section is not None:
                # as the citizen page does
                rendered.append(render_template(section[0], section=section[1], citizen=anna))
    html = "\n".join(rendered)
    assert "FIT og coaching" in html and "<svg" in html
    assert "Timer med borgeren" in html and "Coachende samtaler" in html
    assert "Mindfulness" in html and "deltaget i 1 møde" in html
    assert "Psykisk syg" not in html


def test_sections_are_left_out_when_there_is_nothing(app):
    tom = make_citizen("Tom")
    from webapp.citizens.hooks import CITIZEN_SECTIONS

    ours = [p for p in CITIZEN_SECTIONS if p.__module__.startswith(("webapp.outcomes", "webapp.groups"))]
    assert ours
    with app.test_request_context("/"):
        assert [provider(tom, None) for provider in ours] == [None] * len(ours)


def test_thresholds_come_from_config(app):
    app.config["FIT_THRESHOLDS"] = {"ors_cutoff": 28}
    try:
        assert services.thresholds().ors_cutoff == Decimal("28")
    finally:
        del app.config["FIT_THRESHOLDS"]
    assert services.thresholds().ors_cutoff == Decimal("25")
