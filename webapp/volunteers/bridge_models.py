"""The bridge to the volunteer world (#12 item 2): a request for an activity for a citizen
("efterlysning") and the match that ties the citizen to an activity, step by dated, signed step.

States and their order are in `matching` (pure rules); these are the rows."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UtcDateTime
from ..timeutil import utcnow
from ..versioning import Versioned
from .matching import MATCH_STATES, REQUEST_ORIGINS, REQUEST_STATES
from .models import VolunteerActivity


class VolunteerRequest(db.Model):
    """Staff ask the coordinator to find an activity for a citizen. `themes` and `weekdays` hold
    comma codes (vocab.THEMES, vocab.WEEKDAYS); status aaben → matchet, or lukket with a reason."""

    __tablename__ = "volunteer_request"
    __table_args__ = (Index("ix_volunteer_request_status", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id", ondelete="SET NULL"))
    guide_conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("guide_conversation.id", ondelete="SET NULL"))
    origin: Mapped[str] = mapped_column(String(20), default="borgerside")  # REQUEST_ORIGINS
    wishes: Mapped[str] = mapped_column(Text, default="")  # what the citizen would like
    considerations: Mapped[str] = mapped_column(Text, default="")  # what to take into account
    themes: Mapped[str] = mapped_column(String(200), default="")
    weekdays: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(10), default="aaben")  # REQUEST_STATES
    close_reason: Mapped[str | None] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    citizen = relationship("Citizen")
    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def origin_label(self) -> str:
        return REQUEST_ORIGINS.get(self.origin, self.origin)

    @property
    def status_label(self) -> str:
        return REQUEST_STATES.get(self.status, self.status)


class VolunteerMatch(Versioned, db.Model):
    """A citizen and an activity, moving foreslaaet → … → afsluttet, or faldet_fra."""

    __tablename__ = "volunteer_match"
    __table_args__ = (Index("ix_volunteer_match_state", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer_request.id", ondelete="SET NULL"),
                                                   index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("volunteer_activity.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="foreslaaet")  # MATCH_STATES
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    citizen = relationship("Citizen")
    activity: Mapped[VolunteerActivity] = relationship()
    request: Mapped[VolunteerRequest | None] = relationship()
    steps: Mapped[list["VolunteerMatchStep"]] = relationship(
        back_populates="match", order_by="(VolunteerMatchStep.day, VolunteerMatchStep.id)",
        cascade="all, delete-orphan")

    @property
    def state_label(self) -> str:
        return MATCH_STATES.get(self.state, self.state)

    @property
    def last_day(self) -> date | None:
        return self.steps[-1].day if self.steps else None


class VolunteerMatchStep(db.Model):
    """One dated, signed step of a match (the first is "foreslaaet", when it was proposed)."""

    __tablename__ = "volunteer_match_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("volunteer_match.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date)
    comment: Mapped[str] = mapped_column(String(500), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    match: Mapped[VolunteerMatch] = relationship(back_populates="steps")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    @property
    def state_label(self) -> str:
        return MATCH_STATES.get(self.state, self.state)
