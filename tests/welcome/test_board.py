"""The day board: discreet, live (cheap when nothing changed), host duty, citizen linking."""

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.timeutil import LOCAL_TZ
from webapp.welcome.models import Contact, HostDuty

from ..factories import make_citizen, make_contact, make_user, refresh
from .test_contacts import HX, tap

BG = {"HX-Request": "true", "X-Background": "1"}


@pytest.fixture
def host(login):
    return login("staff", username="vera")


def since_url(html: str) -> str:
    return re.search(r'id="board"[^>]*data-hx-get="([^"]+)"', html, re.S).group(1).replace("&amp;", "&")


def test_board_is_discreet(host):
    anna = make_citizen("Anna", "Hemmeligsen", phone="22334455", birth_date=date(1990, 1, 2))
    make_contact(note="Meget personlig note om Anna", citizen_id=anna.id, from_type="borger")
    for url in ("/", "/dagstavle"):
        html = host.get(url).get_data(as_text=True)
        assert "A.H." in html  # initials of the linked citizen
        assert "Hemmeligsen" not in html
        assert "Meget personlig note" not in html
        assert "22334455" not in html


def test_workstation_can_expand_a_row_to_its_note_and_that_is_audited(host):
    contact = make_contact(note="Ringer igen i morgen")
    page = host.get("/dagstavle").get_data(as_text=True)
    assert "Vis note" in page and "Ringer igen i morgen" not in page
    note = host.get(f"/henvendelser/{contact.id}/note", headers=HX)
    assert "Ringer igen i morgen" in note.get_data(as_text=True)
    from webapp.audit import AuditEvent

    refresh()
    assert db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()[-1] == "contact_note_viewed"


def test_tablet_board_never_offers_notes(host):
    make_contact(note="Privat")
    assert "Vis note" not in host.get("/").get_data(as_text=True)


def test_counters_count_today_by_kind_and_sender(host):
    make_contact(kind="visit")
    make_contact(kind="phone", from_type="samarbejdspartner", partner="jobcenter")
    make_contact(kind="phone", from_type="paaroerende")
    make_contact(kind="ad_hoc", topics="mitid,brev")
    make_contact(kind="visit", when=datetime(2020, 1, 6, 10, tzinfo=LOCAL_TZ))  # another day
    html = host.get("/dagstavle").get_data(as_text=True)
    counts = re.findall(r'<span class="count">(\d+)</span> (besøg|opkald|ad hoc-hjælp)', html)
    assert counts == [("1", "besøg"), ("2", "opkald"), ("1", "ad hoc-hjælp")]
    assert "Borgere: <strong>2</strong>" in html
    assert "Pårørende: <strong>1</strong>" in html
    assert "Samarbejdspartnere: <strong>1</strong>" in html
    assert "Jobcenter" in html and "MitID" in html


def test_unchanged_board_answers_204_and_a_change_answers_200(host):
    html = host.get("/").get_data(as_text=True)
    url = since_url(html)
    unchanged = host.client.get(url, headers=BG)
    assert unchanged.status_code == 204
    assert unchanged.get_data() == b""
    tap(host, "phone")
    changed = host.client.get(url, headers=BG)
    assert changed.status_code == 200
    body = changed.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="board"')  # just the fragment
    assert "Telefon" in body
    assert "HX-Request" in changed.headers["Vary"]
    # The new fragment carries the new version, so the next poll is cheap again.
    assert host.client.get(since_url(body), headers=BG).status_code == 204


def test_undo_changes_the_board(host):
    _, token = tap(host, "phone")
    url = since_url(host.get("/").get_data(as_text=True))
    host.post("/henvendelser/fortryd", {"tap_token": token}, headers=HX)
    changed = host.client.get(url, headers=BG)
    assert changed.status_code == 200
    assert "Ingen henvendelser endnu i dag." in changed.get_data(as_text=True)


def test_host_duty_in_two_taps(host):
    mads = make_user("mads", full_name="Mads Madsen")
    picker = host.get("/vaertsvagt", headers=HX)  # tap 1: open the picker
    assert "Mads Madsen" in picker.get_data(as_text=True)
    response = host.post("/vaertsvagt", {"user_id": str(mads.id)}, headers=HX)  # tap 2
    assert response.status_code == 200
    assert 'aria-pressed="true">Mads Madsen' in response.get_data(as_text=True)
    board = host.get("/dagstavle").get_data(as_text=True)
    assert '<span class="host-chip" title="Mads Madsen">Mads</span>' in board
    host.post("/vaertsvagt", {"user_id": str(mads.id)}, headers=HX)  # tapping again removes
    refresh()
    assert db.session.scalars(select(HostDuty)).all() == []


def test_host_duty_refuses_non_staff(host):
    authority = make_user("morten", roles=("authority",))
    assert host.post("/vaertsvagt", {"user_id": str(authority.id)}, headers=HX).status_code == 400
    assert host.post("/vaertsvagt", {"user_id": "abc"}, headers=HX).status_code == 400


@pytest.mark.parametrize("role, code", [("authority", 403), ("secretariat", 200), ("peer", 200)])
def test_who_sees_the_board(login, role, code):
    assert login(role).get("/dagstavle").status_code == code


def test_link_a_contact_to_a_citizen_found_by_name_phone_or_birth_date(host):
    anna = make_citizen("Anna", "Andersen", phone="22334455", birth_date=date(1990, 1, 2))
    make_citizen("Bo", "Berg", phone="11112222")
    tap(host, "visit")
    contact = db.session.scalars(select(Contact)).one()
    url = f"/henvendelser/{contact.id}/borger/soeg"
    for q in ("an", "ANNA", "22334455", "2233", "02-01-1990", "02.01.1990", "020190"):
        html = host.post(url, {"q": q}, headers=HX).get_data(as_text=True)
        assert "Anna A." in html, q
        assert "Bo B." not in html, q
    nothing = host.post(url, {"q": "zz"}, headers=HX).get_data(as_text=True)
    assert "Ingen borger fundet" in nothing
    response = host.post(f"/henvendelser/{contact.id}/borger", {"citizen_id": str(anna.id)}, headers=HX)
    assert response.status_code == 200
    refresh()
    assert db.session.get(Contact, contact.id).citizen_id == anna.id
    assert "A.A." in host.get("/").get_data(as_text=True)


def test_create_a_citizen_from_a_contact(host):
    tap(host, "visit")
    contact = db.session.scalars(select(Contact)).one()
    url = f"/henvendelser/{contact.id}/borger"
    bad = host.post(url, {"first_name": "", "last_name": "Uden Fornavn"}, headers=HX)
    assert bad.status_code == 422
    assert "fornavn" in bad.get_data(as_text=True)
    assert 'value="Uden Fornavn"' in bad.get_data(as_text=True)
    ok = host.post(url, {"first_name": "Karl", "last_name": "Kofoed", "phone": "+45 12 34 56 78"}, headers=HX)
    assert ok.status_code == 200
    refresh()
    citizen = db.session.get(Contact, contact.id).citizen
    assert (citizen.first_name, citizen.phone) == ("Karl", "12345678")
