"""Decisions recorded at the Friday meeting (fredagsmøde): text, who is responsible, a deadline.
An open decision comes back on every following agenda until it is marked done."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UtcDateTime
from ..timeutil import utcnow


class MeetingDecision(db.Model):
    __tablename__ = "meeting_decision"
    __table_args__ = (
        Index("ix_meeting_decision_date", "meeting_date"),
        Index("ix_meeting_decision_open", "done_at", "meeting_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_date: Mapped[date] = mapped_column(Date)
    section: Mapped[str] = mapped_column(String(40))  # meeting.rules.AGENDA_SECTIONS key
    item_key: Mapped[str] = mapped_column(String(80))  # e.g. "course:12", "outreach:3"
    # A discreet label (first name, what it was about) kept as it was in the room, for the minutes.
    item_label: Mapped[str] = mapped_column(String(160))
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizen.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    deadline: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    citizen = relationship("Citizen")
    responsible = relationship("User", foreign_keys=[responsible_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
