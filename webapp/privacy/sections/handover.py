"""Consents, handovers to the authority, direct-to-authority proposals and Friday-meeting decisions."""

from sqlalchemy import select

from ...handover.models import (
    AGREEMENTS_FIELD,
    CONSENT_BASES,
    COURSE_FIELDS,
    DIRECT_DECISIONS,
    FUNCTIONAL_THEMES,
    HANDOVER_STATUSES,
    TEXT_FIELDS,
    Consent,
    DirectAuthorityProposal,
    Handover,
)
from ...meeting.models import MeetingDecision
from ...pdf import render_pdf
from ...timeutil import utcnow
from ..registry import Section, coded, insight_section
from .common import rows


@insight_section("consents", "Samtykker", models=(Consent,), order=60)
def consents(citizen, **_) -> Section:
    statement = select(Consent).where(Consent.citizen_id == citizen.id).order_by(Consent.given_on)
    items = [{
        "Grundlag": coded(c.basis, CONSENT_BASES),
        "Lovhjemmel": c.legal_basis,
        "Formål": c.purpose,
        "Modtager": c.recipient_name or c.recipient_code,
        "Givet": c.given_on,
        "Udløber": c.expires_on,
        "Trukket tilbage": c.withdrawn_at,
    } for c in rows(statement)]
    return Section("Samtykker", "Hvad du har givet samtykke til, at vi må videregive, og til hvem.", items)


@insight_section("handovers", "Overdragelser til myndighedsafdelingen", models=(Handover,), order=65)
def handovers(citizen, *, documents: bool = False) -> Section:
    section = Section("Overdragelser til myndighedsafdelingen",
                      "Det, vi skrev til myndighedsafdelingen, da dit forløb blev overdraget.")
    for handover in rows(select(Handover).where(Handover.citizen_id == citizen.id).order_by(Handover.created_at)):
        item = {"Oprettet": handover.created_at, "Status": coded(handover.status, HANDOVER_STATUSES),
                "Sendt": handover.sent_at, "Modtaget": handover.received_at}
        for name, label in TEXT_FIELDS.items():
            item[label] = getattr(handover, name, None)
        section.items.append(item)
        if documents:
            section.documents.append((f"overdragelse-{handover.id}.pdf", render_pdf(
                "pdf/handover.html",
                title="Overdragelsesskema til myndighedsafdelingen",
                header=f"Overdragelse til myndighedsafdelingen · {citizen.full_name}",
                printed_at=utcnow(), handover=handover, course_fields=COURSE_FIELDS,
                functional_themes=FUNCTIONAL_THEMES, agreements_field=AGREEMENTS_FIELD,
                statuses=HANDOVER_STATUSES,
            )))
    return section


@insight_section("direct", "Direkte til myndighedsafdelingen", models=(DirectAuthorityProposal,), order=70)
def direct(citizen, **_) -> Section:
    statement = (select(DirectAuthorityProposal).where(DirectAuthorityProposal.citizen_id == citizen.id)
                 .order_by(DirectAuthorityProposal.proposed_at))
    items = [{
        "Foreslået": p.proposed_at,
        "Begrundelse": p.reason,
        "Afgørelse": coded(p.decision, DIRECT_DECISIONS),
        "Bemærkning til afgørelsen": p.decision_note,
        "Afgjort": p.decided_on,
    } for p in rows(statement)]
    return Section("Direkte til myndighedsafdelingen",
                   "Forslag om, at du skulle gå direkte til myndighedsafdelingen, og hvad der blev besluttet.",
                   items)


@insight_section("friday", "Beslutninger på fredagsmødet", models=(MeetingDecision,), order=75)
def friday(citizen, **_) -> Section:
    statement = (select(MeetingDecision).where(MeetingDecision.citizen_id == citizen.id)
                 .order_by(MeetingDecision.meeting_date))
    items = [{
        "Mødedato": d.meeting_date,
        "Punkt": d.item_label,
        "Beslutning": d.text,
        "Frist": d.deadline,
        "Udført": d.done_at,
    } for d in rows(statement)]
    return Section("Beslutninger på fredagsmødet", "Det, personalet besluttede om dig på fredagsmøderne.", items)
