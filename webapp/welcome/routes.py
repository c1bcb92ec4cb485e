import secrets
from datetime import timedelta

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit
from ..access import login_required, roles_required
from ..auth.models import User
from ..auth.roles import ADMIN, ALL_ROLES, SECRETARIAT, STAFF_LIKE, VOLUNTEER_COORDINATOR
from ..auth.services import staff_members
from ..citizens import services as citizen_services
from ..citizens.models import Citizen
from ..database import write_transaction, writes_on_read
from ..extensions import db
from ..htmx import htmx_request, partial_or_page
from ..permissions import object_rule
from ..timeutil import format_time, today_local, utcnow
from ..urls import parse_id
from . import bp, register, rules, services, vocab
from .services import ContactError, Refinement

BOARD_VIEWERS = STAFF_LIKE | {SECRETARIAT, ADMIN}
REGISTER_VIEWERS = STAFF_LIKE | {SECRETARIAT}


def new_tokens() -> dict[str, str]:
    return {kind: secrets.token_urlsafe(18) for kind in vocab.KINDS}


def _undo_window() -> timedelta:
    return timedelta(seconds=current_app.config["UNDO_WINDOW_SECONDS"])


def _undo_contact():
    return services.undoable_contact(current_user, _undo_window())


def _may_edit(contact) -> bool:
    return rules.may_edit_contact(current_user, contact, utcnow())


def _board_context():
    return {"board": services.board(today_local())}


@bp.get("/")
@login_required
def index():
    if current_user.has_any_role({"authority"}) and not current_user.has_any_role(STAFF_LIKE):
        return redirect(url_for("handover.inbox"))  # the authority department sees its inbox only
    if current_user.has_any_role({SECRETARIAT}) and not current_user.has_any_role(STAFF_LIKE):
        return redirect(url_for("reports.key_figures"))  # the secretariat's work is the key figures
    if current_user.has_any_role({VOLUNTEER_COORDINATOR}) and not current_user.has_any_role(STAFF_LIKE):
        return redirect(url_for("volunteers.coordinator_home"))  # her own home (#12), not the day board
    if not current_user.has_any_role(STAFF_LIKE):
        return render_template("welcome/home_other.html")
    context = _board_context()
    html = render_template(
        "welcome/index.html",
        tokens=new_tokens(),
        contact=None,
        undo_contact=_undo_contact(),
        **context,
    )
    _audit_board(context["board"])
    return html


def _audit_board(board) -> None:
    """After a board is rendered: one row per citizen it names, at most once per window for this
    user (webapp/audit.py). Only a render that writes takes the write lock, so the screens that
    poll every few seconds never queue behind the welcome table's taps for nothing."""
    fresh = audit.board_views_to_record("day_board_viewed", board.named_citizens())
    if fresh:
        with write_transaction():
            audit.record_many("day_board_viewed", fresh, "day_board", board.day.isoformat())


def _actions(contact=None, status=200, message=None, error=None):
    html = render_template(
        "welcome/_actions.html",
        tokens=new_tokens(),
        contact=contact,
        may_edit=contact is not None and _may_edit(contact),
        undo_contact=_undo_contact(),
        message=message,
        error=error,
        vocab=vocab,
    )
    response = Response(html, status=status)
    response.headers["HX-Trigger"] = "contact-logged"
    return response


@bp.post("/henvendelser")
@roles_required(STAFF_LIKE)
def log_contact():
    try:
        contact, created = services.log_contact(
            current_user, request.form.get("kind", ""), request.form.get("tap_token", "")
        )
    except ContactError as error:
        if not htmx_request():
            flash(str(error), "error")
            return redirect(url_for("welcome.index"))
        return _actions(status=422, error=str(error))
    if created:
        audit.record("contact_logged", "contact", contact.id)
    db.session.commit()
    if not htmx_request():
        flash(f"{contact.kind_label} er gemt kl. {format_time(contact.occurred_at)}.", "success")
        return redirect(url_for("welcome.index"))
    return _actions(contact, status=201 if created else 200)


def _own_contact(contact_id: int):
    contact = services.live_contact(contact_id)
    if contact is None:
        abort(404)
    return contact


def _may_edit_contact(user, contact_id: int) -> bool:
    """The object rule of the contact's refine and relink endpoints (`may`): a missing contact is
    left to the view's 404."""
    contact = services.live_contact(contact_id)
    return contact is None or rules.may_edit_contact(user, contact, utcnow())


