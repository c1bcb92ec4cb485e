"""Groups: the catalogue (gruppe), runs (hold), their meetings, enrolment and attendance."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UtcDateTime
from ..timeutil import utcnow
from ..versioning import Versioned
from . import vocab


class GroupTheme(db.Model):
    """A catalogue entry (gruppe): theme, description and the usual shape of a run."""

    __tablename__ = "group_theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    max_participants: Mapped[int] = mapped_column(Integer, default=vocab.DEFAULT_CAPACITY)
    usual_meetings: Mapped[int] = mapped_column(Integer, default=vocab.DEFAULT_MEETINGS)
    meeting_minutes: Mapped[int] = mapped_column(Integer, default=vocab.DEFAULT_MEETING_MINUTES)
    place: Mapped[str] = mapped_column(String(20), default="din_indgang")
    hours_activity: Mapped[str] = mapped_column(String(12), default="groups")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    @property
    def place_label(self) -> str:
        return vocab.PLACES.get(self.place, self.place)


class GroupRun(Versioned, db.Model):
    """A run of a group (hold) with a team number, a period, meetings and two facilitators."""

    __tablename__ = "group_run"
    __table_args__ = (
        Index("ix_group_run_dates", "start_date", "end_date"),
        Index("ix_group_run_theme", "theme_id", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("group_theme.id"))
    team_number: Mapped[str] = mapped_column(String(20), unique=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(20), default="din_indgang")
    capacity: Mapped[int] = mapped_column(Integer, default=vocab.DEFAULT_CAPACITY)
    facilitator1_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    facilitator2_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # #12: the run carries on as a volunteer group in an organisation (webapp/volunteers/continuing.py).
    continues_in_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("volunteer_organisation.id", ondelete="SET NULL"))
    continues_from: Mapped[date | None] = mapped_column(Date)
    continues_note: Mapped[str | None] = mapped_column(Text)

    theme: Mapped[GroupTheme] = relationship(lazy="joined")
    facilitator1 = relationship("User", foreign_keys=[facilitator1_id])
    facilitator2 = relationship("User", foreign_keys=[facilitator2_id])

    @property
    def place_label(self) -> str:
        return vocab.PLACES.get(self.place, self.place)

    @property
    def facilitators(self) -> list:
        return [u for u in (self.facilitator1, self.facilitator2) if u is not None]


class GroupMeeting(db.Model):
    """One meeting of a run (about two hours); its length counts as hours for those who attended."""

    __tablename__ = "group_meeting"
    __table_args__ = (
        Index("ix_group_meeting_run", "run_id", "starts_at"),
        Index("ix_group_meeting_time", "starts_at"),
        # The key figures' group hours and persons in a period: an index-only range of meetings.
        Index("ix_group_meeting_hours", "starts_at", "cancelled", "id", "run_id", "duration_minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("group_run.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=vocab.DEFAULT_MEETING_MINUTES)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)

    run: Mapped[GroupRun] = relationship()


class GroupEnrolment(db.Model):
    """A citizen on a run, with their own start and stop date; or on its waiting list."""

    __tablename__ = "group_enrolment"
    __table_args__ = (
        UniqueConstraint("run_id", "citizen_id"),
        Index("ix_group_enrolment_citizen", "citizen_id", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("group_run.id", ondelete="CASCADE"))
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id", ondelete="SET NULL"))
    start_date: Mapped[date] = mapped_column(Date)
    stop_date: Mapped[date | None] = mapped_column(Date)
    waiting: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    run: Mapped[GroupRun] = relationship()
    citizen = relationship("Citizen")

    def active_on(self, day: date) -> bool:
        return not self.waiting and self.start_date <= day and (self.stop_date is None or self.stop_date >= day)


class GroupAttendance(db.Model):
    """Fremmøde at one meeting: mødt, ikke mødt or gik undervejs."""

    __tablename__ = "group_attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "citizen_id"),
        Index("ix_group_attendance_citizen", "citizen_id", "status"),
        Index("ix_group_attendance_meeting_status", "meeting_id", "status", "citizen_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("group_meeting.id", ondelete="CASCADE"))
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(14))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
