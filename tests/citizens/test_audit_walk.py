"""Every request that shows, searches, changes, prints or exports a citizen's data writes exactly
one audit event. The table below must name every citizen route (checked)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from webapp.audit import AuditEvent
from webapp.extensions import db

from ..factories import make_contact, refresh
from .factories import make_citizen_with_cpr, make_course, make_guide, make_meeting

TODAY = date(2026, 11, 23)

# endpoint -> (method, url with {citizen}/{course}/{guide}/{meeting}/{relative}/{contact}, form data)
WALK = {
    "citizens.search": ("GET", "/borgere?q=Nancy", None),
    "citizens.search_submit": ("POST", "/borgere", {"q": "251248-9996"}),  # a name is redirected to search
    "citizens.search_cpr": ("POST", "/borgere/cpr-soeg", {"cpr": "251248-9996"}),
    "citizens.new": ("POST", "/borgere/ny", {"first_name": "Ny", "last_name": "Borger"}),
    "citizens.edit": ("GET", "/borgere/{citizen}/ret", None),
    "citizens.page": ("GET", "/borgere/{citizen}", None),
    "citizens.reveal_cpr": ("POST", "/borgere/{citizen}/cpr", {}),
    "citizens.access": ("GET", "/borgere/{citizen}/adgang", None),
    "citizens.add_relative": ("POST", "/borgere/{citizen}/paaroerende", {"name": "Karen"}),
    "citizens.remove_relative": ("POST", "/borgere/{citizen}/paaroerende/{relative}/slet", {}),
    "citizens.book_guide": ("POST", "/borgere/{citizen}/guidesamtale", {"date": "2026-11-30", "time": "10:00"}),
    "citizens.hold_guide_now": ("POST", "/borgere/{citizen}/guidesamtale/afholdt",
                                {"date": "2026-11-23", "time": "09:00", "staff1": "{me}", "outcome": "ad_hoc"}),
    "citizens.guide": ("GET", "/guidesamtaler/{guide}", None),
    "citizens.start_course": ("POST", "/borgere/{other}/forloeb", {"start_date": "2026-11-23"}),
    "citizens.close_course": ("POST", "/forloeb/{course}/afslut",
                              {"end_date": "2026-11-23", "stop_reason": "ILB", "next_step": "ingen_behov"}),
    "citizens.record_assessment": ("POST", "/forloeb/{course}/vurdering", {"assessment_date": "2026-11-20"}),
    "citizens.new_meeting": ("POST", "/borgere/{citizen}/moeder/ny",
                             {"kind": "coaching", "date": "2026-11-20", "time": "10:00", "status": "afholdt"}),
    "citizens.meeting_status": ("POST", "/moeder/{meeting}/status", {"status": "udeblevet"}),
    "welcome.citizen_search": ("POST", "/henvendelser/{contact}/borger/soeg", {"q": "Nancy"}),
    "welcome.link_citizen": ("POST", "/henvendelser/{contact}/borger", {"citizen_id": "{citizen}"}),
}
ALSO_FAILING = {
    "citizens.new": {"first_name": "X", "cpr": "310490-1234"},
    "citizens.close_course": {"end_date": "2030-01-01", "stop_reason": "ILB", "next_step": "ingen_behov"},
    "citizens.new_meeting": {"kind": "coaching", "date": "2020-01-01", "time": "10:00", "status": "afholdt"},
}


def test_the_walk_covers_every_citizen_route(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("citizens.")}
    assert endpoints - set(WALK) == set()


@pytest.fixture
def world(login, time_machine):
    time_machine.move_to("2026-11-23 10:00:00+01:00", tick=False)
    staff = login("staff", username="mads")
    citizen = make_citizen_with_cpr()
    other = make_citizen_with_cpr("Olga", "Olsen", "0101801234")
    course = make_course(citizen, start=TODAY - timedelta(days=40))
    from webapp.citizens.models import Relative

    relative = Relative(citizen_id=citizen.id, name="Karen")
    db.session.add(relative)
    db.session.commit()
    ids = {
        "citizen": citizen.id, "other": other.id, "course": course.id, "relative": relative.id,
        "guide": make_guide(citizen, status="booket").id,
        "meeting": make_meeting(citizen, course, kind="coaching", status="planlagt").id,
        "contact": make_contact().id,
        "me": db.session.scalar(select(func.min(AuditEvent.user_id))),
    }
    staff.get("/")
    return staff, ids


def audit_count() -> int:
    refresh()
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


CASES = [(e, "ok") for e in sorted(WALK)] + [(e, "refused") for e in sorted(ALSO_FAILING)]


@pytest.mark.parametrize("endpoint, outcome", CASES)
def test_exactly_one_audit_event_per_request(world, endpoint, outcome):
    staff, ids = world
    method, url, data = WALK[endpoint]
    if outcome == "refused":
        data = ALSO_FAILING[endpoint]
    url = url.format(**ids)
    data = {k: v.format(**ids) for k, v in (data or {}).items()}
    before = audit_count()
    response = staff.get(url) if method == "GET" else staff.post(url, data)
    assert response.status_code < 500
    if outcome == "refused":
        assert response.status_code == 422
    after = audit_count()
    assert after - before == 1, f"{endpoint} wrote {after - before} audit events"
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.user_id is not None and event.occurred_at is not None
    assert "9996" not in (event.details or "")
