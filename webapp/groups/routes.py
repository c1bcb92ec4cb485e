"""Group catalogue, runs, enrolment, attendance in one tap, and the entrance board."""

from datetime import time

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import audit, versioning
from ..access import public, roles_required
from ..auth.roles import STAFF_LIKE
from ..citizens.models import Citizen
from ..citizens.services import find_citizens, masked_search_terms
from ..database import writes_on_read
from ..extensions import db
from ..htmx import htmx_request, partial_or_page
from ..outcomes import services as fit
from ..timeutil import local, today_local
from . import bp, services, vocab
from .forms import EnrolForm, MeetingForm, RunEditForm, RunForm, StopForm, ThemeForm, run_form_values
from .models import GroupEnrolment, GroupMeeting, GroupRun, GroupTheme
from .services import CapacityError, GroupError

GROUP_USERS = STAFF_LIKE


@bp.get("")
@roles_required(GROUP_USERS)
def index():
    today = today_local()
    current = services.run_summaries(services.current_and_upcoming_runs(today), today)
    return render_template("groups/index.html", themes=services.themes(), current=current,
                           past=services.run_summaries(services.past_runs(today), today), today=today)


# --- catalogue -------------------------------------------------------------------------------------


def _theme_from_form(theme: GroupTheme, form: ThemeForm) -> None:
    theme.name = form.name.data.strip()
    theme.description = (form.description.data or "").strip()
    theme.max_participants = form.max_participants.data
    theme.usual_meetings = form.usual_meetings.data
    theme.meeting_minutes = form.meeting_minutes.data
    theme.place = form.place.data if form.place.data in vocab.PLACES else "din_indgang"
    theme.hours_activity = form.hours_activity.data if form.hours_activity.data in vocab.HOURS_ACTIVITIES else "groups"
    theme.active = form.active.data


@bp.route("/tema/ny", methods=["GET", "POST"])
@roles_required(GROUP_USERS)
def new_theme():
    form = ThemeForm()
    if form.validate_on_submit():
        if services.theme_name_taken(form.name.data):
            form.name.errors = ["Der findes allerede en gruppe med det tema."]
        else:
            theme = GroupTheme()
            _theme_from_form(theme, form)
            db.session.add(theme)
            db.session.flush()
            audit.record("group_theme_created", "group_theme", theme.id)
            db.session.commit()
            flash(f"Gruppen »{theme.name}« er oprettet i kataloget.", "success")
            return redirect(url_for("groups.index"))
    return render_template("groups/theme_form.html", form=form, theme=None), 422 if form.errors else 200


@bp.route("/tema/<db_id:theme_id>", methods=["GET", "POST"])
@roles_required(GROUP_USERS)
def edit_theme(theme_id: int):
    theme = db.get_or_404(GroupTheme, theme_id)
    form = ThemeForm(obj=theme)
    if form.validate_on_submit():
        if services.theme_name_taken(form.name.data, theme.id):
            form.name.errors = ["Der findes allerede en gruppe med det tema."]
        else:
            _theme_from_form(theme, form)
            audit.record("group_theme_changed", "group_theme", theme.id)
            db.session.commit()
            flash(f"Gruppen »{theme.name}« er gemt.", "success")
            return redirect(url_for("groups.index"))
    return render_template("groups/theme_form.html", form=form, theme=theme), 422 if form.errors else 200


# --- runs ------------------------------------------------------------------------------------------


@bp.route("/tema/<db_id:theme_id>/nyt-hold", methods=["GET", "POST"])
@roles_required(GROUP_USERS)
def new_run(theme_id: int):
    theme = db.get_or_404(GroupTheme, theme_id)
    if request.method == "GET":
        start = today_local()
        form = RunForm(formdata=None, team_number=services.next_team_number(start), start_date=start, at=time(10),
                       meetings=theme.usual_meetings, minutes=theme.meeting_minutes, place=theme.place,
                       capacity=theme.max_participants, facilitator1=current_user.id).setup()
        return render_template("groups/run_new.html", form=form, theme=theme, error=None)
    form = RunForm().setup()
    error = None
    if form.validate_on_submit():
        if services.team_number_taken(form.team_number.data):
            form.team_number.errors = ["Holdnummeret er brugt – vælg et andet."]
        else:
            try:
                run = services.create_run(
                    theme, team_number=form.team_number.data, start_date=form.start_date.data,
                    end_date=form.end_date.data, at=form.at.data, meetings=form.meetings.data,
                    minutes=form.minutes.data,
                    place=form.place.data if form.place.data in vocab.PLACES else theme.place,
                    capacity=form.capacity.data, facilitator1_id=form.facilitator1.data,
                    facilitator2_id=form.facilitator2.data, user=current_user)
            except GroupError as exc:
                db.session.rollback()
                error = str(exc)
            else:
                audit.record("group_run_created", "group_run", run.id, details=run.team_number)
                db.session.commit()
                flash(f"Hold {run.team_number} ({theme.name}) er oprettet.", "success")
                return redirect(url_for("groups.run", run_id=run.id))
    theme = db.get_or_404(GroupTheme, theme_id)
    return render_template("groups/run_new.html", form=form, theme=theme, error=error), 422


