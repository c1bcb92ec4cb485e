"""Who may refine or relink a contact: the logger, staff or the leader, while it is recent."""

from datetime import datetime, timedelta

import pytest
from flask import render_template
from sqlalchemy import select

from webapp.auth.models import User
from webapp.extensions import db
from webapp.timeutil import LOCAL_TZ, as_utc
from webapp.welcome import vocab
from webapp.welcome.models import Contact
from webapp.welcome.rules import may_edit_contact

from ..factories import make_citizen, make_contact, make_user, refresh
from .test_contacts import HX

NOW = as_utc(datetime(2026, 11, 23, 12, 0, tzinfo=LOCAL_TZ))


@pytest.fixture
def people():
    return {role: make_user(f"u_{role}", roles=(role,)) for role in
            ("staff", "peer", "skp", "volunteer_coordinator", "leader", "authority", "secretariat", "admin")}


# --- the rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "leader"])
def test_staff_and_leader_may_edit_a_colleagues_contact(people, role):
    contact = make_contact(people["peer"], when=NOW - timedelta(days=1))
    assert may_edit_contact(people[role], contact, NOW)


@pytest.mark.parametrize("role", ["peer", "skp"])
def test_other_house_roles_may_edit_their_own_contact_only(people, role):
    own = make_contact(people[role], when=NOW - timedelta(hours=1))
    other = make_contact(people["staff"], when=NOW - timedelta(hours=1))
    assert may_edit_contact(people[role], own, NOW)
    assert not may_edit_contact(people[role], other, NOW)


@pytest.mark.parametrize("role", ["authority", "secretariat", "admin"])
def test_roles_outside_the_house_may_not_edit(people, role):
    contact = make_contact(people[role], when=NOW - timedelta(hours=1))  # even one logged under their name
    assert not may_edit_contact(people[role], contact, NOW)


def test_a_contact_may_be_edited_for_seven_days_then_belongs_to_reported_weeks(people):
    contact = make_contact(people["peer"], when=NOW - timedelta(days=7))
    assert may_edit_contact(people["peer"], contact, NOW)
    assert may_edit_contact(people["leader"], contact, NOW)
    assert not may_edit_contact(people["peer"], contact, NOW + timedelta(seconds=1))
    assert not may_edit_contact(people["leader"], contact, NOW + timedelta(seconds=1))


def test_the_number_of_days_is_a_setting(people, app):
    contact = make_contact(people["staff"], when=NOW - timedelta(days=3))
    assert not may_edit_contact(people["staff"], contact, NOW, edit_days=2)
    app.config["CONTACT_EDIT_DAYS"] = 2
    try:
        assert not may_edit_contact(people["staff"], contact, NOW)
    finally:
        app.config["CONTACT_EDIT_DAYS"] = 7


def test_an_undone_contact_and_nobody_may_not_be_edited(people):
    contact = make_contact(people["staff"], when=NOW, deleted_at=NOW)
    assert not may_edit_contact(people["staff"], contact, NOW)
    assert not may_edit_contact(None, make_contact(people["staff"], when=NOW), NOW)


# --- through HTTP --------------------------------------------------------------------------------


def attempts(visitor, contact_id, citizen_id):
    """Every way to refine or relink a contact; each returns its status code."""
    return {
        "panel": visitor.get(f"/henvendelser/{contact_id}/panel", headers=HX).status_code,
        "refine": visitor.post(f"/henvendelser/{contact_id}/praeciser", {"outcome": "information"},
                               headers=HX).status_code,
        "search": visitor.post(f"/henvendelser/{contact_id}/borger/soeg", {"q": "Anna"}, headers=HX).status_code,
        "link": visitor.post(f"/henvendelser/{contact_id}/borger", {"citizen_id": str(citizen_id)},
                             headers=HX).status_code,
    }


def unchanged(contact_id):
    refresh()
    contact = db.session.get(Contact, contact_id)
    return contact.outcome is None and contact.citizen_id is None


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_the_logger_may_refine_and_relink_their_own_contact(frozen, login):
    peer = login("peer", username="pia")
    pia = db.session.scalar(select(User).where(User.username == "pia"))
    contact = make_contact(pia, when=NOW - timedelta(hours=2))
    citizen = make_citizen()
    assert attempts(peer, contact.id, citizen.id) == dict.fromkeys(("panel", "refine", "search", "link"), 200)


def test_a_peer_may_not_touch_a_colleagues_contact(frozen, login):
    colleague = make_user("mads")
    contact = make_contact(colleague, when=NOW - timedelta(hours=2))
    citizen = make_citizen()
    peer = login("peer", username="pia")
    assert attempts(peer, contact.id, citizen.id) == dict.fromkeys(("panel", "refine", "search", "link"), 403)
    assert unchanged(contact.id)


@pytest.mark.parametrize("role", ["staff", "leader"])
def test_staff_and_leader_may_correct_a_colleagues_contact(frozen, login, role):
    contact = make_contact(make_user("pia", roles=("peer",)), when=NOW - timedelta(days=6))
    citizen = make_citizen()
    visitor = login(role)
    assert attempts(visitor, contact.id, citizen.id) == dict.fromkeys(("panel", "refine", "search", "link"), 200)
    assert not unchanged(contact.id)


@pytest.mark.parametrize("role", ["staff", "leader"])
def test_nobody_changes_a_contact_older_than_seven_days(frozen, login, role):
    visitor = login(role, username="vera")
    vera = db.session.scalar(select(User).where(User.username == "vera"))
    contact = make_contact(vera, when=NOW - timedelta(days=8))  # even one's own
    citizen = make_citizen()
    assert attempts(visitor, contact.id, citizen.id) == dict.fromkeys(("panel", "refine", "search", "link"), 403)
    assert unchanged(contact.id)


def test_the_refine_controls_show_only_when_allowed(people, app):
    contact = make_contact(people["staff"], when=NOW)
    with app.test_request_context():
        shown = render_template("welcome/_refine.html", contact=contact, vocab=vocab, may_edit=True)
        hidden = render_template("welcome/_refine.html", contact=contact, vocab=vocab, may_edit=False)
    assert "/praeciser" in shown and "/borger" in shown
    assert "/praeciser" not in hidden and "/borger" not in hidden and "<form" not in hidden
    assert "kan ikke længere rettes" in hidden
