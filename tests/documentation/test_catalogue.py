"""The catalogue of municipal offers: reading a tariff as a Dane types it, who sees and who keeps
the catalogue, bad input refused in Danish with what was typed kept, edits that never change saved
assessments, removal and restore, the version check, the audit rows."""

from datetime import date

import pytest
from markupsafe import escape
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from webapp.audit import AuditEvent
from webapp.documentation import catalogue_forms, services
from webapp.documentation.models import MunicipalOffer, ShadowLine
from webapp.extensions import db

from ..factories import make_citizen, refresh
from ..handover.factories import fresh, make_course
from ..hostile import forms_in, hostile_posts
from .factories import make_offer, make_shadow_assessment

URL = "/tilbudskatalog"


# --- the tariff as typed ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed, kroner", [
    ("12500", 12_500), ("12.500", 12_500), ("12 500", 12_500), ("12500 kr.", 12_500), ("12.500 kr", 12_500),
    ("kr. 12.500", 12_500), ("12.500,-", 12_500), ("1.250.000", 1_250_000), ("12\u00a0500", 12_500), ("0", 0),
    ("100.000.000", 100_000_000),
])
def test_a_tariff_is_read_with_danish_thousands_separators(typed, kroner):
    assert catalogue_forms.parse_tariff(typed) == kroner


@pytest.mark.parametrize("typed, message", [
    ("12500,50", catalogue_forms.MSG_DECIMALS),
    ("12,5", catalogue_forms.MSG_DECIMALS),
    ("12.50", catalogue_forms.MSG_TARIFF),  # a point that is not a thousands separator
    ("1.2500", catalogue_forms.MSG_TARIFF),
    ("tolv tusind", catalogue_forms.MSG_TARIFF),
    ("-100", catalogue_forms.MSG_NEGATIVE),
    ("−12.500", catalogue_forms.MSG_NEGATIVE),
    ("100.000.001", catalogue_forms.MSG_ABSURD),
    ("9" * 40, catalogue_forms.MSG_ABSURD),
])
def test_a_tariff_that_cannot_be_whole_kroner_is_refused_in_danish(typed, message):
    with pytest.raises(ValueError) as refused:
        catalogue_forms.parse_tariff(typed)
    assert str(refused.value) == message


# --- the page -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role, keeps", [("staff", False), ("leader", True), ("secretariat", True)])
def test_reporters_read_the_catalogue_and_only_leader_and_secretariat_keep_it(login, role, keeps):
    make_offer("Bostøtte", "SEL § 85", 1_234_567)
    make_offer("Aktivitets- og samværstilbud", "SEL § 104", 45_000, removed=True)
    html = login(role).get(URL).get_data(as_text=True)
    assert "Bostøtte" in html and "SEL § 85" in html
    assert "1.234.567 kr." in html
    assert "beholder den takst" in html  # editing a tariff never changes saved assessments: said on the page
    removed_part = html[html.index("Fjernede tilbud"):]
    assert "Aktivitets- og samværstilbud" in removed_part and "45.000 kr." in removed_part
    assert ("Nyt tilbud" in html) is keeps
    assert ("/fjern" in html) is keeps and ("/genopret" in html) is keeps
    assert "/mangler-skyggevisitation" in html


@pytest.mark.parametrize("role", ["leader", "secretariat", "staff"])
def test_the_desk_tabs_lead_to_the_catalogue_and_the_missing_list(login, role):
    """Every reporter reaches the catalogue (to read it) and the list from the key figures' tabs."""
    html = login(role).get("/noegletal").get_data(as_text=True)
    tabs = html[html.index('class="desk-nav"'):]
    tabs = tabs[:tabs.index("</nav>")]
    assert 'href="/tilbudskatalog"' in tabs
    assert 'href="/mangler-skyggevisitation"' in tabs


