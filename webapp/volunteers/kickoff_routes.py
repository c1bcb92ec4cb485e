"""Booking the kick-off meeting (#12 item 4): from the Friday agenda, the coordinator's home or the
citizen page. Booking invites the volunteer coordinator; the meeting shows on the day board and on
her home, and the citizen gets a reminder like for other meetings."""

from datetime import time, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit
from ..access import roles_required
from ..auth.models import User
from ..auth.roles import KICKOFF_BOOKERS, STAFF_LIKE, VOLUNTEER_COORDINATOR
from ..auth.services import staff_members
from ..board import Slot, SlotItem, board_slot
from ..citizens import milestones as ms
from ..citizens.hooks import citizen_section
from ..citizens.models import Citizen, Course
from ..citizens.register import CitizenError
from ..database import writes_on_read
from ..extensions import db
from ..permissions import may, object_rule
from ..timeutil import local, today_local
from ..urls import safe_next
from . import bp
from . import kickoff as rules
from .kickoff_forms import KickoffForm


def _coordinator_only(user) -> bool:
    return user.has_any_role({VOLUNTEER_COORDINATOR}) and not user.has_any_role(KICKOFF_BOOKERS - {VOLUNTEER_COORDINATOR})


def may_book(user, course_id: int, **_) -> bool:
    """Medarbejdere and the leader book any course's kick-off; the coordinator those proposed to her,
    booked with her, or of a citizen her requests and matches tie her to (need to know)."""
    from .bridge import links_coordinator

    course = db.session.get(Course, course_id)
    if not _coordinator_only(user) or course is None:
        return True  # a course that does not exist is the view's 404
    today = today_local()
    if rules.course_open_to_coordinator(course_id, user.id, today):
        return True
    return course.end_date is None and links_coordinator(course.citizen_id, today)


def _choices(form: KickoffForm, meeting) -> None:
    include = [meeting.staff1_id, meeting.staff2_id] if meeting is not None else []
    staff = [u for u in staff_members(include) if not _coordinator_only(u)]
    form.staff.choices = [("", "Vælg …")] + [(u.id, u.full_name) for u in staff]
    coordinators = rules.coordinators([meeting.staff2_id] if meeting is not None else [])
    form.coordinator.choices = [("", "Vælg …")] + [(u.id, u.full_name) for u in coordinators]


def _user(user_id, roles) -> User | None:
    user = db.session.get(User, user_id) if user_id else None
    return user if user is not None and user.active and user.has_any_role(roles) else None


@bp.route("/forloeb/<db_id:course_id>/kickoff", methods=["GET", "POST"])
@roles_required(KICKOFF_BOOKERS)
@object_rule(may_book)
@writes_on_read
def book_kickoff(course_id: int):
    course = db.get_or_404(Course, course_id)
    citizen = db.session.get(Citizen, course.citizen_id)
    today = today_local()
    meeting = rules.kickoff_for_course(course.id)
    form = KickoffForm()
    _choices(form, meeting)
    back = safe_next(request.values.get("next")) or (
        url_for("citizens.page", citizen_id=citizen.id) if may("citizens.page", citizen_id=citizen.id) else "/")
    if request.method == "GET":
        if meeting is not None:
            at = local(meeting.starts_at)
            form.date.data, form.time.data = at.date(), at.time().replace(second=0, microsecond=0)
            form.staff.data, form.coordinator.data = meeting.staff1_id, meeting.staff2_id
        else:
            # A suggestion: a week from today, inside the course, at ten.
            form.date.data = min(today + timedelta(days=7), ms.latest_end(course.start_date))
            form.time.data = time(10, 0)
            form.staff.data = current_user.id if not _coordinator_only(current_user) else None
            if not _coordinator_only(current_user):
                coordinators = rules.coordinators()
                form.coordinator.data = coordinators[0].id if len(coordinators) == 1 else None
            else:
                form.coordinator.data = current_user.id
    elif form.validate():
        booking = rules.KickoffBooking(form.date.data, form.time.data, _user(form.staff.data, STAFF_LIKE),
                                       _user(form.coordinator.data, {VOLUNTEER_COORDINATOR}))
        moved = meeting is not None
        try:
            meeting = rules.book_kickoff(course, booking, current_user, today)
        except CitizenError as error:
            db.session.rollback()
            target = getattr(form, error.field, None) if error.field else None
            (target.errors.append(str(error)) if target is not None and isinstance(target.errors, list)
             else form.form_errors.append(str(error)))
        else:
            if moved:
                audit.record("kickoff_moved", "meeting", meeting.id, citizen_id=citizen.id)
            else:
                audit.record("kickoff_booked", "meeting", meeting.id, citizen_id=citizen.id)
            db.session.commit()
            when = local(meeting.starts_at)
            flash(f"Kick-off-mødet er {'flyttet til' if moved else 'booket'} {when:%d.%m.%Y} kl. {when:%H.%M}; "
                  "frivilligkoordinatoren er inviteret.", "success")
            return redirect(back)
    if request.method == "POST":
        audit.record("kickoff_refused", "course", course.id, citizen_id=citizen.id)
    else:
        audit.record("kickoff_form_opened", "course", course.id, citizen_id=citizen.id)
    db.session.commit()
    candidate = next(iter(rules.kickoff_candidates(today, [course.id])), None)
    return render_template(
        "volunteers/kickoff.html", course=course, citizen=citizen, form=form, meeting=meeting, back=back,
        week=ms.course_week(course.start_date, today), candidate=candidate,
        next_value=safe_next(request.values.get("next")) or "",
    ), (422 if request.method == "POST" else 200)


# --- on the day board and the citizen page -------------------------------------------------------


@board_slot
def kickoffs_today(day):
    """Today's kick-offs like the other meetings: time, the citizen's initials, the staff's initials."""
    from ..groups.services import staff_initials

    booked = rules.kickoffs_between(day, day)
    initials = staff_initials(k.coordinator_id for k in booked)
    items = []
    for k in booked:
        text = (f"{local(k.starts_at):%H:%M} {initials_of(k.first_name, k.last_name)}"
                f"{' · med ' + initials[k.coordinator_id] if k.coordinator_id in initials else ''}")
        items.append(SlotItem(text, citizen_id=k.citizen_id, discreet=text))  # time and initials only
    # Open on the tablet like the other meetings of the day: the host greets whoever arrives.
    return Slot("Kick-off-møder i dag", items, folded=False, noun=("møde", "møder"))


def initials_of(first_name: str, last_name: str) -> str:
    return "".join(p[0].upper() + "." for p in [first_name, *last_name.split()] if p)


@citizen_section
def kickoff_section(citizen, open_course):
    """The course's kick-off: booked (when, with whom) or proposed, with the booking link."""
    if open_course is None:
        return None
    meeting = rules.kickoff_for_course(open_course.id)
    candidate = next(iter(rules.kickoff_candidates(today_local(), [open_course.id])), None)
    if meeting is None and candidate is None:
        return None
    return "volunteers/_kickoff_section.html", {"course": open_course, "meeting": meeting, "candidate": candidate,
                                                "citizen": citizen}
