"""Min Plan: every saved version, the follow-ups, unsaved drafts, and the printed documents."""

from flask import current_app
from sqlalchemy import select

from ...citizens.models import Course
from ...pdf import render_pdf
from ...plans import services as plan_services
from ...plans.models import Plan, PlanDraft, PlanFollowUp, PlanVersion
from ...timeutil import format_date, format_datetime, utcnow
from ..registry import Section, insight_section
from .common import rows


def _plan_items(data: dict, course: Course) -> dict:
    """One version of the plan as label → text, in the paper form's order."""
    result = {}
    for doc_section in plan_services.plan_document(data, course):
        prefix = f"{doc_section.title}: " if doc_section.title else ""
        for row in doc_section.filled_rows:
            label = prefix + row.label
            while label in result:  # follow-ups repeat their labels
                label += " "
            result[label] = row.value
    return result


def document_context(course: Course, plan: Plan) -> dict:
    """What templates/pdf/min_plan_borger.html and afslutning.html are printed from (like the plans
    feature's own print views)."""
    config = current_app.config
    return {
        "course": course,
        "citizen": course.citizen,
        "plan": plan,
        "sections": plan_services.plan_document(plan_services.snapshot(plan), course),
        "chart": plan_services.course_chart(course.id, width=640),
        "printed_at": utcnow(),
        "closed": course.end_date is not None,
        "unit_address": config["UNIT_ADDRESS"],
        "unit_phone": config["UNIT_PHONE"],
        "plan_updated_by": "",
        "format_date": format_date,
        "format_datetime": format_datetime,
    }


@insight_section("plans", "Min Plan", models=(Plan, PlanVersion, PlanFollowUp, PlanDraft), order=40)
def plans(citizen, *, documents: bool = False) -> Section:
    section = Section("Min Plan", "Hver gemt udgave af din plan, den nyeste først i hvert forløb.")
    statement = (select(Plan).join(Course, Course.id == Plan.course_id)
                 .where(Course.citizen_id == citizen.id).order_by(Course.start_date, Plan.id))
    for plan in rows(statement):
        course = plan.course
        versions = rows(select(PlanVersion).where(PlanVersion.plan_id == plan.id)
                        .order_by(PlanVersion.version.desc()))
        for version in versions:
            section.items.append({
                "Forløb startet": course.start_date,
                "Udgave": version.version,
                "Gemt": version.saved_at,
                **_plan_items(version.data or {}, course),
            })
        if not versions:  # a plan never saved as a version: as it is now
            section.items.append({"Forløb startet": course.start_date, "Udgave": "nuværende",
                                  **_plan_items(plan_services.snapshot(plan), course)})
        for draft in rows(select(PlanDraft).where(PlanDraft.plan_id == plan.id).order_by(PlanDraft.saved_at)):
            texts = {k: v for k, v in (draft.data or {}).items() if isinstance(v, str) and v.strip()}
            section.items.append({"Ikke gemt kladde": draft.section, "Skrevet": draft.saved_at, **texts})
        if documents:
            context = document_context(course, plan)
            stamp = course.start_date.isoformat()
            section.documents.append((f"min-plan-{stamp}-{course.id}.pdf",
                                      render_pdf("pdf/min_plan_borger.html", **context)))
            if course.end_date is not None:
                section.documents.append((f"afslutning-{stamp}-{course.id}.pdf",
                                          render_pdf("pdf/afslutning.html", **context)))
    return section
