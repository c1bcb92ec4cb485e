"""The outreach list and the request page's citizen search name citizens: one row per citizen."""

from datetime import date, datetime

import pytest
import time_machine
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.timeutil import LOCAL_TZ

from ..factories import make_citizen, refresh
from ..handover.factories import make_outreach


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=LOCAL_TZ), tick=False):
        yield


def named(action: str) -> list[int | None]:
    refresh()
    return sorted(db.session.scalars(select(AuditEvent.citizen_id).where(AuditEvent.action == action)),
                  key=lambda i: i or 0)


def test_the_list_names_each_linked_citizen(login):
    anna, bo = make_citizen("Anna", "Ahl"), make_citizen("Bo", "Berg")
    make_outreach(date(2026, 11, 20), citizen_id=anna.id)
    make_outreach(date(2026, 11, 2), state="afsluttet", outcome="ikke_truffet", closed_on=date(2026, 11, 9),
                  citizen_id=bo.id)
    make_outreach(date(2026, 11, 21))  # not registered yet: a first name only, no citizen to name
    assert login("skp").get("/udekoerende").status_code == 200
    assert named("outreach_listed") == sorted([anna.id, bo.id])


def test_the_search_for_linking_names_each_citizen_found(login):
    request = make_outreach(date(2026, 11, 20))
    anna, annette = make_citizen("Anna", "Ahl"), make_citizen("Annette", "Berg")
    staff = login("staff")
    staff.get(f"/udekoerende/{request.id}")
    page = staff.post(f"/udekoerende/{request.id}/soeg", {"q": "ann"}).get_data(as_text=True)
    assert "Annette" in page
    assert named("citizen_search") == sorted([anna.id, annette.id])
