"""Outreach requests: recorded from a partner's call, assigned, visited, closed; the partner
hears the outcome only with the citizen's consent."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit, versioning
from ..access import roles_required
from ..auth.models import User
from ..auth.roles import SKP, STAFF_LIKE
from ..auth.services import staff_choices
from ..citizens.models import Citizen
from ..citizens.services import find_citizens, masked_search_terms
from ..database import writes_on_read
from ..extensions import db
from ..forms import ActionForm, options
from ..handover.consents import ConsentMissing, valid_consent
from ..timeutil import today_local
from ..urls import parse_id
from ..welcome.vocab import PARTNERS
from . import bp, services
from .forms import AssignForm, CloseForm, RequestForm, VisitForm
from .models import OutreachRequest
from .rules import OUTCOMES, STATES, allowed_transitions


def outreach_staff_choices() -> list[tuple[str, str]]:
    """Active staff, SKP workers first (they usually take outreach)."""
    return staff_choices(
        blank="Vælg …", first_roles={SKP}, label=lambda u: u.full_name + (" (SKP)" if u.has_any_role({SKP}) else "")
    )


@bp.get("")
@roles_required(STAFF_LIKE)
@writes_on_read
def request_list():
    today = today_local()
    open_rows = services.open_requests(today)
    overdue = {r.id: services.overdue_since(r, today) for r in open_rows}
    open_rows.sort(key=lambda r: (overdue[r.id] is None, r.received_on, r.id))
    closed = services.recently_closed()
    audit.record_many("outreach_listed", [r.citizen_id for r in open_rows + closed], "outreach_request")
    db.session.commit()
    return render_template(
        "outreach/list.html",
        open_requests=open_rows,
        overdue=overdue,
        closed=closed,
        today=today,
        due_by={r.id: services.action_due_by(r, today) for r in open_rows},
        partners=PARTNERS,
    )


def _new_page(form: RequestForm, citizen: Citizen | None, status: int = 200):
    return render_template("outreach/new.html", form=form, citizen=citizen), status


@bp.route("/ny", methods=["GET", "POST"])
@roles_required(STAFF_LIKE)
@writes_on_read
def request_new():
    citizen_arg = request.values.get("borger") or request.form.get("citizen_id") or ""
    citizen = db.session.get(Citizen, citizen_id) if (citizen_id := parse_id(citizen_arg)) else None
    if request.method == "GET":
        form = RequestForm(formdata=None, received_on=today_local(), citizen_id=citizen.id if citizen else "")
        if citizen is not None:  # the form names the citizen: a view of their data
            audit.record("outreach_form_viewed", "citizen", citizen.id)
            db.session.commit()
        return _new_page(form, citizen)
    form = RequestForm()
    if not form.validate():
        return _new_page(form, citizen, 422)
    data = services.NewRequest(
        partner_code=form.partner_code.data,
        contact_person=form.contact_person.data,
        reason=form.reason.data,
        received_on=form.received_on.data,
        urgency=form.urgency.data,
        partner_name=form.partner_name.data,
        contact_phone=form.contact_phone.data,
        partner_reference=form.partner_reference.data,
        citizen_id=citizen.id if citizen else None,
        citizen_first_name=form.citizen_first_name.data,
    )
    try:
        outreach_request = services.create_request(data, current_user, today_local())
    except services.OutreachError as error:
        db.session.rollback()
        for name, message in error.errors.items():
            if name in form:
                form[name].errors = [*form[name].errors, message]
        return _new_page(form, citizen, 422)
    audit.record("outreach_recorded", "outreach_request", outreach_request.id, citizen_id=outreach_request.citizen_id,
                 details=f"fra {outreach_request.partner_code}")
    db.session.commit()
    flash("Anmodningen er registreret. Tildel den til en medarbejder.", "success")
    return redirect(url_for("outreach.request_show", request_id=outreach_request.id))


def _request_or_404(request_id: int) -> OutreachRequest:
    return db.get_or_404(OutreachRequest, request_id)


def _show_page(outreach_request: OutreachRequest, status: int = 200, **forms):
    today = today_local()
    assign_form = forms.get("assign_form") or AssignForm(
        formdata=None, staff_id=outreach_request.assigned_to_id
    )
    assign_form.staff_id.choices = options(outreach_staff_choices())
    assign_state = forms.get("assign_state") or versioning.opened(outreach_request, _assign_values(outreach_request))
    query = request.form.get("q", "") if request.endpoint == "outreach.request_search" else ""
    found = find_citizens(query) if query else []
    consent = (
        valid_consent(outreach_request.citizen_id, outreach_request.partner_code, today)
        if outreach_request.citizen_id else None
    )
    return render_template(
        "outreach/show.html",
        req=outreach_request,
        today=today,
        overdue_since=services.overdue_since(outreach_request, today),
        due_by=services.action_due_by(outreach_request, today),
        # A restricted citizen's request can be read, not moved on (GDPR art. 18).
        allowed=() if outreach_request.citizen and outreach_request.citizen.read_only
        else allowed_transitions(outreach_request.state),
        assign_form=assign_form,
        assign_state=assign_state,
        visit_form=forms.get("visit_form") or VisitForm(formdata=None, visit_date=today),
        close_form=forms.get("close_form") or CloseForm(formdata=None),
        link_error=forms.get("link_error"),
        action_form=ActionForm(formdata=None),
        found=found,
        query=query,
        consent=consent,
        inform_error=forms.get("inform_error"),
        flow_error=forms.get("flow_error"),
        states=STATES,
        outcomes=OUTCOMES,
        partner=services.partner_label(outreach_request),
    ), status


@bp.get("/<db_id:request_id>")
@roles_required(STAFF_LIKE)
@writes_on_read
def request_show(request_id: int):
    outreach_request = _request_or_404(request_id)
    audit.record("outreach_viewed", "outreach_request", outreach_request.id, citizen_id=outreach_request.citizen_id)
    db.session.commit()
    return _show_page(outreach_request)


@bp.post("/<db_id:request_id>/soeg")
@roles_required(STAFF_LIKE)
def request_search(request_id: int):
    """Find the citizen to link (a POST, so that whatever is typed – a CPR number too – stays out of URLs)."""
    outreach_request = _request_or_404(request_id)
    query = request.form.get("q", "")
    if query.strip():  # the page lists the citizens found for linking
        audit.record_many("citizen_search", [c.id for c in find_citizens(query)], "citizen_search",
                          details=masked_search_terms(query))
        db.session.commit()
    return _show_page(outreach_request)


def _assign_values(outreach_request: OutreachRequest) -> dict:
    """Who the request is assigned to now, in AssignForm's field (what the version check compares)."""
    return {"staff_id": outreach_request.assigned_to_id}


