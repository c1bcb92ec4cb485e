"""Min Plan: the page, one form per section (saved with a version check), drafts, kept versions
and the printed documents. Every request that shows or changes a plan writes exactly one audit
event about the citizen."""

from dataclasses import dataclass, field
from datetime import date

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import audit
from ..access import roles_required
from ..auth.roles import CPR_READERS, STAFF_LIKE
from ..citizens.milestones import course_week_label
from ..citizens.models import Course
from ..database import writes_on_read
from ..extensions import db
from ..htmx import htmx_request
from ..pdf import pdf_response, render_pdf
from ..timeutil import format_date, format_datetime, format_time, today_local, utcnow
from . import bp, forms, services
from .services import FUTURE, GOAL, NEW_FOLLOW_UP, SECTION_TITLES, START

AUDIT_OBJECT = "citizen"
EDITIONS = {"borger": "min-plan.pdf", "journal": "min-plan-journal.pdf"}


@dataclass
class SectionView:
    """One section of the page as its form shows it."""

    key: str
    title: str
    subtitle: str
    fields: tuple
    values: dict
    base_version: int
    course_id: int
    follow_up: object = None
    errors: dict = field(default_factory=dict)
    conflicts: dict = field(default_factory=dict)
    conflict_note: str | None = None
    theirs_label: str = "Den gemte tekst"
    draft: object = None  # a pending draft offered (Fortsæt / Kassér)
    draft_base_version: int | None = None
    message: str | None = None
    is_open: bool = False

    @property
    def is_new(self) -> bool:
        return self.key == NEW_FOLLOW_UP

    @property
    def filled(self) -> int:
        return sum(1 for f in self.fields if self.values.get(f.name))

    @property
    def save_url(self) -> str:
        if self.is_new:
            return url_for("plans.add_follow_up", course_id=self.course_id)
        return url_for("plans.save_section", course_id=self.course_id, section=self.key)

    @property
    def draft_url(self) -> str:
        return url_for("plans.save_draft", course_id=self.course_id, section=self.key)

    @property
    def discard_url(self) -> str:
        return url_for("plans.discard_draft", course_id=self.course_id, section=self.key)

    @property
    def continue_url(self) -> str:
        return url_for("plans.section", course_id=self.course_id, section=self.key, kladde=1)


# --- loading --------------------------------------------------------------------------------------


def _load(course_id: int, *, lock: bool = False, create: bool = True) -> tuple[Course, services.Plan]:
    """The course and its plan. `create=False` (every GET): an existing plan or an empty unsaved
    one, so that opening Min Plan never writes a row – the first save (a POST) makes it."""
    course = db.get_or_404(Course, course_id)
    if not create:
        plan = db.session.scalar(select(services.Plan).where(services.Plan.course_id == course.id))
        return course, plan if plan is not None else services.Plan(course=course, version=1)
    plan = services.get_or_create_plan(course, current_user)
    if lock:
        services.lock_plan(plan)
    return course, plan


def _audit(action: str, course: Course, **details) -> None:
    text = " ".join([f"forløb={course.id}", *(f"{k}={v}" for k, v in details.items())])
    audit.record(action, AUDIT_OBJECT, course.citizen_id, details=text)


def _new_follow_up_fields(plan):
    return services.follow_up_section_fields(services.new_follow_up_is_later(plan, today_local()))


def _fields_or_404(plan, section: str):
    fields = _new_follow_up_fields(plan) if section == NEW_FOLLOW_UP else services.section_fields(plan, section)
    if fields is None:
        abort(404)
    return fields


def _section_view(course: Course, plan, key: str, **overrides) -> SectionView:
    follow_up = services.find_follow_up(plan, key)
    fields = _fields_or_404(plan, key)
    if key == NEW_FOLLOW_UP:
        values = {f.name: None for f in fields} | {"follow_up_date": today_local().isoformat()}
        title, subtitle = SECTION_TITLES[NEW_FOLLOW_UP], ""
    else:
        values = services.current_values(plan, key)
        title = services.FOLLOW_UP_TITLE if follow_up else SECTION_TITLES[key]
        subtitle = ""
        if follow_up is not None:
            on = follow_up.follow_up_date
            subtitle = f"{format_date(on)} · {course_week_label(course.start_date, on)}"
        elif key == GOAL and plan.goal_date:
            subtitle = format_date(plan.goal_date)
        elif key == FUTURE and plan.future_date:
            subtitle = format_date(plan.future_date)
    view = SectionView(
        key=key,
        title=title,
        subtitle=subtitle,
        fields=fields,
        values=values,
        base_version=plan.version,
        course_id=course.id,
        follow_up=follow_up,
    )
    for name, value in overrides.items():
        setattr(view, name, value)
    return view


