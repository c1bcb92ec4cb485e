"""One citizen per CPR number: create, edit and the welcome table's quick-create, and the database."""

import re

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.citizens import services
from webapp.citizens.models import Citizen
from webapp.extensions import db

from ..factories import make_contact, make_user, refresh
from .factories import make_citizen_with_cpr

REFUSED = "Der findes allerede en borger med dette CPR-nummer."


@pytest.fixture
def staff(login):
    return login("staff", username="mads")


def citizens():
    refresh()
    return db.session.scalars(select(Citizen).order_by(Citizen.id)).all()


def links_in(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


@pytest.mark.parametrize("confirm", [{}, {"confirm_duplicate": "y"}])
@pytest.mark.parametrize("typed", ["251248-9996", "2512489996", "251248 9996"])
def test_a_second_citizen_with_the_same_cpr_is_refused_even_when_confirmed(staff, typed, confirm):
    nancy = make_citizen_with_cpr("Nancy", "Berggren", "2512489996")
    staff.get("/borgere/ny")
    response = staff.post("/borgere/ny", {"first_name": "Nanna", "last_name": "Hansen", "cpr": typed, **confirm})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert REFUSED in html
    assert f'href="/borgere/{nancy.id}"' in html  # a link to the one who has it, by id
    assert 'value="Nanna"' in html and 'value="Hansen"' in html  # what was typed is kept
    assert "Opret alligevel" not in html  # no way around it
    assert not any("9996" in link for link in links_in(html))
    assert "Location" not in response.headers
    assert [c.id for c in citizens()] == [nancy.id]


def test_editing_a_citizen_to_another_citizens_cpr_is_refused(staff):
    nancy = make_citizen_with_cpr("Nancy", "Berggren", "2512489996")
    olga = make_citizen_with_cpr("Olga", "Olsen", "0101801234")
    staff.get(f"/borgere/{olga.id}/ret")
    for confirm in ({}, {"confirm_duplicate": "y"}):
        response = staff.post(f"/borgere/{olga.id}/ret",
                              {"first_name": "Olga", "last_name": "Olsen", "cpr": "251248-9996", **confirm})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert REFUSED in html and f'href="/borgere/{nancy.id}"' in html
    assert {c.first_name: c.cpr for c in citizens()} == {"Nancy": "2512489996", "Olga": "0101801234"}


def test_retyping_a_citizens_own_cpr_is_no_duplicate(staff):
    nancy = make_citizen_with_cpr("Nancy", "Berggren", "2512489996")
    staff.get(f"/borgere/{nancy.id}/ret")
    response = staff.post(f"/borgere/{nancy.id}/ret", {"first_name": "Nancy", "last_name": "Berggren",
                                                         "cpr": "251248-9996", "phone": "22334455"})
    assert response.status_code == 302
    assert citizens()[0].phone == "22334455"


def test_quick_create_at_the_welcome_table_follows_the_register(login):
    """Quick-create takes no CPR number: namesakes and many citizens without one are fine."""
    make_citizen_with_cpr("Anna", "Andersen", "0101801234")
    host = login("staff", username="vera")
    user = make_user("pia", roles=("peer",))
    contacts = [make_contact(user), make_contact(user)]
    for contact in contacts:
        response = host.post(f"/henvendelser/{contact.id}/borger",
                             {"first_name": "Anna", "last_name": "Andersen", "phone": ""},
                             headers={"HX-Request": "true"})
        assert response.status_code == 200, response.get_data(as_text=True)
    assert [(c.first_name, c.cpr) for c in citizens()] == [
        ("Anna", "0101801234"), ("Anna", None), ("Anna", None)
    ]


def test_the_database_refuses_a_second_cpr_and_allows_many_without(app):
    make_citizen_with_cpr("Nancy", "Berggren", "2512489996")
    for name in ("Bo", "Bea"):
        db.session.add(Citizen(first_name=name, last_name="", first_name_lower=name.lower()))
    db.session.commit()
    db.session.add(Citizen(first_name="Nanna", last_name="", first_name_lower="nanna", cpr="2512489996"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert len(citizens()) == 3


def test_a_colleague_saving_the_same_cpr_a_moment_earlier_gets_the_same_message(app):
    """The check in apply_citizen_data and the save are two steps: the index decides the race."""
    late = Citizen(first_name="Nanna", last_name="", first_name_lower="nanna", cpr="2512489996")
    nancy = make_citizen_with_cpr("Nancy", "Berggren", "2512489996")  # saved in between
    with pytest.raises(services.DuplicateCprError) as refused:
        services.save_citizen(late)
    assert refused.value.existing_id == nancy.id
    assert refused.value.field == "cpr"
    db.session.rollback()
    assert len(citizens()) == 1


def test_demo_citizens_have_distinct_cpr_numbers(app):
    import random

    from webapp.tools.demo import citizens as demo

    for name in ("medarbejder", "vaert", "peer", "skp", "leder"):
        make_user(name, roles=("staff",), has_authority_experience=name == "leder")
    demo.load(random.Random(7))
    db.session.commit()
    numbers = [c.cpr for c in citizens() if c.cpr]
    assert len(numbers) == len(set(numbers)) > 50
