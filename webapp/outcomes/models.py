"""FIT scores (one rated form per session and citizen) and the municipality's licensed wording."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UtcDateTime
from ..timeutil import utcnow

TENTH = Decimal("0.1")


def to_tenths(value: Decimal | None) -> int | None:
    """Scores are kept as whole tenths (7.5 -> 75): exact on both databases, no float rounding."""
    return None if value is None else int((value / TENTH).to_integral_value())


def from_tenths(value: int | None) -> Decimal | None:
    return None if value is None else (Decimal(value) * TENTH).quantize(TENTH)


class FitScore(db.Model):
    """One FIT form (ORS, SRS or GSRS) filled in by a citizen for one session.

    The session is exactly one of: a meeting (coaching conversation, follow-up …), a guide
    conversation, or a group meeting. A skipped form has no item scores and no total – never 0.
    `session_at` and `course_id` are copied from the session so a course chart is one indexed read.
    """

    __tablename__ = "fit_score"
    __table_args__ = (
        UniqueConstraint("citizen_id", "scale", "meeting_id", name="uq_fit_score_meeting"),
        UniqueConstraint("citizen_id", "scale", "guide_conversation_id", name="uq_fit_score_guide"),
        UniqueConstraint("citizen_id", "scale", "group_meeting_id", name="uq_fit_score_group_meeting"),
        CheckConstraint(
            "(CASE WHEN meeting_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN guide_conversation_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN group_meeting_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_session",
        ),
        Index("ix_fit_score_citizen_time", "citizen_id", "session_at"),
        Index("ix_fit_score_course_time", "course_id", "session_at"),
        # The key figures' first and last ORS of a course: an index-only probe per course.
        Index("ix_fit_score_course_ors", "course_id", "scale", "skipped", "session_at", "id", "total_tenths"),
        Index("ix_fit_score_group_meeting", "group_meeting_id", "scale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id", ondelete="SET NULL"))
    scale: Mapped[str] = mapped_column(String(4))  # ORS, SRS, GSRS
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    guide_conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("guide_conversation.id", ondelete="CASCADE")
    )
    group_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("group_meeting.id", ondelete="CASCADE"))
    session_at: Mapped[datetime] = mapped_column(UtcDateTime)
    period: Mapped[str | None] = mapped_column(String(12))  # ORS: siden_sidst or i_dag
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    item1: Mapped[int | None] = mapped_column(SmallInteger)  # tenths, in the scale's item order
    item2: Mapped[int | None] = mapped_column(SmallInteger)
    item3: Mapped[int | None] = mapped_column(SmallInteger)
    item4: Mapped[int | None] = mapped_column(SmallInteger)
    total_tenths: Mapped[int | None] = mapped_column(SmallInteger)
    on_paper: Mapped[bool] = mapped_column(Boolean, default=False)  # typed in afterwards from a paper form
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    recorded_by = relationship("User")

    @property
    def items(self) -> tuple[Decimal | None, ...]:
        return tuple(from_tenths(v) for v in (self.item1, self.item2, self.item3, self.item4))

    @property
    def total(self) -> Decimal | None:
        return from_tenths(self.total_tenths)

    def item_scores(self, keys: tuple[str, ...]) -> dict[str, Decimal | None]:
        return dict(zip(keys, self.items, strict=False))

    @property
    def session_kind(self) -> str:
        if self.meeting_id is not None:
            return "samtale"
        if self.guide_conversation_id is not None:
            return "guidesamtale"
        return "gruppemoede"

    @property
    def session_id(self) -> int:
        return self.meeting_id or self.guide_conversation_id or self.group_meeting_id


class ScaleWording(db.Model):
    """The municipality's licensed Danish wording of a scale, uploaded by an administrator as JSON
    (validated by scales.definition_from_json). No row: the shipped neutral wording is used."""

    __tablename__ = "fit_scale_wording"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(4), unique=True)
    definition_json: Mapped[str] = mapped_column(Text)
    filename: Mapped[str | None] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    uploaded_by = relationship("User")
