"""Bilag 6: the documentation for the municipality's economic follow-up, and its printed form."""

from sqlalchemy import select

from ...citizens.models import Course
from ...citizens.vocab import DISABILITY_CATEGORIES, STOP_REASONS
from ...documentation import services as doc_services
from ...documentation.economics import kroner
from ...documentation.form import bilag6
from ...documentation.models import AFTER, SCENARIOS, SLOTS, WITHOUT, CourseDocumentation, ShadowLine
from ...outcomes.coaching import format_hours
from ...pdf import render_pdf
from ...timeutil import today_local, utcnow
from ..registry import Section, coded, insight_section
from .common import rows


@insight_section("bilag6", "Dokumentation til kommunens økonomiopfølgning (Bilag 6)",
                 models=(CourseDocumentation, ShadowLine), order=90)
def documentation(citizen, *, documents: bool = False) -> Section:
    section = Section("Dokumentation til kommunens økonomiopfølgning (Bilag 6)",
                      "Skemaet, kommunen bruger til at følge økonomien i forløbene: hvilke tilbud du ville have "
                      "haft brug for uden Din Indgang, og hvad du fik efter forløbet.")
    statement = (select(CourseDocumentation).join(Course, Course.id == CourseDocumentation.course_id)
                 .where(Course.citizen_id == citizen.id).order_by(Course.start_date))
    for doc in rows(statement):
        section.items.append({
            "Forløb startet": doc.course.start_date,
            "Sagsbehandler": doc.caseworker,
            "Betalingskommune": doc.paying_municipality,
            "Handlekommune": doc.acting_municipality,
            "Driftskommune": doc.operating_municipality,
            "Vurderet": doc.shadow_assessed_on,
            "Registreret efter forløbet": doc.after_recorded_on,
            "Deltog i frivillige aktiviteter": doc.volunteer_activities,
            "Bemærkninger": doc.remarks,
            "Udfyldt": doc.filled_on,
        })
        for line in sorted(doc.lines, key=lambda x: (x.scenario, x.slot, x.id)):
            section.items.append({
                "Scenarie": coded(line.scenario, SCENARIOS),
                "Tilbud": line.offer_name,
                "Lovgrundlag": line.law_section,
                "Andel (procent)": line.percent,
            })
        if documents:
            section.documents.append((f"dokumentationsskema-{doc.course.start_date.isoformat()}-{doc.course_id}.pdf",
                                      _bilag6_pdf(doc.course)))
    return section


def _bilag6_pdf(course: Course) -> bytes:
    """Printed like the documentation feature's own print view, with the CPR number in full."""
    data = bilag6(course, today_local())
    doc = data.documentation
    citizen = course.citizen
    return render_pdf(
        "pdf/bilag6.html",
        title="Dokumentationsskema (Bilag 6)",
        header=f"Dokumentationsskema · {citizen.full_name}",
        printed_at=utcnow(),
        b=data, doc=doc,
        cpr=f"{citizen.cpr[:6]}-{citizen.cpr[6:]}" if citizen.cpr else "",
        computed={scenario: doc_services.computed_tariff(doc, scenario) if doc else 0 for scenario in SCENARIOS},
        yearly_cost_without=doc_services.yearly_cost_without(doc) if doc else 0,
        scenarios=SCENARIOS, slots=SLOTS, WITHOUT=WITHOUT, AFTER=AFTER, stop_reasons=STOP_REASONS,
        categories=DISABILITY_CATEGORIES, kroner=kroner, hours=format_hours,
    )
