"""Coaching conversations in a course, FIT on the tablet and from paper, charts, and the licensed
scale wording. Thin views: parse, call services, one commit, render."""

from datetime import time

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit
from ..access import roles_required
from ..auth.roles import ADMIN, STAFF_LIKE
from ..citizens.models import Citizen, Course, Meeting
from ..database import writes_on_read
from ..extensions import db
from ..htmx import htmx_request, partial_or_page
from ..timeutil import local, today_local, utcnow
from . import bp, services
from .forms import CourseMeetingForm, ScaleUploadForm
from .scales import DEFAULT_ORS_PERIOD, MAX_FILE_BYTES, ORS_PERIOD_CHOICES, ORS_PERIODS, ScaleDefinitionError
from .scoring import format_score
from .services import FitError

FIT_USERS = STAFF_LIKE  # authority and secretariat never enter or see scores here
SCALE_ADMINS = frozenset({ADMIN})


@bp.app_template_filter("fit_total")
def fit_total(value) -> str:
    return format_score(value)


@bp.app_template_global()
def fit_score_text(score) -> str:
    if score is None:
        return ""
    return "sprunget over" if score.skipped else format_score(score.total)


# --- coaching conversations ------------------------------------------------------------------------


def _course_or_404(course_id: int) -> Course:
    return db.get_or_404(Course, course_id)


def _meeting_forms(course: Course, coaching_form=None, relative_form=None):
    citizen = course.citizen
    if coaching_form is None:
        coaching_form = CourseMeetingForm(formdata=None, day=today_local(), at=_rounded_now(), minutes=60,
                                          staff1=current_user.id)
    if relative_form is None:
        relative_form = CourseMeetingForm(formdata=None, prefix="rel", day=today_local(), at=_rounded_now(),
                                          minutes=60, staff1=current_user.id)
    coaching_form.setup(citizen.relatives)
    relative_form.setup(citizen.relatives, relative_required=True)
    return coaching_form, relative_form


def _rounded_now() -> time:
    now = local(utcnow())
    return time(now.hour, 0 if now.minute < 30 else 30)


def _coaching_context(course: Course, coaching_form=None, relative_form=None, error=None, message=None):
    coaching_form, relative_form = _meeting_forms(course, coaching_form, relative_form)
    meetings = services.course_meetings(course)
    sessions = [services.meeting_session(m) for m in meetings if m.kind == "coaching"]
    rows = services.sessions_scored(services.scores_for_course(course))
    guideline = services.course_guideline(course)
    # Under the form only what adding one more changes (the current state is shown at the top).
    next_hint = [hint for hint in services.course_guideline(course, adding="coaching").hints
                 if hint.startswith("Dette bliver") or not guideline.hints]
    return {
        "course": course,
        "citizen": course.citizen,
        "meetings": meetings,
        "scores": services.latest_scores_by_session(course.citizen_id, sessions),
        "guideline": guideline,
        "next_hint": next_hint,
        "coaching_form": coaching_form,
        "relative_form": relative_form,
        "statuses": services.MEETING_STATUSES,
        "kind_labels": services.MEETING_KIND_LABELS,
        "chart": services.ors_chart(rows, width=720, chart_id=f"fit-course-{course.id}") if rows else None,
        "error": error,
        "message": message,
        "today": today_local(),
    }


@bp.get("/forloeb/<db_id:course_id>/coaching")
@roles_required(FIT_USERS)
@writes_on_read
def coaching(course_id: int):
    course = _course_or_404(course_id)
    audit.record("course_coaching_viewed", "course", course.id, citizen_id=course.citizen_id)
    db.session.commit()
    return partial_or_page("outcomes/coaching.html", "outcomes/_coaching.html", **_coaching_context(course))