def _run_context(run: GroupRun, *, meeting_form=None, enrol_form=None, error=None, message=None,
                 offer_waiting_list=None, section=None):
    today = today_local()
    meetings = services.run_meetings(run.id)
    counts = services.attendance_counts([m.id for m in meetings])
    chart = fit.group_run_chart(meetings, today)
    if meeting_form is None:
        last = meetings[-1] if meetings else None
        meeting_form = MeetingForm(formdata=None, day=None, at=local(last.starts_at).time() if last else time(10),
                                   minutes=last.duration_minutes if last else run.theme.meeting_minutes)
    if enrol_form is None:
        enrol_form = EnrolForm(formdata=None, start_date=max(today, run.start_date))
    rows = services.enrolments(run.id)
    return {
        "run": run, "meetings": meetings, "counts": counts, "chart": chart, "today": today,
        "enrolled": [e for e in rows if not e.waiting],
        "waiting": [e for e in rows if e.waiting and (e.stop_date is None or e.stop_date > today)],
        "taken": services.places_taken(run.id, today), "meeting_form": meeting_form, "enrol_form": enrol_form,
        "stop_form": StopForm(formdata=None, stop_date=today), "error": error, "message": message,
        "offer_waiting_list": offer_waiting_list, "section": section, "attendance": vocab.ATTENDANCE,
    }


def _run_or_404(run_id: int) -> GroupRun:
    return db.get_or_404(GroupRun, run_id)


@bp.get("/hold/<db_id:run_id>")
@roles_required(GROUP_USERS)
@writes_on_read
def run(run_id: int):
    group_run = _run_or_404(run_id)
    context = _run_context(group_run)
    named = [e.citizen_id for e in context["enrolled"] + context["waiting"]]
    audit.record_many("group_run_viewed", named, "group_run", group_run.id)
    db.session.commit()
    return partial_or_page("groups/run.html", "groups/_run.html", **context)


def _run_response(run_id: int, status: int = 200, **context):
    return partial_or_page("groups/run.html", "groups/_run.html", status=status,
                           **_run_context(_run_or_404(run_id), **context))


@bp.route("/hold/<db_id:run_id>/rediger", methods=["GET", "POST"])
@roles_required(GROUP_USERS)
def edit_run(run_id: int):
    group_run = _run_or_404(run_id)
    if request.method == "GET":
        saved_now = run_form_values(group_run)
        form = RunEditForm(formdata=None, **saved_now).setup()
        return render_template("groups/run_edit.html", form=form, run=group_run, error=None,
                               state=versioning.opened(group_run, saved_now))
    versioning.lock(group_run)
    saved_now = run_form_values(group_run)
    form = RunEditForm().setup()
    error = None
    state = versioning.carried(request.form, group_run, saved_now)
    if form.validate_on_submit():
        state = versioning.check(group_run, form, saved_now, request.form, current_user)
        if not state.ok:
            # Nothing is saved; the form shows the other saved values beside what was chosen.
            return render_template("groups/run_edit.html", form=form, run=group_run, error=None,
                                   state=state), state.status
        try:
            services.update_run(group_run, end_date=form.end_date.data,
                                place=form.place.data if form.place.data in vocab.PLACES else group_run.place,
                                capacity=form.capacity.data, facilitator1_id=form.facilitator1.data,
                                facilitator2_id=form.facilitator2.data, saved_by=current_user)
        except GroupError as exc:
            db.session.rollback()
            error = str(exc)
            state = versioning.carried(request.form, group_run, saved_now)
        else:
            audit.record("group_run_changed", "group_run", group_run.id)
            db.session.commit()
            flash("Holdet er gemt." + (" " + versioning.MSG_TAKEN if state.taken else ""), "success")
            return redirect(url_for("groups.run", run_id=run_id))
    return render_template("groups/run_edit.html", form=form, run=_run_or_404(run_id), error=error,
                           state=state), 422


