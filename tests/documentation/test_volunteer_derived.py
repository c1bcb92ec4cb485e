"""Bilag 6's »Frivillige aktiviteter« derives from the volunteer coordinator's matches: on the page and
in the PDF, with what it rests on; a course documented by hand before the bridge keeps its answer."""

import io
from datetime import date

from pypdf import PdfReader

from webapp.documentation.form import bilag6
from webapp.documentation.models import CourseDocumentation
from webapp.extensions import db

from ..volunteers.factories import make_activity, make_match, make_organisation
from .factories import START, build_course


def url(course) -> str:
    return f"/forloeb/{course.id}/dokumentation"


def test_yes_when_a_match_got_going_within_90_days_of_the_end_and_the_pdf_ticks_it(login):
    built = build_course()  # closed 6 Mar 2026
    walk = make_activity(make_organisation("Idrætsforeningen"), "Gå-makker")
    shop = make_activity(make_organisation("Besøgsvennerne"), "Følgeskab til indkøb", theme="besoegsven")
    make_match(built.citizen, walk, "i_gang", steps=(("foreslaaet", date(2026, 3, 1)), ("kontakt_etableret", date(2026, 3, 3)),
                                                     ("opstartsmoede", date(2026, 3, 10)), ("i_gang", date(2026, 3, 17))))
    make_match(built.citizen, shop, "faldet_fra", steps=(("foreslaaet", date(2026, 3, 1)),
                                                         ("faldet_fra", date(2026, 3, 4))))
    derived = bilag6(built.course, date(2026, 11, 1))
    assert derived.volunteer is True and derived.volunteer_basis == ("Gå-makker (i gang 17. mar 2026)",)
    visitor = login("staff")
    html = visitor.get(url(built.course)).get_data(as_text=True)
    assert "Ja – Gå-makker (i gang 17. mar 2026)" in html and 'name="volunteer_activities"' not in html
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(visitor.client.get(url(built.course) + ".pdf")
                                                                      .data)).pages)
    assert "Frivillige aktiviteter: (X) Ja ( ) Nej" in " ".join(text.split())


def test_no_when_nothing_got_going_and_a_hand_recorded_answer_without_matches_is_kept(app):
    built = build_course()
    assert bilag6(built.course, date(2026, 11, 1)).volunteer is False
    db.session.add(CourseDocumentation(course_id=built.course.id, volunteer_activities=True))
    db.session.commit()
    kept = bilag6(built.course, date(2026, 11, 1))
    assert kept.volunteer is True and kept.volunteer_basis == ("angivet manuelt før frivilligbroen",)
    late = make_activity(make_organisation("Madklubben"), "Fællesspisning", theme="madklub")
    make_match(built.citizen, late, "i_gang", steps=(("foreslaaet", START), ("i_gang", date(2026, 6, 5))))
    assert bilag6(built.course, date(2026, 11, 1)).volunteer is False  # 5 Jun: 91 days after the end (6 Mar)
