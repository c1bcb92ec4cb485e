"""Outreach: requests from partners for a visit, and the visits."""

from sqlalchemy import select

from ...outreach import rules
from ...outreach.models import URGENCIES, OutreachRequest, OutreachVisit
from ...welcome.vocab import PARTNERS
from ..registry import Section, coded, insight_section
from .common import rows


@insight_section("outreach", "Udekørende funktion", models=(OutreachRequest, OutreachVisit), order=80)
def outreach(citizen, **_) -> Section:
    items = []
    statement = (select(OutreachRequest).where(OutreachRequest.citizen_id == citizen.id)
                 .order_by(OutreachRequest.received_on))
    for req in rows(statement):
        items.append({
            "Anmodning modtaget": req.received_on,
            "Fra": coded(req.partner_code, PARTNERS),
            "Samarbejdspartner": req.partner_name,
            "Kontaktperson": req.contact_person,
            "Grund": req.reason,
            "Hastegrad": coded(req.urgency, URGENCIES),
            "Status": coded(req.state, rules.STATES),
            "Resultat": coded(req.outcome, rules.OUTCOMES),
            "Afsluttende bemærkning": req.closing_note,
            "Afsluttet": req.closed_on,
            "Samarbejdspartneren orienteret": req.partner_informed_at,
        })
        for visit in sorted(req.visits, key=lambda v: v.visit_date):
            items.append({"Besøg": visit.visit_date, "Varighed (minutter)": visit.duration_minutes,
                          "Hvad skete der": visit.what_happened})
    return Section("Udekørende funktion", "Når en samarbejdspartner bad os besøge dig, og vores besøg.", items)
