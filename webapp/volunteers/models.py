"""The volunteer organisations of the town and their activities. No citizen data."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UtcDateTime
from ..timeutil import utcnow
from ..versioning import Versioned


class VolunteerOrganisation(Versioned, db.Model):
    """An association, club or group in the town that runs volunteer activities."""

    __tablename__ = "volunteer_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    contact_person: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    activities = relationship("VolunteerActivity", back_populates="organisation",
                              order_by="VolunteerActivity.title")


class VolunteerActivity(Versioned, db.Model):
    """One activity an organisation offers. `places_free` is the number of free places, unless the
    activity is open to everyone (`open_to_all`); `weekdays` holds comma codes (vocab.WEEKDAYS)."""

    __tablename__ = "volunteer_activity"
    __table_args__ = (
        CheckConstraint("places_free IS NULL OR places_free >= 0", name="places_not_negative"),
        Index("ix_volunteer_activity_theme", "theme", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("volunteer_organisation.id", ondelete="CASCADE"),
                                                 index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    when_text: Mapped[str] = mapped_column(String(200), default="")
    weekdays: Mapped[str] = mapped_column(String(40), default="")
    for_whom: Mapped[str] = mapped_column(Text, default="")
    places_free: Mapped[int | None] = mapped_column(Integer)
    open_to_all: Mapped[bool] = mapped_column(Boolean, default=False)
    can_handle: Mapped[str] = mapped_column(Text, default="")
    cannot_handle: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    organisation = relationship(VolunteerOrganisation, back_populates="activities")
