"""Sessions end on the server: idle lock, absolute limit, logout, deactivation, new password."""

from datetime import timedelta

import pytest

from webapp.auth import services as auth_services
from webapp.auth.models import User
from webapp.extensions import db

from ..conftest import Visitor
from ..factories import PASSWORD, make_user

START = "2026-11-23 08:00:00+00:00"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def test_idle_session_shows_lock_page_and_needs_the_password(visitor, clock):
    make_user("vera")
    visitor.login("vera")
    clock.shift(timedelta(minutes=14))
    assert visitor.get("/").status_code == 200
    clock.shift(timedelta(minutes=14))  # 14 min since the last activity: still fine
    assert visitor.get("/").status_code == 200
    clock.shift(timedelta(minutes=15, seconds=1))
    response = visitor.get("/admin/brugere")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/laast")
    lock_page = visitor.get(response.headers["Location"])
    assert "Skærmen er låst" in lock_page.get_data(as_text=True)
    # Still locked on the next request, whatever it is.
    assert visitor.get("/").headers["Location"].startswith("/laast")
    bad = visitor.post("/laast", {"password": "forkert-kode-1"})
    assert bad.status_code == 422
    good = visitor.post("/laast?next=/", {"password": PASSWORD})
    assert good.status_code == 302 and good.headers["Location"] == "/"
    assert visitor.get("/").status_code == 200


def test_idle_timeout_is_configurable(app, clock):
    make_user("vera")
    app.config["IDLE_TIMEOUT_MINUTES"] = 2
    try:
        visitor = Visitor(app.test_client())
        visitor.login("vera")
        clock.shift(timedelta(minutes=2, seconds=1))
        assert visitor.get("/").headers["Location"].startswith("/laast")
    finally:
        app.config["IDLE_TIMEOUT_MINUTES"] = 15


def test_background_polling_does_not_keep_a_session_alive(visitor, clock):
    make_user("vera")
    visitor.login("vera")
    for _ in range(20):
        clock.shift(timedelta(minutes=1))
        response = visitor.client.get("/", headers={"X-Background": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/laast")


def test_htmx_request_on_a_locked_session_redirects_the_whole_page(visitor, clock):
    make_user("vera")
    visitor.login("vera")
    clock.shift(timedelta(minutes=16))
    response = visitor.client.get("/", headers={"HX-Request": "true", "X-Background": "1"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/laast")


def test_absolute_limit_of_twelve_hours(visitor, clock):
    make_user("vera")
    visitor.login("vera")
    for _ in range(11 * 6):  # active every 10 minutes for 11 hours
        clock.shift(timedelta(minutes=10))
        assert visitor.get("/").status_code == 200
    clock.shift(timedelta(hours=1))
    response = visitor.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert visitor.get("/").headers["Location"].startswith("/login")


def capture_cookie(visitor):
    return visitor.client.get_cookie("dinindgang_session").value


def replay(app, cookie_value):
    other = app.test_client()
    other.set_cookie("dinindgang_session", cookie_value)
    return other.get("/")


def test_replaying_a_cookie_after_logout_is_useless(app, visitor):
    make_user("vera")
    visitor.login("vera")
    captured = capture_cookie(visitor)
    assert replay(app, captured).status_code == 200  # the captured cookie worked before
    visitor.logout()
    response = replay(app, captured)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_deactivating_a_user_ends_their_sessions(app, visitor):
    user = make_user("vera")
    visitor.login("vera")
    captured = capture_cookie(visitor)
    auth_services.set_active(db.session.get(User, user.id), False)
    db.session.commit()
    assert replay(app, captured).status_code == 302


def test_resetting_a_password_ends_their_sessions(app, visitor):
    user = make_user("vera")
    visitor.login("vera")
    captured = capture_cookie(visitor)
    auth_services.set_password(db.session.get(User, user.id), "en helt ny sætning")
    db.session.commit()
    assert replay(app, captured).status_code == 302
    assert visitor.login("vera", "en helt ny sætning").status_code == 302