def _default_open(course: Course, plan) -> str:
    """The section a conversation most likely continues in."""
    if course.end_date is not None:
        return FUTURE
    if plan.follow_ups:
        return services.follow_up_key(services.follow_ups(plan)[-1])
    if plan.reasons:
        return GOAL
    return START


def _page_html(course: Course, plan, *, override: SectionView | None = None, open_key: str | None = None) -> str:
    drafts = services.pending_drafts(plan, current_user)
    keys = [START, GOAL, *(services.follow_up_key(fu) for fu in services.follow_ups(plan)), NEW_FOLLOW_UP, FUTURE]
    if override is not None:
        open_key = override.key
    elif open_key not in keys:
        open_key = _default_open(course, plan)
    sections = []
    for key in keys:
        if override is not None and key == override.key:
            sections.append(override)
            continue
        sections.append(_section_view(course, plan, key, draft=drafts.get(key), is_open=key == open_key))
    return render_template(
        "plans/page.html",
        course=course,
        citizen=course.citizen,
        plan=plan,
        sections=sections,
        **_common(course, plan),
    )


def _common(course: Course, plan) -> dict:
    today = today_local()
    if course.end_date is not None:
        course_line = f"Forløb {format_date(course.start_date)} – {format_date(course.end_date)} (afsluttet)"
    elif course.start_date <= today:
        course_line = f"Forløb startet {format_date(course.start_date)} · {course_week_label(course.start_date, today)}"
    else:
        course_line = f"Forløb starter {format_date(course.start_date)}"
    updated_by = db.session.get(services.User, plan.updated_by_id) if plan.updated_by_id else None
    return {
        "course_line": course_line,
        "versions": services.versions(plan),
        "updated_by": updated_by,
        "end_date": format_date(course.end_date) if course.end_date else "",
    }


def _section_response(course: Course, plan, view: SectionView, status: int = 200, oob: bool = False):
    """The section's fragment for htmx (with the version list out of band after a save), else the
    whole page with this section as it is now."""
    if htmx_request():
        html = render_template(
            "plans/_section_response.html", section=view, course=course, plan=plan, oob=oob, **_common(course, plan)
        )
    else:
        html = _page_html(course, plan, override=view)
    response = make_response(html, status)
    response.vary.add("HX-Request")
    return response


def _back_to_section(course: Course, key: str):
    location = url_for("plans.plan_page", course_id=course.id, aaben=key) + f"#afsnit-{key}"
    if htmx_request():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = location
        return response
    return redirect(location, code=303)


# --- the page and its sections ------------------------------------------------------------------


@bp.get("/forloeb/<db_id:course_id>/plan")
@roles_required(STAFF_LIKE)
@writes_on_read
def plan_page(course_id: int):
    course, plan = _load(course_id, create=False)
    html = _page_html(course, plan, open_key=request.args.get("aaben"))
    _audit("plan_viewed", course)
    db.session.commit()
    return html


@bp.get("/forloeb/<db_id:course_id>/plan/afsnit/<section>")
@roles_required(STAFF_LIKE)
@writes_on_read
def section(course_id: int, section: str):
    """One section's form; with ?kladde=1 filled from the user's pending draft ("Fortsæt")."""
    course, plan = _load(course_id, create=False)
    view = _section_view(course, plan, section, is_open=True)
    draft = services.get_draft(plan, current_user, section) if request.args.get("kladde") else None
    if draft is not None:
        view.values = {**view.values, **{f.name: draft.data.get(f.name) for f in view.fields}}
        view.base_version = draft.base_version
        view.draft_base_version = draft.base_version
        view.message = "Her er dine ikke-gemte ændringer. Tryk Gem, når de skal stå i planen."
    _audit("plan_viewed", course, afsnit=section, **({"kladde": "ja"} if draft else {}))
    response = _section_response(course, plan, view)
    db.session.commit()
    return response