@bp.get("/henvendelser/<db_id:contact_id>/panel")
@roles_required(STAFF_LIKE)
@object_rule(_may_edit_contact)
@writes_on_read
def refine_panel(contact_id: int):
    contact = _own_contact(contact_id)  # may_edit_contact: the object rule
    if contact.citizen_id is not None:  # the panel names the linked citizen
        audit.record("contact_viewed", "contact", contact.id, citizen_id=contact.citizen_id)
        db.session.commit()
    return _actions(contact)


@bp.post("/henvendelser/<db_id:contact_id>/praeciser")
@roles_required(STAFF_LIKE)
@object_rule(_may_edit_contact)
def refine(contact_id: int):
    contact = _own_contact(contact_id)  # may_edit_contact: the object rule
    form = request.form
    change = Refinement(
        from_type=form.get("from_type"),
        partner=form.get("partner"),
        toggle_topic=form.get("topic"),
        outcome=form.get("outcome"),
        duration_minutes=form.get("duration_minutes"),
        note=form.get("note"),
        booked_date=form.get("booked_date"),
        booked_time=form.get("booked_time"),
        channel=form.get("channel"),
    )
    try:
        services.refine_contact(contact, change, current_user)
    except ContactError as error:
        db.session.rollback()
        contact = _own_contact(contact_id)
        return _refine_response(contact, status=422, error=str(error), typed=form)
    audit.record("contact_refined", "contact", contact.id, citizen_id=contact.citizen_id)
    db.session.commit()
    return _refine_response(contact, message="Gemt.")


def _refine_response(contact, status=200, error=None, message=None, typed=None):
    html = render_template(
        "welcome/_refine.html", contact=contact, vocab=vocab, error=error, message=message, typed=typed or {},
        may_edit=_may_edit(contact),
    )
    response = Response(html, status=status)
    if status < 400:
        response.headers["HX-Trigger"] = "contact-logged"
    return response


@bp.post("/henvendelser/<db_id:contact_id>/borger/soeg")
@roles_required(STAFF_LIKE)
@object_rule(_may_edit_contact)
def citizen_search(contact_id: int):
    """The relink search (a POST, so that whatever is typed – a CPR number too – stays out of URLs)."""
    contact = _own_contact(contact_id)  # may_edit_contact: the object rule
    query = request.form.get("q", "")
    found = citizen_services.find_citizens(query, limit=8)
    if query.strip():
        audit.record_many("citizen_search", [c.id for c in found], "citizen_search",
                          details=citizen_services.masked_search_terms(query))
        db.session.commit()
    return render_template("welcome/_citizen_results.html", contact=contact, found=found, query=query)


@bp.post("/henvendelser/<db_id:contact_id>/borger")
@roles_required(STAFF_LIKE)
@object_rule(_may_edit_contact)
def link_citizen(contact_id: int):
    contact = _own_contact(contact_id)  # may_edit_contact: the object rule
    form = request.form
    created = False
    previous_citizen_id = contact.citizen_id
    try:
        if form.get("citizen_id"):
            citizen = db.session.get(Citizen, citizen_id) if (citizen_id := parse_id(form["citizen_id"])) else None
            if citizen is None:
                raise ContactError("Borgeren findes ikke.")
        elif form.get("unlink"):
            citizen = None
        else:
            citizen = services.create_citizen_quick(
                form.get("first_name", ""), form.get("last_name", ""), form.get("phone", ""), current_user
            )
            created = True
        services.link_citizen(contact, citizen)
    except ContactError as error:
        db.session.rollback()
        contact = _own_contact(contact_id)
        return _refine_response(contact, status=422, error=str(error), typed=form)
    if citizen is None:
        audit.record("contact_unlinked", "contact", contact.id, citizen_id=previous_citizen_id)
    else:
        audit.record("citizen_created" if created else "contact_linked", "citizen", citizen.id,
                     details=f"henvendelse {contact.id}")
    db.session.commit()
    return _refine_response(contact, message="Borgeren er koblet på." if citizen else "Borgeren er fjernet.")


@bp.post("/henvendelser/fortryd")
@roles_required(STAFF_LIKE)
def undo():
    contact = services.undo_tap(current_user, request.form.get("tap_token", ""), _undo_window())
    if contact is None:  # never another contact: only this tap, the user's own, still fresh
        db.session.rollback()
        message = "Kan ikke fortrydes længere – ret henvendelsen i stedet."
        if not htmx_request():
            flash(message, "info")
            return redirect(url_for("welcome.index"))
        return _actions(message=message)
    audit.record(
        "contact_undone", "contact", contact.id, citizen_id=contact.citizen_id,
        details=f"{contact.kind} {contact.channel} {contact.from_type} {contact.occurred_at:%Y-%m-%dT%H:%M}",
    )
    db.session.commit()
    message = f"{contact.kind_label} kl. {format_time(contact.occurred_at)} er fjernet."
    if not htmx_request():
        flash(message, "success")
        return redirect(url_for("welcome.index"))
    return _actions(message=message)


