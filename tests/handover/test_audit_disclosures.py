"""Disclosures (a handover sent to the authority department, an outreach outcome told to the
partner) carry the citizen and name the recipient; the handover list and the authority's inbox
write one row per citizen they name."""

from datetime import date, datetime

import pytest
import time_machine
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.timeutil import LOCAL_TZ

from ..factories import make_citizen, make_user, refresh
from .factories import at, make_consent, make_course, make_handover, make_outreach, make_plan


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=LOCAL_TZ), tick=False):
        yield


def events(action: str) -> list[AuditEvent]:
    refresh()
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def a_course(first_name: str):
    citizen = make_citizen(first_name, "Andersen")
    course = make_course(citizen, date(2026, 8, 24))
    make_plan(course, reasons="Jeg kunne ikke åbne min post.")
    return citizen, course


def test_a_sent_handover_names_its_citizen_and_recipient(login):
    anna, course = a_course("Anna")
    handover = make_handover(course, reasons="Jeg kunne ikke åbne min post.")
    consent = make_consent(anna, given_on=date(2026, 11, 1))
    staff = login("staff", username="mads", full_name="Mads Madsen")
    assert staff.post(f"/overdragelser/{handover.id}/send").status_code == 302
    (event,) = events("handover_disclosed")
    assert (event.citizen_id, event.details, event.roles) == (
        anna.id, f"til myndighedsafdelingen, samtykke {consent.id}", "staff")
    assert "post" not in event.details  # never the citizen's words
    html = staff.get(f"/borgere/{anna.id}/adgang").get_data(as_text=True)
    assert "Videregivelse" in html and "Sendte overdragelsen til myndighedsafdelingen" in html
    assert f"myndighedsafdelingen, samtykke {consent.id}</td>" in html


def test_an_outcome_told_to_the_partner_names_the_citizen_and_the_partner(login):
    anna = make_citizen("Anna", "Andersen")
    request = make_outreach(date(2026, 11, 2), state="afsluttet", citizen_id=anna.id, outcome="kom_til_din_indgang",
                            closed_on=date(2026, 11, 10), partner_name="Team Ung",
                            reason="Meget personlig grund")
    consent = make_consent(anna, recipient="jobcenter", purpose="Besked om udfald")
    staff = login("staff")
    assert staff.post(f"/udekoerende/{request.id}/besked").status_code == 302
    (event,) = events("outreach_outcome_disclosed")
    assert (event.citizen_id, event.details) == (anna.id, f"til jobcenter (Team Ung), samtykke {consent.id}")
    html = staff.get(f"/borgere/{anna.id}/adgang").get_data(as_text=True)
    assert "Fortalte samarbejdspartneren udfaldet" in html and "jobcenter (Team Ung)" in html
    assert "Meget personlig" not in html


def test_the_handover_list_names_every_citizen_on_it(login):
    (anna, anna_course), (bo, bo_course) = a_course("Anna"), a_course("Bo")
    make_handover(anna_course)
    make_handover(bo_course, status="sendt", sent_at=at(date(2026, 11, 20)))
    assert login("staff").get("/overdragelser").status_code == 200
    assert sorted(e.citizen_id for e in events("handovers_listed")) == sorted([anna.id, bo.id])


def test_the_inbox_names_every_citizen_sent_to_the_authority(login):
    (anna, anna_course), (bo, bo_course), (_carl, carl_course) = a_course("Anna"), a_course("Bo"), a_course("Carl")
    sender = make_user("mads")
    make_handover(anna_course, status="sendt", sent_at=at(date(2026, 11, 20)), sent_by_id=sender.id)
    make_handover(bo_course, status="modtaget", sent_at=at(date(2026, 11, 18)), sent_by_id=sender.id)
    make_handover(carl_course)  # a draft: not in the inbox
    authority = login("authority", username="ali", full_name="Ali Myndighed")  # lands in the inbox
    inbox = events("handover_inbox_viewed")
    assert sorted(e.citizen_id for e in inbox) == sorted([anna.id, bo.id])
    assert authority.get("/indbakke").status_code == 200
    assert len(events("handover_inbox_viewed")) == 4
    assert {e.roles for e in inbox} == {"authority"}
    html = login("staff").get(f"/borgere/{bo.id}/adgang").get_data(as_text=True)
    assert "Så myndighedsafdelingens indbakke" in html and "Myndighedsafdelingen</td>" in html
