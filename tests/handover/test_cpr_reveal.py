"""The authority caseworker can see the full CPR number on a handover, on request and audited."""

from datetime import date

from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.extensions import db

from ..citizens.factories import make_citizen_with_cpr
from ..factories import refresh
from .factories import make_course, make_handover


def test_reveal_on_the_handover_is_audited(login):
    nancy = make_citizen_with_cpr()
    handover = make_handover(make_course(nancy, date(2026, 9, 1)), status="sendt")
    authority = login("authority", username="morten")
    page = authority.get(f"/overdragelser/{handover.id}").get_data(as_text=True)
    assert "251248-xxxx" in page and "9996" not in page
    revealed = authority.post(f"/overdragelser/{handover.id}/cpr", headers={"HX-Request": "true"})
    assert "251248-9996" in revealed.get_data(as_text=True)
    refresh()
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.citizen_id) == ("cpr_revealed", nancy.id)
