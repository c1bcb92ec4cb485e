"""Citizen register and citizen page (guide conversations and courses: course_routes.py, which
uses the helpers here). Every request that shows or changes a citizen's data writes one audit
event (object "citizen"); a search writes one per citizen found (webapp/audit.py)."""

from datetime import time

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit, versioning
from ..access import roles_required
from ..auth.models import User
from ..auth.roles import CPR_READERS, HOUSE_STAFF, STAFF_LIKE
from ..auth.services import staff_choices
from ..database import writes_on_read
from ..extensions import db
from ..timeutil import today_local
from ..urls import parse_id
from . import bp, hooks, services, vocab
from .cpr import contains_cpr, looks_like_cpr
from .forms import (
    CitizenForm,
    CprSearchForm,
    RelativeForm,
    StartCourseForm,
    citizen_form_values,
)
from .models import Citizen, Relative
from .services import CitizenError

CITIZEN_ROLES = STAFF_LIKE


def _citizen(citizen_id: int) -> Citizen:
    return db.get_or_404(Citizen, citizen_id)


def _audit(action: str, citizen: Citizen | None, details: str | None = None) -> None:
    audit.record(action, "citizen", citizen.id if citizen else None, details=details)


def _fail(form, error: CitizenError) -> None:
    """Put a service's message on the right field (or the form), keeping what was typed."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _cpr_owner(error: CitizenError) -> Citizen | None:
    """The citizen who already has the typed CPR number, for a link on the refused form."""
    existing_id = getattr(error, "existing_id", None)
    return db.session.get(Citizen, existing_id) if existing_id else None


def _staff_choices(blank: str = "–") -> list[tuple[str, str]]:
    return staff_choices(
        blank=blank, label=lambda u: u.full_name + (" (myndighedserfaring)" if u.has_authority_experience else "")
    )


def _user(value: str) -> User | None:
    user_id = parse_id(value)
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.active and user.has_any_role(HOUSE_STAFF) else None  # the coordinator joins kick-offs


def _data_from(form: CitizenForm) -> services.CitizenData:
    next_at = None
    if form.next_meeting_date.data:
        next_at = services.local_datetime(form.next_meeting_date.data, form.next_meeting_time.data or time(10, 0))
    return services.CitizenData(
        first_name=form.first_name.data or "",
        last_name=form.last_name.data or "",
        cpr=form.cpr.data or "",
        address=form.address.data or "",
        phone=form.phone.data or "",
        email=form.email.data or "",
        contact_preference=form.contact_preference.data or "",
        contact_consent=form.contact_consent.data,
        bring_person=form.bring_person.data or "",
        next_meeting_at=next_at,
    )


# --- register and search ---------------------------------------------------------------------------


@bp.get("/borgere")
@roles_required(CITIZEN_ROLES)
@writes_on_read
def search():
    query = request.args.get("q", "").strip()
    if contains_cpr(query):
        # A CPR number in a URL ends up in logs and history: not searched, not echoed.
        return render_template("citizens/search.html", query="", found=[], cpr_in_url=True,
                               cpr_form=CprSearchForm(formdata=None))
    found = services.find_citizens(query) if query else []
    if query:  # one row per citizen in the result (one row naming nobody when there is none)
        audit.record_many("citizen_search", [c.id for c in found], "citizen_search",
                          details=services.masked_search_terms(query))
        db.session.commit()
    return render_template("citizens/search.html", query=query, found=found, cpr_form=CprSearchForm(formdata=None))


@bp.post("/borgere")
@roles_required(CITIZEN_ROLES)
def search_submit():
    """The search box posts here: a name goes on to `GET /borgere?q=` (post-redirect-get); a CPR
    number is answered at once, so it never reaches a URL, and is not echoed back."""
    query = request.form.get("q", "").strip()
    if not contains_cpr(query):
        return redirect(url_for("citizens.search", q=query or None), 303)
    found, problem = [], None
    if looks_like_cpr(query):
        try:
            found = services.find_by_cpr(query, today_local())
        except CitizenError as error:
            problem = str(error)
    else:
        problem = "Søg enten på navn eller på et helt CPR-nummer – ikke begge dele i samme søgning."
    audit.record("citizen_search", "citizen_search", details=services.masked_search_terms(query))
    db.session.commit()
    return render_template("citizens/search.html", query="", found=found, cpr_searched=problem is None,
                           search_problem=problem, cpr_form=CprSearchForm(formdata=None)), 422 if problem else 200


@bp.post("/borgere/cpr-soeg")
@roles_required(CITIZEN_ROLES)
def search_cpr():
    """CPR numbers are searched by POST so they never appear in a URL or an access log."""
    form = CprSearchForm()
    found = []
    if form.validate_on_submit():
        try:
            found = services.find_by_cpr(form.cpr.data, today_local())
        except CitizenError as error:
            _fail(form, error)
    audit.record_many("citizen_search", [c.id for c in found], "citizen_search",
                      details=services.masked_search_terms(form.cpr.data or ""))
    db.session.commit()
    status = 422 if form.errors else 200
    return render_template("citizens/search.html", query="", found=found, cpr_form=form, cpr_searched=True), status


@bp.route("/borgere/ny", methods=["GET", "POST"])
@roles_required(CITIZEN_ROLES)
def new():
    form = CitizenForm()
    duplicates, cpr_owner = [], None
    if form.validate_on_submit():
        citizen = Citizen(created_by_id=current_user.id)
        try:
            services.apply_citizen_data(citizen, _data_from(form), today_local())
            duplicates = services.likely_duplicates(citizen)
            if not duplicates or form.confirm_duplicate.data:
                services.save_citizen(citizen)  # a CPR number is never saved twice, confirmed or not
        except CitizenError as error:
            _fail(form, error)
            duplicates, cpr_owner = [], _cpr_owner(error)
            audit.record("citizen_create_refused", "citizen")
            db.session.commit()
        else:
            if not duplicates or form.confirm_duplicate.data:
                _audit("citizen_created", citizen, "mulig dublet bekræftet" if duplicates else None)
                db.session.commit()
                flash(f"{citizen.first_name} er oprettet.", "success")
                return redirect(url_for("citizens.page", citizen_id=citizen.id))
            audit.record_many("citizen_duplicate_warning", [d.id for d in duplicates], "citizen_search",
                              details=f"{len(duplicates)} mulige dubletter")
            db.session.commit()
    status = 422 if form.errors or duplicates else 200
    return render_template(
        "citizens/form.html", form=form, citizen=None, duplicates=duplicates, cpr_owner=cpr_owner
    ), status


@bp.route("/borgere/<db_id:citizen_id>/ret", methods=["GET", "POST"])
@roles_required(CITIZEN_ROLES)
@writes_on_read
def edit(citizen_id: int):
    citizen = _citizen(citizen_id)
    if request.method == "POST":
        versioning.lock(citizen)
    saved_now = citizen_form_values(citizen)
    form = CitizenForm(obj=citizen)
    state = versioning.opened(citizen, saved_now)
    if request.method == "GET":
        form.cpr.data = ""  # never pre-filled: typing a new one replaces it
        form.next_meeting_date.data = saved_now["next_meeting_date"]
        form.next_meeting_time.data = saved_now["next_meeting_time"]
    duplicates, cpr_owner = [], None
    if form.validate_on_submit():
        state = versioning.check(citizen, form, saved_now, request.form, current_user)
        if not state.ok:
            # Nothing is saved; the form shows the other saved details beside what was typed.
            _audit("citizen_change_refused", citizen, "en anden havde gemt imens")
            db.session.commit()
            return render_template("citizens/form.html", form=form, citizen=citizen, duplicates=[],
                                   state=state), state.status
        try:
            services.apply_citizen_data(citizen, _data_from(form), today_local())
            duplicates = services.likely_duplicates(citizen)
            if not duplicates or form.confirm_duplicate.data:
                services.save_citizen(citizen)
        except CitizenError as error:
            _fail(form, error)
            duplicates, cpr_owner = [], _cpr_owner(error)
            citizen = _citizen(citizen_id)
        else:
            if not duplicates or form.confirm_duplicate.data:
                versioning.saved(citizen, current_user)
                _audit("citizen_changed", citizen)
                db.session.commit()
                flash("Oplysningerne er gemt." + (" " + versioning.MSG_TAKEN if state.taken else ""), "success")
                return redirect(url_for("citizens.page", citizen_id=citizen.id))
            db.session.rollback()
            citizen = _citizen(citizen_id)
    if request.method == "POST":
        state = versioning.carried(request.form, citizen, saved_now)
    _audit("citizen_change_refused" if request.method == "POST" else "citizen_edit_opened", citizen)
    db.session.commit()
    status = 422 if form.errors or duplicates else 200
    return render_template("citizens/form.html", form=form, citizen=citizen, duplicates=duplicates,
                           cpr_owner=cpr_owner, state=state), status


@bp.get("/borgere/<db_id:citizen_id>")
@roles_required(CITIZEN_ROLES)
@writes_on_read
def page(citizen_id: int):
    citizen = _citizen(citizen_id)
    today = today_local()
    data = services.overview(citizen, today)
    sections = []
    for provider in hooks.CITIZEN_SECTIONS:
        if (section := provider(citizen, data.course)) is not None:
            sections.append(section)
    _audit("citizen_viewed", citizen)
    db.session.commit()
    return render_template(
        "citizens/page.html",
        o=data,
        citizen=citizen,
        sections=sections,
        vocab=vocab,
        today=today,
        start_form=StartCourseForm(formdata=None, start_date=today),
        relative_form=RelativeForm(formdata=None),
        has_endpoint=lambda name: name in current_app.view_functions,
    )


@bp.post("/borgere/<db_id:citizen_id>/cpr")
@roles_required(CPR_READERS)
def reveal_cpr(citizen_id: int):
    """The full CPR number, on an explicit request only (audited)."""
    citizen = _citizen(citizen_id)
    _audit("cpr_revealed", citizen)
    db.session.commit()
    return render_template("citizens/_cpr.html", citizen=citizen, revealed=True)


@bp.get("/borgere/<db_id:citizen_id>/adgang")
@roles_required(CITIZEN_ROLES)
@writes_on_read
def access(citizen_id: int):
    """Who has looked at this citizen's data: what the unit answers a citizen who asks."""
    citizen = _citizen(citizen_id)
    side = request.args.get("side", "1")
    page = min(int(side), 100_000) if side.isdigit() and int(side) > 0 else 1
    events, more = audit.access_log(citizen.id, page)
    _audit("access_log_viewed", citizen)
    db.session.commit()
    return render_template("citizens/access.html", citizen=citizen, events=events, page=page, more=more)


