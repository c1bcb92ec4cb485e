"""The citizen rates ORS on the tablet with the keyboard and sees the new point on their chart at once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from webapp.extensions import db
from webapp.outcomes.models import FitScore
from webapp.timeutil import today_local, utcnow

from ..factories import make_citizen, make_user
from ..outcomes.factories import make_course, make_meeting, make_score
from .helpers import log_in

pytestmark = pytest.mark.e2e


def test_citizen_moves_the_four_ors_sliders_by_keyboard_and_sees_the_new_point(live_server, page):
    make_user("mads", full_name="Mads Madsen", initials="MM")
    anna = make_citizen("Anna", "Andersen")
    course = make_course(anna, today_local() - timedelta(weeks=3))
    last_week = make_meeting(anna, course, when=utcnow() - timedelta(days=7))
    make_score(anna, meeting=last_week, items=(3, 4, 5, 6))
    today = make_meeting(anna, course, when=utcnow() - timedelta(minutes=5), status="planlagt")

    log_in(page, live_server, "mads")
    page.goto(f"{live_server}/fit/borger/{anna.id}")
    page.get_by_role("link", name="ORS ORS for coachende samtale").first.click()
    page.wait_for_url(f"{live_server}/fit/borger/{anna.id}/samtale/{today.id}/ors")
    expect(page.get_by_role("heading", name="Hvordan har du haft det?")).to_be_visible()

    moves = {"Individuelt": ["ArrowRight"] * 3, "Nære relationer": ["ArrowLeft"] * 2,
             "Socialt": ["End"], "Generelt": ["Home"] + ["ArrowUp"] * 7}
    for label, keys in moves.items():
        slider = page.get_by_role("slider", name=label)
        slider.focus()
        for key in keys:
            slider.press(key)
    expect(page.locator("#fit-individual-value")).to_have_text("5,3")
    expect(page.locator("#fit-interpersonal-value")).to_have_text("4,8")
    expect(page.locator("#fit-social-value")).to_have_text("10,0")
    expect(page.locator("#fit-overall-value")).to_have_text("0,7")
    page.get_by_role("radio", name="I dag", exact=True).check()
    page.get_by_role("button", name="Gem").click()

    expect(page.get_by_role("heading", name="Tak!")).to_be_visible()
    expect(page.get_by_text("Din vurdering er gemt: 20,8 af 40.")).to_be_visible()
    chart = page.locator("#fit-screen svg.fit-chart")
    expect(chart).to_be_visible()
    expect(chart.locator(".marker.series-0")).to_have_count(2)  # last week's point and the new one
    expect(chart.locator("text.value").last).to_have_text("20,8")
    assert page.url.endswith(f"/samtale/{today.id}/ors")  # the same screen, no reload

    db.session.rollback()
    score = db.session.scalars(select(FitScore).where(FitScore.meeting_id == today.id)).one()
    assert score.total == Decimal("20.8") and score.period == "i_dag"
