"""Consent to disclose (forvaltningsloven § 28), the handover to the authority department
(overdragelse, Bilag 4) and proposals to send a citizen directly to the authority department."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UtcDateTime
from ..timeutil import utcnow
from ..versioning import Versioned

# How a disclosure is allowed: the citizen's explicit consent, or a legal basis someone recorded.
CONSENT_BASES = {
    "samtykke": "Borgerens udtrykkelige samtykke",
    "lovhjemmel": "Registreret lovhjemmel (forvaltningsloven § 28)",
}

HANDOVER_STATUSES = {"kladde": "Kladde", "sendt": "Sendt", "modtaget": "Modtaget"}
HANDOVER_RECIPIENT = "myndighedsafdelingen"

# Bilag 4, "Forløb i Din Indgang": field -> the form's own (first-person) question.
COURSE_FIELDS = {
    "reasons": "Hvad har gjort, at jeg har opsøgt støtte ved Din Indgang?",
    "course_length": "Hvor langt har mit forløb været i Din Indgang?",
    "worked_on": "Hvad har vi arbejdet med i Din Indgang? (se evt. Min Plan)",
    "how_worked": "Hvordan har vi arbejdet med det?",
    "dream": "Drøm for fremtiden",
    "future_support_goal": "Mål for evt. fremtidig støtte",
    "benefit": "Hvordan har borger profiteret af støtten i Din Indgang?",
}
# Bilag 4, "Funktionsniveau": filled only where information came up during the course.
FUNCTIONAL_THEMES = {
    "fl_physical": "Fysiske udfordringer",
    "fl_psychological": "Psykiske udfordringer",
    "fl_social": "Sociale udfordringer",
    "fl_home_tasks": "Praktiske opgaver i hjemmet",
    "fl_self_care": "Egenomsorg",
    "fl_mobility": "Mobilitet",
    "fl_communication": "Kommunikation",
    "fl_community_life": "Samfundsliv",
    "fl_economy": "Økonomi",
    "fl_social_life": "Socialt liv",
    "fl_surroundings": "Omgivelser",
}
AGREEMENTS_FIELD = {"future_agreements": "Fremtidige aftaler i forbindelse med overdragelse til myndighedsafdelingen"}
TEXT_FIELDS = {**COURSE_FIELDS, **FUNCTIONAL_THEMES, **AGREEMENTS_FIELD}

DIRECT_DECISIONS = {"godkendt": "Godkendt – direkte til myndighedsafdelingen", "afvist": "Ikke godkendt"}


class Consent(db.Model):
    """One permission to pass confidential information on: for one purpose, to one recipient
    organisation, from a date, maybe until a date. Withdrawal takes effect at once."""

    __tablename__ = "consent"
    __table_args__ = (Index("ix_consent_citizen_recipient", "citizen_id", "recipient_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"))
    basis: Mapped[str] = mapped_column(String(12))  # CONSENT_BASES
    legal_basis: Mapped[str | None] = mapped_column(String(300))  # the recorded paragraph, for "lovhjemmel"
    purpose: Mapped[str] = mapped_column(String(300))
    recipient_code: Mapped[str] = mapped_column(String(40))  # welcome.vocab.PARTNERS
    recipient_name: Mapped[str | None] = mapped_column(String(120))  # e.g. "Jobcenter Fredericia, team 3"
    given_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    citizen = relationship("Citizen")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    def is_valid(self, today: date) -> bool:
        """Given, not expired, not withdrawn (a withdrawal counts from the moment it is made)."""
        return (
            self.withdrawn_at is None
            and self.given_on <= today
            and (self.expires_on is None or today <= self.expires_on)
        )

    def state(self, today: date) -> str:
        if self.withdrawn_at is not None:
            return "tilbagekaldt"
        if self.given_on > today:
            return "ikke_begyndt"
        if self.expires_on is not None and today > self.expires_on:
            return "udloebet"
        return "gyldig"


class Handover(Versioned, db.Model):
    """Overdragelsesskema (Bilag 4): kladde -> sendt -> modtaget. One per course."""

    __tablename__ = "handover"
    __table_args__ = (Index("ix_handover_status_sent", "status", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="kladde")

    reasons: Mapped[str | None] = mapped_column(Text)
    course_length: Mapped[str | None] = mapped_column(Text)
    worked_on: Mapped[str | None] = mapped_column(Text)
    how_worked: Mapped[str | None] = mapped_column(Text)
    dream: Mapped[str | None] = mapped_column(Text)
    future_support_goal: Mapped[str | None] = mapped_column(Text)
    benefit: Mapped[str | None] = mapped_column(Text)
    fl_physical: Mapped[str | None] = mapped_column(Text)
    fl_psychological: Mapped[str | None] = mapped_column(Text)
    fl_social: Mapped[str | None] = mapped_column(Text)
    fl_home_tasks: Mapped[str | None] = mapped_column(Text)
    fl_self_care: Mapped[str | None] = mapped_column(Text)
    fl_mobility: Mapped[str | None] = mapped_column(Text)
    fl_communication: Mapped[str | None] = mapped_column(Text)
    fl_community_life: Mapped[str | None] = mapped_column(Text)
    fl_economy: Mapped[str | None] = mapped_column(Text)
    fl_social_life: Mapped[str | None] = mapped_column(Text)
    fl_surroundings: Mapped[str | None] = mapped_column(Text)
    future_agreements: Mapped[str | None] = mapped_column(Text)

    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consent.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    received_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    citizen = relationship("Citizen")
    course = relationship("Course")
    consent = relationship("Consent")
    sent_by = relationship("User", foreign_keys=[sent_by_id])
    received_by = relationship("User", foreign_keys=[received_by_id])

    @property
    def status_label(self) -> str:
        return HANDOVER_STATUSES.get(self.status, self.status)

    @property
    def is_draft(self) -> bool:
        return self.status == "kladde"


class DirectAuthorityProposal(Versioned, db.Model):
    """A proposal (from a contact or guide conversation) that the citizen goes straight to the
    authority department; decided at the Friday meeting by the unit or authority leader."""

    __tablename__ = "direct_authority_proposal"
    __table_args__ = (Index("ix_direct_proposal_decided", "decided_on", "proposed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"), index=True)
    guide_conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("guide_conversation.id", ondelete="SET NULL"), unique=True
    )
    reason: Mapped[str] = mapped_column(Text)
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decision: Mapped[str | None] = mapped_column(String(10))  # DIRECT_DECISIONS
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)  # the Friday meeting's date
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    citizen = relationship("Citizen")
    guide_conversation = relationship("GuideConversation")
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def decision_label(self) -> str:
        return DIRECT_DECISIONS.get(self.decision or "", "Ikke besluttet")
