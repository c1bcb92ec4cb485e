"""The ordinary demo (`flask demo-data`) has a catalogue of municipal offers, shadow assessments for
most closed courses (a few overridden with a reason, a few with volunteer activities and remarks)
and leaves a few without one, so the pages of the documentation form are never empty."""

import pytest
from sqlalchemy import func, select

from webapp.citizens.models import Citizen, Course
from webapp.documentation.form import bilag6
from webapp.documentation.models import CourseDocumentation, MunicipalOffer, ShadowLine
from webapp.extensions import db
from webapp.timeutil import today_local
from webapp.tools.demo import load_demo_data
from webapp.tools.demo.documentation import CATALOGUE, REMOVED, WITHOUT_ASSESSMENT

pytestmark = pytest.mark.demo_data


def count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def test_the_catalogue_has_the_offers_and_one_removed_that_old_assessments_still_show(demo):
    offers = db.session.scalars(select(MunicipalOffer)).all()
    assert len(offers) == len(CATALOGUE) + 1
    removed = [offer for offer in offers if offer.removed]
    assert [offer.name for offer in removed] == [REMOVED[0]]
    assert count(select(ShadowLine.id).where(ShadowLine.offer_id == removed[0].id,
                                             ShadowLine.offer_name == REMOVED[0])) >= 1
    socialpaedagogisk = next(offer for offer in offers if offer.name == "Socialpædagogisk støtte")
    assert (socialpaedagogisk.law_section, socialpaedagogisk.yearly_tariff) == ("SEL § 85", 180_000)
    assert {offer.name for offer in offers if offer.is_housing} == {"Midlertidigt botilbud", "Længerevarende botilbud"}


def test_most_closed_courses_are_assessed_and_a_few_are_waiting(demo):
    closed = count(select(Course.id).where(Course.end_date.is_not(None)))
    assessed = count(select(CourseDocumentation.id).where(CourseDocumentation.shadow_assessed_on.is_not(None)))
    assert closed - assessed == WITHOUT_ASSESSMENT
    assert assessed > closed / 2
    overridden = db.session.scalars(select(CourseDocumentation).where(
        CourseDocumentation.tariff_override.is_not(None))).all()
    assert overridden and all(doc.tariff_override_reason for doc in overridden)
    # »Frivillige aktiviteter« derives from the volunteer matches: some closed course says yes, most no.
    answers = [bilag6(course, today_local()).volunteer
               for course in db.session.scalars(select(Course).where(Course.end_date.is_not(None)))]
    assert answers.count(True) >= 1 and answers.count(False) >= 1
    assert count(select(CourseDocumentation.id).where(CourseDocumentation.remarks.is_not(None))) >= 2
    assert count(select(CourseDocumentation.id).where(CourseDocumentation.after_recorded_on.is_not(None))) == assessed


def test_most_citizens_have_a_disability_category(demo):
    citizens = count(select(Citizen.id))
    with_category = count(select(Citizen.id).where(Citizen.disability_category.is_not(None)))
    assert with_category > citizens * 0.7


def test_loading_the_demo_again_adds_nothing(demo):
    before = count(select(ShadowLine.id)), count(select(MunicipalOffer.id))
    summary = load_demo_data()
    db.session.rollback()
    assert "shadow assessments" not in summary
    assert before == (count(select(ShadowLine.id)), count(select(MunicipalOffer.id)))