@bp.post("/hold/<db_id:run_id>/moeder")
@roles_required(GROUP_USERS)
def add_meeting(run_id: int):
    group_run = _run_or_404(run_id)
    form = MeetingForm()
    error = None
    if form.validate_on_submit():
        try:
            meeting = services.add_meeting(group_run, form.day.data, form.at.data, form.minutes.data)
        except GroupError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            audit.record("group_meeting_added", "group_run", run_id, details=f"meeting {meeting.id}")
            db.session.commit()
            message = f"Mødet {local(meeting.starts_at):%d.%m.%Y kl. %H:%M} er tilføjet."
            if not htmx_request():
                flash(message, "success")
                return redirect(url_for("groups.run", run_id=run_id))
            return _run_response(run_id, message=message, section="meetings")
    return _run_response(run_id, 422, meeting_form=form, error=error, section="meetings")


@bp.post("/hold/<db_id:run_id>/moeder/<db_id:meeting_id>/aflys")
@roles_required(GROUP_USERS)
def toggle_cancelled(run_id: int, meeting_id: int):
    group_run = _run_or_404(run_id)
    try:
        meeting = services.meeting_of_run(group_run, meeting_id)
    except GroupError:
        abort(404)
    services.set_meeting_cancelled(meeting, not meeting.cancelled)
    audit.record("group_meeting_" + ("cancelled" if meeting.cancelled else "reinstated"), "group_run", run_id,
                 details=f"meeting {meeting.id}")
    db.session.commit()
    if not htmx_request():
        return redirect(url_for("groups.run", run_id=run_id))
    return _run_response(run_id, section="meetings")


@bp.post("/hold/<db_id:run_id>/borgere")
@roles_required(GROUP_USERS)
def citizen_search(run_id: int):
    """The enrolment search (a POST, so that whatever is typed – a CPR number too – stays out of URLs)."""
    group_run = _run_or_404(run_id)
    query = request.form.get("q", "")
    found = find_citizens(query)
    if query.strip():
        audit.record_many("citizen_search", [c.id for c in found], "citizen_search",
                          details=masked_search_terms(query))
        db.session.commit()
    return render_template("groups/_citizen_results.html", run=group_run, found=found, query=query)


@bp.post("/hold/<db_id:run_id>/tilmeld")
@roles_required(GROUP_USERS)
def enrol(run_id: int):
    group_run = _run_or_404(run_id)
    form = EnrolForm()
    error = None
    offer = None
    if form.validate_on_submit():
        citizen = db.session.get(Citizen, form.citizen_id.data)
        if citizen is None:
            form.citizen_id.errors = ["Borgeren findes ikke – søg igen."]
        else:
            try:
                enrolment = services.enrol(group_run, citizen, form.start_date.data, current_user,
                                           waiting_list=form.waiting_list.data)
            except CapacityError as exc:
                db.session.rollback()
                error, offer = str(exc), citizen
            except GroupError as exc:
                db.session.rollback()
                error = str(exc)
            else:
                audit.record("group_" + ("waiting_list" if enrolment.waiting else "enrolled"), "citizen", citizen.id,
                             details=f"run {run_id}")
                db.session.commit()
                where = "sat på ventelisten" if enrolment.waiting else "tilmeldt holdet"
                message = f"{citizen.first_name} er {where}."
                hints = _activity_hints(enrolment)
                if not htmx_request():
                    flash(message, "success")
                    for hint in hints:
                        flash(hint, "info")
                    return redirect(url_for("groups.run", run_id=run_id))
                return _run_response(run_id, message=" ".join([message, *hints]), section="enrolment")
    return _run_response(run_id, 422, enrol_form=form, error=error, offer_waiting_list=offer, section="enrolment")


def _activity_hints(enrolment: GroupEnrolment) -> list[str]:
    """The soft guideline of at most three municipal activities: a hint after enrolling, never a block."""
    from ..citizens.models import Course

    if enrolment.waiting or enrolment.course_id is None:
        return []
    course = db.session.get(Course, enrolment.course_id)
    return [hint for hint in fit.course_guideline(course).hints if "kommunale aktiviteter" in hint]


def _enrolment_or_404(run_id: int, enrolment_id: int) -> GroupEnrolment:
    enrolment = db.get_or_404(GroupEnrolment, enrolment_id)
    if enrolment.run_id != run_id:
        abort(404)
    return enrolment


