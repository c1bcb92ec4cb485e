"""The scales in use (shipped, or the municipality's licensed wording), the scoring thresholds
and the error every outcome rule raises."""

import logging

from flask import current_app, has_app_context
from sqlalchemy import select

from ..extensions import db
from ..timeutil import utcnow
from . import scales, scoring
from .models import ScaleWording
from .scales import SHIPPED_DEFINITIONS, ScaleDefinition, ScaleDefinitionError

log = logging.getLogger(__name__)

SCALE_CODES = ("ORS", "SRS", "GSRS")


class FitError(ValueError):
    """Input that cannot be recorded; the message is Danish and shown as is."""


def thresholds() -> scoring.Thresholds:
    """The scoring thresholds; `FIT_THRESHOLDS` in the app config overrides any of them."""
    overrides = current_app.config.get("FIT_THRESHOLDS") if has_app_context() else None
    return scoring.Thresholds(**overrides) if overrides else scoring.DEFAULT_THRESHOLDS


# --- scale definitions (shipped, or the municipality's licensed wording) ---------------------------


def active_definitions() -> dict[str, ScaleDefinition]:
    """Every scale as it is shown: the uploaded licensed wording where there is one (one query)."""
    definitions = dict(SHIPPED_DEFINITIONS)
    for row in db.session.scalars(select(ScaleWording)):
        try:
            definitions[row.code] = scales.definition_from_json(row.definition_json)
        except ScaleDefinitionError:  # validated on upload; a later format change must not break the page
            log.warning("Stored wording for %s no longer validates; using the shipped wording", row.code)
    return definitions


def active_definition(code: str) -> ScaleDefinition:
    return active_definitions()[code]


def wordings() -> dict[str, ScaleWording]:
    return {row.code: row for row in db.session.scalars(select(ScaleWording))}


def save_wording(raw: bytes, filename: str | None, user) -> ScaleDefinition:
    """Validate an uploaded JSON file (raises ScaleDefinitionError with every problem) and store it."""
    definition = scales.definition_from_json(raw)
    row = db.session.scalar(select(ScaleWording).where(ScaleWording.code == definition.code))
    if row is None:
        row = ScaleWording(code=definition.code)
        db.session.add(row)
    row.definition_json = scales.definition_to_json(definition)
    row.filename = (filename or "")[:200] or None
    row.uploaded_at = utcnow()
    row.uploaded_by_id = user.id
    db.session.flush()
    return definition


def reset_wording(code: str) -> bool:
    row = db.session.scalar(select(ScaleWording).where(ScaleWording.code == code))
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    return True
