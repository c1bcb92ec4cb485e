"""Citizen views for guide conversations (book, hold) and courses (start, close, week-10
assessment) and their meetings. The register's views and the shared helpers are in routes.py."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import roles_required
from ..database import writes_on_read
from ..extensions import db
from ..timeutil import local, today_local, utcnow
from ..urls import parse_id
from . import bp, services, vocab
from .forms import (
    AssessmentForm,
    BookGuideForm,
    CloseCourseForm,
    HoldGuideForm,
    MeetingForm,
    MeetingStatusForm,
    SelectChoice,
    StartCourseForm,
)
from .models import Citizen, Course, GuideConversation, Meeting
from .routes import CITIZEN_ROLES, _audit, _citizen, _fail, _staff_choices, _user
from .services import CitizenError

# --- guide conversations ---------------------------------------------------------------------------


@bp.route("/borgere/<db_id:citizen_id>/guidesamtale", methods=["GET", "POST"])
@roles_required(CITIZEN_ROLES)
@writes_on_read
def book_guide(citizen_id: int):
    citizen = _citizen(citizen_id)
    form = BookGuideForm()
    if form.validate_on_submit():
        try:
            services.book_guide_conversation(
                citizen, services.local_datetime(form.date.data, form.time.data), current_user
            )
        except CitizenError as error:
            _fail(form, error)
        else:
            _audit("guide_booked", citizen)
            db.session.commit()
            flash("Guidesamtalen er booket.", "success")
            return redirect(url_for("citizens.page", citizen_id=citizen.id))
    _audit("guide_booking_refused" if request.method == "POST" else "guide_booking_opened", citizen)
    db.session.commit()
    hold_form = _hold_form(None)
    status = 422 if form.errors else 200
    return render_template(
        "citizens/guide.html", citizen=citizen, form=form, hold_form=hold_form, conversation=None
    ), status


def _hold_form(conversation: GuideConversation | None, formdata=None) -> HoldGuideForm:
    form = HoldGuideForm(formdata=formdata) if formdata is not None else HoldGuideForm()
    form.staff1.choices = _staff_choices("Vælg …")
    form.staff2.choices = _staff_choices()
    if request.method == "GET":
        now = local(conversation.scheduled_at) if conversation else local(utcnow())
        form.date.data = now.date()
        form.time.data = now.time().replace(second=0, microsecond=0)
        form.staff1.data = str(current_user.id)
    return form


@bp.post("/borgere/<db_id:citizen_id>/guidesamtale/afholdt")
@roles_required(CITIZEN_ROLES)
def hold_guide_now(citizen_id: int):
    """A guide conversation held at once (not booked first)."""
    citizen = _citizen(citizen_id)
    conversation = GuideConversation(
        citizen_id=citizen.id, created_by_id=current_user.id, status="booket", scheduled_at=utcnow()
    )
    return _hold(citizen, conversation, is_new=True)


@bp.route("/guidesamtaler/<db_id:conversation_id>", methods=["GET", "POST"])
@roles_required(CITIZEN_ROLES)
@writes_on_read
def guide(conversation_id: int):
    conversation = db.get_or_404(GuideConversation, conversation_id)
    if conversation.citizen_id is None:
        abort(404)
    citizen = _citizen(conversation.citizen_id)
    if request.method == "GET":
        _audit("guide_opened", citizen)
        db.session.commit()
        return render_template(
            "citizens/guide.html",
            citizen=citizen,
            form=None,
            hold_form=_hold_form(conversation),
            conversation=conversation,
        )
    return _hold(citizen, conversation, is_new=False)


def _hold(citizen: Citizen, conversation: GuideConversation, is_new: bool):
    form = _hold_form(conversation)
    if form.validate_on_submit():
        result = services.GuideResult(
            held_at=services.local_datetime(form.date.data, form.time.data),
            duration_minutes=form.duration_minutes.data,
            staff1=_user(form.staff1.data),
            staff2=_user(form.staff2.data),
            others_present=form.others_present.data or "",
            outcome=form.outcome.data or "",
            direct_authority_reason=form.direct_authority_reason.data or "",
        )
        try:
            if is_new:
                db.session.add(conversation)
            services.hold_guide_conversation(conversation, result, utcnow())
        except CitizenError as error:
            _fail(form, error)
        else:
            _audit("guide_held", citizen, vocab.GUIDE_OUTCOMES[result.outcome])
            if conversation.lacks_authority_experience:
                flash("Ingen af jer havde myndighedserfaring – samtalen kommer på fredagsmødet.", "info")
            db.session.commit()
            if result.outcome == "forloeb" and services.open_course(citizen.id) is None:
                flash("Samtalen er registreret. Start forløbet, når borgeren siger ja.", "success")
                return redirect(url_for("citizens.page", citizen_id=citizen.id, start=1) + "#forloeb")
            if result.outcome == "frivilligt_tilbud":  # #12: on to the volunteer request, prefilled
                flash("Samtalen er registreret. Efterlys det frivillige tilbud her.", "success")
                return redirect(url_for("volunteers.request_new", citizen_id=citizen.id, fra="guidesamtale",
                                        samtale=conversation.id))
            flash("Samtalen er registreret.", "success")
            return redirect(url_for("citizens.page", citizen_id=citizen.id))
    _audit("guide_refused", citizen)
    db.session.commit()
    return render_template(
        "citizens/guide.html", citizen=citizen, form=None, hold_form=form, conversation=None if is_new else conversation
    ), 422


# --- courses ---------------------------------------------------------------------------------------


@bp.post("/borgere/<db_id:citizen_id>/forloeb")
@roles_required(CITIZEN_ROLES)
def start_course(citizen_id: int):
    citizen = _citizen(citizen_id)
    form = StartCourseForm()
    if form.validate_on_submit():
        guide = db.session.scalar(
            select(GuideConversation)
            .where(GuideConversation.citizen_id == citizen.id, GuideConversation.status == "afholdt")
            .order_by(GuideConversation.scheduled_at.desc())
        )
        try:
            course = services.start_course(citizen, current_user, form.start_date.data, today_local(), guide)
        except CitizenError as error:
            flash(str(error), "error")
            db.session.rollback()
        else:
            _audit("course_started", citizen, "tilbagevenden" if course.is_return else None)
            _open_plan(course)
            db.session.commit()
            flash(
                "Velkommen tilbage – et nyt forløb er startet." if course.is_return else "Forløbet er startet.",
                "success",
            )
            if "plans.plan_page" in current_app.view_functions:
                return redirect(url_for("plans.plan_page", course_id=course.id))
            return redirect(url_for("citizens.page", citizen_id=citizen.id))
    else:
        flash(" ".join(e for errors in form.errors.values() for e in errors) or "Forløbet blev ikke startet.", "error")
    _audit("course_start_refused", citizen)
    db.session.commit()
    return redirect(url_for("citizens.page", citizen_id=citizen.id) + "#forloeb")


def _open_plan(course: Course) -> None:
    """Min Plan opens with the course (Mine grunde og motivation, Mit mål)."""
    try:
        from ..plans.services import get_or_create_plan
    except ImportError:
        from ..plans.models import Plan

        db.session.add(Plan(course_id=course.id, updated_by_id=current_user.id))
        db.session.flush()
        return
    get_or_create_plan(course, current_user)


def _course(course_id: int) -> tuple[Course, Citizen]:
    course = db.get_or_404(Course, course_id)
    return course, _citizen(course.citizen_id)


@bp.route("/forloeb/<db_id:course_id>/afslut", methods=["GET", "POST"])
@roles_required(CITIZEN_ROLES)
@writes_on_read
def close_course(course_id: int):
    course, citizen = _course(course_id)
    form = CloseCourseForm()
    if request.method == "GET":
        form.end_date.data = today_local()
    if form.validate_on_submit():
        closing = services.Closing(
            end_date=form.end_date.data,
            stop_reason=form.stop_reason.data or "",
            next_step=form.next_step.data or "",
            goal_attainment=form.goal_attainment.data or "",
            stop_reason_text=form.stop_reason_text.data or "",
        )
        try:
            services.close_course(course, closing, current_user, today_local())
        except CitizenError as error:
            _fail(form, error)
            course, citizen = _course(course_id)
        else:
            _audit("course_closed", citizen, closing.stop_reason)
            db.session.commit()
            flash("Forløbet er afsluttet. Husk: borgeren er altid velkommen tilbage.", "success")
            return redirect(url_for("citizens.page", citizen_id=citizen.id))
    _audit("course_close_refused" if request.method == "POST" else "course_close_opened", citizen)
    db.session.commit()
    milestones = services.course_milestones(course, today_local())
    return render_template(
        "citizens/close.html", course=course, citizen=citizen, form=form, milestones=milestones
    ), 422 if form.errors else 200


@bp.post("/forloeb/<db_id:course_id>/vurdering")
@roles_required(CITIZEN_ROLES)
def record_assessment(course_id: int):
    course, citizen = _course(course_id)
    form = AssessmentForm()
    if form.validate_on_submit():
        try:
            services.record_assessment(course, form.assessment_date.data, today_local())
        except CitizenError as error:
            db.session.rollback()
            flash(str(error), "error")
            _audit("assessment_refused", citizen)
        else:
            _audit("assessment_recorded", citizen)
            flash("Vurderingen af fremtidige behov er registreret.", "success")
    else:
        flash("Skriv en gyldig dato for vurderingen.", "error")
        _audit("assessment_refused", citizen)
    db.session.commit()
    return redirect(url_for("citizens.page", citizen_id=citizen.id) + "#forloeb")


@bp.route("/borgere/<db_id:citizen_id>/moeder/ny", methods=["GET", "POST"])
@roles_required(CITIZEN_ROLES)
@writes_on_read
def new_meeting(citizen_id: int):
    citizen = _citizen(citizen_id)
    course = services.open_course(citizen.id)
    form = MeetingForm()
    form.staff1.choices = _staff_choices("Vælg …")
    form.staff2.choices = _staff_choices()
    form.relative_id.choices = [SelectChoice("", "Ingen")] + [
        SelectChoice(str(r.id), f"{r.name} ({r.relation})" if r.relation else r.name) for r in citizen.relatives
    ]
    if request.method == "GET":
        now = local(utcnow())
        form.kind.data = (
            request.args.get("type", "opfoelgning")
            if request.args.get("type") in vocab.FORM_MEETING_KINDS
            else "opfoelgning"
        )
        form.date.data = now.date()
        form.time.data = now.time().replace(second=0, microsecond=0)
        form.status.data = "afholdt"
        form.staff1.data = str(current_user.id)
    if form.validate_on_submit():
        data = services.MeetingData(
            kind=form.kind.data,
            day=form.date.data,
            at=form.time.data,
            duration_minutes=form.duration_minutes.data,
            status=form.status.data,
            staff1=_user(form.staff1.data),
            staff2=_user(form.staff2.data),
            relative_id=parse_id(form.relative_id.data),
        )
        try:
            meeting = services.add_meeting(citizen, course, data, current_user, today_local())
            if meeting.kind == "opfoelgning" and course is not None and meeting.status == "afholdt":
                _write_follow_up(course, meeting)
        except CitizenError as error:
            _fail(form, error)
        else:
            _audit("meeting_added", citizen, vocab.MEETING_KINDS[meeting.kind])
            db.session.commit()
            flash(f"{vocab.MEETING_KINDS[meeting.kind]} er registreret.", "success")
            return redirect(url_for("citizens.page", citizen_id=citizen.id))
    _audit("meeting_refused" if request.method == "POST" else "meeting_form_opened", citizen)
    db.session.commit()
    return render_template("citizens/meeting.html", citizen=citizen, course=course, form=form), (
        422 if form.errors else 200
    )


def _write_follow_up(course: Course, meeting: Meeting) -> None:
    """A held follow-up writes a Min Plan follow-up the staff fills in with the citizen."""
    try:
        from ..plans.services import add_follow_up, get_or_create_plan
    except ImportError:
        return
    plan = get_or_create_plan(course, current_user)
    add_follow_up(plan, local(meeting.starts_at).date(), current_user, meeting_id=meeting.id)


@bp.post("/moeder/<db_id:meeting_id>/status")
@roles_required(CITIZEN_ROLES)
def meeting_status(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    citizen = _citizen(meeting.citizen_id)
    form = MeetingStatusForm()
    if form.validate_on_submit():
        try:
            services.set_meeting_status(meeting, form.status.data, today_local())
        except CitizenError as error:
            db.session.rollback()
            flash(str(error), "error")
            _audit("meeting_status_refused", citizen)
        else:
            _audit("meeting_status_changed", citizen, form.status.data)
    else:
        _audit("meeting_status_refused", citizen)
    db.session.commit()
    return redirect(url_for("citizens.page", citizen_id=citizen.id))
