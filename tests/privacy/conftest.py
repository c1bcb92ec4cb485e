"""The demo data's richest citizen, given one row of every kind the demo gave to someone else, so
the insight package and the erasure have something in every feature to go through."""

import pytest
from sqlalchemy import select

from webapp.citizens.models import Citizen, GuideConversation
from webapp.extensions import db
from webapp.handover.models import DirectAuthorityProposal
from webapp.meeting.models import MeetingDecision
from webapp.messages.models import OutboxMessage
from webapp.privacy.registry import collect_all
from webapp.volunteers.bridge_models import VolunteerMatch, VolunteerRequest
from webapp.welcome.models import Contact

NOTE = "Spurgte om boligsikring og fik hjælp til ansøgningen"
BODY = "Husk din aftale i morgen kl. 10 i Din Indgang"


def leader_registers(app, citizen_id: int, kind: str, received_on: str = "2026-11-20", **fields):
    """The demo leader logs in and registers a request for the citizen; returns (leader, page URL)."""
    from webapp.tools.demo import DEMO_PASSWORD

    from ..conftest import Visitor

    leader = Visitor(app.test_client())
    leader.login("leder", DEMO_PASSWORD)
    leader.get(f"/databeskyttelse/borgere/{citizen_id}/ny-anmodning")
    data = {"kind": kind, "received_on": received_on, "requested_by": "Borgeren selv",
            "identified_by": "Sundhedskort", "scope": "", **fields}
    response = leader.post(f"/databeskyttelse/borgere/{citizen_id}/ny-anmodning", data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return leader, response.headers["Location"]


def _move_one(model, citizen_id: int) -> None:
    """Give the citizen one row of a kind the demo gave to someone else."""
    row = db.session.scalars(select(model).where(model.citizen_id.is_not(None), model.citizen_id != citizen_id)
                             .order_by(model.id).limit(1)).first()
    assert row is not None, f"the demo data has no {model.__name__}"
    row.citizen_id = citizen_id


@pytest.fixture(scope="module")
def rich_citizen_id(app, demo) -> int:
    """The demo citizen with the most insight sections, given one row of every kind still missing."""
    with app.test_request_context():
        best = max(db.session.scalars(select(Citizen)),
                   key=lambda c: sum(bool(s.items) for _r, s in collect_all(c)))
        for model in (Contact, GuideConversation, DirectAuthorityProposal, MeetingDecision, VolunteerRequest,
                      VolunteerMatch, OutboxMessage):
            if not db.session.scalar(select(model.id).where(model.citizen_id == best.id).limit(1)):
                _move_one(model, best.id)
        contact = db.session.scalars(select(Contact).where(Contact.citizen_id == best.id)).first()
        contact.note = NOTE
        message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.citizen_id == best.id)).first()
        message.body = BODY
        db.session.commit()
        return best.id
