"""Fictitious demo data for the documentation form (Bilag 6): a catalogue of municipal offers (one
removed, still used by an old assessment), shadow assessments and what was received after the course
for most closed courses – a few with an overridden tariff, a few with remarks,
two or three left without one so »mangler skyggevisitation« is never empty – and disability
categories on most citizens. Everything goes through webapp.documentation.services. Idempotent,
flush only. The report-shaped data (report.py) uses the same catalogue."""

import random
from datetime import timedelta

from sqlalchemy import func, select

from webapp.auth import services as auth_services
from webapp.citizens.models import Citizen, Course
from webapp.citizens.vocab import DISABILITY_CATEGORIES
from webapp.documentation import services
from webapp.documentation.models import CourseDocumentation, MunicipalOffer
from webapp.extensions import db
from webapp.timeutil import today_local

# name, section of the law, yearly tariff (whole kroner), housing? – plausible Fredericia-sized
# tariffs, all multiples of 10.000 kr. so that tariff × a 5 %-step percentage is whole kroner.
CATALOGUE = (
    ("Socialpædagogisk støtte", "SEL § 85", 180_000, False),
    ("Bostøtte i eget hjem", "SEL § 85", 120_000, False),
    ("Aktivitets- og samværstilbud", "SEL § 104", 90_000, False),
    ("Beskyttet beskæftigelse", "SEL § 103", 130_000, False),
    ("Ledsageordning", "SEL § 97", 40_000, False),
    ("Mentor", "LAB § 31", 60_000, False),
    ("Kontaktperson", "SEL § 98", 50_000, False),
    ("Støtte- og kontaktperson (SKP)", "SEL § 99", 70_000, False),
    ("Behandling for stofmisbrug", "SEL § 101", 210_000, False),
    ("Midlertidigt botilbud", "SEL § 107", 620_000, True),
    ("Længerevarende botilbud", "SEL § 108", 780_000, True),
)
# Taken out of the catalogue after some assessments had chosen it: they keep their own copy.
REMOVED = ("Værestedstilbud (gammel takst)", "SEL § 104", 80_000, False)

CASEWORKERS = ("Birgitte Holm", "Jens Kofoed", "Marianne Friis", "Ole Sønderby")
MUNICIPALITY = "Fredericia"
OVERRIDE_REASONS = (
    "Borgeren ville have fået færre timer end taksten er normeret til – aftalt med myndighedsrådgiver.",
    "Prisen er forhandlet ned for et privat tilbud i nabokommunen.",
)
REMARKS = (
    "Borgeren har selv fundet et frivilligt fællesskab i frivilligcentret.",
    "Forløbet blev kortere end planlagt – borgeren har fået arbejde.",
    "Pårørende har deltaget i to samtaler.",
)
PERCENTS = (10, 15, 20, 25, 25, 30, 50)
WITHOUT_ASSESSMENT = 3  # closed courses left without a shadow assessment (the list is never empty)


def ensure_catalogue(user=None) -> dict[str, MunicipalOffer]:
    """The catalogue by name; offers missing are added (the removed one too, not yet removed)."""
    offers = {offer.name: offer for offer in db.session.scalars(select(MunicipalOffer))}
    for name, section, tariff, housing in (*CATALOGUE, REMOVED):
        if name not in offers:
            offers[name] = services.add_offer(name=name, law_section=section, yearly_tariff=tariff,
                                              is_housing=housing, user=user)
    return offers


def remove_old_offer(offers: dict[str, MunicipalOffer], user=None) -> None:
    services.remove_offer(offers[REMOVED[0]], user)


def set_disability_categories(rng: random.Random, citizens, share: float = 0.85) -> int:
    """A category on most citizens (statistics only; the reporting roles see it)."""
    made = 0
    for citizen in citizens:
        if citizen.disability_category is None and rng.random() < share:
            citizen.disability_category = rng.choice(DISABILITY_CATEGORIES)
            made += 1
    db.session.flush()
    return made


def _choices(rng: random.Random, offers: dict[str, MunicipalOffer], *, old: bool = False) -> list[services.Choice]:
    ordinary = [offers[name] for name, _s, _t, housing in CATALOGUE if not housing]
    housing = [offers[name] for name, _s, _t, is_housing in CATALOGUE if is_housing]
    first = offers[REMOVED[0]] if old else rng.choice(ordinary)
    choices = [services.Choice(1, first, rng.choice(PERCENTS))]
    if rng.random() < 0.3:
        second = rng.choice([o for o in ordinary if o is not first])
        choices.append(services.Choice(2, second, rng.choice(PERCENTS)))
    if rng.random() < 0.1:
        choices.append(services.Choice(3, rng.choice(housing), rng.choice((10, 20, 25))))
    return choices


def yearly_cost(choices) -> int:
    """Σ tariff × enrolment % of chosen lines, as ShadowLine.yearly_cost counts each line."""
    return sum(choice.offer.yearly_tariff * choice.percent // 100 for choice in choices)


def load(rng: random.Random) -> dict:
    if db.session.scalar(select(func.count()).select_from(CourseDocumentation)):
        return {}
    user = auth_services.find_user("medarbejder")
    offers = ensure_catalogue(user)
    citizens = list(db.session.scalars(select(Citizen).order_by(Citizen.id)))
    categorised = any(c.disability_category for c in citizens)
    categories = 0 if categorised else set_disability_categories(rng, citizens)
    closed = list(db.session.scalars(
        select(Course).where(Course.end_date.is_not(None)).order_by(Course.end_date, Course.id)))
    today = today_local()
    assessed = 0
    # The most recently closed are the ones still waiting for their shadow assessment.
    for n, course in enumerate(closed[:-WITHOUT_ASSESSMENT] if len(closed) > WITHOUT_ASSESSMENT else []):
        day = min(course.end_date + timedelta(days=rng.randint(0, 10)), today)
        doc = services.documentation_for(course, create=True)
        would = rng.random() < 0.6
        choices = _choices(rng, offers, old=n < 2) if would else []
        override = reason = None
        if would and n % 7 == 3:
            override = yearly_cost(choices) * 3 // 4 // 1000 * 1000
            reason = OVERRIDE_REASONS[n % len(OVERRIDE_REASONS)]
        services.save_shadow_assessment(
            doc, user, choices=choices, caseworker=rng.choice(CASEWORKERS), paying_municipality=MUNICIPALITY,
            acting_municipality=MUNICIPALITY, operating_municipality=MUNICIPALITY, tariff_override=override,
            tariff_override_reason=reason, day=day)
        received = _choices(rng, offers)[:1] if would and rng.random() < 0.3 else []
        services.save_received_after(doc, user, choices=received, day=day)
        if n % 4 == 1:
            doc.remarks = REMARKS[n % len(REMARKS)]
        assessed += 1
    remove_old_offer(offers, user)
    db.session.flush()
    return {"municipal offers": len(offers), "shadow assessments": assessed,
            "closed courses without one": len(closed) - assessed, "disability categories": categories}
