"""The Bilag 6 page per course: shown to the reporting roles, the typed part saved with the version
check, bad input refused in Danish with everything kept, every view/save/print audited, the PDF."""

import io
import re
from datetime import date, datetime

import pytest
import time_machine
from pypdf import PdfReader
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.documentation import services
from webapp.documentation.models import AFTER, WITHOUT, CourseDocumentation
from webapp.extensions import db
from webapp.timeutil import LOCAL_TZ

from ..factories import refresh
from .factories import build_course, make_offer


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2026, 3, 20, 10, tzinfo=LOCAL_TZ), tick=False):
        yield


def url(course) -> str:
    return f"/forloeb/{course.id}/dokumentation"


def doc_of(course) -> CourseDocumentation | None:
    refresh()
    return db.session.scalar(select(CourseDocumentation).where(CourseDocumentation.course_id == course.id))


def audits(action: str) -> list[AuditEvent]:
    refresh()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def base_form(**values) -> dict:
    data = {name: "" for name in (
        "caseworker", "offer_1", "percent_1", "offer_2", "percent_2", "offer_3", "percent_3",
        "paying_municipality", "acting_municipality", "operating_municipality", "tariff_override",
        "tariff_override_reason", "after_offer_1", "after_percent_1", "after_offer_2", "after_percent_2",
        "after_offer_3", "after_percent_3", "remarks", "disability_category")}
    data.update(values)
    return data


def test_the_page_shows_the_derived_part_and_is_audited(login):
    built = build_course()
    page = login("staff").get(url(built.course))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Mette Madsen" in html and "251248-xxxx" in html and "251248-9996" not in html
    assert "ILB – Ikke længere behov" in html
    assert "N-7" in html and "M-3" in html and "D-1" not in html and "X-1" not in html
    assert "Velfærdsteknologi" in html and "Udekørende funktion" in html
    assert "13,0" in html and "18,3" in html  # totals with the citizen and staff
    assert "reelle medarbejdertid er større" in html
    assert [e.citizen_id for e in audits("documentation_viewed")] == [built.citizen.id]


def test_saving_the_shadow_assessment_and_what_came_after(login):
    built = build_course()
    support = make_offer("Bostøtte", "SEL § 85", 200_000)
    housing = make_offer("Botilbud", "SEL § 107", 600_000, is_housing=True)
    visitor = login("secretariat")
    visitor.get(url(built.course))
    response = visitor.post(url(built.course), base_form(
        caseworker="Karen", offer_1=str(support.id), percent_1="50", offer_3=str(housing.id), percent_3="25",
        paying_municipality="Fredericia", after_offer_1=str(support.id), after_percent_1="20",
        remarks="Kom godt videre", disability_category="Psykisk syg"))
    assert response.status_code == 302, response.get_data(as_text=True)
    doc = doc_of(built.course)
    assert doc.caseworker == "Karen" and doc.paying_municipality == "Fredericia"
    assert services.computed_tariff(doc, WITHOUT) == 100_000 + 150_000  # 200.000 × 50 % + 600.000 × 25 %
    assert services.computed_tariff(doc, AFTER) == 40_000
    assert doc.shadow_assessed_on == date(2026, 3, 20) and doc.after_recorded_on == date(2026, 3, 20)
    assert doc.remarks == "Kom godt videre"
    assert doc.filled_on == date(2026, 3, 20)
    assert built.citizen.disability_category == "Psykisk syg"
    assert [e.citizen_id for e in audits("documentation_changed")] == [built.citizen.id]
    page = visitor.get(url(built.course)).get_data(as_text=True)
    assert "250.000 kr. om året" in page and "40.000 kr." in page