@bp.get("/dagstavle")
@roles_required(BOARD_VIEWERS)
def day_board():
    since = request.args.get("since", "")
    today = today_local()
    if since and htmx_request():
        # Nothing new: one primary-key read and no body.
        from .. import live

        if since == f"{today.isoformat()}.{live.version()}":
            return Response(status=204, headers={"Vary": "HX-Request"})
    board = services.board(today)
    response = partial_or_page(
        "welcome/board_page.html",
        "welcome/_board.html",
        board=board,
        workstation=not _tablet_view(),
    )
    _audit_board(board)
    return response


def _tablet_view() -> bool:
    """Whether /dagstavle renders the discreet board of the welcome table, seen by visitors (see
    templates/welcome/_board.html): asked for with visning=tablet – the host's page polls so – or
    polled by htmx without a view. A staff workstation (the page opened, or polled with
    visning=arbejdsplads) keeps the full board."""
    view = request.args.get("visning")
    if view == "tablet":
        return True
    return view != "arbejdsplads" and htmx_request()


@bp.get("/henvendelser/<db_id:contact_id>/note")
@roles_required(STAFF_LIKE)
@writes_on_read
def contact_note(contact_id: int):
    contact = _own_contact(contact_id)
    audit.record("contact_note_viewed", "contact", contact.id, citizen_id=contact.citizen_id)
    db.session.commit()
    return render_template("welcome/_note.html", contact=contact)


@bp.get("/vaertsvagt")
@roles_required(STAFF_LIKE)
def host_picker():
    staff = staff_members(roles=STAFF_LIKE)  # who may take host duty
    hosts = {u.id for u in services.hosts_on(today_local())}
    return partial_or_page("welcome/host_picker.html", "welcome/_host_picker.html", staff=staff, hosts=hosts)


@bp.post("/vaertsvagt")
@roles_required(STAFF_LIKE)
def toggle_host():
    user_id = request.form.get("user_id", "")
    user = db.session.get(User, user_id) if (user_id := parse_id(user_id)) else None
    if user is None or not user.active or not user.has_any_role(STAFF_LIKE):
        abort(400)
    on = services.toggle_host(today_local(), user.id)
    audit.record("host_duty_" + ("on" if on else "off"), "user", user.id)
    db.session.commit()
    if not htmx_request():
        return redirect(url_for("welcome.index"))
    response = host_picker()
    response.headers["HX-Trigger"] = "contact-logged"
    return response


@bp.get("/henvendelser/uge")
@roles_required(REGISTER_VIEWERS)
@writes_on_read
def contact_register():
    today = today_local()
    problems = []
    try:
        monday = register.parse_week(request.args.get("uge"), today)
    except register.WeekError as error:
        problems.append(str(error))
        monday = register.parse_week(None, today)
    filters, filter_problems = register.Filters.from_args(request.args)
    problems += filter_problems
    page = request.args.get("side", "1")
    data = register.week(monday, filters, int(page) if page.isdigit() else 1)
    staff = staff_members(roles=ALL_ROLES, include_inactive=True)  # whoever may have logged a contact
    audit.record_many("contact_register_viewed", [c.citizen_id for c in data.rows], "contact_register",
                      register.week_label(monday))
    db.session.commit()
    return partial_or_page(
        "welcome/register.html",
        "welcome/_register.html",
        week=data,
        filters=filters,
        problems=problems,
        staff=staff,
        vocab=vocab,
        week_label=register.week_label,
        chart=register.split_chart_svg(data.split),
        prev_week=register.week_label(monday - timedelta(days=7)),
        next_week=register.week_label(monday + timedelta(days=7)),
        this_week=register.week_label(register.parse_week(None, today)),
    )


@bp.get("/henvendelser/uge.csv")
@roles_required(REGISTER_VIEWERS)
@writes_on_read
def contact_register_csv():
    today = today_local()
    try:
        monday = register.parse_week(request.args.get("uge"), today)
    except register.WeekError as error:
        flash(str(error), "error")
        return redirect(url_for("welcome.contact_register"))
    filters, _ = register.Filters.from_args(request.args)
    body = register.week_csv(monday, filters)
    audit.record_many("contact_register_exported", register.week_citizens(monday, filters), "contact_register",
                      register.week_label(monday))
    db.session.commit()
    filename = f"henvendelser-{register.week_label(monday)}.csv"
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