@bp.post("/<db_id:request_id>/tildel")
@roles_required(STAFF_LIKE)
def request_assign(request_id: int):
    outreach_request = versioning.lock(_request_or_404(request_id))
    saved_now = _assign_values(outreach_request)
    form = AssignForm()
    form.staff_id.choices = options(outreach_staff_choices())
    if not form.validate():
        return _show_page(outreach_request, 422, assign_form=form,
                          assign_state=versioning.carried(request.form, outreach_request, saved_now))
    state = versioning.check(outreach_request, form, saved_now, request.form, current_user)
    if not state.ok:
        # Someone gave it to a colleague meanwhile: nothing is saved, both choices are shown.
        audit.record("outreach_viewed", "outreach_request", outreach_request.id, citizen_id=outreach_request.citizen_id,
                     details="ikke tildelt: en anden havde tildelt imens")
        db.session.commit()
        return _show_page(outreach_request, state.status, assign_form=form, assign_state=state)
    staff = db.session.get(User, form.staff_id.data)
    try:
        services.assign(outreach_request, staff, today_local(), saved_by=current_user)
    except services.OutreachError as error:
        db.session.rollback()
        return _show_page(_request_or_404(request_id), 422, assign_form=form, flow_error=str(error))
    audit.record("outreach_assigned", "outreach_request", outreach_request.id, citizen_id=outreach_request.citizen_id, details=f"til bruger {staff.id}")
    db.session.commit()
    flash(f"Anmodningen er tildelt {staff.full_name}.", "success")
    return redirect(url_for("outreach.request_show", request_id=request_id))


