"""Saving the typed parts of Bilag 6 and keeping the offer catalogue. Plain functions with explicit
arguments; they flush and never commit. Messages are Danish and shown as they are."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from .. import versioning
from ..citizens.models import Citizen, Course
from ..citizens.vocab import DISABILITY_CATEGORIES
from ..extensions import db
from ..timeutil import today_local, utcnow
from .models import AFTER, PERCENT_MAX, SLOTS, TARIFF_MAX, WITHOUT, CourseDocumentation, MunicipalOffer, ShadowLine


class DocumentationError(ValueError):
    """Something the form does not allow; the message is Danish and shown as it is. `field`
    names the form field it belongs to, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


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


def _check_choices(doc: CourseDocumentation, scenario: str, choices: Sequence[Choice]) -> None:
    slots = [choice.slot for choice in choices]
    if len(set(slots)) != len(slots) or any(slot not in SLOTS for slot in slots):
        raise DocumentationError("Vælg højst to tilbud og ét botilbud.")
    kept = {line.offer_id for line in doc.side(scenario)}
    for choice in choices:
        if not 0 <= choice.percent <= PERCENT_MAX:
            raise DocumentationError("Indskrivningsprocenten skal være et helt tal fra 0 til 100.")
        if choice.offer.removed and choice.offer.id not in kept:
            raise DocumentationError(f"»{choice.offer.name}« er fjernet fra tilbudskataloget og kan ikke vælges på ny.")


def _replace_lines(doc: CourseDocumentation, scenario: str, choices: Sequence[Choice]) -> None:
    """The side's lines become `choices`. A line whose slot keeps the same offer keeps its copy of
    the offer's name, section and tariff (only the percentage changes): re-saving the form never
    reprices an assessment, and an offer removed from the catalogue since stays as it was."""
    _check_choices(doc, scenario, choices)
    old = {line.slot: line for line in doc.side(scenario)}
    wanted = {choice.slot: choice for choice in choices}
    for slot, line in old.items():
        choice = wanted.get(slot)
        if choice is not None and line.offer_id == choice.offer.id:
            line.percent = choice.percent
        else:
            doc.lines.remove(line)
    db.session.flush()  # the unique (documentation, scenario, slot) index sees the old lines gone
    for slot, choice in wanted.items():
        if slot in old and old[slot].offer_id == choice.offer.id:
            continue
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
    _apply_shadow(doc, choices, caseworker=caseworker, paying_municipality=paying_municipality,
                  acting_municipality=acting_municipality, operating_municipality=operating_municipality,
                  tariff_override=tariff_override, tariff_override_reason=tariff_override_reason)
    doc.shadow_assessed_on = day or today_local()
    _filled(doc, user, day)
    return doc


def _apply_shadow(doc: CourseDocumentation, choices: Sequence[Choice] | None, *, caseworker: str | None,
                  paying_municipality: str | None, acting_municipality: str | None,
                  operating_municipality: str | None, tariff_override: int | None,
                  tariff_override_reason: str | None) -> None:
    """The without-side's fields; its lines too unless `choices` is None (not assessed yet)."""
    if tariff_override is not None:
        try:
            check_tariff(tariff_override)
        except DocumentationError as error:
            raise DocumentationError(str(error), "tariff_override") from None
        if not (tariff_override_reason or "").strip():
            raise DocumentationError("Skriv en begrundelse, når du retter den beregnede takst.",
                                     "tariff_override_reason")
    if choices is not None:
        _replace_lines(doc, WITHOUT, choices)
    doc.caseworker = _text(caseworker)
    doc.paying_municipality = _text(paying_municipality)
    doc.acting_municipality = _text(acting_municipality)
    doc.operating_municipality = _text(operating_municipality)
    doc.tariff_override = tariff_override
    doc.tariff_override_reason = _text(tariff_override_reason) if tariff_override is not None else None


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def save_received_after(doc: CourseDocumentation, user, *, choices: Sequence[Choice], day: date | None = None) -> CourseDocumentation:
    """What the citizen actually received after the course (no choices means »nothing«)."""
    _replace_lines(doc, AFTER, choices)
    doc.after_recorded_on = day or today_local()
    _filled(doc, user, day)
    return doc


def save_course_form(
    doc: CourseDocumentation, citizen: Citizen, user, *, without: Sequence[Choice] | None,
    after: Sequence[Choice] | None, caseworker: str | None = None, paying_municipality: str | None = None,
    acting_municipality: str | None = None, operating_municipality: str | None = None,
    tariff_override: int | None = None, tariff_override_reason: str | None = None,
    remarks: str | None = None,
    disability_category: str | None = None, day: date | None = None,
) -> CourseDocumentation:
    """Everything typed on the course's Bilag 6 page, saved at once. `without` / `after` None: that
    part is not filled in (yet); an empty list: »no offer« – which still counts as assessed.
    The disability category is the citizen's (statistics only; this form is where it is set)."""
    day = day or today_local()
    _apply_shadow(doc, without, caseworker=caseworker, paying_municipality=paying_municipality,
                  acting_municipality=acting_municipality, operating_municipality=operating_municipality,
                  tariff_override=tariff_override, tariff_override_reason=tariff_override_reason)
    if without is not None and doc.shadow_assessed_on is None:
        doc.shadow_assessed_on = day
    if after is not None:
        _replace_lines(doc, AFTER, after)
        if doc.after_recorded_on is None:
            doc.after_recorded_on = day
    doc.remarks = _text(remarks)
    set_disability_category(citizen, disability_category)
    _filled(doc, user, day)
    return doc


def set_disability_category(citizen: Citizen, category: str | None) -> None:
    """One of Bilag 6's 15 categories, or none. Set only from the documentation form."""
    if category is not None and category not in DISABILITY_CATEGORIES:
        raise DocumentationError("Vælg en af de 15 kategorier – eller »Ikke angivet«.", "disability_category")
    citizen.disability_category = category


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
