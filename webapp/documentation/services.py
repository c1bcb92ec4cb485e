"""Saving the typed parts of Bilag 6 and keeping the offer catalogue. Plain functions with explicit
arguments; they flush and never commit. Messages are Danish and shown as they are."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from .. import versioning
from ..citizens.models import Course
from ..extensions import db
from ..timeutil import today_local, utcnow
from .models import AFTER, PERCENT_MAX, SLOTS, TARIFF_MAX, WITHOUT, CourseDocumentation, MunicipalOffer, ShadowLine


class DocumentationError(ValueError):
    """Something the form does not allow; the message is Danish and shown as it is."""


@dataclass(frozen=True)
class Choice:
    """One line as chosen on the form: a catalogue offer and an enrolment percentage."""

    slot: int
    offer: MunicipalOffer
    percent: int


# --- the catalogue -------------------------------------------------------------------------------


def check_tariff(value: int) -> int:
    if value < 0:
        raise DocumentationError("Taksten kan ikke være negativ.")
    if value > TARIFF_MAX:
        raise DocumentationError("Taksten er urimeligt høj – skriv den årlige takst i hele kroner.")
    return value


def add_offer(*, name: str, law_section: str, yearly_tariff: int, is_housing: bool = False, user=None) -> MunicipalOffer:
    name = (name or "").strip()
    if not name:
        raise DocumentationError("Skriv tilbuddets navn.")
    offer = MunicipalOffer(name=name, law_section=(law_section or "").strip(), yearly_tariff=check_tariff(yearly_tariff),
                           is_housing=is_housing, created_by_id=user.id if user is not None else None)
    db.session.add(offer)
    db.session.flush()
    return offer


def active_offers() -> list[MunicipalOffer]:
    return list(db.session.scalars(
        select(MunicipalOffer).where(MunicipalOffer.removed_at.is_(None)).order_by(MunicipalOffer.name)))


def remove_offer(offer: MunicipalOffer, user=None) -> None:
    """Hide the offer from new assessments; lines that chose it keep their own copy."""
    if offer.removed_at is None:
        offer.removed_at = utcnow()
        versioning.saved(offer, user)
        db.session.flush()


def restore_offer(offer: MunicipalOffer, user=None) -> None:
    """Offer a removed offer to new assessments again."""
    if offer.removed_at is not None:
        offer.removed_at = None
        versioning.saved(offer, user)
        db.session.flush()


def edit_offer(offer: MunicipalOffer, *, name: str, law_section: str, yearly_tariff: int, user=None) -> MunicipalOffer:
    """Change an offer's name, section or tariff. Assessments already saved keep the copy their
    lines took when the offer was chosen: a new tariff counts only for offers chosen from now on."""
    name = (name or "").strip()
    if not name:
        raise DocumentationError("Skriv tilbuddets navn.")
    offer.name = name
    offer.law_section = (law_section or "").strip()
    offer.yearly_tariff = check_tariff(yearly_tariff)
    versioning.saved(offer, user)
    db.session.flush()
    return offer


def offer_name_taken(name: str, except_id: int | None = None) -> bool:
    """Whether an offer still in the catalogue has this name (case and surrounding space ignored)."""
    query = select(MunicipalOffer.id).where(
        func.lower(MunicipalOffer.name) == (name or "").strip().lower(), MunicipalOffer.removed_at.is_(None))
    if except_id is not None:
        query = query.where(MunicipalOffer.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def removed_offers() -> list[MunicipalOffer]:
    return list(db.session.scalars(
        select(MunicipalOffer).where(MunicipalOffer.removed_at.is_not(None)).order_by(MunicipalOffer.name)))


def offer_usage() -> dict[int, int]:
    """How many course documentations (either side of the assessment) chose each offer."""
    rows = db.session.execute(
        select(ShadowLine.offer_id, func.count(func.distinct(ShadowLine.documentation_id)))
        .where(ShadowLine.offer_id.is_not(None)).group_by(ShadowLine.offer_id))
    return {offer_id: count for offer_id, count in rows}


# --- the typed parts of one course's form ---------------------------------------------------------


def documentation_for(course: Course, *, create: bool = False) -> CourseDocumentation | None:
    doc = db.session.scalar(select(CourseDocumentation).where(CourseDocumentation.course_id == course.id))
    if doc is None and create:
        doc = CourseDocumentation(course_id=course.id)
        db.session.add(doc)
        db.session.flush()
    return doc


def _check_choices(choices: Sequence[Choice]) -> None:
    slots = [choice.slot for choice in choices]
    if len(set(slots)) != len(slots) or any(slot not in SLOTS for slot in slots):
        raise DocumentationError("Vælg højst to tilbud og ét botilbud.")
    for choice in choices:
        if not 0 <= choice.percent <= PERCENT_MAX:
            raise DocumentationError("Indskrivningsprocenten skal være et helt tal fra 0 til 100.")


def _replace_lines(doc: CourseDocumentation, scenario: str, choices: Sequence[Choice]) -> None:
    _check_choices(choices)
    for line in doc.side(scenario):
        doc.lines.remove(line)
    db.session.flush()  # the unique (documentation, scenario, slot) index sees the old lines gone
    for choice in choices:
        doc.lines.append(ShadowLine(
            scenario=scenario, slot=choice.slot, offer_id=choice.offer.id, offer_name=choice.offer.name,
            law_section=choice.offer.law_section, yearly_tariff=choice.offer.yearly_tariff, percent=choice.percent))


def save_shadow_assessment(
    doc: CourseDocumentation, user, *, choices: Sequence[Choice], caseworker: str | None = None,
    paying_municipality: str | None = None, acting_municipality: str | None = None,
    operating_municipality: str | None = None, tariff_override: int | None = None,
    tariff_override_reason: str | None = None, day: date | None = None,
) -> CourseDocumentation:
    """The »uden Din Indgang« part: up to two offers and a housing offer from the catalogue, each
    with an enrolment percentage (no choices means »no ordinary offer«), and the municipalities.
    An override of the computed yearly tariff needs a reason."""
    if tariff_override is not None:
        check_tariff(tariff_override)
        if not (tariff_override_reason or "").strip():
            raise DocumentationError("Skriv en begrundelse, når du retter den beregnede takst.")
    _replace_lines(doc, WITHOUT, choices)
    doc.caseworker = caseworker or None
    doc.paying_municipality = paying_municipality or None
    doc.acting_municipality = acting_municipality or None
    doc.operating_municipality = operating_municipality or None
    doc.tariff_override = tariff_override
    doc.tariff_override_reason = (tariff_override_reason or "").strip() or None if tariff_override is not None else None
    doc.shadow_assessed_on = day or today_local()
    _filled(doc, user, day)
    return doc


def save_received_after(doc: CourseDocumentation, user, *, choices: Sequence[Choice], day: date | None = None) -> CourseDocumentation:
    """What the citizen actually received after the course (no choices means »nothing«)."""
    _replace_lines(doc, AFTER, choices)
    doc.after_recorded_on = day or today_local()
    _filled(doc, user, day)
    return doc


def _filled(doc: CourseDocumentation, user, day: date | None) -> None:
    doc.filled_on = day or today_local()
    doc.filled_by_id = user.id if user is not None else None
    versioning.saved(doc, user)
    db.session.flush()


def computed_tariff(doc: CourseDocumentation, scenario: str = WITHOUT) -> int:
    """Σ tariff × enrolment % for one side, whole kroner a year."""
    return sum(line.yearly_cost for line in doc.side(scenario))


def yearly_cost_without(doc: CourseDocumentation) -> int:
    return doc.tariff_override if doc.tariff_override is not None else computed_tariff(doc, WITHOUT)
