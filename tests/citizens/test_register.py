"""Citizen register: entry slip, CPR rules, masking, duplicates and search through HTTP."""

import pytest
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.citizens.models import Citizen
from webapp.extensions import db

from ..factories import make_citizen, refresh
from .factories import make_citizen_with_cpr


@pytest.fixture
def staff(login):
    return login("staff", username="mads")


def citizens():
    refresh()
    return db.session.scalars(select(Citizen).order_by(Citizen.id)).all()


def test_create_a_citizen_without_cpr(staff):
    staff.get("/borgere/ny")
    response = staff.post("/borgere/ny", {"first_name": "Anna", "last_name": "Andersen", "phone": "22 33 44 55"})
    assert response.status_code == 302
    (anna,) = citizens()
    assert (anna.first_name, anna.cpr, anna.phone) == ("Anna", None, "22334455")


@pytest.mark.parametrize("typed", ["251248-9996", "2512489996", " 251248 9996 "])
def test_cpr_is_accepted_in_both_spellings_and_stored_once(staff, typed):
    staff.get("/borgere/ny")
    response = staff.post("/borgere/ny", {"first_name": "Nancy", "cpr": typed})
    assert response.status_code == 302
    (nancy,) = citizens()
    assert nancy.cpr == "2512489996"
    assert nancy.birth_date.isoformat() == "1948-12-25"
    assert "2512489996" not in response.headers["Location"]


def test_a_cpr_failing_modulus_11_is_accepted(staff):
    staff.get("/borgere/ny")
    assert staff.post("/borgere/ny", {"first_name": "Ole", "cpr": "010190-1235"}).status_code == 302
    assert citizens()[0].cpr == "0101901235"


@pytest.mark.parametrize("typed, message", [("310490-1234", "gyldig dato"), ("12345", "10 cifre"),
                                             ("abcdef-ghij", "10 cifre")])
def test_invalid_cpr_keeps_what_was_typed(staff, typed, message):
    staff.get("/borgere/ny")
    response = staff.post("/borgere/ny", {"first_name": "Ole", "last_name": "Olsen", "cpr": typed})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body
    assert 'value="Olsen"' in body
    assert citizens() == []


def test_cpr_is_masked_and_revealed_only_on_request_which_is_audited(staff):
    nancy = make_citizen_with_cpr()
    page = staff.get(f"/borgere/{nancy.id}").get_data(as_text=True)
    assert "251248-xxxx" in page
    assert "9996" not in page
    revealed = staff.post(f"/borgere/{nancy.id}/cpr", headers={"HX-Request": "true"})
    assert "251248-9996" in revealed.get_data(as_text=True)
    refresh()
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["citizen_viewed", "cpr_revealed"]


def test_duplicates_are_warned_about(staff):
    make_citizen_with_cpr("Nancy", "Berggren", "2512489996")
    staff.get("/borgere/ny")
    typed = {"first_name": "Nancy", "last_name": "Berggren", "cpr": "251248-1234"}
    response = staff.post("/borgere/ny", typed)
    assert response.status_code == 422
    assert "Måske findes borgeren allerede" in response.get_data(as_text=True)
    assert len(citizens()) == 1
    response = staff.post("/borgere/ny", {**typed, "confirm_duplicate": "y"})  # a namesake born the same day
    assert response.status_code == 302
    assert len(citizens()) == 2


def test_same_name_and_birth_date_is_a_likely_duplicate(staff):
    make_citizen_with_cpr("Nancy", "Berggren", "2512489996")
    staff.get("/borgere/ny")
    response = staff.post("/borgere/ny", {"first_name": "nancy", "last_name": "BERGGREN", "cpr": "251248-1234"})
    assert response.status_code == 422
    assert "Måske findes borgeren allerede" in response.get_data(as_text=True)


def test_search_by_name_phone_and_birth_date(staff):
    make_citizen_with_cpr("Nancy", "Berggren", "2512489996", phone="22334455")
    make_citizen("Bo", "Berg")
    for q in ("nan", "Nancy Berg", "22334455", "25-12-1948"):
        html = staff.get("/borgere", query_string={"q": q}).get_data(as_text=True)
        assert "Nancy Berggren" in html, q
        assert "Bo Berg<" not in html, q


def test_cpr_search_is_a_post_and_the_audit_keeps_it_masked(staff):
    make_citizen_with_cpr()
    staff.get("/borgere")
    response = staff.post("/borgere/cpr-soeg", {"cpr": "251248-9996"})
    assert response.status_code == 200
    assert "Nancy Berggren" in response.get_data(as_text=True)
    refresh()
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "citizen_search")).one()
    assert event.details == "cpr 251248-xxxx"
    assert staff.get("/borgere?cpr=2512489996").status_code == 200  # a GET carries no CPR search


def test_cpr_never_reaches_the_application_log(staff, caplog):
    staff.get("/borgere/ny")
    staff.post("/borgere/ny", {"first_name": "Nancy", "cpr": "251248-9996"})
    staff.post("/borgere/cpr-soeg", {"cpr": "251248-9996"})
    staff.post("/borgere/ny", {"first_name": "X", "cpr": "310490-9999"})
    assert "9996" not in caplog.text and "310490" not in caplog.text


@pytest.mark.parametrize("role", ["authority", "secretariat"])
def test_authority_and_secretariat_cannot_see_citizen_pages(login, role):
    nancy = make_citizen_with_cpr()
    visitor = login(role)
    assert visitor.get(f"/borgere/{nancy.id}").status_code == 403
    assert visitor.get("/borgere").status_code == 403


def test_edit_keeps_cpr_unless_retyped(staff):
    nancy = make_citizen_with_cpr(phone="22334455")
    form = staff.get(f"/borgere/{nancy.id}/ret").get_data(as_text=True)
    assert "9996" not in form
    response = staff.post(f"/borgere/{nancy.id}/ret", {"first_name": "Nancy", "last_name": "Berggren", "cpr": "",
                                                         "phone": "11223344"})
    assert response.status_code == 302
    (nancy,) = citizens()
    assert (nancy.cpr, nancy.phone) == ("2512489996", "11223344")


def test_access_log_lists_who_looked(staff, login):
    nancy = make_citizen_with_cpr()
    staff.get(f"/borgere/{nancy.id}")
    other = login("peer", username="pia")
    other.get(f"/borgere/{nancy.id}")
    html = staff.get(f"/borgere/{nancy.id}/adgang").get_data(as_text=True)
    assert "mads" in html and "pia" in html and "Så borgersiden" in html


def test_relatives(staff):
    nancy = make_citizen_with_cpr()
    staff.get(f"/borgere/{nancy.id}")
    response = staff.post(f"/borgere/{nancy.id}/paaroerende", {"name": "Karen", "relation": "mor", "phone": "11112222"})
    assert response.status_code == 302
    assert "Karen (mor)" in staff.get(f"/borgere/{nancy.id}").get_data(as_text=True)


def test_access_log_includes_other_features_views_of_the_citizen(staff):
    from datetime import date

    from ..handover.factories import make_course, make_handover

    nancy = make_citizen_with_cpr()
    handover = make_handover(make_course(nancy, date(2026, 9, 1)))
    assert staff.get(f"/overdragelser/{handover.id}").status_code == 200
    html = staff.get(f"/borgere/{nancy.id}/adgang").get_data(as_text=True)
    assert "Så overdragelsen" in html
