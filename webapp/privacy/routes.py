"""The leader's data-protection page and the requests for insight (#13 item 1).

Thin views: parse → form → service (webapp/privacy/requests.py, insight.py) → one commit → render.
Every page that names a citizen writes an audit row naming them; the insight downloads are audited
as a print and an export and are never cached."""

from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from .. import audit
from ..access import roles_required
from ..auth.roles import LEADER
from ..citizens.cpr import contains_cpr
from ..citizens.hooks import citizen_section
from ..citizens.models import Citizen
from ..citizens.services import find_citizens, masked_search_terms
from ..database import writes_on_read
from ..extensions import db
from ..pdf import pdf_response
from ..permissions import may
from ..timeutil import format_date, today_local
from . import bp, insight
from . import requests as services
from .deadlines import days_left, deadline
from .decision_forms import decision_context
from .forms import DeliveryForm, RequestForm
from .models import ERASURE, INSIGHT, RESTRICTION, PrivacyRequest


@bp.get("/databeskyttelse")
@roles_required({LEADER})
@writes_on_read
def index():
    today = today_local()
    open_rows = services.open_requests(today)
    closed_rows = services.recently_closed(today)
    audit.record_many("privacy_requests_listed", [row.request.citizen_id for row in open_rows + closed_rows],
                      "privacy_request_list")
    db.session.commit()
    return render_template("privacy/index.html", open_rows=open_rows, closed_rows=closed_rows, today=today)


@bp.get("/databeskyttelse/ny-anmodning")
@roles_required({LEADER})
@writes_on_read
def find_citizen():
    """Pick the citizen by name, phone or birth date (never by CPR number in a URL)."""
    query = request.args.get("q", "").strip()
    cpr_in_url = contains_cpr(query)
    found = [] if cpr_in_url or not query else find_citizens(query, include_restricted=True)
    if query and not cpr_in_url:
        audit.record_many("citizen_search", [c.id for c in found], "citizen_search",
                          details=masked_search_terms(query))
        db.session.commit()
    return render_template("privacy/find.html", query="" if cpr_in_url else query, found=found,
                           cpr_in_url=cpr_in_url)


def _citizen_or_404(citizen_id: int) -> Citizen:
    return db.get_or_404(Citizen, citizen_id)


def _new_page(citizen: Citizen, form: RequestForm, status: int = 200, problem: str | None = None):
    return render_template("privacy/new.html", citizen=citizen, form=form, problem=problem), status


@bp.route("/databeskyttelse/borgere/<db_id:citizen_id>/ny-anmodning", methods=["GET", "POST"])
@roles_required({LEADER})
@writes_on_read
def new_request(citizen_id: int):
    citizen = _citizen_or_404(citizen_id)
    if request.method == "GET":
        kind = request.args.get("art")
        form = RequestForm(formdata=None, received_on=today_local(),
                           kind=kind if kind in (INSIGHT, ERASURE, RESTRICTION) else "")
        audit.record("privacy_request_form_viewed", "citizen", citizen.id)
        db.session.commit()
        problem = services.MSG_ERASED if citizen.erased_at is not None else None
        return _new_page(citizen, form, problem=problem)
    form = RequestForm()
    if not form.validate():
        return _new_page(citizen, form, 422)
    data = services.NewRequest(kind=form.kind.data, received_on=form.received_on.data,
                               requested_by=form.requested_by.data, identified_by=form.identified_by.data,
                               scope=form.scope.data)
    try:
        privacy_request = services.register(citizen, data, today_local(), current_user)
    except services.RequestError as error:
        db.session.rollback()
        if error.field and error.field in form:
            form[error.field].errors = [*form[error.field].errors, str(error)]
            return _new_page(citizen, form, 422)
        return _new_page(citizen, form, 422, problem=str(error))
    audit.record("privacy_request_registered", "privacy_request", privacy_request.id, citizen_id=citizen.id,
                 details=privacy_request.kind)
    db.session.commit()
    flash(f"Anmodningen er registreret. Fristen er {_deadline_text(privacy_request)}.", "success")
    return redirect(url_for("privacy.request_page", request_id=privacy_request.id), 303)


