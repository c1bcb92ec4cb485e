"""Outreach requests (udekørende funktion): a partner calls about a citizen who cannot come to
the door; a staff member visits. Flow and deadlines live in rules.py."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UtcDateTime
from ..timeutil import utcnow
from ..versioning import Versioned
from .rules import OUTCOMES, STATES

URGENCIES = {"almindelig": "Almindelig", "haster": "Haster"}


class OutreachRequest(Versioned, db.Model):
    __tablename__ = "outreach_request"
    __table_args__ = (
        Index("ix_outreach_request_open", "state", "received_on"),
        Index("ix_outreach_request_citizen", "citizen_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    received_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12), default="modtaget")  # rules.STATES
    # Who called: the partner organisation, its contact person and the partner's own reference.
    partner_code: Mapped[str] = mapped_column(String(40))  # welcome.vocab.PARTNERS
    partner_name: Mapped[str | None] = mapped_column(String(120))
    contact_person: Mapped[str] = mapped_column(String(120))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    partner_reference: Mapped[str | None] = mapped_column(String(60))
    # The citizen: linked when registered, otherwise a first name is enough to start.
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizen.id", ondelete="SET NULL"))
    citizen_first_name: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text)  # why the citizen cannot come
    urgency: Mapped[str] = mapped_column(String(12), default="almindelig")
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    assigned_on: Mapped[date | None] = mapped_column(Date)
    # The latest action (received, assigned, visited): what the 5-working-day rule counts from.
    last_action_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(30))  # rules.OUTCOMES
    closing_note: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    partner_informed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    partner_informed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    partner_informed_consent_id: Mapped[int | None] = mapped_column(ForeignKey("consent.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    citizen = relationship("Citizen")
    assigned_to = relationship("User", foreign_keys=[assigned_to_id])
    visits: Mapped[list["OutreachVisit"]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="OutreachVisit.visit_date"
    )

    @property
    def state_label(self) -> str:
        return STATES.get(self.state, self.state)

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome or "", "")

    @property
    def urgency_label(self) -> str:
        return URGENCIES.get(self.urgency, self.urgency)

    @property
    def is_closed(self) -> bool:
        return self.state == "afsluttet"

    @property
    def first_name(self) -> str:
        """Discreet: what boards and the projector show."""
        if self.citizen is not None:
            return self.citizen.first_name
        return self.citizen_first_name or "Borger uden navn"


class OutreachVisit(db.Model):
    """One visit (or attempt) at the citizen's home; its minutes count as outreach hours."""

    __tablename__ = "outreach_visit"
    __table_args__ = (Index("ix_outreach_visit_date", "visit_date", "duration_minutes"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("outreach_request.id", ondelete="CASCADE"), index=True)
    visit_date: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    what_happened: Mapped[str | None] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    request: Mapped[OutreachRequest] = relationship(back_populates="visits")
    staff = relationship("User")