def test_no_offer_is_an_assessment_without_lines(login):
    built = build_course()
    visitor = login("leader")
    assert visitor.post(url(built.course), base_form(no_offer="y")).status_code == 302
    doc = doc_of(built.course)
    assert doc.shadow_assessed_on is not None and doc.side(WITHOUT) == [] and doc.after_recorded_on is None
    # Once assessed, leaving both the offers and the box empty is a question, not a silent change.
    response = visitor.post(url(built.course), base_form())
    assert response.status_code == 422
    assert "sæt kryds ved »Ingen tilbud«" in response.get_data(as_text=True)


@pytest.mark.parametrize("field, value, message", [
    ("percent_1", "150", "helt tal fra 0 til 100"),
    ("percent_1", "-5", "helt tal fra 0 til 100"),
    ("percent_1", "halvtreds", "helt tal fra 0 til 100"),
    ("tariff_override", "-1000", "kan ikke være negativ"),
    ("tariff_override", "999999999999", "urimeligt høj"),
    ("tariff_override", "mange penge", "hele kroner"),
    ("offer_2", "987654", "Ukendt tilbud"),
    ("offer_2", "x1", "Ukendt tilbud"),
    ("disability_category", "Genial", "Ukendt valg"),
])
def test_bad_input_is_refused_at_the_field_and_kept(login, field, value, message):
    built = build_course()
    support = make_offer()
    visitor = login("staff")
    values = {"caseworker": "Karen Typet", "offer_1": str(support.id), "percent_1": "40",
              "tariff_override_reason": "Særlig aftale", "remarks": "Min egen tekst", field: value}
    response = visitor.post(url(built.course), base_form(**values))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert "Karen Typet" in html and "Min egen tekst" in html
    if not field.startswith(("offer", "disability")):  # a select cannot show an option it does not have
        assert f'value="{value}"' in html
    assert doc_of(built.course) is None  # nothing saved
    assert built.citizen.disability_category is None