def _save_meeting(course: Course, kind: str, meeting: Meeting | None = None):
    prefix = "rel" if kind == "paaroerende" else ""
    form = CourseMeetingForm(prefix=prefix).setup(course.citizen.relatives, relative_required=kind == "paaroerende")
    error = None
    if form.validate_on_submit():
        try:
            saved = services.save_course_meeting(
                course, kind=kind, day=form.day.data, at=form.at.data, minutes=form.minutes.data,
                staff1_id=form.staff1.data, staff2_id=form.staff2.data, relative_id=form.relative.data,
                user=current_user, meeting=meeting)
        except FitError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            audit.record("course_meeting_" + ("changed" if meeting else "created"), "meeting", saved.id, citizen_id=saved.citizen_id,
                         details=f"{kind} course {course.id}")
            db.session.commit()
            message = f"{services.MEETING_KIND_LABELS[kind]} {local(saved.starts_at):%d.%m.%Y} er gemt."
            if not htmx_request():
                flash(message, "success")
                return redirect(url_for("outcomes.coaching", course_id=course.id))
            return partial_or_page("outcomes/coaching.html", "outcomes/_coaching.html",
                                   **_coaching_context(_course_or_404(course.id), message=message))
    course = _course_or_404(course.id)
    forms = {"coaching_form": form} if kind == "coaching" else {"relative_form": form}
    return partial_or_page("outcomes/coaching.html", "outcomes/_coaching.html", status=422,
                           **_coaching_context(course, error=error, **forms))


@bp.post("/forloeb/<db_id:course_id>/coaching")
@roles_required(FIT_USERS)
def add_coaching(course_id: int):
    return _save_meeting(_course_or_404(course_id), "coaching")


@bp.post("/forloeb/<db_id:course_id>/paaroerende")
@roles_required(FIT_USERS)
def add_relative_conversation(course_id: int):
    return _save_meeting(_course_or_404(course_id), "paaroerende")


def _course_meeting_or_404(course: Course, meeting_id: int) -> Meeting:
    meeting = db.get_or_404(Meeting, meeting_id)
    if meeting.course_id != course.id or meeting.kind not in services.COURSE_MEETING_KINDS:
        abort(404)
    return meeting


@bp.post("/forloeb/<db_id:course_id>/samtaler/<db_id:meeting_id>/status")
@roles_required(FIT_USERS)
def meeting_status(course_id: int, meeting_id: int):
    course = _course_or_404(course_id)
    meeting = _course_meeting_or_404(course, meeting_id)
    try:
        services.set_meeting_status(meeting, request.form.get("status", ""))
    except FitError as exc:
        db.session.rollback()
        return partial_or_page("outcomes/coaching.html", "outcomes/_coaching.html", status=422,
                               **_coaching_context(_course_or_404(course_id), error=str(exc)))
    audit.record("course_meeting_status", "meeting", meeting.id, citizen_id=meeting.citizen_id, details=meeting.status)
    db.session.commit()
    if not htmx_request():
        return redirect(url_for("outcomes.coaching", course_id=course_id))
    return partial_or_page("outcomes/coaching.html", "outcomes/_coaching.html",
                           **_coaching_context(_course_or_404(course_id)))


@bp.route("/forloeb/<db_id:course_id>/samtaler/<db_id:meeting_id>", methods=["GET", "POST"])
@roles_required(FIT_USERS)
@writes_on_read
def edit_meeting(course_id: int, meeting_id: int):
    course = _course_or_404(course_id)
    meeting = _course_meeting_or_404(course, meeting_id)
    if request.method == "POST":
        form = CourseMeetingForm().setup(course.citizen.relatives, relative_required=meeting.kind == "paaroerende")
        error = None
        if form.validate_on_submit():
            try:
                services.save_course_meeting(
                    course, kind=meeting.kind, day=form.day.data, at=form.at.data, minutes=form.minutes.data,
                    staff1_id=form.staff1.data, staff2_id=form.staff2.data, relative_id=form.relative.data,
                    user=current_user, meeting=meeting)
            except FitError as exc:
                db.session.rollback()
                error = str(exc)
            else:
                audit.record("course_meeting_changed", "meeting", meeting.id, citizen_id=meeting.citizen_id,
                             details=f"{meeting.kind} course {course.id}")
                db.session.commit()
                flash("Samtalen er gemt.", "success")
                return redirect(url_for("outcomes.coaching", course_id=course.id))
        course = _course_or_404(course_id)
        meeting = _course_meeting_or_404(course, meeting_id)
        return render_template("outcomes/meeting_edit.html", course=course, meeting=meeting, form=form,
                               error=error, kind_labels=services.MEETING_KIND_LABELS), 422
    at = local(meeting.starts_at)
    form = CourseMeetingForm(formdata=None, day=at.date(), at=at.time().replace(second=0, microsecond=0),
                             minutes=meeting.duration_minutes, staff1=meeting.staff1_id, staff2=meeting.staff2_id,
                             relative=meeting.relative_id)
    form.setup(course.citizen.relatives, relative_required=meeting.kind == "paaroerende")
    audit.record("course_meeting_viewed", "meeting", meeting.id, citizen_id=meeting.citizen_id)
    db.session.commit()
    return render_template("outcomes/meeting_edit.html", course=course, meeting=meeting, form=form, error=None,
                           kind_labels=services.MEETING_KIND_LABELS)


