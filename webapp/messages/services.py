"""The citizen page's reminders section and the one-tap opt-out. Plain functions; flush, never commit."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ..citizens.hooks import citizen_section
from ..citizens.models import Citizen
from ..extensions import db
from ..timeutil import utcnow
from . import schedule
from .models import WAITING, OutboxMessage
from .transports import MISSING_PROVIDER, transports_from

RECENT = timedelta(days=30)  # sent, failed and cancelled reminders stay on the page this long
SHOWN = 20

WHY_NONE = {
    schedule.NO_CONSENT: "Borgeren får ingen påmindelser: der er ikke samtykke til kontakt.",
    schedule.OPTED_OUT: "Borgeren har fravalgt påmindelser.",
    schedule.NO_CHANNEL: "Borgeren får ingen påmindelser: ønsker ikke SMS eller e-mail, "
                         "eller der mangler et gyldigt nummer eller en adresse.",
}


def reminders_for(citizen_id: int, limit: int = SHOWN) -> list[OutboxMessage]:
    """The citizen's coming and recent reminders, by the time of the event (index ix_outbox_message_citizen)."""
    since = utcnow() - RECENT
    return list(db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.citizen_id == citizen_id, OutboxMessage.event_at >= since)
        .order_by(OutboxMessage.event_at, OutboxMessage.offset)
        .limit(limit)
    ))


def set_reminders_off(citizen: Citizen, off: bool) -> None:
    """The one-tap opt-out (and back in): the flush reconciles the pending reminders (sync)."""
    citizen.reminders_off = off
    db.session.flush()


@citizen_section
def reminders_section(citizen: Citizen, _open_course):
    recipient = schedule.recipient_for(citizen.contact_preference, citizen.contact_consent, citizen.reminders_off,
                                       citizen.phone, citizen.email)
    providers = transports_from(current_app.config)
    rows = reminders_for(citizen.id)
    waiting_channels = {r.channel for r in rows if r.status == WAITING}
    if not isinstance(recipient, str):
        waiting_channels.add(recipient.channel)
    return "messages/_citizen_section.html", {
        "citizen": citizen,
        "rows": rows,
        "channel": None if isinstance(recipient, str) else {"sms": "SMS", "email": "e-mail"}[recipient.channel],
        "why_none": WHY_NONE.get(recipient) if isinstance(recipient, str) else None,
        "missing": {c: MISSING_PROVIDER[c] for c in sorted(waiting_channels) if c not in providers},
        "cancel_reasons": schedule.CANCEL_REASONS,
        "offsets": schedule.OFFSETS,
    }