def test_an_override_needs_a_reason(login):
    built = build_course()
    response = login("staff").post(url(built.course), base_form(no_offer="y", tariff_override="1.250.000"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Skriv en begrundelse" in html and "1.250.000" in html
    assert doc_of(built.course) is None


def test_an_override_is_read_in_danish_and_used(login):
    built = build_course()
    response = login("staff").post(url(built.course), base_form(
        no_offer="y", tariff_override="1.250.000 kr.", tariff_override_reason="Dyr særforanstaltning"))
    assert response.status_code == 302
    doc = doc_of(built.course)
    assert doc.tariff_override == 1_250_000 and services.yearly_cost_without(doc) == 1_250_000


def test_a_removed_offer_stays_on_old_assessments_but_cannot_be_chosen_anew(login):
    built = build_course()
    old = make_offer("Gammel bostøtte", "SEL § 85", 100_000)
    other = make_offer("Aktivitetstilbud", "SEL § 104", 80_000)
    visitor = login("staff")
    assert visitor.post(url(built.course), base_form(offer_1=str(old.id), percent_1="50")).status_code == 302
    services.remove_offer(db.session.get(type(old), old.id))
    db.session.commit()
    doc = doc_of(built.course)
    page = visitor.get(url(built.course)).get_data(as_text=True)
    assert "Gammel bostøtte (fjernet fra kataloget)" in page
    # Kept as it is when the form is saved again (remarks changed).
    response = visitor.post(url(built.course), base_form(offer_1=str(old.id), percent_1="50", remarks="Ny"))
    assert response.status_code == 302
    doc = doc_of(built.course)
    assert [(line.offer_name, line.yearly_tariff) for line in doc.side(WITHOUT)] == [("Gammel bostøtte", 100_000)]
    # Chosen anew in another line: refused at the field.
    response = visitor.post(url(built.course), base_form(
        offer_1=str(old.id), percent_1="50", offer_2=str(old.id), percent_2="10"))
    assert response.status_code == 422
    assert "fjernet fra tilbudskataloget" in response.get_data(as_text=True)
    # And on the after-side, which never had it.
    response = visitor.post(url(built.course), base_form(
        offer_1=str(other.id), percent_1="50", after_offer_1=str(old.id), after_percent_1="10"))
    assert response.status_code == 422
    assert len(doc_of(built.course).side(AFTER)) == 0


def loaded(visitor, course) -> dict:
    """The version fields of the form as a person's browser loaded it."""
    html = visitor.get(url(course)).get_data(as_text=True)
    return {name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1) for name in ("version", "version_base")}


def test_two_people_saving_the_same_field_get_the_conflict_screen(login):
    built = build_course()
    mads, pia = login("staff", username="mads"), login("leader", username="pia")
    assert mads.post(url(built.course), base_form(no_offer="y", caseworker="Karen",
                                                  **loaded(mads, built.course))).status_code == 302
    mads_page, pia_page = loaded(mads, built.course), loaded(pia, built.course)
    assert mads.post(url(built.course), base_form(no_offer="y", caseworker="Karen Hansen", remarks="Mads",
                                                  **mads_page)).status_code == 302
    # Pia changed the same field meanwhile: nothing of hers is saved, both texts are shown.
    response = pia.post(url(built.course), base_form(no_offer="y", caseworker="Karen Jensen", **pia_page))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Karen Jensen" in html and "Karen Hansen" in html and "Hvad skal stå?" in html
    assert doc_of(built.course).caseworker == "Karen Hansen"
    # A field only Mads changed is taken from his save when Pia changes another field.
    response = pia.post(url(built.course), base_form(no_offer="y", caseworker="Karen", paying_municipality="Vejle",
                                                     **pia_page))
    assert response.status_code == 302
    doc = doc_of(built.course)
    assert doc.caseworker == "Karen Hansen" and doc.remarks == "Mads" and doc.paying_municipality == "Vejle"


@pytest.mark.parametrize("role, full", [("staff", True), ("leader", True), ("secretariat", False)])
def test_the_pdf_is_laid_out_like_bilag_6(login, role, full):
    built = build_course()
    support = make_offer("Bostøtte", "SEL § 85", 200_000)
    built.citizen.disability_category = "ADHD"
    db.session.commit()
    visitor = login(role)
    assert visitor.post(url(built.course), base_form(offer_1=str(support.id), percent_1="50",
                                                     disability_category="ADHD")).status_code == 302
    response = visitor.client.get(url(built.course) + ".pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Uden Din Indgang" in text and "Din Indgang Aktivitet" in text
    assert ("251248-9996" in text) == full
    assert ("251248-xxxx" in text) == (not full)
    assert "(X) Ikke længere behov" in text and "( ) Pause" in text
    assert "(X) ADHD" in text and "( ) Autist" in text
    assert "Bostøtte" in text and "100.000" in text
    assert "Velfærdsteknologi" in text and "Medarbejdertimer" in text and "13,0" in text
    assert [e.citizen_id for e in audits("documentation_printed")] == [built.citizen.id]


@pytest.mark.parametrize("role", ["peer", "skp", "volunteer_coordinator", "authority", "admin"])
def test_other_roles_never_see_the_form_or_the_category(login, role):
    built = build_course()
    visitor = login(role)
    assert visitor.get(url(built.course)).status_code == 403
    assert visitor.client.get(url(built.course) + ".pdf").status_code == 403


def test_the_citizen_page_links_to_the_form_only_for_reporters(login):
    built = build_course()
    built.citizen.disability_category = "Psykisk syg"
    db.session.commit()
    staff_page = login("staff").get(f"/borgere/{built.citizen.id}").get_data(as_text=True)
    assert url(built.course) in staff_page
    assert "Psykisk syg" not in staff_page  # the category is on the form only
    peer_page = login("peer").get(f"/borgere/{built.citizen.id}").get_data(as_text=True)
    assert url(built.course) not in peer_page
    assert "Timer med borgeren" in peer_page and "Uden for forløb" in peer_page
