"""The Friday agenda, the projector and the minutes name citizens: one audit row per citizen named."""

from datetime import date, datetime

import pytest
import time_machine
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.timeutil import LOCAL_TZ

from ..factories import make_citizen, refresh
from ..handover.factories import at, make_guide_conversation, make_outreach

F = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def friday():
    with time_machine.travel(datetime(2026, 11, 27, 9, 0, tzinfo=LOCAL_TZ), tick=False):
        yield


@pytest.fixture
def on_the_agenda():
    anna, bo, kasper = make_citizen("Anna", "Andersen"), make_citizen("Bo", "Berg"), make_citizen("Kasper", "Krog")
    make_guide_conversation(anna, at(date(2026, 11, 24)))
    make_guide_conversation(bo, at(date(2026, 11, 25)))
    make_outreach(date(2026, 11, 23), citizen_id=kasper.id)
    make_citizen("Olga", "Olsen")  # not on the agenda
    return [anna, bo, kasper]


def named(action: str) -> list[int]:
    refresh()
    return sorted(db.session.scalars(select(AuditEvent.citizen_id).where(AuditEvent.action == action)))


def test_the_agenda_names_each_citizen_on_it(login, on_the_agenda):
    leader = login("leader")
    page = leader.get("/fredagsmoede").get_data(as_text=True)
    assert "Anna A." in page and "Bo B." in page and "Kasper" in page
    assert named("meeting_agenda_viewed") == sorted(c.id for c in on_the_agenda)
    html = leader.get(f"/borgere/{on_the_agenda[0].id}/adgang").get_data(as_text=True)
    assert "Så borgeren på dagsordenen til fredagsmødet" in html and "Fredagsmøde" in html and "Leder" in html


def test_the_projector_names_the_citizen_of_the_item_shown(login, on_the_agenda):
    authority = login("authority")
    page = authority.get(f"/fredagsmoede/{F}/projektor?punkt=2").get_data(as_text=True)
    shown = next(c for c in on_the_agenda if f"{c.first_name} {c.last_name[0]}." in page)
    assert named("meeting_projector_viewed") == [shown.id]
    refresh()
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "meeting_projector_viewed")).one()
    assert (event.details, event.roles) == ("punkt 2", "authority")


def test_the_minutes_name_every_citizen_in_them(login, on_the_agenda):
    staff = login("staff")
    response = staff.client.get(f"/fredagsmoede/{F}/referat.pdf")
    assert response.status_code == 200
    assert named("meeting_minutes_printed") == sorted(c.id for c in on_the_agenda)
    html = staff.get(f"/borgere/{on_the_agenda[2].id}/adgang").get_data(as_text=True)
    assert "Udskrev referatet af fredagsmødet" in html and "Udskrift" in html