# --- FIT: the staff overview and charts ------------------------------------------------------------


def _citizen_or_404(citizen_id: int) -> Citizen:
    return db.get_or_404(Citizen, citizen_id)


def _outcome_context(citizen: Citizen, course: Course | None, definitions=None, width: int = 720):
    definitions = definitions or services.active_definitions()
    scores = services.scores_for_course(course) if course else services.scores_without_course(citizen.id)
    rows = services.sessions_scored(scores)
    outcome = services.course_outcome(rows, definitions)
    chart = services.ors_chart(rows, width=width, chart_id=f"fit-chart-{citizen.id}") if rows else None
    return {"citizen": citizen, "course": course, "outcome": outcome, "chart": chart, "definitions": definitions}


@bp.get("/fit/borger/<db_id:citizen_id>")
@roles_required(FIT_USERS)
@writes_on_read
def fit_citizen(citizen_id: int):
    citizen = _citizen_or_404(citizen_id)
    course_arg = request.args.get("forloeb", "")
    course = None
    if course_arg:
        course_id = services.small_int(course_arg)
        course = db.session.get(Course, course_id) if course_id is not None else None
        if course is None or course.citizen_id != citizen.id:
            abort(404)
    course = course or services.current_course(citizen.id)
    since = course.start_date if course else None
    sessions = [s for s in services.sessions_for_citizen(citizen.id, since)
                if course is None or s.local_date <= (course.end_date or today_local())]
    audit.record("fit_viewed", "citizen", citizen.id)
    db.session.commit()
    return partial_or_page(
        "outcomes/fit_citizen.html", "outcomes/_fit_citizen.html",
        sessions=sessions[:40], session_scores=services.latest_scores_by_session(citizen.id, sessions[:40]),
        **_outcome_context(citizen, course),
    )


@bp.get("/fit/forloeb/<db_id:course_id>/graf.svg")
@roles_required(FIT_USERS)
@writes_on_read
def course_chart(course_id: int):
    course = _course_or_404(course_id)
    width = request.args.get("bredde", "640")
    width = min(max(services.small_int(width) or 640, 320), 1600)
    rows = services.sessions_scored(services.scores_for_course(course))
    svg = services.ors_chart(rows, width=width, chart_id=f"fit-course-{course.id}-{width}")
    audit.record("fit_chart_viewed", "course", course.id, citizen_id=course.citizen_id)
    db.session.commit()
    return Response(str(svg), mimetype="image/svg+xml")


@bp.get("/fit/borger/<db_id:citizen_id>/punkter")
@roles_required(FIT_USERS)
@writes_on_read
def items_chart(citizen_id: int):
    citizen = _citizen_or_404(citizen_id)
    code = request.args.get("skala", "ORS").upper()
    if code not in services.SCALE_CODES:
        abort(404)
    course_id = services.small_int(request.args.get("forloeb"))
    course = db.session.get(Course, course_id) if course_id is not None else None
    if course is not None and course.citizen_id != citizen.id:
        abort(404)
    definition = services.active_definition(code)
    scores = services.scores_for_course(course) if course else services.scores_without_course(citizen.id)
    chart = services.items_chart(services.sessions_scored(scores), definition, width=720)
    audit.record("fit_items_viewed", "citizen", citizen.id, details=code)
    db.session.commit()
    return partial_or_page("outcomes/items_page.html", "outcomes/_items_chart.html", citizen=citizen,
                           course=course, chart=chart, definition=definition)


# --- FIT on the tablet -----------------------------------------------------------------------------


def _rating_target(citizen_id: int, kind: str, session_id: int, scale: str):
    citizen = _citizen_or_404(citizen_id)
    code = scale.upper()
    if code not in services.SCALE_CODES or kind not in services.SESSION_KINDS:
        abort(404)
    session = services.load_session(kind, session_id)
    if session is None:
        abort(404)
    return citizen, session, code


