"""Bridge-building to volunteer offers: requests, matches and their steps."""

from sqlalchemy import select

from ...volunteers import matching
from ...volunteers.bridge_models import VolunteerMatch, VolunteerMatchStep, VolunteerRequest
from ...volunteers.vocab import weekday_labels
from ..registry import Section, coded, insight_section
from .common import rows


@insight_section("volunteers", "Frivillige tilbud", models=(VolunteerRequest, VolunteerMatch, VolunteerMatchStep),
                 order=85)
def volunteers(citizen, **_) -> Section:
    items = []
    statement = (select(VolunteerRequest).where(VolunteerRequest.citizen_id == citizen.id)
                 .order_by(VolunteerRequest.created_at))
    for req in rows(statement):
        items.append({
            "Efterlysning oprettet": req.created_at,
            "Oprettet fra": coded(req.origin, matching.REQUEST_ORIGINS),
            "Ønsker": req.wishes,
            "Hensyn": req.considerations,
            "Temaer": req.themes,
            "Ugedage": weekday_labels(req.weekdays),
            "Status": coded(req.status, matching.REQUEST_STATES),
            "Lukket": req.closed_at,
            "Grund til lukning": req.close_reason,
        })
    statement = select(VolunteerMatch).where(VolunteerMatch.citizen_id == citizen.id).order_by(
        VolunteerMatch.created_at)
    for match in rows(statement):
        items.append({
            "Match oprettet": match.created_at,
            "Frivilligt tilbud": match.activity.title,
            "Status": coded(match.state, matching.MATCH_STATES),
        })
        for step in sorted(match.steps, key=lambda s: (s.day, s.id)):
            items.append({"Skridt": coded(step.state, matching.MATCH_STATES), "Dato": step.day,
                          "Bemærkning": step.comment})
    return Section("Frivillige tilbud", "Når vi har hjulpet dig videre til et frivilligt tilbud.", items)
