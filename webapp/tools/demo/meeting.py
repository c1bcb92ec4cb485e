"""Fictitious demo data: the last Friday meeting with recorded decisions (one done, one still
open and late, so it comes back on this week's agenda)."""

from datetime import timedelta

from sqlalchemy import func, select

from webapp.auth import services as auth_services
from webapp.extensions import db
from webapp.meeting import services
from webapp.meeting.models import MeetingDecision
from webapp.meeting.rules import previous_meeting_date
from webapp.timeutil import today_local, utcnow

DECISION_TEXTS = [
    ("Mads ringer og tilbyder en ny tid – med ægte bekymring.", 3),
    ("Vurderingen tages på næste opfølgning; myndighedslederen deltager.", 10),
    ("Overdragelsen sendes, når samtykket er registreret.", 5),
]


def load(rng) -> dict:
    if db.session.scalar(select(func.count()).select_from(MeetingDecision)):
        return {}
    leader = auth_services.find_user("leder")
    staff = auth_services.find_user("medarbejder")
    if leader is None:
        return {}
    last = previous_meeting_date(today_local())
    agenda = services.assemble_agenda(last)
    items = [i for i in agenda.items if i.section != "open_decisions"][: len(DECISION_TEXTS)]
    made = []
    for item, (text, days) in zip(items, DECISION_TEXTS, strict=False):
        decision, _ = services.record_decision(last, item, text, leader, staff.id if staff else None,
                                               last + timedelta(days=days))
        made.append(decision)
    if made:
        made[-1].done_at = utcnow()
        made[-1].done_by_id = leader.id
    db.session.flush()
    return {"meeting decisions": len(made)}
