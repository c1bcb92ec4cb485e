"""Min Plan (Bilag 2): the citizen's own plan, written in the first person, one per course."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UtcDateTime
from ..timeutil import utcnow

# Field name -> the form's own first-person label (Bilag 2), in the form's order.
START_FIELDS = {
    "reasons": "Mine grunde og motivation for at henvende mig til Din Indgang",
}
GOAL_FIELDS = {
    "goal": "Mit mål",
    "sub_goals": "Mine delmål",
    "already_done": "Hvad har jeg allerede gjort, for at nå mit mål",
    "after_course": "Hvad kan jeg efter mit forløb i Din Indgang",
    "success_criteria": "Succeskriterier",
    "expected_reached": "Hvornår forventer jeg, at mit mål er nået",
    "future_agreements": "Fremtidige aftaler i Din Indgang",
    "my_effort": "Min indsats",
    "involvement": "Inddragelse af pårørende eller andre",
    "tasks_next": "Mine opgaver til næste gang",
    "other_topics": "Andre emner",
}
FOLLOW_UP_FIELDS = {
    "my_goal": "Mit mål",
    "how_worked": "Hvordan har jeg arbejdet med mit mål siden sidst, og hvordan er det gået",
    "parts_reached": "Hvilke dele af mit mål har jeg nået",
    "succeeded": "Hvad er jeg lykkedes med, under forløbet i Din Indgang",
    "goal_same": "Er mit mål fortsat det samme, og hvilke delmål skal jeg arbejde med de kommende uger",
    "next_steps": "Mine næste skridt for at nå mit mål",
}
LATER_FOLLOW_UP_FIELDS = {
    "thoughts_after": "Hvilke tanker har jeg gjort mig om tiden efter Din Indgang",
    "in_place": "Hvad skal være på plads inden forløbet afsluttes",
    "who_for_me": "Hvem kan være noget for mig, og kan jeg være noget for andre",
}
FUTURE_FIELDS = {
    "achieved": "Hvad har jeg opnået",
    "future_plan": "Min fremtidige plan",
}
GOAL_ATTAINMENT = {1: "I ringe grad", 2: "I nogen grad", 3: "I middel grad", 4: "I høj grad"}


class Plan(db.Model):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    reasons: Mapped[str | None] = mapped_column(Text)
    goal_date: Mapped[date | None] = mapped_column(Date)
    goal: Mapped[str | None] = mapped_column(Text)
    sub_goals: Mapped[str | None] = mapped_column(Text)
    already_done: Mapped[str | None] = mapped_column(Text)
    after_course: Mapped[str | None] = mapped_column(Text)
    success_criteria: Mapped[str | None] = mapped_column(Text)
    expected_reached: Mapped[str | None] = mapped_column(Text)
    future_agreements: Mapped[str | None] = mapped_column(Text)
    my_effort: Mapped[str | None] = mapped_column(Text)
    involvement: Mapped[str | None] = mapped_column(Text)
    tasks_next: Mapped[str | None] = mapped_column(Text)
    other_topics: Mapped[str | None] = mapped_column(Text)
    next_follow_up: Mapped[date | None] = mapped_column(Date)
    # Min Fremtid (closing)
    future_date: Mapped[date | None] = mapped_column(Date)
    achieved: Mapped[str | None] = mapped_column(Text)
    future_plan: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    course = relationship("Course")
    follow_ups: Mapped[list["PlanFollowUp"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanFollowUp.follow_up_date"
    )


class PlanFollowUp(db.Model):
    """Opfølgning: one per follow-up meeting, written with the citizen."""

    __tablename__ = "plan_follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    follow_up_date: Mapped[date] = mapped_column(Date)
    my_goal: Mapped[str | None] = mapped_column(Text)
    how_worked: Mapped[str | None] = mapped_column(Text)
    parts_reached: Mapped[str | None] = mapped_column(Text)
    succeeded: Mapped[str | None] = mapped_column(Text)
    goal_same: Mapped[str | None] = mapped_column(Text)
    next_steps: Mapped[str | None] = mapped_column(Text)
    thoughts_after: Mapped[str | None] = mapped_column(Text)
    in_place: Mapped[str | None] = mapped_column(Text)
    who_for_me: Mapped[str | None] = mapped_column(Text)
    next_follow_up: Mapped[date | None] = mapped_column(Date)

    plan: Mapped[Plan] = relationship(back_populates="follow_ups")


class PlanVersion(db.Model):
    """Every saved version is kept (what the plan said, when, by whom)."""

    __tablename__ = "plan_version"
    __table_args__ = (UniqueConstraint("plan_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(200))


class PlanDraft(db.Model):
    """Autosaved, unsaved typing of one user in one plan section, so nothing typed is lost."""

    __tablename__ = "plan_draft"
    __table_args__ = (UniqueConstraint("plan_id", "user_id", "section"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    section: Mapped[str] = mapped_column(String(40))
    base_version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
