"""The transactional outbox (#12 item 8): one row per reminder to a citizen, written in the same
transaction as the booking it follows (webapp/messages/sync.py) and delivered by
`flask --app wsgi messages send` (webapp/messages/sender.py), at most once."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UtcDateTime
from ..timeutil import utcnow

# Statuses. "sender" is claimed and in flight; "uvis" may have been sent (the sender died between
# handing it to the provider and recording that): never sent again automatically.
WAITING = "venter"
SENDING = "sender"
SENT = "sendt"
FAILED = "fejlet"
CANCELLED = "annulleret"
UNCERTAIN = "uvis"
STATUSES = {
    WAITING: "Venter",
    SENDING: "Sendes nu",
    SENT: "Sendt",
    FAILED: "Fejlet",
    CANCELLED: "Annulleret",
    UNCERTAIN: "Måske sendt – tjek med borgeren",
}
# The rows the sync may still change: a reminder not yet handed to a provider.
CHANGEABLE = (WAITING, CANCELLED)

CHANNELS = {"sms": "SMS", "email": "E-mail"}
SOURCES = {"guide": "Guidesamtale", "meeting": "Møde", "group_meeting": "Gruppemøde"}


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (
        # What is due: status = 'venter' AND next_attempt_at <= now ORDER BY next_attempt_at LIMIT n
        # (and expired leases: status = 'sender' AND lease_until < now, few rows).
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        Index("ix_outbox_message_citizen", "citizen_id", "event_at"),
        Index("ix_outbox_message_source", "source", "source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One stable key per reminder: the provider's idempotency key and the e-mail's Message-ID.
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))  # sms, email
    recipient: Mapped[str] = mapped_column(String(200))  # msisdn (45xxxxxxxx) or e-mail address
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20))  # guide, meeting, group_meeting
    source_id: Mapped[int] = mapped_column(Integer)
    offset: Mapped[str] = mapped_column(String(20))  # dagen_foer, to_timer_foer
    event_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(12), default=WAITING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lease_token: Mapped[str | None] = mapped_column(String(40))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    provider_id: Mapped[str | None] = mapped_column(String(120))
    last_error: Mapped[str | None] = mapped_column(String(120))  # class and code, never personal data
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(20))

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def channel_label(self) -> str:
        return CHANNELS.get(self.channel, self.channel)

    def __repr__(self) -> str:  # never the recipient or the text
        return f"<OutboxMessage {self.id} {self.status}>"
