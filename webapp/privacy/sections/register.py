"""The entry slip, relatives, the welcome table's contacts, guide conversations, courses and meetings."""

from sqlalchemy import select

from ...citizens import vocab as cv
from ...citizens.models import Citizen, Course, GuideConversation, Meeting, Relative
from ...welcome import vocab as wv
from ...welcome.models import Contact
from ..registry import Section, coded, insight_section
from .common import rows


def _cpr(digits: str | None) -> str | None:
    return f"{digits[:6]}-{digits[6:]}" if digits and len(digits) == 10 else digits


@insight_section("entry_slip", "Indskrivning og kontaktoplysninger", models=(Citizen, Relative), order=10)
def entry_slip(citizen: Citizen, **_) -> Section:
    items = [{
        "Fornavn": citizen.first_name,
        "Efternavn": citizen.last_name,
        "CPR-nummer": _cpr(citizen.cpr),
        "Fødselsdato": citizen.birth_date,
        "Adresse": citizen.address,
        "Telefon": citizen.phone,
        "E-mail": citizen.email,
        "Ønsker at blive kontaktet via": coded(citizen.contact_preference, cv.CONTACT_PREFERENCES),
        "Samtykke til at blive kontaktet": citizen.contact_consent,
        "Samtykket givet": citizen.contact_consent_at,
        "Påmindelser om aftaler slået fra": citizen.reminders_off,
        "Tager en person med": citizen.bring_person,
        "Næste aftale": citizen.next_meeting_at,
        "Funktionsnedsættelse (kategori til statistik)": citizen.disability_category,
        "Oprettet": citizen.created_at,
        "Sidst ændret": citizen.updated_at,
        "Behandling begrænset": citizen.restricted_at,
    }]
    for relative in rows(select(Relative).where(Relative.citizen_id == citizen.id).order_by(Relative.id)):
        items.append({"Pårørende": relative.name, "Relation": relative.relation, "Telefon": relative.phone})
    return Section("Indskrivning og kontaktoplysninger",
                   "Det, vi skrev ned, da du blev skrevet ind, og hvordan vi må kontakte dig.", items)


@insight_section("contacts", "Henvendelser i receptionen", models=(Contact,), order=20)
def contacts(citizen: Citizen, **_) -> Section:
    items = []
    statement = select(Contact).where(Contact.citizen_id == citizen.id).order_by(Contact.occurred_at)
    for contact in rows(statement):
        items.append({
            "Tidspunkt": contact.occurred_at,
            "Form": coded(contact.kind, wv.KINDS),
            "Kanal": coded(contact.channel, wv.CHANNELS),
            "Fra": coded(contact.from_type, wv.FROM_TYPES),
            "Samarbejdspartner": coded(contact.partner, wv.PARTNERS),
            "Emner": ", ".join(contact.topic_labels) or None,
            "Udfald": coded(contact.outcome, wv.OUTCOMES),
            "Varighed (minutter)": contact.duration_minutes,
            "Notat": contact.note,
            "Slettet": contact.deleted_at,
        })
    return Section("Henvendelser i receptionen",
                   "Når du eller nogen på dine vegne har henvendt sig til Din Indgang.", items)


@insight_section("guide", "Guidesamtaler", models=(GuideConversation,), order=30)
def guide(citizen: Citizen, **_) -> Section:
    statement = (select(GuideConversation).where(GuideConversation.citizen_id == citizen.id)
                 .order_by(GuideConversation.scheduled_at))
    items = [{
        "Tidspunkt": g.scheduled_at,
        "Status": coded(g.status, cv.GUIDE_STATUSES),
        "Varighed (minutter)": g.duration_minutes,
        "Andre til stede": g.others_present,
        "Resultat": coded(g.outcome, cv.GUIDE_OUTCOMES),
        "Begrundelse for direkte til myndighedsafdelingen": g.direct_authority_reason,
    } for g in rows(statement)]
    return Section("Guidesamtaler", "Dine første samtaler med en guide.", items)


@insight_section("courses", "Forløb og møder", models=(Course, Meeting), order=35)
def courses(citizen: Citizen, **_) -> Section:
    items = []
    for course in rows(select(Course).where(Course.citizen_id == citizen.id).order_by(Course.start_date)):
        items.append({
            "Forløb startet": course.start_date,
            "Forløb afsluttet": course.end_date,
            "Genindskrivning": course.is_return,
            "Afklaring": course.assessment_date,
            "Grund til afslutning": coded(course.stop_reason, cv.STOP_REASONS),
            "Grund til afslutning (tekst)": course.stop_reason_text,
            "Næste skridt": coded(course.next_step, cv.NEXT_STEPS),
            "Målopfyldelse": coded(course.goal_attainment, cv.GOAL_ATTAINMENT),
        })
    statement = select(Meeting).where(Meeting.citizen_id == citizen.id).order_by(Meeting.starts_at)
    for meeting in rows(statement):
        items.append({
            "Møde": coded(meeting.kind, cv.MEETING_KINDS),
            "Tidspunkt": meeting.starts_at,
            "Varighed (minutter)": meeting.duration_minutes,
            "Status": coded(meeting.status, cv.MEETING_STATUSES),
            "Pårørende med": meeting.relative.name if meeting.relative_id and meeting.relative else None,
        })
    return Section("Forløb og møder",
                   "Dine forløb hos Din Indgang og møderne i dem, også coaching og opfølgning.", items)
