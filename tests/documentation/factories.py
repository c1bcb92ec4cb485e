"""Factories for the offer catalogue and shadow assessments (committed rows)."""

from datetime import date

from webapp.documentation import services
from webapp.documentation.services import Choice
from webapp.extensions import db


def make_offer(name="Bostøtte", law_section="SEL § 85", yearly_tariff=120_000, is_housing=False, removed=False):
    offer = services.add_offer(name=name, law_section=law_section, yearly_tariff=yearly_tariff, is_housing=is_housing)
    if removed:
        services.remove_offer(offer)
    db.session.commit()
    return offer


def make_shadow_assessment(course, offer, percent=100, day=date(2026, 3, 1)):
    """A saved »uden Din Indgang« assessment for the course with one offer."""
    doc = services.documentation_for(course, create=True)
    services.save_shadow_assessment(doc, None, choices=[Choice(1, offer, percent)], day=day)
    db.session.commit()
    return doc
