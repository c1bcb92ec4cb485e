""""Fortryd" removes exactly the user's own tap, identified by its token, within the undo window."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from webapp.auth.models import User
from webapp.extensions import db
from webapp.timeutil import utcnow

from ..factories import make_contact
from .test_contacts import HX, live_contacts, tap

CALM = "Kan ikke fortrydes længere – ret henvendelsen i stedet."


def undo_token(html: str) -> str | None:
    found = re.search(r'class="undo-form".*?name="tap_token" value="([^"]+)"', html, re.S)
    return found.group(1) if found else None


def undo(visitor, token):
    return visitor.post("/henvendelser/fortryd", {"tap_token": token}, headers=HX)


@pytest.fixture
def vera(login, time_machine):
    time_machine.move_to("2026-11-23 07:30:00+01:00", tick=False)
    return login("staff", username="vera")


def test_the_undo_button_carries_the_token_of_the_users_own_tap(vera):
    response, token = tap(vera, "phone")
    assert undo_token(response.get_data(as_text=True)) == token
    assert undo_token(vera.get("/").get_data(as_text=True)) == token  # also after a reload
    response = undo(vera, token)
    assert response.status_code == 200
    assert "Telefon kl. 07:30 er fjernet." in response.get_data(as_text=True)
    assert live_contacts() == []


def test_a_colleagues_tap_is_never_undone(vera, login):
    _, token = tap(vera, "visit")
    mads = login("staff", username="mads")
    mads.get("/")
    response = undo(mads, token)
    assert CALM in response.get_data(as_text=True)
    assert len(live_contacts()) == 1


def test_a_tap_older_than_two_minutes_is_not_undone(vera, time_machine):
    _, token = tap(vera, "visit")
    time_machine.shift(timedelta(minutes=2, seconds=1))
    assert undo_token(vera.get("/").get_data(as_text=True)) is None  # no button any more
    response = undo(vera, token)
    assert CALM in response.get_data(as_text=True)
    assert len(live_contacts()) == 1


def test_a_tap_just_inside_two_minutes_is_undone(vera, time_machine):
    _, token = tap(vera, "visit")
    time_machine.shift(timedelta(minutes=1, seconds=59))
    undo(vera, token)
    assert live_contacts() == []


def test_demo_contacts_stamped_later_today_are_never_undone(vera):
    """Demo data stamps today's contacts through the whole day, so early in the morning they lie
    in the future and looked like the user's newest tap."""
    vera_user = db.session.scalar(select(User).where(User.username == "vera"))
    later = make_contact(vera_user, when=utcnow() + timedelta(hours=3), kind="phone", tap_token="d" * 24)
    response, token = tap(vera, "visit")
    assert undo_token(response.get_data(as_text=True)) == token  # the button names the real tap
    assert CALM in undo(vera, later.tap_token).get_data(as_text=True)
    assert len(live_contacts()) == 2
    undo(vera, token)
    assert [c.id for c in live_contacts()] == [later.id]


def test_without_a_token_nothing_is_removed(vera):
    tap(vera, "visit")
    for data in ({}, {"tap_token": ""}, {"tap_token": "not a token!"}):
        response = vera.post("/henvendelser/fortryd", data, headers=HX)
        assert response.status_code == 200
        assert CALM in response.get_data(as_text=True)
    assert len(live_contacts()) == 1


def test_an_undone_tap_cannot_be_undone_twice(vera):
    tap(vera, "visit")
    _, token = tap(vera, "phone")
    undo(vera, token)
    assert CALM in undo(vera, token).get_data(as_text=True)
    assert [c.kind for c in live_contacts()] == ["visit"]


def test_the_window_is_a_setting(vera, app, time_machine):
    _, token = tap(vera, "visit")
    time_machine.shift(timedelta(seconds=31))
    app.config["UNDO_WINDOW_SECONDS"] = 30
    try:
        assert CALM in undo(vera, token).get_data(as_text=True)
    finally:
        app.config["UNDO_WINDOW_SECONDS"] = 120
    assert len(live_contacts()) == 1
