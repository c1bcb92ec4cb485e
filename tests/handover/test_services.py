"""Handover prefill, plain text, consent validity and the citizen page section."""

from datetime import date

import pytest

from webapp.extensions import db
from webapp.handover import consents, services
from webapp.handover.models import FUNCTIONAL_THEMES

from ..factories import make_citizen, make_user
from .factories import at, make_consent, make_course, make_follow_up, make_meeting, make_outreach, make_plan, make_visit

TODAY = date(2026, 11, 23)


@pytest.fixture
def course():
    anna = make_citizen("Anna", "Andersen")
    course = make_course(anna, date(2026, 8, 24))
    plan = make_plan(course, reasons="Jeg kunne ikke åbne min post.", goal="Styr på min økonomi",
                     sub_goals="Åbne post hver mandag\nLave et budget", future_plan="Et arbejde i en butik",
                     achieved="Jeg tør ringe til kommunen nu.")
    make_follow_up(plan, date(2026, 9, 21), parts_reached="Jeg åbner min post hver mandag.")
    for day in (date(2026, 9, 7), date(2026, 9, 14), date(2026, 10, 5)):
        make_meeting(anna, at(day, 13), "afholdt", kind="coaching", course=course, minutes=60)
    make_meeting(anna, at(date(2026, 9, 21), 13), "afholdt", kind="opfoelgning", course=course, minutes=45)
    make_meeting(anna, at(date(2026, 10, 12), 13), "udeblevet", kind="coaching", course=course)
    make_meeting(anna, at(date(2026, 11, 30), 13), "planlagt", kind="coaching", course=course)
    request = make_outreach(date(2026, 8, 25), citizen_id=anna.id, state="besoeg")
    make_visit(request, date(2026, 8, 27), minutes=90)
    make_visit(make_outreach(date(2025, 1, 2), citizen_id=anna.id, state="besoeg"), date(2025, 1, 3), minutes=30)
    return course


def test_prefill_uses_min_plan_and_what_was_attended(course):
    data = services.prefill(course, TODAY)
    assert data["reasons"] == "Jeg kunne ikke åbne min post."
    assert data["course_length"] == (
        "Mit forløb startede 24. aug 2026 og har indtil nu varet 13 uger og 1 dag (uge 14 af højst 20)."
    )
    assert data["worked_on"].splitlines() == [
        "Mit mål: Styr på min økonomi",
        "Mine delmål: Åbne post hver mandag",
        "Lave et budget",
        "Det har jeg nået: Jeg åbner min post hver mandag.",
        "Aktiviteter, jeg har deltaget i: 1 opfølgning, 3 coachende samtaler og 1 besøg fra den udekørende funktion.",
    ]
    # Only meetings held count; the visit a year before this course does not.
    assert data["how_worked"] == (
        "Vi har arbejdet med det gennem 1 opfølgning, 3 coachende samtaler og 1 besøg fra den udekørende "
        "funktion – i alt 5 timer og 15 minutter med borgeren."
    )
    assert data["dream"] == "Et arbejde i en butik"
    assert data["benefit"] == "Jeg tør ringe til kommunen nu."
    assert all(data[name] is None for name in FUNCTIONAL_THEMES)  # only where information came up
    assert data["future_agreements"] is None


def test_prefill_of_a_closed_course_and_one_without_a_plan():
    course = make_course(make_citizen("Bo"), date(2026, 6, 1), end=date(2026, 6, 7))
    data = services.prefill(course, TODAY)
    assert data["course_length"] == "Mit forløb varede fra 1. jun 2026 til 7. jun 2026: 1 uge."
    assert data["reasons"] is None and data["worked_on"] is None and data["how_worked"] is None


def test_other_features_can_add_activities(course):
    source = services.activity_source(lambda c: [services.Activity("gruppeforløb", "gruppeforløb", 2, 240)])
    try:
        assert "2 gruppeforløb" in services.prefill(course, TODAY)["how_worked"]
    finally:
        services.ACTIVITY_SOURCES.remove(source)


def test_plain_text_follows_the_form_and_leaves_out_empty_themes(course):
    user = make_user("mads")
    handover, created = services.create_handover(course, user, TODAY)
    assert created and services.create_handover(course, user, TODAY) == (handover, False)
    handover.fl_economy = "Gæld til SKAT"
    handover.citizen.cpr = "0101901234"
    db.session.commit()
    text = services.plain_text(handover)
    assert text.startswith(
        "OVERDRAGELSESSKEMA TIL MYNDIGHEDSAFDELINGEN\nBorgerens navn og cpr.nr.: Anna Andersen, 010190-xxxx"
    )
    assert "Hvad har gjort, at jeg har opsøgt støtte ved Din Indgang?\nJeg kunne ikke åbne min post." in text
    assert "Økonomi:\nGæld til SKAT" in text
    assert "Mobilitet" not in text and "0101901234" not in text
    headings = ("FORLØB I DIN INDGANG", "Drøm for fremtiden", "FUNKTIONSNIVEAU", "FREMTIDIGE AFTALER")
    order = [text.index(heading) for heading in headings]
    assert order == sorted(order)


def test_consent_validity_over_time():
    anna = make_citizen("Anna")
    consent = make_consent(anna, given_on=date(2026, 11, 1), expires_on=date(2026, 11, 30))
    assert consent.state(date(2026, 10, 31)) == "ikke_begyndt"
    assert consent.is_valid(date(2026, 11, 1)) and consent.is_valid(date(2026, 11, 30))
    assert consent.state(date(2026, 12, 1)) == "udloebet"
    assert consents.valid_consent(anna.id, "myndighedsafdelingen", date(2026, 11, 15)) == consent
    assert consents.valid_consent(anna.id, "jobcenter", date(2026, 11, 15)) is None  # another recipient
    user = make_user("mads")
    assert consents.withdraw(consent, user) is True and consents.withdraw(consent, user) is False
    assert consent.state(date(2026, 11, 15)) == "tilbagekaldt"
    assert consents.valid_consent(anna.id, "myndighedsafdelingen", date(2026, 11, 15)) is None
    with pytest.raises(consents.ConsentMissing, match="forvaltningsloven § 28"):
        consents.require_consent(anna.id, "myndighedsafdelingen", date(2026, 11, 15), "Overdragelsen")


def test_a_recorded_legal_basis_also_allows_disclosure():
    anna = make_citizen("Anna")
    make_consent(anna, basis="lovhjemmel", legal_basis="Servicelovens § 12", given_on=date(2026, 1, 1))
    assert consents.require_consent(anna.id, "myndighedsafdelingen", TODAY, "Overdragelsen").basis == "lovhjemmel"


def test_citizen_page_section(login, course):
    """Rendered inside the citizen page it belongs to (rendered alone, it passed while the page
    handed it its data under another name and showed an empty section for every citizen)."""
    from webapp.citizens.hooks import CITIZEN_SECTIONS

    assert services.citizen_page_section in CITIZEN_SECTIONS
    make_consent(course.citizen, recipient="jobcenter", purpose="Besked til jobcentret")
    citizen_id = course.citizen.id
    db.session.commit()
    html = login("staff").get(f"/borgere/{citizen_id}").get_data(as_text=True)
    assert "Samtykke, overdragelse og udekørende" in html
    assert "Jobcenter – Besked til jobcentret" in html
    assert "Tilbagekald" in html and f'name="next" value="/borgere/{citizen_id}"' in html
    assert "Opret overdragelse fra forløbet" in html
    assert "Intet samtykke registreret" not in html