def _rate_context(citizen, session, code, *, values=None, errors=None, error=None, period=None):
    definition = services.active_definition(code)
    existing = services.existing_score(citizen.id, session, code)
    if values is None:
        values = {}
        if existing is not None and not existing.skipped:
            values = {k: f"{v}" for k, v in existing.item_scores(definition.item_keys).items() if v is not None}
    if period is None:
        period = (existing.period if existing is not None and existing.period else DEFAULT_ORS_PERIOD)
    return {
        "citizen": citizen, "session": session, "code": code, "definition": definition, "existing": existing,
        "values": values, "errors": errors or {}, "error": error, "period": period,
        "period_choices": ORS_PERIOD_CHOICES,
        "action": url_for("outcomes.rate", citizen_id=citizen.id, kind=session.kind, session_id=session.id,
                          scale=code.lower()),
    }


@bp.route("/fit/borger/<db_id:citizen_id>/<kind>/<db_id:session_id>/<scale>", methods=["GET", "POST"])
@roles_required(FIT_USERS)
@writes_on_read
def rate(citizen_id: int, kind: str, session_id: int, scale: str):
    citizen, session, code = _rating_target(citizen_id, kind, session_id, scale)
    if request.method == "GET":
        problem = None
        try:
            services.check_session(session, citizen.id, code)
        except FitError as exc:
            problem = str(exc)
        audit.record("fit_form_viewed", "citizen", citizen.id, details=f"{code} {kind} {session_id}")
        db.session.commit()
        context = _rate_context(citizen, session, code, error=problem)
        return partial_or_page("outcomes/rate.html", "outcomes/_rate.html", status=422 if problem else 200,
                               blocked=problem is not None, **context)

    definition = services.active_definition(code)
    skip = request.form.get("action") == "skip"
    values = {item.key: request.form.get(item.key, "") for item in definition.items}
    period = request.form.get("period") if code == "ORS" else None
    items, errors = (None, {}) if skip else services.parse_items(definition, values)
    error = None
    if code == "ORS" and period not in ORS_PERIODS:
        error = "Vælg, om du vurderer tiden siden sidst eller i dag."
    if not errors and error is None:
        try:
            score = services.record_score(citizen.id, session, code, items, current_user, period=period)
        except FitError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            audit.record("fit_score_recorded", "citizen", citizen.id,
                         details=f"{code} {kind} {session_id}{' skipped' if score.skipped else ''}")
            db.session.commit()
            if not htmx_request():
                return redirect(url_for("outcomes.rated", citizen_id=citizen.id, kind=kind, session_id=session_id,
                                        scale=scale))
            return render_template("outcomes/_rated.html", **_rated_context(citizen, session, code, score))
    context = _rate_context(citizen, session, code, values=values, errors=errors, error=error, period=period)
    return partial_or_page("outcomes/rate.html", "outcomes/_rate.html", status=422, blocked=False, **context)


def _rated_context(citizen, session, code, score):
    course = db.session.get(Course, score.course_id) if score.course_id else None
    context = _outcome_context(citizen, course, width=800)
    # The gentle suggestion after SRS/GSRS is for the staff member; it is shown folded away.
    feedback = context["outcome"].feedback if code != "ORS" else None
    return {**context, "session": session, "code": code, "score": score, "feedback": feedback,
            "next_scale": session.after_scale if code == "ORS" else None}


@bp.get("/fit/borger/<db_id:citizen_id>/<kind>/<db_id:session_id>/<scale>/tak")
@roles_required(FIT_USERS)
@writes_on_read
def rated(citizen_id: int, kind: str, session_id: int, scale: str):
    citizen, session, code = _rating_target(citizen_id, kind, session_id, scale)
    score = services.existing_score(citizen.id, session, code)
    if score is None:
        return redirect(url_for("outcomes.rate", citizen_id=citizen_id, kind=kind, session_id=session_id,
                                scale=scale))
    audit.record("fit_chart_viewed", "citizen", citizen.id)
    db.session.commit()
    return render_template("outcomes/rated.html", **_rated_context(citizen, session, code, score))


# --- FIT typed in from paper -----------------------------------------------------------------------


def _paper_context(citizen, code, *, typed=None, errors=None, error=None):
    definition = services.active_definition(code)
    sessions = [s for s in services.sessions_for_citizen(citizen.id)
                if code == "ORS" or (code == "SRS") == s.individual][:80]
    return {"citizen": citizen, "code": code, "definition": definition, "sessions": sessions, "typed": typed or {},
            "errors": errors or {}, "error": error, "period_choices": ORS_PERIOD_CHOICES,
            "default_period": DEFAULT_ORS_PERIOD, "codes": services.SCALE_CODES}


