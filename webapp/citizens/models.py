"""The citizen register (borgere), relatives, guide conversations, courses and their meetings."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    exists,
    false,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship, validates

from ..datakey import EncryptedString, current_key, keyed_hash
from ..extensions import db
from ..models_base import UtcDateTime
from ..timeutil import utcnow
from ..versioning import Versioned
from .cpr import mask_cpr

CPR_CONTEXT = b"citizen.cpr"
CPR_KEY_CONTEXT = b"citizen.cpr/search-key"


def cpr_key_of(digits: str) -> str:
    """The keyed hash stored in `citizen.cpr_key` (needs the app's data key)."""
    from flask import current_app

    return keyed_hash(digits, current_key(current_app.config), CPR_KEY_CONTEXT)


def discreet_name(first_name: str, last_name: str) -> str:
    """First name and the surname's initial – for lists a visitor might glimpse."""
    last = (last_name or "").strip()
    return f"{first_name} {last[0]}." if last else first_name


class Citizen(Versioned, db.Model):
    """The entry slip (Indgangsseddel). A citizen may exist without a CPR number (a first visit,
    ad hoc help); a course needs one. The CPR number is stored here only, never logged or put in
    a URL, and shown masked unless revealed (audited)."""

    __tablename__ = "citizen"
    __table_args__ = (
        Index("ix_citizen_first_name_lower", "first_name_lower"),
        Index("ix_citizen_birth_date", "birth_date"),
        Index("ix_citizen_phone", "phone"),
        # One citizen per CPR number (many without one: NULLs never collide), through the keyed hash:
        # the number itself is encrypted with a fresh nonce and cannot be compared (#13).
        Index("ix_citizen_cpr_key", "cpr_key", unique=True),
        # The few restricted citizens (GDPR art. 18): lists, boards and the flush guard ask often.
        Index("ix_citizen_restricted", "restricted_at", postgresql_where=text("restricted_at IS NOT NULL"),
              sqlite_where=text("restricted_at IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(120), default="")
    # Lower-cased copy for indexed, case-insensitive prefix search on both databases.
    first_name_lower: Mapped[str] = mapped_column(String(80))
    # Encrypted at rest (AES-GCM with the data key, webapp/datakey.py); Python sees ten digits.
    cpr: Mapped[str | None] = mapped_column(EncryptedString(10, CPR_CONTEXT))
    # The keyed hash of the ten digits: exact search and the duplicate check (`Citizen.cpr_is`).
    cpr_key: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(20))
    birth_date: Mapped[date | None] = mapped_column(Date)
    address: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    contact_preference: Mapped[str | None] = mapped_column(String(10))  # sms, email, telefon, ikke
    contact_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # One-tap opt-out of reminders by SMS or e-mail (#12), whatever the preference says.
    reminders_off: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    bring_person: Mapped[str | None] = mapped_column(String(200))
    next_meeting_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Statistics only (Bilag 6): restricted to reporting roles, never on boards, plans or projector.
    disability_category: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime, onupdate=utcnow)
    # Data protection over time (#13, webapp/privacy): erased (personal data overwritten, the row
    # kept pseudonymised for past key figures) and restricted (read-only, off lists and boards).
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    restricted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    relatives: Mapped[list["Relative"]] = relationship(
        back_populates="citizen", cascade="all, delete-orphan", order_by="Relative.id"
    )

    @validates("cpr")
    def _keep_cpr_key(self, _key, value):
        self.cpr_key = cpr_key_of(value) if value else None
        return value

    @staticmethod
    def cpr_is(digits: str):
        """The SQL condition "this citizen has these ten CPR digits"."""
        return Citizen.cpr_key == cpr_key_of(digits)

    @property
    def read_only(self) -> bool:
        """Restricted (GDPR art. 18) or erased: the record can be read, not changed."""
        return self.restricted_at is not None or self.erased_at is not None

    @property
    def initials(self) -> str:
        """What discreet views show: first letters only."""
        parts = [self.first_name, *self.last_name.split()]
        return "".join(p[0].upper() + "." for p in parts if p)

    @property
    def discreet_name(self) -> str:
        return discreet_name(self.first_name, self.last_name)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def cpr_masked(self) -> str:
        return mask_cpr(self.cpr)

    def __repr__(self) -> str:  # never the CPR number
        return f"<Citizen {self.id}>"


def citizen_in_use(citizen_id_column):
    """The SQL condition "not a restricted citizen" (GDPR art. 18, webapp/privacy/restriction.py):
    lists, boards and queues filter with it. A row without a citizen (an unlinked contact) stays."""
    # An alias: a query that also joins `citizen` would otherwise correlate the subquery to it.
    other = aliased(Citizen)
    restricted = exists().where(other.id == citizen_id_column, other.restricted_at.is_not(None))
    return or_(citizen_id_column.is_(None), ~restricted)


def restricted_citizen_ids(session=None) -> set[int]:
    """The ids of the citizens whose processing is restricted (few: one indexed read)."""
    session = session or db.session
    return set(session.scalars(select(Citizen.id).where(Citizen.restricted_at.is_not(None))))


def citizen_names(citizen_id_column) -> tuple:
    """(first_name, last_name) of the citizen a row points to, looked up by primary key per row.

    For row queries over a few hundred rows (courses on a board or an agenda): with a join,
    PostgreSQL's planner may hash-join and scan every citizen instead."""
    return tuple(
        select(column).where(Citizen.id == citizen_id_column).scalar_subquery().label(column.key)
        for column in (Citizen.first_name, Citizen.last_name)
    )


class Relative(db.Model):
    """Pårørende: may join the citizen's coaching and have conversations of their own."""

    __tablename__ = "relative"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    relation: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(20))

    citizen: Mapped[Citizen] = relationship(back_populates="relatives")


class GuideConversation(db.Model):
    """Guidesamtale: booked from the welcome table or held at once; about an hour, two staff."""

    __tablename__ = "guide_conversation"
    __table_args__ = (
        Index("ix_guide_conversation_scheduled", "scheduled_at"),
        Index("ix_guide_conversation_citizen", "citizen_id", "scheduled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scheduled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20), default="booket")  # booket, afholdt, aflyst, udeblevet
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizen.id", ondelete="SET NULL"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    staff1_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    staff2_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    others_present: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(String(30))
    direct_authority_reason: Mapped[str | None] = mapped_column(Text)
    # Nobody with authority experience took part: the Friday meeting lists it (rights are visible).
    lacks_authority_experience: Mapped[bool] = mapped_column(Boolean, default=False)

    citizen = relationship("Citizen")
    staff1 = relationship("User", foreign_keys=[staff1_id])
    staff2 = relationship("User", foreign_keys=[staff2_id])


class Course(db.Model):
    """Forløb: starts on the citizen's yes, 4–20 weeks, never past 20; a new course after a closed
    one is a return."""

    __tablename__ = "course"
    __table_args__ = (
        Index("ix_course_citizen", "citizen_id", "start_date"),
        Index("ix_course_open", "end_date", "start_date"),
        Index("ix_course_start", "start_date", "is_return"),
        Index("ix_course_closed", "end_date", "stop_reason", "goal_attainment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"))
    guide_conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("guide_conversation.id", ondelete="SET NULL")
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    is_return: Mapped[bool] = mapped_column(Boolean, default=False)
    assessment_date: Mapped[date | None] = mapped_column(Date)  # future needs assessed (by week 10)
    stop_reason: Mapped[str | None] = mapped_column(String(10))  # P, ILB, EE, HFT, UB, FFK, anden
    stop_reason_text: Mapped[str | None] = mapped_column(String(200))
    next_step: Mapped[str | None] = mapped_column(String(30))
    goal_attainment: Mapped[float | None] = mapped_column(Numeric(2, 1))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    citizen: Mapped[Citizen] = relationship()

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class Meeting(db.Model):
    """A meeting in a course or with a relative: follow-up, coaching conversation, relative's own
    conversation, network meeting, NADA … Its duration feeds the hours (Bilag 6)."""

    __tablename__ = "meeting"
    __table_args__ = (
        Index("ix_meeting_citizen_time", "citizen_id", "starts_at"),
        # By time; status and citizen too, so counting missed meetings in a period (the Friday
        # agenda) reads the index only. Time first: queries for one status across all time use
        # the course's index instead.
        Index("ix_meeting_time_status", "starts_at", "status", "citizen_id"),
        # Hours per activity in a period (key figures): an index-only range.
        Index("ix_meeting_hours", "status", "starts_at", "kind", "duration_minutes", "staff1_id", "staff2_id"),
        Index("ix_meeting_course", "course_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))  # opfoelgning, coaching, paaroerende, netvaerksmoede, nada …
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="planlagt")  # planlagt, afholdt, udeblevet, aflyst
    staff1_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    staff2_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    relative_id: Mapped[int | None] = mapped_column(ForeignKey("relative.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    citizen = relationship("Citizen")
    course = relationship("Course")
    staff1 = relationship("User", foreign_keys=[staff1_id])
    staff2 = relationship("User", foreign_keys=[staff2_id])
    relative = relationship("Relative")