@bp.post("/borgere/<db_id:citizen_id>/paaroerende")
@roles_required(CITIZEN_ROLES)
def add_relative(citizen_id: int):
    citizen = _citizen(citizen_id)
    form = RelativeForm()
    if form.validate_on_submit():
        try:
            services.add_relative(citizen, form.name.data, form.relation.data or "", form.phone.data or "")
        except CitizenError as error:
            flash(str(error), "error")
            db.session.rollback()
            _audit("relative_refused", citizen)
        else:
            _audit("relative_added", citizen)
            flash("Den pårørende er tilføjet.", "success")
    else:
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        _audit("relative_refused", citizen)
    db.session.commit()
    return redirect(url_for("citizens.page", citizen_id=citizen.id) + "#paaroerende")


@bp.post("/borgere/<db_id:citizen_id>/paaroerende/<db_id:relative_id>/slet")
@roles_required(CITIZEN_ROLES)
def remove_relative(citizen_id: int, relative_id: int):
    citizen = _citizen(citizen_id)
    relative = db.get_or_404(Relative, relative_id)
    if relative.citizen_id != citizen.id:
        abort(404)
    db.session.delete(relative)
    _audit("relative_removed", citizen)
    db.session.commit()
    flash("Den pårørende er fjernet.", "success")
    return redirect(url_for("citizens.page", citizen_id=citizen.id) + "#paaroerende")