@bp.post("/forloeb/<db_id:course_id>/plan/afsnit/<section>")
@roles_required(STAFF_LIKE)
def save_section(course_id: int, section: str):
    course, plan = _load(course_id, lock=True)
    if section == NEW_FOLLOW_UP:
        abort(404)
    fields = _fields_or_404(plan, section)
    base_version = forms.version_arg(request.form)
    if base_version is None:
        abort(400)
    form = forms.section_form(fields, request.form, course)
    typed = forms.typed_values(fields, request.form)
    choices = forms.conflict_choices(request.form)
    errors = {} if form.validate() else dict(form.errors)
    mine = typed
    if choices and not errors:
        # The conflict screen was answered: "theirs" is the text it showed (from base_version).
        seen = services.base_values(plan, base_version, section)
        mine, missing = services.resolve_choices(fields, typed, choices, seen)
        errors = {name: [forms.MSG_CHOOSE] for name in missing}
    if errors:
        view = _section_view(
            course, plan, section, values=typed, base_version=base_version, errors=errors, is_open=True
        )
        if choices:  # keep showing the conflict screen
            _conflict_screen(view, plan, fields, typed, choices, forms.version_arg(request.form, "draft_base_version"))
        _audit("plan_save_refused", course, afsnit=section)
        db.session.commit()
        return _section_response(course, plan, view, status=422)

    result = services.save_section(plan, section, mine, base_version, current_user)
    if result.conflicts:
        # Nothing is saved and nothing typed is lost: the typing is kept as the user's draft too.
        services.save_draft(plan, current_user, section, base_version, typed)
        view = _section_view(course, plan, section, values=result.values, is_open=True)
        view.conflicts = {c.field.name: c for c in result.conflicts}
        view.conflict_note = services.conflict_message(plan, base_version, current_user)
        view.theirs_label = _theirs_label(plan, base_version)
        view.draft_base_version = base_version
        _audit("plan_save_conflict", course, afsnit=section)
        db.session.commit()
        return _section_response(course, plan, view, status=422, oob=True)

    if result.saved:
        message = f"Gemt kl. {format_time(plan.updated_at)}."
        if result.taken_from_others:
            message += " Andres nyere ændringer i afsnittet er taget med."
        _audit("plan_saved", course, afsnit=section, udgave=plan.version)
    else:
        message = "Der var ingen ændringer at gemme."
        _audit("plan_saved", course, afsnit=section, udgave=f"{plan.version}-uændret")
    view = _section_view(course, plan, section, is_open=True, message=message)
    db.session.commit()
    if not htmx_request():
        flash(message, "success")
        return _back_to_section(course, section)
    return _section_response(course, plan, view, oob=True)


def _theirs_label(plan, base_version: int) -> str:
    savers, _ = services.savers_since(plan, base_version)
    if len(savers) == 1 and savers[0] is not None:
        if savers[0].id == current_user.id:
            return "Din gemte tekst"
        return f"{services.genitive(savers[0].first_name)} tekst"
    return "Den gemte tekst"


def _conflict_screen(view: SectionView, plan, fields, typed, choices, draft_base_version) -> None:
    """Show a refused conflict answer again: the same fields, the same other texts."""
    seen = services.base_values(plan, view.base_version, view.key) or {}
    by_name = {f.name: f for f in fields}
    view.conflicts = {
        name: services.Conflict(by_name[name], typed.get(name), seen.get(name)) for name in choices if name in by_name
    }
    original = draft_base_version or view.base_version
    view.conflict_note = services.conflict_message(plan, original, current_user)
    view.theirs_label = _theirs_label(plan, original)
    view.draft_base_version = draft_base_version


@bp.post("/forloeb/<db_id:course_id>/plan/opfoelgning")
@roles_required(STAFF_LIKE)
def add_follow_up(course_id: int):
    course, plan = _load(course_id, lock=True)
    fields = _new_follow_up_fields(plan)
    form = forms.section_form(fields, request.form, course)
    typed = forms.typed_values(fields, request.form)
    if not form.validate():
        view = _section_view(course, plan, NEW_FOLLOW_UP, values=typed, errors=dict(form.errors), is_open=True)
        _audit("plan_save_refused", course, afsnit=NEW_FOLLOW_UP)
        db.session.commit()
        return _section_response(course, plan, view, status=422)
    follow_up = services.add_follow_up(
        plan, date.fromisoformat(typed["follow_up_date"]), current_user, values=typed
    )
    services.discard_draft(plan, current_user, NEW_FOLLOW_UP)
    key = services.follow_up_key(follow_up)
    _audit("plan_follow_up_added", course, afsnit=key, udgave=plan.version)
    db.session.commit()
    flash(f"Opfølgningen {format_date(follow_up.follow_up_date)} er tilføjet.", "success")
    return _back_to_section(course, key)


# --- drafts ---------------------------------------------------------------------------------------


@bp.post("/forloeb/<db_id:course_id>/plan/afsnit/<section>/kladde")
@roles_required(STAFF_LIKE)
def save_draft(course_id: int, section: str):
    """Autosave while typing (htmx, after a pause): the user's draft of one section."""
    course, plan = _load(course_id, lock=True)
    fields = _fields_or_404(plan, section)
    base_version = forms.version_arg(request.form, "draft_base_version") or forms.version_arg(request.form)
    typed = forms.typed_values(fields, request.form)
    draft = services.save_draft(plan, current_user, section, base_version or plan.version, typed)
    _audit("plan_draft_saved", course, afsnit=section)
    db.session.commit()
    return render_template("plans/_draft_status.html", draft=draft)