@bp.post("/<db_id:request_id>/besoeg")
@roles_required(STAFF_LIKE)
def request_visit(request_id: int):
    outreach_request = _request_or_404(request_id)
    form = VisitForm()
    if not form.validate():
        return _show_page(outreach_request, 422, visit_form=form)
    try:
        visit = services.add_visit(
            outreach_request, form.visit_date.data, form.duration_minutes.data, form.what_happened.data,
            current_user, today_local(),
        )
    except services.OutreachError as error:
        db.session.rollback()
        outreach_request = _request_or_404(request_id)
        for name, message in error.errors.items():
            form[name].errors = [*form[name].errors, message]
        return _show_page(outreach_request, 422, visit_form=form, flow_error=None if error.errors else str(error))
    audit.record("outreach_visit_recorded", "outreach_request", outreach_request.id, citizen_id=outreach_request.citizen_id, details=f"besøg {visit.id}")
    db.session.commit()
    flash("Besøget er registreret.", "success")
    return redirect(url_for("outreach.request_show", request_id=request_id))


@bp.post("/<db_id:request_id>/afslut")
@roles_required(STAFF_LIKE)
def request_close(request_id: int):
    outreach_request = _request_or_404(request_id)
    form = CloseForm()
    if not form.validate():
        return _show_page(outreach_request, 422, close_form=form)
    try:
        services.close(outreach_request, form.outcome.data, form.closing_note.data, current_user, today_local())
    except services.OutreachError as error:
        db.session.rollback()
        return _show_page(_request_or_404(request_id), 422, close_form=form, flow_error=str(error))
    audit.record("outreach_closed", "outreach_request", outreach_request.id, citizen_id=outreach_request.citizen_id, details=outreach_request.outcome)
    db.session.commit()
    flash(f"Anmodningen er afsluttet: {outreach_request.outcome_label}.", "success")
    return redirect(url_for("outreach.request_show", request_id=request_id))


@bp.post("/<db_id:request_id>/borger")
@roles_required(STAFF_LIKE)
def request_link(request_id: int):
    outreach_request = _request_or_404(request_id)
    if not ActionForm().validate():
        abort(400)
    raw = request.form.get("citizen_id", "")
    citizen = db.session.get(Citizen, citizen_id) if (citizen_id := parse_id(raw)) else None
    if citizen is None:
        return _show_page(outreach_request, 422, link_error="Vælg en af de fundne borgere.")
    try:
        services.link_citizen(versioning.lock(outreach_request), citizen, saved_by=current_user)
    except services.OutreachError as error:
        db.session.rollback()
        return _show_page(_request_or_404(request_id), 409, flow_error=str(error))
    audit.record("outreach_linked", "outreach_request", outreach_request.id, citizen_id=outreach_request.citizen_id, details=f"borger {citizen.id}")
    db.session.commit()
    flash(f"Anmodningen er koblet til {citizen.discreet_name}.", "success")
    return redirect(url_for("outreach.request_show", request_id=request_id))


def _recipient(outreach_request: OutreachRequest) -> str:
    """The partner as the audit log names it: organisation and contact person, never the note."""
    label = PARTNERS.get(outreach_request.partner_code, outreach_request.partner_code).lower()
    return f"{label} ({outreach_request.partner_name})" if outreach_request.partner_name else label


@bp.post("/<db_id:request_id>/besked")
@roles_required(STAFF_LIKE)
def request_inform(request_id: int):
    outreach_request = _request_or_404(request_id)
    if not ActionForm().validate():
        abort(400)
    try:
        consent = services.inform_partner(outreach_request, current_user, today_local())
    except (services.OutreachError, ConsentMissing) as error:
        db.session.rollback()
        outreach_request = _request_or_404(request_id)
        where = "inform_error" if outreach_request.is_closed else "flow_error"
        return _show_page(outreach_request, 422, **{where: str(error)})
    audit.record(
        "outreach_outcome_disclosed", "outreach_request", outreach_request.id, citizen_id=outreach_request.citizen_id,
        details=f"til {_recipient(outreach_request)}, samtykke {consent.id}",
    )
    db.session.commit()
    flash(f"Det er registreret, at {services.partner_label(outreach_request)} har fået besked om udfaldet.", "success")
    return redirect(url_for("outreach.request_show", request_id=request_id))
