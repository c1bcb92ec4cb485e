"""A citizen's request under the GDPR: insight (art. 15), erasure (art. 17) or restriction (art. 18).

A request is registered when it is received (the one-month deadline of art. 12(3) runs from that
day), decided by the leader, and for insight delivered. Free texts here are the citizen's personal
data too: an approved erasure overwrites them like any other (webapp/privacy/erasure.py)."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UtcDateTime
from ..timeutil import utcnow

INSIGHT = "indsigt"
ERASURE = "sletning"
RESTRICTION = "begraensning"
REQUEST_KINDS = {
    INSIGHT: "Indsigt (artikel 15)",
    ERASURE: "Sletning (artikel 17)",
    RESTRICTION: "Begrænsning af behandling (artikel 18)",
}

# Decisions on erasure and restriction (insight is not decided: it is delivered).
APPROVED = "godkendt"
PARTLY = "delvist"
REFUSED = "afvist"
DECISIONS = {
    APPROVED: "Godkendt",
    PARTLY: "Godkendt delvist",
    REFUSED: "Afvist",
}


class PrivacyRequest(db.Model):
    __tablename__ = "privacy_request"
    __table_args__ = (
        # The leader's list: open requests by the day they came in.
        Index("ix_privacy_request_open", "closed_at", "received_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # REQUEST_KINDS
    received_on: Mapped[date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(120))  # "Borgeren selv", "Værge: …"
    identified_by: Mapped[str] = mapped_column(String(200))  # how the asker was identified
    scope: Mapped[str | None] = mapped_column(Text)  # what the request covers, in the asker's words
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Erasure and restriction: the leader's decision, why, and on which legal basis.
    decision: Mapped[str | None] = mapped_column(String(12))  # DECISIONS
    decision_reason: Mapped[str | None] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Carried out: the erasure run, the restriction set, or the insight package delivered.
    carried_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    delivered_how: Mapped[str | None] = mapped_column(String(120))  # insight: "Udleveret personligt", "e-Boks" …
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # off the leader's list

    citizen = relationship("Citizen")
    registered_by = relationship("User", foreign_keys=[registered_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def kind_label(self) -> str:
        return REQUEST_KINDS.get(self.kind, self.kind)

    @property
    def decision_label(self) -> str:
        return DECISIONS.get(self.decision or "", "")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