@bp.post("/forloeb/<db_id:course_id>/plan/afsnit/<section>/kladde/kasser")
@roles_required(STAFF_LIKE)
def discard_draft(course_id: int, section: str):
    course, plan = _load(course_id, lock=True)
    _fields_or_404(plan, section)
    services.discard_draft(plan, current_user, section)
    _audit("plan_draft_discarded", course, afsnit=section)
    view = _section_view(course, plan, section, is_open=True, message="Dine ikke-gemte ændringer er kasseret.")
    db.session.commit()
    if not htmx_request():
        return _back_to_section(course, section)
    return _section_response(course, plan, view)


# --- kept versions ------------------------------------------------------------------------------


@bp.get("/forloeb/<db_id:course_id>/plan/udgaver/<db_id:version>")
@roles_required(STAFF_LIKE)
@writes_on_read
def version(course_id: int, version: int):
    course, plan = _load(course_id, create=False)
    kept = services.get_version(plan, version)
    if kept is None:
        abort(404)
    saved_by = db.session.get(services.User, kept.saved_by_id) if kept.saved_by_id else None
    html = render_template(
        "plans/version.html",
        course=course,
        citizen=course.citizen,
        plan=plan,
        kept=kept,
        saved_by=saved_by,
        sections=services.plan_document(kept.data, course),
    )
    _audit("plan_version_viewed", course, udgave=version)
    db.session.commit()
    return html


# --- documents ----------------------------------------------------------------------------------


def _document_context(course: Course, plan) -> dict:
    citizen = course.citizen
    config = current_app.config
    updated_by = db.session.get(services.User, plan.updated_by_id) if plan.updated_by_id else None
    return {
        "course": course,
        "citizen": citizen,
        "plan": plan,
        "sections": services.plan_document(services.snapshot(plan), course),
        "chart": services.course_chart(course.id, width=640),
        "printed_at": utcnow(),
        "closed": course.end_date is not None,
        "unit_address": config["UNIT_ADDRESS"],
        "unit_phone": config["UNIT_PHONE"],
        "plan_updated_by": updated_by.full_name if updated_by else "",
        "format_date": format_date,
        "format_datetime": format_datetime,
    }


@bp.get("/forloeb/<db_id:course_id>/plan.pdf")
@roles_required(STAFF_LIKE)
@writes_on_read
def plan_pdf(course_id: int):
    """The citizen's own copy (no CPR number)."""
    edition = request.args.get("udgave", "borger")
    if edition == "journal":
        return redirect(url_for("plans.plan_journal_pdf", course_id=course_id))
    if edition not in EDITIONS:
        abort(404)
    return _plan_document(course_id, edition)


@bp.get("/forloeb/<db_id:course_id>/plan-journal.pdf")
@roles_required(CPR_READERS)
@writes_on_read
def plan_journal_pdf(course_id: int):
    """Like the paper form, for the record, with the CPR number in full (need to know)."""
    return _plan_document(course_id, "journal")


def _plan_document(course_id: int, edition: str):
    course, plan = _load(course_id, create=False)
    context = _document_context(course, plan)
    if edition == "journal":
        context["cpr"] = services.cpr_in_full(course.citizen.cpr)
    data = render_pdf(f"pdf/min_plan_{edition}.html", **context)
    _audit("plan_printed", course, udgave=edition)
    db.session.commit()
    return pdf_response(data, EDITIONS[edition])


@bp.get("/forloeb/<db_id:course_id>/afslutning.pdf")
@roles_required(STAFF_LIKE)
@writes_on_read
def closing_letter_pdf(course_id: int):
    """The closing letter: Min Fremtid, and that the citizen is always welcome back."""
    course, plan = _load(course_id, create=False)
    data = render_pdf("pdf/afslutning.html", **_document_context(course, plan))
    _audit("closing_letter_printed", course)
    db.session.commit()
    return pdf_response(data, "afslutning.pdf")


@bp.context_processor
def _plan_helpers() -> dict:
    return {
        "ATTAINMENT_CHOICES": services.ATTAINMENT_CHOICES,
        "TEXT_MAX": services.TEXT_MAX,
        "attainment_label": services.attainment_label,
        "date_value": _date_value,
        "today_iso": today_local().isoformat(),
    }


def _date_value(value: str | None) -> str:
    try:
        return format_date(date.fromisoformat(value)) if value else ""
    except ValueError:
        return value
