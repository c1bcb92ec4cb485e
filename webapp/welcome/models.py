from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, or_, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UtcDateTime
from ..timeutil import utcnow
from . import vocab

# The partial indexes for the persons with ad hoc help cover these contacts only.
KNOWN_AND_LIVE = "citizen_id IS NOT NULL AND deleted_at IS NULL"


class Contact(db.Model):
    """A henvendelse: one visit, phone call or piece of ad hoc help (Bilag 5). The columns the day
    counts group by keep their old value when changed (`active_history`), so welcome/daycounts.py
    can move a contact from its old row to its new one."""

    __tablename__ = "contact"
    __table_args__ = (
        Index("ix_contact_day_time", "local_date", "occurred_at"),
        Index("ix_contact_logged_by_created", "logged_by_id", "created_at"),
        Index("ix_contact_citizen", "citizen_id", "occurred_at"),
        # Covers the day board's counters and the register's weekly totals: index-only scans.
        Index(
            "ix_contact_day_totals",
            "local_date", "deleted_at", "kind", "channel", "from_type", "partner", "logged_by_id",
        ),
        # The distinct persons with ad hoc help in a period (key figures): an index range per period.
        # Only live contacts with a known citizen: the rows the figure counts, nothing else to skip.
        Index("ix_contact_ad_hoc_day", "is_ad_hoc", "local_date", "citizen_id",
              sqlite_where=text(KNOWN_AND_LIVE), postgresql_where=text(KNOWN_AND_LIVE)),
        Index("ix_contact_outcome_day", "outcome", "local_date", "citizen_id",
              sqlite_where=text(KNOWN_AND_LIVE), postgresql_where=text(KNOWN_AND_LIVE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # The Copenhagen calendar date, so day and week views are simple indexed range scans.
    local_date: Mapped[date] = mapped_column(Date, active_history=True)
    kind: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(12), active_history=True)
    from_type: Mapped[str] = mapped_column(String(20), default="borger", active_history=True)
    partner: Mapped[str | None] = mapped_column(String(30), active_history=True)
    topics: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str | None] = mapped_column(String(30), active_history=True)
    booked_for: Mapped[datetime | None] = mapped_column(UtcDateTime)
    duration_minutes: Mapped[int | None] = mapped_column(Integer, active_history=True)
    note: Mapped[str | None] = mapped_column(Text)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizen.id", ondelete="SET NULL"), active_history=True)
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    tap_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, active_history=True)
    is_ad_hoc: Mapped[bool] = mapped_column(Boolean, default=False, active_history=True)

    citizen = relationship("Citizen")
    logged_by = relationship("User")

    @property
    def topic_list(self) -> list[str]:
        return [t for t in self.topics.split(",") if t]

    @property
    def topic_labels(self) -> list[str]:
        return [vocab.TOPICS[t] for t in self.topic_list if t in vocab.TOPICS]

    @property
    def from_label(self) -> str:
        if self.from_type == "samarbejdspartner" and self.partner:
            return vocab.PARTNERS.get(self.partner, "Samarbejdspartner")
        return vocab.FROM_TYPES.get(self.from_type, self.from_type)

    @property
    def from_type_label(self) -> str:
        """Borger, pårørende or samarbejdspartner – never which partner (the welcome tablet)."""
        return vocab.FROM_TYPES.get(self.from_type, self.from_type)

    @property
    def kind_label(self) -> str:
        return vocab.KINDS[self.kind]


class HostDuty(db.Model):
    """Værtsvagt: who is host at the welcome table on a given day (usually two people)."""

    __tablename__ = "host_duty"
    __table_args__ = (UniqueConstraint("duty_date", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_date: Mapped[date] = mapped_column(Date, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))

    user = relationship("User", lazy="joined")


class ChangeCounter(db.Model):
    """Named counters moved once by every transaction that changes what live views show, as its
    last write before COMMIT (`webapp/live.py`), so they can answer 'nothing new' with one
    primary-key read."""

    __tablename__ = "change_counter"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


def ad_hoc_help():
    """The one rule for a contact that was ad hoc help: logged as such, or refined with the outcome
    »Ad hoc-hjælp givet« (the key figures, the hours and the day counts all count it so)."""
    return or_(Contact.is_ad_hoc.is_(True), Contact.outcome == vocab.AD_HOC_OUTCOME)


class ContactDayCount(db.Model):
    """Contacts per day and kind, kept by `webapp/welcome/daycounts.py` from every flushed change of a
    contact, so the key figures of a year (or ten) read a few thousand rows instead of hundreds of
    thousands. Unset codes are stored as ''. Deleted (undone) contacts are not counted. The counts
    stay when a citizen is erased: they name nobody."""

    __tablename__ = "contact_day_count"

    local_date: Mapped[date] = mapped_column(Date, primary_key=True)
    from_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    channel: Mapped[str] = mapped_column(String(12), primary_key=True)
    partner: Mapped[str] = mapped_column(String(30), primary_key=True)
    ad_hoc: Mapped[bool] = mapped_column(Boolean, primary_key=True)  # is_ad_hoc or outcome »ad hoc-hjælp givet«
    with_citizen: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    contacts: Mapped[int] = mapped_column(Integer, default=0)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
