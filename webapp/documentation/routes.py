"""The documentation form per course (Bilag 6): derived part, typed part, PDF.

Every view names the citizen in the audit log (viewed, changed, printed)."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import audit, versioning
from ..access import roles_required
from ..auth.roles import CPR_READERS, REPORTERS
from ..citizens.models import Course
from ..citizens.vocab import DISABILITY_CATEGORIES, STOP_REASONS
from ..database import writes_on_read
from ..extensions import db
from ..outcomes.coaching import format_hours
from ..pdf import pdf_response, render_pdf
from ..timeutil import today_local, utcnow
from . import bp, services
from .economics import kroner
from .form import bilag6
from .forms import DocumentationForm, form_values, line_fields
from .models import AFTER, SCENARIOS, SLOTS, WITHOUT, MunicipalOffer


def _removed_ids() -> set[int]:
    return set(db.session.scalars(select(MunicipalOffer.id).where(MunicipalOffer.removed_at.is_not(None))))


def _form(doc, formdata=None, data=None) -> DocumentationForm:
    form = DocumentationForm(formdata=formdata, data=data) if formdata is None else DocumentationForm(formdata=formdata)
    form.setup(doc, services.active_offers(), _removed_ids())
    return form


def _page(course: Course, form: DocumentationForm, state, status: int = 200, error: str | None = None):
    data = bilag6(course, today_local())
    doc = data.documentation
    return render_template(
        "documentation/course_form.html",
        b=data, course=course, citizen=course.citizen, form=form, state=state, error=error,
        computed={scenario: services.computed_tariff(doc, scenario) if doc else 0 for scenario in SCENARIOS},
        yearly_cost_without=services.yearly_cost_without(doc) if doc else 0,
        line_fields=line_fields, scenarios=SCENARIOS, slots=SLOTS, WITHOUT=WITHOUT, AFTER=AFTER,
        stop_reasons=STOP_REASONS, kroner=kroner, hours=format_hours,
    ), status


def _choices(form: DocumentationForm, scenario: str) -> list[services.Choice] | None:
    lines = form.lines(scenario)
    if lines is None:
        return None
    return [services.Choice(slot, db.session.get(MunicipalOffer, offer_id), percent)
            for slot, offer_id, percent in lines]


@bp.route("/forloeb/<db_id:course_id>/dokumentation", methods=["GET", "POST"])
@roles_required(REPORTERS)
@writes_on_read
def course_form(course_id: int):
    course = db.get_or_404(Course, course_id)
    citizen = course.citizen
    if request.method == "GET":
        doc = services.documentation_for(course)
        saved_now = form_values(doc, citizen.disability_category)
        audit.record("documentation_viewed", "course", course.id, citizen_id=citizen.id)
        db.session.commit()
        return _page(course, _form(doc, data=saved_now), versioning.opened(doc, saved_now))

    versioning.lock(course)  # two first saves never both create the course's documentation
    doc = services.documentation_for(course)
    if doc is not None:
        versioning.lock(doc)
    saved_now = form_values(doc, citizen.disability_category)
    form = _form(doc, request.form)
    if not form.validate(assessed=bool(doc and doc.shadow_assessed_on),
                         after_recorded=bool(doc and doc.after_recorded_on)):
        audit.record("documentation_viewed", "course", course.id, citizen_id=citizen.id, details="ikke gemt: fejl i skemaet")
        db.session.commit()
        return _page(course, form, versioning.carried(request.form, doc, saved_now), 422)
    doc = doc or services.documentation_for(course, create=True)
    state = versioning.check(doc, form, saved_now, request.form, current_user)
    if not state.ok:
        # Nothing is saved; the page shows the other saved values beside what this person typed.
        audit.record("documentation_viewed", "course", course.id, citizen_id=citizen.id,
                     details="ikke gemt: en anden havde gemt imens")
        db.session.commit()
        return _page(course, form, state, state.status)
    try:
        services.save_course_form(
            doc, citizen, current_user,
            without=_choices(form, WITHOUT), after=_choices(form, AFTER),
            caseworker=form.caseworker.data, paying_municipality=form.paying_municipality.data,
            acting_municipality=form.acting_municipality.data, operating_municipality=form.operating_municipality.data,
            tariff_override=form.tariff_override.data, tariff_override_reason=form.tariff_override_reason.data,
            remarks=form.remarks.data,
            disability_category=form.disability_category.data, day=today_local(),
        )
    except services.DocumentationError as error:
        db.session.rollback()
        course = db.get_or_404(Course, course_id)
        if error.field and error.field in form:
            form[error.field].errors.append(str(error))
        doc = services.documentation_for(course)
        saved_now = form_values(doc, course.citizen.disability_category)
        audit.record("documentation_viewed", "course", course.id, citizen_id=course.citizen_id,
                     details="ikke gemt: fejl i skemaet")
        db.session.commit()
        return _page(course, form, versioning.carried(request.form, doc, saved_now), 422,
                     error=None if error.field and error.field in form else str(error))
    audit.record("documentation_changed", "course", course.id, citizen_id=citizen.id)
    db.session.commit()
    flash("Dokumentationsskemaet er gemt." + (" " + versioning.MSG_TAKEN if state.taken else ""), "success")
    return redirect(url_for("documentation.course_form", course_id=course.id))


@bp.get("/forloeb/<db_id:course_id>/dokumentation.pdf")
@roles_required(REPORTERS)
@writes_on_read
def course_pdf(course_id: int):
    course = db.get_or_404(Course, course_id)
    data = bilag6(course, today_local())
    doc = data.documentation
    citizen = course.citizen
    full_cpr = current_user.has_any_role(CPR_READERS) and citizen.cpr
    pdf = render_pdf(
        "pdf/bilag6.html",
        title="Dokumentationsskema (Bilag 6)",
        header=f"Dokumentationsskema · {citizen.full_name}",
        printed_at=utcnow(),
        b=data, doc=doc,
        cpr=f"{citizen.cpr[:6]}-{citizen.cpr[6:]}" if full_cpr else citizen.cpr_masked,
        computed={scenario: services.computed_tariff(doc, scenario) if doc else 0 for scenario in SCENARIOS},
        yearly_cost_without=services.yearly_cost_without(doc) if doc else 0,
        scenarios=SCENARIOS, slots=SLOTS, WITHOUT=WITHOUT, AFTER=AFTER, stop_reasons=STOP_REASONS,
        categories=DISABILITY_CATEGORIES, kroner=kroner, hours=format_hours,
    )
    audit.record("documentation_printed", "course", course.id, citizen_id=citizen.id,
                 details="fuldt cpr.nr." if full_cpr else None)
    db.session.commit()
    return pdf_response(pdf, f"dokumentationsskema-{course.id}.pdf")