@bp.route("/fit/borger/<db_id:citizen_id>/papir", methods=["GET", "POST"])
@roles_required(FIT_USERS)
@writes_on_read
def paper(citizen_id: int):
    citizen = _citizen_or_404(citizen_id)
    code = request.args.get("skala", "ORS").upper()
    if code not in services.SCALE_CODES:
        abort(404)
    if request.method == "GET":
        audit.record("fit_paper_form_viewed", "citizen", citizen.id)
        db.session.commit()
        return partial_or_page("outcomes/paper.html", "outcomes/_paper_form.html", **_paper_context(citizen, code))

    definition = services.active_definition(code)
    form = request.form
    typed = {key: form.get(key, "") for key in (*definition.item_keys, "session", "period", "skipped")}
    skipped = bool(form.get("skipped"))
    errors: dict[str, str] = {}
    error = None
    session = services.parse_session_key(form.get("session", ""))
    if session is None:
        errors["session"] = "Vælg den samtale eller det gruppemøde, skemaet hører til."
    items = None
    if not skipped:
        items, item_errors = services.parse_items(definition, typed)
        errors.update(item_errors)
    period = form.get("period") if code == "ORS" else None
    if code == "ORS" and period not in ORS_PERIODS:
        errors["period"] = "Vælg, hvilken periode borgeren vurderede."
    if not errors:
        try:
            score = services.record_score(citizen.id, session, code, items, current_user, period=period,
                                          on_paper=True)
        except FitError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            audit.record("fit_score_recorded", "citizen", citizen.id,
                         details=f"{code} {session.kind} {session.id} paper{' skipped' if score.skipped else ''}")
            db.session.commit()
            flash(f"{code} fra papir for {session.title.lower()} {session.local_date:%d.%m.%Y} er gemt.", "success")
            return redirect(url_for("outcomes.fit_citizen", citizen_id=citizen.id))
    return partial_or_page("outcomes/paper.html", "outcomes/_paper_form.html", status=422,
                           **_paper_context(citizen, code, typed=typed, errors=errors, error=error))


# --- the licensed wording --------------------------------------------------------------------------


def _scales_page(form=None, problems=None, status=200):
    return render_template("outcomes/scales.html", form=form or ScaleUploadForm(formdata=None),
                           definitions=services.active_definitions(), wordings=services.wordings(),
                           problems=problems or [], max_kb=MAX_FILE_BYTES // 1000), status


@bp.get("/fit/skalaer")
@roles_required(SCALE_ADMINS)
def scales_admin():
    return _scales_page()


@bp.post("/fit/skalaer")
@roles_required(SCALE_ADMINS)
def upload_scale():
    form = ScaleUploadForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        return _scales_page(form, ["Vælg en JSON-fil med skalaens ordlyd."], 422)
    raw = upload.stream.read(MAX_FILE_BYTES + 1)
    try:
        definition = services.save_wording(raw, upload.filename, current_user)
    except ScaleDefinitionError as exc:
        db.session.rollback()
        return _scales_page(form, list(exc.problems), 422)
    audit.record("fit_scale_uploaded", "fit_scale", definition.code, details=(upload.filename or "")[:200])
    db.session.commit()
    flash(f"Ordlyden for {definition.code} er indlæst og bruges nu overalt, hvor skalaen vises.", "success")
    return redirect(url_for("outcomes.scales_admin"))


@bp.get("/fit/skalaer/<code>.json")
@roles_required(SCALE_ADMINS)
def scale_json(code: str):
    code = code.upper()
    if code not in services.SCALE_CODES:
        abort(404)
    from .scales import definition_to_json

    body = definition_to_json(services.active_definition(code))
    return Response(body.encode(), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{code.lower()}.json"'})


@bp.post("/fit/skalaer/<code>/standard")
@roles_required(SCALE_ADMINS)
def reset_scale(code: str):
    code = code.upper()
    if code not in services.SCALE_CODES:
        abort(404)
    if services.reset_wording(code):
        audit.record("fit_scale_reset", "fit_scale", code)
        flash(f"{code} bruger igen den neutrale standardordlyd.", "success")
    db.session.commit()
    return redirect(url_for("outcomes.scales_admin"))