def test_the_secretariat_adds_an_offer_and_an_audit_row_names_no_citizen(login):
    visitor = login("secretariat")
    visitor.get(URL)
    response = visitor.post(URL, {"name": "  Bostøtte  ", "law_section": "SEL § 85", "yearly_tariff": "12 500 kr.",
                                  "is_housing": "y"})
    assert response.status_code == 302
    refresh()
    offer = db.session.scalar(select(MunicipalOffer))
    assert (offer.name, offer.law_section, offer.yearly_tariff, offer.is_housing) == ("Bostøtte", "SEL § 85", 12_500, True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "offer_added"))
    assert event.object_id == str(offer.id) and event.citizen_id is None
    assert "Bostøtte" in visitor.get(URL).get_data(as_text=True)


@pytest.mark.parametrize("field, typed, message", [
    ("name", "", "Skriv tilbuddets navn."),
    ("name", "   ", "Skriv tilbuddets navn."),
    ("name", "B" * 201, "Navnet er for langt – højst 200 tegn."),
    ("law_section", "§" * 61, "Lovgrundlaget er for langt – højst 60 tegn."),
    ("yearly_tariff", "", catalogue_forms.MSG_TARIFF),
    ("yearly_tariff", "-5", catalogue_forms.MSG_NEGATIVE),
    ("yearly_tariff", "200.000.000", catalogue_forms.MSG_ABSURD),
    ("yearly_tariff", "12.500,50", catalogue_forms.MSG_DECIMALS),
    ("yearly_tariff", "tolv", catalogue_forms.MSG_TARIFF),
])
def test_bad_input_is_refused_at_the_field_and_what_was_typed_is_kept(login, field, typed, message):
    visitor = login("leader")
    visitor.get(URL)
    data = {"name": "Bostøtte", "law_section": "SEL § 85", "yearly_tariff": "12.500", field: typed}
    response = visitor.post(URL, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'<p class="error" id="{field}-error">{escape(message)}</p>' in html
    for name, value in data.items():
        if value.strip():
            assert f'value="{escape(value)}"' in html, name
    refresh()
    assert db.session.scalar(select(MunicipalOffer)) is None


def test_a_name_already_in_the_catalogue_is_refused(login):
    make_offer("Bostøtte")
    visitor = login("leader")
    visitor.get(URL)
    response = visitor.post(URL, {"name": "bostøtte ", "law_section": "", "yearly_tariff": "1"})
    assert response.status_code == 422
    assert "Der findes allerede et tilbud med det navn" in response.get_data(as_text=True)


def test_a_name_of_a_removed_offer_may_be_used_again(login):
    make_offer("Bostøtte", removed=True)
    visitor = login("leader")
    visitor.get(URL)
    assert visitor.post(URL, {"name": "Bostøtte", "law_section": "", "yearly_tariff": "1"}).status_code == 302


# --- editing, removing, restoring -------------------------------------------------------------------


def _course_with_assessment(offer, percent=50):
    course = make_course(make_citizen("Bo", "Berg"), date(2026, 1, 5), date(2026, 3, 1))
    return make_shadow_assessment(course, offer, percent)


def test_a_new_tariff_never_changes_an_assessment_already_saved(login):
    offer = make_offer("Bostøtte", "SEL § 85", 120_000)
    doc = _course_with_assessment(offer, percent=50)
    visitor = login("leader")
    page = visitor.get(f"{URL}/{offer.id}").get_data(as_text=True)
    assert 'value="120.000"' in page and "1 forløb har allerede valgt tilbuddet" in page
    response = visitor.post(f"{URL}/{offer.id}", {"name": "Bostøtte (ny)", "law_section": "SEL § 85 stk. 1",
                                                  "yearly_tariff": "150.000", "version": str(offer.version)})
    assert response.status_code == 302
    offer = fresh(MunicipalOffer, offer.id)
    assert (offer.name, offer.law_section, offer.yearly_tariff) == ("Bostøtte (ny)", "SEL § 85 stk. 1", 150_000)
    line = db.session.scalar(select(ShadowLine).where(ShadowLine.documentation_id == doc.id))
    # The line keeps its copy: 120.000 × 50 % = 60.000 kr. a year, as when it was saved.
    assert (line.offer_name, line.law_section, line.yearly_tariff, line.yearly_cost) == ("Bostøtte", "SEL § 85", 120_000, 60_000)
    assert db.session.scalar(select(AuditEvent.object_id).where(AuditEvent.action == "offer_changed")) == str(offer.id)


def test_an_edit_is_refused_in_danish_with_what_was_typed(login):
    offer = make_offer("Bostøtte", yearly_tariff=120_000)
    visitor = login("secretariat")
    visitor.get(f"{URL}/{offer.id}")
    response = visitor.post(f"{URL}/{offer.id}", {"name": "Ny bostøtte", "law_section": "", "yearly_tariff": "12,5",
                                                  "version": str(offer.version)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert escape(catalogue_forms.MSG_DECIMALS) in html
    assert 'value="Ny bostøtte"' in html and 'value="12,5"' in html
    assert fresh(MunicipalOffer, offer.id).yearly_tariff == 120_000


def test_two_people_changing_the_same_tariff_meet_the_conflict_screen(login):
    offer = make_offer("Bostøtte", yearly_tariff=120_000)
    loaded = str(offer.version)
    base = catalogue_forms.offer_values(offer)
    from webapp.versioning import fingerprint

    first, second = login("leader"), login("secretariat")
    for visitor in (first, second):
        visitor.get(f"{URL}/{offer.id}")
    form = {"name": "Bostøtte", "law_section": "SEL § 85", "version": loaded, "version_base": fingerprint(base)}
    assert first.post(f"{URL}/{offer.id}", {**form, "yearly_tariff": "130.000"}).status_code == 302
    response = second.post(f"{URL}/{offer.id}", {**form, "yearly_tariff": "140.000"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "mens du skrev" in html and "130.000" in html and 'value="140.000"' in html
    assert fresh(MunicipalOffer, offer.id).yearly_tariff == 130_000


def test_removing_keeps_old_assessments_readable_and_restoring_brings_it_back(login):
    offer = make_offer("Bostøtte", yearly_tariff=120_000)
    _course_with_assessment(offer)
    visitor = login("leader")
    visitor.get(URL)
    assert visitor.post(f"{URL}/{offer.id}/fjern").status_code == 302
    refresh()
    assert services.active_offers() == []
    html = visitor.get(URL).get_data(as_text=True)
    removed_part = html[html.index("Fjernede tilbud"):]
    assert "Bostøtte" in removed_part and '<td class="num">1</td>' in removed_part  # one assessment uses it
    assert db.session.scalar(select(ShadowLine.offer_name)) == "Bostøtte"
    assert visitor.post(f"{URL}/{offer.id}/genopret").status_code == 302
    refresh()
    assert [o.id for o in services.active_offers()] == [offer.id]
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "municipal_offer")
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["offer_removed", "offer_restored"]


def test_an_offer_that_does_not_exist_is_404(login):
    visitor = login("leader")
    visitor.get(URL)
    assert visitor.get(f"{URL}/2147483000").status_code == 404
    assert visitor.post(f"{URL}/2147483000/fjern").status_code == 404


def test_the_edit_form_survives_hostile_values(login):
    offer = make_offer("Bostøtte", yearly_tariff=120_000)
    visitor = login("leader")
    page = visitor.get(f"{URL}/{offer.id}").get_data(as_text=True)
    [form] = [f for f in forms_in(f"{URL}/{offer.id}", page) if f.action == f"{URL}/{offer.id}"]
    for label, data in hostile_posts(form):
        data = [(n, visitor.token if n == "csrf_token" else v) for n, v in data]
        response = visitor.client.post(form.action, data=MultiDict(data))
        assert response.status_code < 500, label
        if response.status_code == 422:
            assert "Formularen er ikke gemt" in response.get_data(as_text=True), label
    assert fresh(MunicipalOffer, offer.id).yearly_tariff == 120_000
