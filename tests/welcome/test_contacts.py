"""One-tap logging, refining, undo and double-tap protection through real HTTP."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from webapp.audit import AuditEvent
from webapp.citizens.models import GuideConversation
from webapp.extensions import db
from webapp.timeutil import format_time
from webapp.welcome.models import Contact

from ..factories import refresh

HX = {"HX-Request": "true"}


def tokens_from(html: str) -> dict[str, str]:
    found = re.findall(r'name="kind" value="(\w+)">\s*<input type="hidden" name="tap_token" value="([^"]+)"', html)
    return dict(found)


def live_contacts():
    refresh()
    return db.session.scalars(select(Contact).where(Contact.deleted_at.is_(None)).order_by(Contact.id)).all()


@pytest.fixture
def host(login):
    return login("staff", username="vera")


def tap(visitor, kind="phone", token=None):
    page = visitor.get("/")
    token = token or tokens_from(page.get_data(as_text=True))[kind]
    return visitor.post("/henvendelser", {"kind": kind, "tap_token": token}, headers=HX), token


def test_welcome_page_has_the_three_buttons(host):
    html = host.get("/").get_data(as_text=True)
    for label in ("Besøg", "Telefon", "Ad hoc-hjælp"):
        assert re.search(rf"</span>{label}</button>", html)
    assert set(tokens_from(html)) == {"visit", "phone", "ad_hoc"}


@pytest.mark.parametrize("kind, channel", [("visit", "fremmoede"), ("phone", "telefon"), ("ad_hoc", "fremmoede")])
def test_one_tap_stores_a_contact_with_defaults(host, kind, channel):
    response, _ = tap(host, kind)
    assert response.status_code == 201
    assert response.headers["HX-Trigger"] == "contact-logged"
    (contact,) = live_contacts()
    assert (contact.kind, contact.channel, contact.from_type, contact.citizen_id) == (kind, channel, "borger", None)
    assert contact.is_ad_hoc == (kind == "ad_hoc")
    assert contact.logged_by.username == "vera"
    html = response.get_data(as_text=True)
    assert "Præcisér henvendelsen" in html  # the optional panel
    assert tokens_from(html)  # fresh buttons for the next tap


def test_the_same_token_twice_stores_one_contact(host):
    first, token = tap(host, "phone")
    second = host.post("/henvendelser", {"kind": "phone", "tap_token": token}, headers=HX)
    assert first.status_code == 201
    assert second.status_code == 200
    assert len(live_contacts()) == 1
    refresh()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "contact_logged")) == 1


def test_each_fresh_token_is_a_new_contact(host):
    tap(host, "phone")
    tap(host, "visit")
    assert [c.kind for c in live_contacts()] == ["phone", "visit"]


@pytest.mark.parametrize("token", ["", "short", "x" * 80, "bad token with spaces!!", "<script>alert(1)</script>"])
def test_malformed_token_gets_a_danish_message(host, token):
    response = host.post("/henvendelser", {"kind": "visit", "tap_token": token}, headers=HX)
    assert response.status_code == 422
    assert "Trykket kunne ikke genkendes" in response.get_data(as_text=True)
    assert live_contacts() == []


def test_unknown_kind_is_refused(host):
    response = host.post("/henvendelser", {"kind": "fax", "tap_token": "a" * 24}, headers=HX)
    assert response.status_code == 422
    assert "Ukendt type" in response.get_data(as_text=True)


def test_without_htmx_the_tap_redirects_with_a_message(host):
    page = host.get("/")
    token = tokens_from(page.get_data(as_text=True))["visit"]
    response = host.post("/henvendelser", {"kind": "visit", "tap_token": token})
    assert response.status_code == 302
    (contact,) = live_contacts()
    # The same words as with htmx, and the time on the wall clock (Copenhagen), never UTC.
    assert f"Besøg er gemt kl. {format_time(contact.occurred_at)}." in host.get("/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["authority", "secretariat"])
def test_authority_and_secretariat_cannot_log_contacts(login, role):
    visitor = login(role)
    response = visitor.post("/henvendelser", {"kind": "visit", "tap_token": "a" * 24}, headers=HX)
    assert response.status_code == 403
    assert live_contacts() == []


@pytest.mark.parametrize("role", ["staff", "peer", "skp", "leader"])
def test_staff_like_roles_can_log_contacts(login, role):
    visitor = login(role)
    response, _ = tap(visitor, "visit")
    assert response.status_code == 201


def refine(visitor, contact_id, **data):
    return visitor.post(f"/henvendelser/{contact_id}/praeciser", data, headers=HX)


def test_refine_from_partner_topics_outcome_duration_and_note(host):
    tap(host, "ad_hoc")
    (contact,) = live_contacts()
    assert refine(host, contact.id, partner="jobcenter").status_code == 200
    assert refine(host, contact.id, topic="mitid").status_code == 200
    assert refine(host, contact.id, topic="brev").status_code == 200
    assert refine(host, contact.id, topic="mitid").status_code == 200  # a second tap removes it
    assert refine(host, contact.id, outcome="ad_hoc_givet").status_code == 200
    assert refine(host, contact.id, duration_minutes="15").status_code == 200
    assert refine(host, contact.id, note="Hjalp med brev fra SKAT").status_code == 200
    (contact,) = live_contacts()
    assert (contact.from_type, contact.partner) == ("samarbejdspartner", "jobcenter")
    assert contact.topic_list == ["brev"]
    assert (contact.outcome, contact.duration_minutes, contact.note) == ("ad_hoc_givet", 15, "Hjalp med brev fra SKAT")
    # Back to a citizen clears the partner.
    refine(host, contact.id, from_type="borger")
    assert live_contacts()[0].partner is None


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("from_type", "nabo", "Ukendt afsender"),
        ("partner", "politiet", "Ukendt samarbejdspartner"),
        ("topic", "bitcoin", "Ukendt emne"),
        ("outcome", "magi", "Ukendt resultat"),
        ("channel", "brevdue", "Ukendt kanal"),
        ("duration_minutes", "-1", "mellem 0 og 480"),
        ("duration_minutes", "481", "mellem 0 og 480"),
        ("duration_minutes", "et kvarter", "helt antal minutter"),
    ],
)
def test_bad_refinements_get_a_danish_message_and_keep_what_was_saved(host, field, value, message):
    tap(host, "visit")
    (contact,) = live_contacts()
    refine(host, contact.id, duration_minutes="20")
    response = refine(host, contact.id, **{field: value})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body
    (contact,) = live_contacts()
    assert contact.duration_minutes == 20 and contact.from_type == "borger"


@pytest.mark.parametrize("minutes", ["0", "480"])
def test_duration_bounds_are_inclusive(host, minutes):
    tap(host, "visit")
    (contact,) = live_contacts()
    assert refine(host, contact.id, duration_minutes=minutes).status_code == 200


def test_a_bad_duration_keeps_what_the_user_typed(host):
    tap(host, "visit")
    (contact,) = live_contacts()
    response = refine(host, contact.id, duration_minutes="999")
    assert 'value="999"' in response.get_data(as_text=True)


def test_booking_a_guide_conversation(login, time_machine):
    time_machine.move_to("2026-11-23 09:00:00+01:00", tick=False)
    host = login("staff", username="vera")
    tap(host, "visit")
    (contact,) = live_contacts()
    past = refine(host, contact.id, booked_date="2026-11-22", booked_time="10:00")
    assert past.status_code == 422
    assert "kan ikke bookes i fortiden" in past.get_data(as_text=True)
    garbage = refine(host, contact.id, booked_date="i morgen", booked_time="10")
    assert garbage.status_code == 422
    ok = refine(host, contact.id, booked_date="2026-11-23", booked_time="13:30")
    assert ok.status_code == 200
    refresh()
    booking = db.session.scalars(select(GuideConversation)).one()
    assert booking.scheduled_at.hour == 12  # 13:30 Copenhagen is 12:30 UTC
    board = host.get("/dagstavle").get_data(as_text=True)
    assert "Guidesamtaler i dag" in board and "13:30" in board


def test_undo_removes_the_users_own_last_contact_within_two_minutes(login, time_machine):
    time_machine.move_to("2026-11-23 10:00:00+01:00", tick=False)
    host = login("staff", username="vera")
    tap(host, "visit")
    _, token = tap(host, "phone")
    response = host.post("/henvendelser/fortryd", {"tap_token": token}, headers=HX)
    assert response.status_code == 200
    assert "Telefon kl. 10:00 er fjernet." in response.get_data(as_text=True)  # wall-clock time, not UTC
    assert [c.kind for c in live_contacts()] == ["visit"]
    refresh()
    undone = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "contact_undone")).one()
    assert undone.details.startswith("phone telefon borger")
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 2  # kept, marked deleted
    _, token = tap(host, "phone")
    time_machine.shift(timedelta(minutes=2, seconds=1))
    response = host.post("/henvendelser/fortryd", {"tap_token": token}, headers=HX)
    assert "Kan ikke fortrydes længere" in response.get_data(as_text=True)
    assert [c.kind for c in live_contacts()] == ["visit", "phone"]


def test_undo_never_touches_a_colleagues_contact(host, login):
    _, token = tap(host, "visit")
    colleague = login("staff", username="mads")
    colleague.get("/")
    response = colleague.post("/henvendelser/fortryd", {"tap_token": token}, headers=HX)
    assert "Kan ikke fortrydes længere" in response.get_data(as_text=True)
    assert len(live_contacts()) == 1


def test_refining_an_undone_contact_is_a_404(host):
    _, token = tap(host, "visit")
    (contact,) = live_contacts()
    host.post("/henvendelser/fortryd", {"tap_token": token}, headers=HX)
    assert refine(host, contact.id, outcome="information").status_code == 404