def _deadline_text(privacy_request: PrivacyRequest) -> str:
    return format_date(deadline(privacy_request.received_on))


def _request_or_404(request_id: int) -> PrivacyRequest:
    return db.get_or_404(PrivacyRequest, request_id)


def render_request_page(privacy_request: PrivacyRequest, form: DeliveryForm | None = None, status: int = 200,
                        problem: str | None = None, **decision_forms):
    """The request's page: insight downloads and delivery, or the decision on erasure/restriction."""
    today = today_local()
    if form is None:
        form = DeliveryForm(formdata=None, delivered_on=today)
    extra = {} if privacy_request.kind == INSIGHT else decision_context(privacy_request, **decision_forms)
    return render_template(
        "privacy/request.html", request=privacy_request, citizen=privacy_request.citizen, form=form,
        deadline=deadline(privacy_request.received_on), days_left=days_left(privacy_request.received_on, today),
        problem=problem, INSIGHT=INSIGHT, **extra,
    ), status


@bp.get("/databeskyttelse/anmodninger/<db_id:request_id>")
@roles_required({LEADER})
@writes_on_read
def request_page(request_id: int):
    privacy_request = _request_or_404(request_id)
    audit.record("privacy_request_viewed", "privacy_request", privacy_request.id,
                 citizen_id=privacy_request.citizen_id)
    db.session.commit()
    return render_request_page(privacy_request)


@bp.post("/databeskyttelse/anmodninger/<db_id:request_id>/udleveret")
@roles_required({LEADER})
def deliver(request_id: int):
    privacy_request = _request_or_404(request_id)
    form = DeliveryForm()
    if not form.validate():
        return render_request_page(privacy_request, form, 422)
    try:
        services.record_delivery(privacy_request, form.delivered_on.data, form.way.data, today_local())
    except services.RequestError as error:
        db.session.rollback()
        if error.field and error.field in form:
            form[error.field].errors = [*form[error.field].errors, str(error)]
            return render_request_page(privacy_request, form, 422)
        return render_request_page(privacy_request, form, 422, problem=str(error))
    audit.record("insight_delivered", "privacy_request", privacy_request.id, citizen_id=privacy_request.citizen_id,
                 details=privacy_request.delivered_how)
    db.session.commit()
    flash("Udleveringen er registreret. Anmodningen er afsluttet.", "success")
    return redirect(url_for("privacy.index"), 303)


def _insight_request_or_404(request_id: int) -> PrivacyRequest:
    privacy_request = _request_or_404(request_id)
    if privacy_request.kind != INSIGHT:
        abort(404)
    if privacy_request.citizen.erased_at is not None:
        abort(410)
    return privacy_request


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/databeskyttelse/anmodninger/<db_id:request_id>/indsigt.pdf")
@roles_required({LEADER})
@writes_on_read
def insight_pdf(request_id: int):
    privacy_request = _insight_request_or_404(request_id)
    data = insight.insight_pdf(privacy_request)
    audit.record("insight_printed", "privacy_request", privacy_request.id, citizen_id=privacy_request.citizen_id)
    db.session.commit()
    return _no_store(pdf_response(data, insight.download_name(privacy_request, "pdf"), download=True))


@bp.get("/databeskyttelse/anmodninger/<db_id:request_id>/indsigt.zip")
@roles_required({LEADER})
@writes_on_read
def insight_zip(request_id: int):
    privacy_request = _insight_request_or_404(request_id)
    data = insight.insight_zip(privacy_request)
    audit.record("insight_exported", "privacy_request", privacy_request.id, citizen_id=privacy_request.citizen_id)
    db.session.commit()
    response = send_file(BytesIO(data), mimetype="application/zip", as_attachment=True,
                         download_name=insight.download_name(privacy_request, "zip"), max_age=0)
    return _no_store(response)


@citizen_section
def privacy_requests_section(citizen: Citizen, _open_course):
    """The citizen's requests and a way to register one, for the leader only."""
    if not may("privacy.new_request", citizen_id=citizen.id):
        return None
    return "privacy/_citizen_section.html", {
        "citizen": citizen,
        "requests": services.for_citizen(citizen.id),
        "today": today_local(),
        "deadline": deadline,
    }