@bp.post("/hold/<db_id:run_id>/tilmeldinger/<db_id:enrolment_id>/stop")
@roles_required(GROUP_USERS)
def stop(run_id: int, enrolment_id: int):
    enrolment = _enrolment_or_404(run_id, enrolment_id)
    form = StopForm()
    error = None
    if form.validate_on_submit():
        try:
            services.stop_enrolment(enrolment, form.stop_date.data)
        except GroupError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            audit.record("group_stopped", "citizen", enrolment.citizen_id, details=f"run {run_id}")
            db.session.commit()
            if not htmx_request():
                return redirect(url_for("groups.run", run_id=run_id))
            return _run_response(run_id, message="Stopdatoen er gemt.", section="enrolment")
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    return _run_response(run_id, 422, error=error, section="enrolment")


@bp.post("/hold/<db_id:run_id>/tilmeldinger/<db_id:enrolment_id>/optag")
@roles_required(GROUP_USERS)
def admit(run_id: int, enrolment_id: int):
    enrolment = _enrolment_or_404(run_id, enrolment_id)
    try:
        services.admit_from_waiting_list(enrolment)
    except GroupError as exc:
        db.session.rollback()
        return _run_response(run_id, 422, error=str(exc), section="enrolment")
    audit.record("group_enrolled", "citizen", enrolment.citizen_id, details=f"run {run_id} from waiting list")
    db.session.commit()
    if not htmx_request():
        return redirect(url_for("groups.run", run_id=run_id))
    return _run_response(run_id, message="Borgeren er optaget på holdet.", section="enrolment")


# --- attendance ------------------------------------------------------------------------------------


def _meeting_or_404(meeting_id: int) -> GroupMeeting:
    return db.get_or_404(GroupMeeting, meeting_id)


@bp.get("/moede/<db_id:meeting_id>")
@roles_required(GROUP_USERS)
@writes_on_read
def meeting(meeting_id: int):
    group_meeting = _meeting_or_404(meeting_id)
    rows = services.attendance_rows(group_meeting)
    gsrs_done = _gsrs_done(group_meeting.id)
    audit.record_many("group_meeting_viewed", [row.citizen.id for row in rows], "group_meeting", group_meeting.id)
    db.session.commit()
    return partial_or_page("groups/meeting.html", "groups/_attendance.html", meeting=group_meeting, rows=rows,
                           attendance=vocab.ATTENDANCE, gsrs_done=gsrs_done, today=today_local())


def _gsrs_done(meeting_id: int) -> dict[int, object]:
    from ..outcomes.models import FitScore

    return {s.citizen_id: s for s in db.session.scalars(
        select(FitScore).where(FitScore.group_meeting_id == meeting_id, FitScore.scale == "GSRS"))}


@bp.post("/moede/<db_id:meeting_id>/fremmoede")
@roles_required(GROUP_USERS)
def attendance(meeting_id: int):
    group_meeting = _meeting_or_404(meeting_id)
    citizen_id = request.form.get("citizen_id", "")
    status = request.form.get("status", "")
    error = None
    citizen_key = fit.small_int(citizen_id)
    citizen = db.session.get(Citizen, citizen_key) if citizen_key is not None else None
    if citizen is None:
        error = "Borgeren findes ikke."
    else:
        try:
            stored = services.record_attendance(group_meeting, citizen.id, status, current_user)
        except GroupError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            audit.record("group_attendance_recorded", "citizen", citizen.id,
                         details=f"meeting {meeting_id} {stored or 'cleared'}")
            db.session.commit()
            if not htmx_request():
                return redirect(url_for("groups.meeting", meeting_id=meeting_id))
            row = services.AttendanceRow(citizen, stored, True)
            return render_template("groups/_attendance_row.html", meeting=group_meeting, row=row,
                                   attendance=vocab.ATTENDANCE, gsrs=_gsrs_done(meeting_id).get(citizen.id),
                                   today=today_local())
    group_meeting = _meeting_or_404(meeting_id)
    return partial_or_page("groups/meeting.html", "groups/_attendance.html", status=422, meeting=group_meeting,
                           rows=services.attendance_rows(group_meeting), attendance=vocab.ATTENDANCE,
                           gsrs_done=_gsrs_done(meeting_id), error=error, today=today_local())


# --- the entrance board ----------------------------------------------------------------------------


@bp.get("/aktuelle")
@public
def current_groups():
    """For the screen in the entrance: themes, start dates, times and place. No names, no counts
    of people – so it needs no login and cannot lock."""
    today = today_local()
    return partial_or_page("groups/current.html", "groups/_current.html", groups=services.entrance_board(today),
                           today=today)
