"""The documentation form per course (Bilag 6): the catalogue of municipal offers, and the only
parts of the form a person types – the shadow assessment (skyggevisitation: what the citizen would
have been granted without Din Indgang), what the citizen actually received after the course and
remarks (the volunteer yes/no derives from the volunteer bridge's matches). Everything else on Bilag 6 is
derived from what was already logged (see documentation.form)."""

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UtcDateTime
from ..timeutil import utcnow
from ..versioning import Versioned

# Which side of the shadow assessment a line belongs to.
WITHOUT = "uden"  # what the citizen would have received without Din Indgang
AFTER = "efter"  # what the citizen actually received after the course
SCENARIOS = {WITHOUT: "Uden Din Indgang", AFTER: "Modtaget efter forløbet"}

# Bilag 6 has three lines: two offers/kinds of support and a housing offer ("Botilbud/støtte").
SLOTS = {1: "Tilbud/støtte", 2: "Tilbud/støtte", 3: "Botilbud/støtte"}

TARIFF_MAX = 100_000_000  # kr. a year; anything above is a typing error
PERCENT_MAX = 100


class MunicipalOffer(Versioned, db.Model):
    """One offer or kind of support the municipality grants, with the section of the law it is
    granted under (as text, e.g. »SEL § 85«) and its yearly tariff in whole kroner. An offer is
    never deleted once used: removing it hides it from new assessments, and the lines that chose it
    keep their own copy of its name, section and tariff."""

    __tablename__ = "municipal_offer"
    __table_args__ = (CheckConstraint("yearly_tariff >= 0", name="tariff_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    law_section: Mapped[str] = mapped_column(String(60), default="")
    yearly_tariff: Mapped[int] = mapped_column(Integer)
    is_housing: Mapped[bool] = mapped_column(Boolean, default=False)
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    @property
    def removed(self) -> bool:
        return self.removed_at is not None


class CourseDocumentation(Versioned, db.Model):
    """The typed part of Bilag 6 for one course. `shadow_assessed_on` is set when the shadow
    assessment is saved (also when it says »no offer«): a closed course without it is on the list
    »mangler skyggevisitation«. `tariff_override` replaces the computed yearly cost of the
    without-side, with a reason."""

    __tablename__ = "course_documentation"
    __table_args__ = (
        CheckConstraint("tariff_override IS NULL OR tariff_override >= 0", name="override_not_negative"),
        Index("ix_course_documentation_assessed", "shadow_assessed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), unique=True)
    caseworker: Mapped[str | None] = mapped_column(String(120))
    paying_municipality: Mapped[str | None] = mapped_column(String(80))
    acting_municipality: Mapped[str | None] = mapped_column(String(80))
    operating_municipality: Mapped[str | None] = mapped_column(String(80))
    tariff_override: Mapped[int | None] = mapped_column(Integer)
    tariff_override_reason: Mapped[str | None] = mapped_column(String(500))
    shadow_assessed_on: Mapped[date | None] = mapped_column(Date)
    after_recorded_on: Mapped[date | None] = mapped_column(Date)  # »what they actually received« saved
    # Recorded by hand before the volunteer bridge (#12); Bilag 6 now derives it from the matches and
    # shows this only for a citizen without any match (documentation/form.py: volunteer_part).
    volunteer_activities: Mapped[bool | None] = mapped_column(Boolean)
    remarks: Mapped[str | None] = mapped_column(Text)
    filled_on: Mapped[date | None] = mapped_column(Date)
    filled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    course = relationship("Course")
    filled_by = relationship("User", foreign_keys=[filled_by_id])
    lines = relationship("ShadowLine", back_populates="documentation", cascade="all, delete-orphan",
                         order_by="(ShadowLine.scenario, ShadowLine.slot)")

    def side(self, scenario: str) -> list["ShadowLine"]:
        return [line for line in self.lines if line.scenario == scenario]


class ShadowLine(db.Model):
    """One offer on one side of the assessment: chosen from the catalogue, with an enrolment
    percentage. Name, section and tariff are copied from the catalogue when chosen, so an offer
    removed or repriced later leaves old assessments readable and their sums unchanged."""

    __tablename__ = "shadow_line"
    __table_args__ = (
        CheckConstraint("percent >= 0 AND percent <= 100", name="percent_0_100"),
        CheckConstraint("yearly_tariff >= 0", name="line_tariff_not_negative"),
        Index("ix_shadow_line_documentation", "documentation_id", "scenario", "slot", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    documentation_id: Mapped[int] = mapped_column(ForeignKey("course_documentation.id", ondelete="CASCADE"))
    scenario: Mapped[str] = mapped_column(String(8))  # uden, efter
    slot: Mapped[int] = mapped_column(SmallInteger)  # 1, 2 (offers), 3 (housing)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("municipal_offer.id", ondelete="SET NULL"))
    offer_name: Mapped[str] = mapped_column(String(200))
    law_section: Mapped[str] = mapped_column(String(60), default="")
    yearly_tariff: Mapped[int] = mapped_column(Integer)
    percent: Mapped[int] = mapped_column(SmallInteger)

    documentation = relationship("CourseDocumentation", back_populates="lines")
    offer = relationship("MunicipalOffer")

    @property
    def yearly_cost(self) -> int:
        """Whole kroner a year: tariff × enrolment percentage."""
        return self.yearly_tariff * self.percent // 100
