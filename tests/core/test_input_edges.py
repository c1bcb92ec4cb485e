"""The input edges that answered 500 (finding 2 of issue #10), each by name; the hostile-input run
(test_hostile_input.py) tries the whole class on every route and form."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from webapp.citizens.models import Citizen
from webapp.extensions import db
from webapp.forms import has_control_characters, strip_control_characters
from webapp.urls import parse_day, parse_id


@pytest.mark.parametrize("path", [
    "/borgere/2147483648", "/borgere/9223372036854775808", "/udekoerende/99999999999999999999",
    "/overdragelser/99999999999999999999", "/admin/brugere/99999999999999999999", "/borgere/0",
    "/fit/borger/2147483648/papir", "/grupper/hold/2147483648",
])
def test_ids_no_column_holds_are_404(login, path):
    assert login("leader", "admin").get(path).status_code == 404


@pytest.mark.parametrize("path", [
    "/fredagsmoede/9999-12-31/projektor", "/fredagsmoede/9999-12-31/referat.pdf",
    "/fredagsmoede/0001-01-01/projektor", "/fredagsmoede/2026-02-31/projektor",
])
def test_calendar_edges_in_meeting_urls_are_404(login, path):
    assert login("leader").get(path).status_code == 404


def test_a_meeting_date_outside_the_window_shows_this_weeks_agenda(login):
    response = login("leader").get("/fredagsmoede?dato=0001-01-01", follow_redirects=True)
    assert response.status_code == 200
    assert "Datoen kunne ikke læses" in response.get_data(as_text=True)


def test_nul_in_a_query_is_a_calm_danish_400(login):
    response = login("staff").get("/borgere?q=ab%00cd")
    assert response.status_code == 400
    assert "ugyldige tegn" in response.get_data(as_text=True)


def test_nul_in_a_citizens_name_is_refused_with_the_rest_kept(login):
    staff = login("staff")
    staff.get("/borgere/ny")
    response = staff.post("/borgere/ny", {"first_name": "An\x00na", "last_name": "Andersen", "phone": "22334455"})
    assert response.status_code in (200, 422)
    body = response.get_data(as_text=True)
    assert "kontroltegn" in body and 'value="Anna"' in body and "Andersen" in body
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Citizen)) == 0


def test_a_deeply_nested_scale_file_is_refused_in_danish(login):
    admin = login("admin")
    admin.get("/fit/skalaer")
    body = b"[" * 100_000 + b"]" * 100_000
    response = admin.post("/fit/skalaer", {"file": (io.BytesIO(body), "ors.json")}, content_type="multipart/form-data")
    assert response.status_code < 500
    assert "for dybt indlejret" in response.get_data(as_text=True) or "for stor" in response.get_data(as_text=True)


def test_a_deeply_nested_but_small_scale_file_is_refused_in_danish(login):
    admin = login("admin")
    admin.get("/fit/skalaer")
    body = b"[" * 5_000 + b"]" * 5_000
    response = admin.post("/fit/skalaer", {"file": (io.BytesIO(body), "ors.json")}, content_type="multipart/form-data")
    assert response.status_code < 500 and "for dybt indlejret" in response.get_data(as_text=True)


def test_input_helpers():
    assert parse_id("12") == 12
    assert parse_id("2147483648") is None and parse_id("0") is None and parse_id("-1") is None
    assert parse_id("²") is None and parse_id("1" * 5000) is None and parse_id(None) is None
    assert has_control_characters("a\x00b") and not has_control_characters("linje\nlinje\tx\r\n")
    assert strip_control_characters("a\x00b\x1bc") == "abc"


def test_day_window(app):
    with app.app_context():
        assert parse_day("2026-12-04") == date(2026, 12, 4)
        assert parse_day("0001-01-01") is None and parse_day("9999-12-31") is None and parse_day("x") is None


@pytest.mark.parametrize("username, password", [
    ("vera\x00", "x"), ("vera", "pass\x00word"), ("v" * 100_000, "x"), ("\u202evera", "x" * 100_000),
])
def test_the_login_form_takes_hostile_input_calmly(client, username, password):
    from ..conftest import Visitor

    visitor = Visitor(client)
    visitor.get("/login")
    response = visitor.post("/login", {"username": username, "password": password})
    assert response.status_code in (200, 400, 422, 429)


def test_the_lock_screen_takes_hostile_input_calmly(login):
    visitor = login("staff")
    visitor.get("/laast")
    response = visitor.post("/laast", {"password": "pass\x00word"})
    assert response.status_code < 500
