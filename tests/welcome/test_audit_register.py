"""The contact register's week view and CSV export name citizens (initials): one row per citizen;
the contact panel at the welcome table names a linked citizen."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.timeutil import LOCAL_TZ

from ..factories import make_citizen, make_contact, refresh
from .test_contacts import HX

MONDAY = date(2026, 11, 16)  # ISO week 2026-W47


def at(day: date, hour=10):
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LOCAL_TZ)


@pytest.fixture
def week(login):
    anna, bo, other_week = make_citizen("Anna", "Ahl"), make_citizen("Bo", "Berg"), make_citizen("Olga", "Olsen")
    make_contact(when=at(MONDAY), citizen_id=anna.id)
    make_contact(when=at(MONDAY, 11), citizen_id=anna.id)
    make_contact(when=at(MONDAY.replace(day=18)), citizen_id=bo.id)
    make_contact(when=at(MONDAY.replace(day=18), 12))  # nobody linked
    make_contact(when=at(MONDAY.replace(day=24)), citizen_id=other_week.id)
    return [anna, bo]


def named(action: str) -> list[int]:
    refresh()
    return sorted(db.session.scalars(select(AuditEvent.citizen_id).where(AuditEvent.action == action)))


def test_the_week_view_names_each_citizen_once(login, week):
    assert login("secretariat").get("/henvendelser/uge?uge=2026-W47").status_code == 200
    assert named("contact_register_viewed") == sorted(c.id for c in week)


def test_the_export_names_each_citizen_in_it(login, week):
    response = login("staff").client.get("/henvendelser/uge.csv?uge=2026-W47")
    assert response.status_code == 200 and "A.A." in response.get_data(as_text=True)
    assert named("contact_register_exported") == sorted(c.id for c in week)
    html = login("leader").get(f"/borgere/{week[0].id}/adgang").get_data(as_text=True)
    assert "Eksporterede henvendelsesregistret" in html and "Eksport" in html and "Statistik" in html


def test_the_contact_panel_names_its_linked_citizen(login):
    anna = make_citizen("Anna", "Ahl")
    linked, alone = make_contact(citizen_id=anna.id), make_contact()
    host = login("staff")
    assert "Anna A." in host.get(f"/henvendelser/{linked.id}/panel", headers=HX).get_data(as_text=True)
    host.get(f"/henvendelser/{alone.id}/panel", headers=HX)
    assert named("contact_viewed") == [anna.id]
