"""Messages sent to the citizen (reminders by SMS and e-mail), with the text that was sent."""

from sqlalchemy import select

from ...messages.models import CHANNELS, SOURCES, STATUSES, OutboxMessage
from ..registry import Section, coded, insight_section
from .common import rows


@insight_section("messages", "Beskeder sendt til dig", models=(OutboxMessage,), order=95)
def messages(citizen, **_) -> Section:
    statement = (select(OutboxMessage).where(OutboxMessage.citizen_id == citizen.id)
                 .order_by(OutboxMessage.due_at, OutboxMessage.id))
    items = [{
        "Tidspunkt": m.sent_at or m.due_at,
        "Kanal": coded(m.channel, CHANNELS),
        "Modtager": m.recipient,
        "Om": coded(m.source, SOURCES),
        "Status": coded(m.status, STATUSES),
        "Emne": m.subject,
        "Tekst": m.body,
    } for m in rows(statement)]
    return Section("Beskeder sendt til dig", "Påmindelser om aftaler, vi har sendt eller skulle sende til dig.",
                   items)
