"""FIT on the tablet and from paper, through real HTTP: rating, skipping, bad input, the chart."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from webapp.audit import AuditEvent
from webapp.citizens.models import Meeting
from webapp.extensions import db
from webapp.outcomes.models import FitScore

from ..factories import make_citizen
from .factories import (
    TODAY,
    at_local,
    enrol,
    fresh,
    make_course,
    make_guide,
    make_meeting,
    make_run,
    make_score,
    run_meetings,
)

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


@pytest.fixture
def today_meeting(anna, course):
    return make_meeting(anna, course, when=at_local(TODAY, 9), status="planlagt")


def rate_url(citizen, meeting, scale="ors", kind="samtale"):
    return f"/fit/borger/{citizen.id}/{kind}/{meeting.id}/{scale}"


ORS_FORM = {"individual": "5.5", "interpersonal": "6", "social": "7.1", "overall": "4.2", "period": "i_dag"}
SRS_FORM = {"relationship": "9.5", "goals_topics": "9.0", "approach_method": "8.2", "overall": "9.8"}


def scores():
    fresh()
    return db.session.scalars(select(FitScore).order_by(FitScore.id)).all()


def audit_actions():
    fresh()
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_the_rating_screen_has_one_scale_with_large_labelled_sliders(staff, anna, today_meeting):
    response = staff.get(rate_url(anna, today_meeting))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('type="range"') == 4
    for key, label in (("individual", "Individuelt"), ("interpersonal", "Nære relationer"), ("social", "Socialt"),
                       ("overall", "Generelt")):
        assert f'<label class="fit-label" for="fit-{key}">{label}</label>' in html
        assert re.search(rf'id="fit-{key}" name="{key}" min="0" max="10" step="0.1"', html)
        assert f'<output class="fit-value" id="fit-{key}-value" for="fit-{key}">' in html
    assert "Siden sidst, inklusive i dag" in html and "I dag" in html
    assert 'value="skip">Spring over' in html
    assert "js/fit.js" in html
    assert 'class="mainnav"' not in html  # the tablet faces the citizen: no menu
    assert "Andersen" not in html  # first name only on the citizen's screen
    assert "style=" not in html and "<script>" not in html
    assert audit_actions()[-1] == "fit_form_viewed"


def test_rating_ors_stores_one_decimal_scores_and_the_period_and_shows_the_chart(staff, anna, course, today_meeting):
    earlier = make_meeting(anna, course, when=at_local(TODAY - timedelta(days=7)))
    make_score(anna, meeting=earlier, items=(3, 4, 5, 6))
    before = len(audit_actions())
    response = staff.post(rate_url(anna, today_meeting), ORS_FORM, headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Din vurdering er gemt: 22,8 af 40." in html
    assert "<svg" in html and "Klinisk" in html
    assert html.count('class="marker series-0"') == 2  # the earlier point and the new one
    assert ">22,8</text>" in html
    [_, score] = scores()
    assert (score.scale, score.period, score.skipped, score.on_paper) == ("ORS", "i_dag", False, False)
    assert score.items == (Decimal("5.5"), Decimal("6.0"), Decimal("7.1"), Decimal("4.2"))
    assert score.total == Decimal("22.8")
    assert score.course_id == course.id
    assert audit_actions()[before:] == ["fit_score_recorded"]  # exactly one event
    assert db.session.get(Meeting, today_meeting.id).status == "afholdt"  # rating means it took place


def test_skipping_records_a_skipped_form_never_zero(staff, anna, today_meeting):
    response = staff.post(rate_url(anna, today_meeting), {"action": "skip", "period": "siden_sidst"}, headers=HX)
    assert response.status_code == 200
    assert "sprunget over" in response.get_data(as_text=True)
    [score] = scores()
    assert score.skipped is True
    assert score.total is None and score.items == (None, None, None, None)


def test_rating_again_replaces_the_answer_so_a_double_tap_stores_once(staff, anna, today_meeting):
    staff.post(rate_url(anna, today_meeting), ORS_FORM, headers=HX)
    staff.post(rate_url(anna, today_meeting), {**ORS_FORM, "overall": "9"}, headers=HX)
    [score] = scores()
    assert score.total == Decimal("27.6")


@pytest.mark.parametrize("bad", ["10.5", "-1", "7.25", "abc", "1e1", ""])
def test_bad_scores_are_refused_with_a_danish_message_and_nothing_lost(staff, anna, today_meeting, bad):
    response = staff.post(rate_url(anna, today_meeting), {**ORS_FORM, "social": bad}, headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Skemaet er ikke gemt" in html
    assert 'id="fit-social-error"' in html
    assert 'value="5.5"' in html and 'value="4.2"' in html  # what was chosen is still there
    assert 'value="i_dag" checked' in html
    assert scores() == []


def test_ors_needs_a_period(staff, anna, today_meeting):
    response = staff.post(rate_url(anna, today_meeting), {k: v for k, v in ORS_FORM.items() if k != "period"},
                          headers=HX)
    assert response.status_code == 422
    assert "siden sidst eller i dag" in response.get_data(as_text=True)


def test_fit_for_a_session_of_another_citizen_is_refused(staff, anna, today_meeting):
    bo = make_citizen("Bo", "Berg")
    url = rate_url(bo, today_meeting)
    assert staff.get(url).status_code == 422
    response = staff.post(url, ORS_FORM, headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "hører til en anden borger" in html
    assert 'value="5.5"' in html
    assert scores() == []


def test_srs_is_for_individual_sessions_and_gsrs_for_groups(staff, anna, course, today_meeting):
    assert staff.post(rate_url(anna, today_meeting, "gsrs"), SRS_FORM, headers=HX).status_code == 422
    run = make_run(start=TODAY - timedelta(days=1))
    enrol(run, anna)
    first = run_meetings(run)[0]
    response = staff.post(rate_url(anna, first, "srs", kind="gruppemoede"), SRS_FORM, headers=HX)
    assert response.status_code == 422
    assert "GSRS" in response.get_data(as_text=True)
    assert staff.post(rate_url(anna, first, "gsrs", kind="gruppemoede"), SRS_FORM, headers=HX).status_code == 200
    assert [s.scale for s in scores()] == ["GSRS"]


def test_gsrs_needs_the_citizen_on_the_run(staff, anna):
    run = make_run(start=TODAY - timedelta(days=1))
    response = staff.post(rate_url(anna, run_meetings(run)[0], "gsrs", kind="gruppemoede"), SRS_FORM, headers=HX)
    assert response.status_code == 422
    assert "ikke tilmeldt holdet" in response.get_data(as_text=True)


def test_a_session_in_the_future_cannot_be_rated_yet(staff, anna, course):
    later = make_meeting(anna, course, when=at_local(TODAY + timedelta(days=2)), status="planlagt")
    response = staff.post(rate_url(anna, later), ORS_FORM, headers=HX)
    assert response.status_code == 422
    assert "FIT udfyldes på dagen" in response.get_data(as_text=True)


def test_srs_after_a_low_session_gives_a_gentle_suggestion_folded_away(staff, anna, today_meeting):
    staff.post(rate_url(anna, today_meeting), ORS_FORM, headers=HX)
    response = staff.post(rate_url(anna, today_meeting, "srs"), {**SRS_FORM, "approach_method": "6.0"}, headers=HX)
    html = response.get_data(as_text=True)
    assert '<details class="staff-note">' in html and "Til medarbejderen" in html
    assert "»Tilgang eller metode« fik 6,0" in html
    assert "alarm" not in html.lower()


def test_without_htmx_the_post_redirects_to_the_thanks_page(staff, anna, today_meeting):
    response = staff.post(rate_url(anna, today_meeting), ORS_FORM)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(rate_url(anna, today_meeting) + "/tak")
    page = staff.get(response.headers["Location"])
    assert "Tak!" in page.get_data(as_text=True) and "<svg" in page.get_data(as_text=True)


def test_guide_conversation_ors_opens_the_course_chart(staff, anna):
    guide = make_guide(anna, at_local(TODAY - timedelta(weeks=4)))
    course = make_course(anna, TODAY - timedelta(weeks=3), guide=guide)
    assert staff.post(rate_url(anna, guide, kind="guidesamtale"), ORS_FORM, headers=HX).status_code == 200
    [score] = scores()
    assert score.guide_conversation_id == guide.id and score.course_id == course.id


def test_chart_endpoint_serves_svg_and_audits(staff, anna, course):
    for n in range(3):
        m = make_meeting(anna, course, when=at_local(TODAY - timedelta(days=14 - 7 * n)))
        make_score(anna, meeting=m, items=(4 + n, 5, 5, 5))
    response = staff.get(f"/fit/forloeb/{course.id}/graf.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    body = response.get_data(as_text=True)
    assert body.startswith("<svg") and body.count('class="marker series-0"') == 3
    assert audit_actions()[-1] == "fit_chart_viewed"


def test_items_chart_on_request(staff, anna, course, today_meeting):
    make_score(anna, meeting=today_meeting, items=(4, 5, 6, 7))
    response = staff.get(f"/fit/borger/{anna.id}/punkter?skala=ORS&forloeb={course.id}", headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<svg" in html and "Nære relationer" in html
    assert staff.get(f"/fit/borger/{anna.id}/punkter?skala=XYZ").status_code == 404


def test_staff_overview_lists_sessions_with_links_to_the_tablet(staff, anna, course, today_meeting):
    make_score(anna, meeting=today_meeting, items=(4, 5, 6, 7))
    html = staff.get(f"/fit/borger/{anna.id}").get_data(as_text=True)
    assert "FIT – Anna Andersen" in html
    assert "ORS 22,0" in html
    assert rate_url(anna, today_meeting, "srs") in html
    assert 'data-hx-boost="false"' in html


# --- paper -----------------------------------------------------------------------------------------


def test_paper_scores_take_the_session_date(staff, anna, course):
    old = make_meeting(anna, course, when=at_local(TODAY - timedelta(days=9), 13))
    page = staff.get(f"/fit/borger/{anna.id}/papir")
    assert f'value="samtale:{old.id}"' in page.get_data(as_text=True)
    response = staff.post(f"/fit/borger/{anna.id}/papir?skala=ORS",
                          {"session": f"samtale:{old.id}", "period": "siden_sidst", "individual": "3,5",
                           "interpersonal": "4", "social": "2.5", "overall": "3"})
    assert response.status_code == 302
    [score] = scores()
    assert score.on_paper and score.total == Decimal("13.0")
    assert score.session_at == old.starts_at


def test_paper_form_keeps_what_was_typed_on_errors(staff, anna, course):
    old = make_meeting(anna, course, when=at_local(TODAY - timedelta(days=9)))
    response = staff.post(f"/fit/borger/{anna.id}/papir?skala=ORS",
                          {"session": f"samtale:{old.id}", "period": "i_dag", "individual": "3,55",
                           "interpersonal": "4", "social": "", "overall": "11"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="3,55"' in html and 'value="11"' in html
    assert "højst én decimal" in html and "Udfyld linjen" in html
    assert f'value="samtale:{old.id}" selected' in html
    assert scores() == []


def test_paper_form_for_another_citizens_session_is_refused(staff, anna, course):
    bo = make_citizen("Bo", "Berg")
    bos = make_meeting(bo, None, when=at_local(TODAY - timedelta(days=2)))
    response = staff.post(f"/fit/borger/{anna.id}/papir?skala=SRS",
                          {"session": f"samtale:{bos.id}", **SRS_FORM})
    assert response.status_code == 422
    assert "hører til en anden borger" in response.get_data(as_text=True)
    assert 'value="9.5"' in response.get_data(as_text=True)


def test_paper_form_can_record_a_skipped_form(staff, anna, course):
    old = make_meeting(anna, course, when=at_local(TODAY - timedelta(days=2)))
    response = staff.post(f"/fit/borger/{anna.id}/papir?skala=SRS", {"session": f"samtale:{old.id}", "skipped": "1"})
    assert response.status_code == 302
    [score] = scores()
    assert score.skipped and score.scale == "SRS" and score.total is None


def test_one_score_per_scale_and_session(staff, anna, today_meeting):
    staff.post(rate_url(anna, today_meeting), ORS_FORM, headers=HX)
    staff.post(rate_url(anna, today_meeting, "srs"), SRS_FORM, headers=HX)
    staff.post(rate_url(anna, today_meeting, "srs"), SRS_FORM, headers=HX)
    fresh()
    assert db.session.scalar(select(func.count()).select_from(FitScore)) == 2
