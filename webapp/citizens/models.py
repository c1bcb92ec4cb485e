"""The citizen register (borgere). Started minimal by the welcome table; the citizen issue extends
it with the entry slip's fields."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UtcDateTime
from ..timeutil import utcnow


class Citizen(db.Model):
    __tablename__ = "citizen"
    __table_args__ = (
        Index("ix_citizen_first_name_lower", "first_name_lower"),
        Index("ix_citizen_birth_date", "birth_date"),
        Index("ix_citizen_phone", "phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(120), default="")
    # Lower-cased copy for indexed, case-insensitive prefix search on both databases.
    first_name_lower: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(20))
    birth_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    @property
    def initials(self) -> str:
        """What discreet views show: first letters only."""
        parts = [self.first_name, *self.last_name.split()]
        return "".join(p[0].upper() + "." for p in parts if p)

    @property
    def discreet_name(self) -> str:
        """First name and the surname's initial – for lists a visitor might glimpse."""
        last = self.last_name.strip()
        return f"{self.first_name} {last[0]}." if last else self.first_name


class GuideConversation(db.Model):
    """Guidesamtale: booked from the welcome table or held at once (extended by the course issue)."""

    __tablename__ = "guide_conversation"
    __table_args__ = (Index("ix_guide_conversation_scheduled", "scheduled_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheduled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20), default="booket")
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizen.id", ondelete="SET NULL"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    citizen = relationship("Citizen")
