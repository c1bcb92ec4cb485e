"""The Friday meeting: the agenda for a date, projector mode, decisions recorded in the room,
the minutes as PDF. The unit leader and the authority leader decide; staff see and propose."""

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import audit, versioning
from ..access import roles_required
from ..auth.roles import AUTHORITY, LEADER, STAFF_LIKE
from ..auth.services import staff_choices
from ..citizens.models import Citizen, Course, GuideConversation
from ..database import writes_on_read
from ..extensions import db
from ..forms import options
from ..handover import consents
from ..handover import services as handover_services
from ..handover.forms import DirectDecisionForm
from ..handover.models import DIRECT_DECISIONS, HANDOVER_RECIPIENT, DirectAuthorityProposal
from ..pdf import pdf_response, render_pdf
from ..permissions import object_rule
from ..timeutil import format_date, today_local, utcnow
from ..urls import parse_day, parse_id, parse_small_int, safe_next
from . import bp, services
from .forms import DecisionForm, DoneForm
from .models import MeetingDecision
from .rules import may_mark_decision_done, meeting_date_for, previous_meeting_date

MEETING_VIEWERS = STAFF_LIKE | {AUTHORITY}
DECIDERS = frozenset({LEADER, AUTHORITY})


def can_decide() -> bool:
    return current_user.has_any_role(DECIDERS)


def _parse_date(text) -> date:
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


def responsible_choices() -> list[tuple[str, str]]:
    return staff_choices(blank="Ingen valgt", roles=STAFF_LIKE | {AUTHORITY})


def _decision_form(item_key: str = "", back: str = "", formdata=None) -> DecisionForm:
    form = DecisionForm() if formdata is not None else DecisionForm(formdata=None, item_key=item_key, back=back)
    form.responsible_id.choices = options(responsible_choices())
    return form


def _common(agenda, **extra):
    return {
        "agenda": agenda,
        "can_decide": can_decide(),
        "staff_view": current_user.has_any_role(STAFF_LIKE),
        "direct_decisions": DIRECT_DECISIONS,
        "previous_date": previous_meeting_date(agenda.meeting_date),
        "next_date": agenda.meeting_date + timedelta(days=7),
        "done_form": DoneForm(formdata=None),
        **extra,
    }


def _direct_values(proposal) -> dict:
    """The decision on a proposal as saved now, in DirectDecisionForm's fields (what the version
    check compares); empty for a guide conversation nobody has proposed yet."""
    if proposal is None:
        return {"decision": None, "note": None}
    return {"decision": proposal.decision, "note": proposal.decision_note}


def _direct_state_for(item):
    return versioning.opened(item.proposal, _direct_values(item.proposal))


def _direct_form_for(item, back: str) -> DirectDecisionForm:
    return DirectDecisionForm(
        formdata=None,
        proposal_id=item.proposal.id if item.proposal else "",
        guide_conversation_id=item.guide_conversation_id or "",
        back=back,
        decision=item.proposal.decision if item.proposal else None,
        note=item.proposal.decision_note if item.proposal else None,
    )


def _agenda_url(the_agenda, item=None) -> str:
    url = url_for("meeting.agenda", dato=the_agenda.meeting_date.isoformat())
    return url + (f"#punkt-{item.number}" if item is not None else "")


AGENDA_SECTION_LIMIT = 25


def _agenda_page(the_agenda, status: int = 200, *, punkt: int | None = None, decision_form=None,
                 direct_form=None, error_key: str | None = None, direct_state=None):
    # Forms only for the one item being decided (the page may list hundreds): "Registrér
    # beslutning" opens them with ?punkt=N, and a re-render after bad input keeps them open.
    chosen_key = error_key
    if can_decide() and punkt and (chosen := the_agenda.item(punkt)) is not None:
        chosen_key = chosen.key
        if decision_form is None:
            decision_form = _decision_form(chosen.key, _agenda_url(the_agenda, chosen))
        if direct_form is None and chosen.can_decide_direct:
            direct_form = _direct_form_for(chosen, _agenda_url(the_agenda, chosen))
            direct_state = _direct_state_for(chosen)
    if chosen_key and decision_form is None and (item := the_agenda.find(chosen_key)) is not None:
        decision_form = _decision_form(item.key, _agenda_url(the_agenda, item))
    return render_template(
        "meeting/agenda.html",
        # A large unit's agenda can hold hundreds of items: each section shows its first ones, and
        # the rest on request (the projector walks them all, one at a time).
        section_limit=AGENDA_SECTION_LIMIT,
        show_all=request.args.get("alle", ""),
        **_common(the_agenda, decision_form=decision_form, direct_form=direct_form, chosen_key=chosen_key,
                  direct_state=direct_state),
    ), status


@bp.get("")
@roles_required(MEETING_VIEWERS)
@writes_on_read
def agenda():
    chosen = request.args.get("dato", "")
    day = parse_day(chosen) if chosen else today_local()
    if day is None:
        flash("Datoen kunne ikke læses – her er dagsordenen for denne uge.", "info")
        day = today_local()
    meeting_date = meeting_date_for(day)
    the_agenda = services.agenda_for(meeting_date)
    punkt = request.args.get("punkt", "")
    punkt = parse_small_int(punkt)
    audit.record_many("meeting_agenda_viewed", _named_on_agenda(the_agenda, punkt), "meeting",
                      meeting_date.isoformat())
    db.session.commit()
    return _agenda_page(the_agenda, punkt=punkt)


def _named_on_agenda(the_agenda, punkt: int | None) -> list[int]:
    """The citizens whose items the agenda page shows (as templates/meeting/agenda.html cuts each
    section: all of a section asked for with ?alle=, or all when an item is opened for a decision)."""
    show_all = request.args.get("alle", "")
    opened = can_decide() and punkt is not None and the_agenda.item(punkt) is not None
    return [
        item.citizen_id
        for section in the_agenda.sections
        for item in (section.items if opened or show_all == section.key else section.items[:AGENDA_SECTION_LIMIT])
    ]


def _projector_page(the_agenda, number: int, status: int = 200, decision_form=None, direct_form=None,
                    direct_state=None):
    item = the_agenda.item(number)
    back = url_for("meeting.projector", date_text=the_agenda.meeting_date.isoformat(), punkt=number)
    if item is not None and decision_form is None:
        decision_form = _decision_form(item.key, back)
    if item is not None and direct_form is None and item.can_decide_direct:
        direct_form = _direct_form_for(item, back)
        direct_state = _direct_state_for(item)
    total = len(the_agenda.items)
    return render_template(
        "meeting/projector.html",
        **_common(the_agenda, item=item, number=number, total=total, decision_form=decision_form,
                  direct_form=direct_form, direct_state=direct_state),
    ), status


@bp.get("/<day:date_text>/projektor")
@roles_required(MEETING_VIEWERS)
@writes_on_read
def projector(date_text: str):
    day = _parse_date(date_text)
    if meeting_date_for(day) != day:
        return redirect(url_for("meeting.projector", date_text=meeting_date_for(day).isoformat()))
    the_agenda = services.agenda_for(day)
    total = len(the_agenda.items)
    number = request.args.get("punkt", "1")
    number = parse_small_int(number, 1)
    number = min(max(number, 1), max(total, 1))
    shown = the_agenda.item(number)
    audit.record("meeting_projector_viewed", "meeting", day.isoformat(), details=f"punkt {number}",
                 citizen_id=shown.citizen_id if shown is not None else None)
    db.session.commit()
    return _projector_page(the_agenda, number)


def _back_to(the_agenda, item, fallback_anchor: bool = True) -> str:
    back = safe_next(request.form.get("back"))
    if back:
        return back
    url = url_for("meeting.agenda", dato=the_agenda.meeting_date.isoformat())
    return url + (f"#punkt-{item.number}" if item is not None and fallback_anchor else "")


def _rerender(the_agenda, item, status: int, **forms):
    """After bad input: the page the form came from, with what was typed and the errors."""
    back = request.form.get("back", "")
    if "/projektor" in back and item is not None:
        return _projector_page(the_agenda, item.number, status, **forms)
    return _agenda_page(the_agenda, status, error_key=item.key if item else None, **forms)


@bp.post("/<day:date_text>/beslutninger")
@roles_required(DECIDERS)
def decision_create(date_text: str):
    day = _parse_date(date_text)
    the_agenda = services.agenda_for(day)
    form = _decision_form(formdata=request.form)
    item = the_agenda.find(form.item_key.data or "")
    if item is None:
        flash("Punktet findes ikke længere på dagsordenen – intet er gemt.", "error")
        return redirect(url_for("meeting.agenda", dato=day.isoformat()))
    if not form.validate():
        return _rerender(the_agenda, item, 422, decision_form=form)
    try:
        decision, new = services.record_decision(
            day, item, form.text.data, current_user, form.responsible_id.data, form.deadline.data
        )
    except services.DecisionError as error:
        db.session.rollback()
        for name, message in error.errors.items():
            form[name].errors = [*form[name].errors, message]
        return _rerender(services.agenda_for(day), item, 422, decision_form=form)
    if new:
        audit.record("meeting_decision_recorded", "meeting_decision", decision.id, citizen_id=decision.citizen_id,
                     details=f"møde {day.isoformat()}, punkt {item.key}")
    handover_note = _handover_from_decision(form, item, day) if item.course_id else ""
    db.session.commit()
    flash(("Beslutningen er gemt." if new else "Beslutningen var allerede gemt.") + handover_note, "success")
    return redirect(_back_to(the_agenda, item))


def _handover_from_decision(form, item, day: date) -> str:
    """The decision "overdrag til myndighedsafdelingen": the handover's draft, made from the course
    (or the one already made); sending it still needs the citizen's consent."""
    if not form.handover.data:
        return ""
    course = db.session.get(Course, item.course_id)
    if course is None:
        return ""
    handover, created = handover_services.create_handover(course, current_user, day)
    if created:
        audit.record("handover_created", "handover", handover.id, citizen_id=handover.citizen_id,
                     details=f"fredagsmøde {day.isoformat()}, forløb {course.id}")
    consent = consents.valid_consent(handover.citizen_id, HANDOVER_RECIPIENT, today_local())
    return (" Overdragelsen er oprettet som kladde – åbn den fra punktet." if created
            else " Overdragelsen findes allerede – åbn den fra punktet.") + (
        "" if consent else " Husk samtykket: den kan først sendes, når borgerens samtykke er registreret.")


@bp.post("/<day:date_text>/direkte")
@roles_required(DECIDERS)
def direct_decide(date_text: str):
    day = _parse_date(date_text)
    form = DirectDecisionForm()
    proposal = None
    if proposal_id := parse_id(form.proposal_id.data):
        proposal = db.session.get(DirectAuthorityProposal, proposal_id)
    gc = None
    if proposal is None and (gc_id := parse_id(form.guide_conversation_id.data)):
        gc = db.session.get(GuideConversation, gc_id)
    if proposal is None and (gc is None or gc.citizen_id is None):
        abort(404)
    if proposal is None:  # someone may have decided it a moment ago: that made it a proposal
        proposal = db.session.scalar(
            select(DirectAuthorityProposal).where(DirectAuthorityProposal.guide_conversation_id == gc.id).limit(1))
    the_agenda = services.agenda_for(day)
    key = f"direct:{proposal.id}" if proposal else f"direct-gc:{gc.id}"
    item = the_agenda.find(key)
    if item is None or not item.can_decide_direct:
        abort(403)  # only what the meeting has on its agenda: a proposal, or a guide conversation proposing it
    if not form.validate():
        return _rerender(the_agenda, item, 422, direct_form=form,
                         direct_state=versioning.carried(request.form, proposal, _direct_values(proposal)))
    if proposal is None:
        citizen = db.session.get(Citizen, gc.citizen_id)
        reason = gc.direct_authority_reason or "Foreslået ved guidesamtalen."
        proposal, _ = handover_services.propose_direct(citizen, reason, current_user, gc)
    versioning.lock(proposal)
    state = versioning.check(proposal, form, _direct_values(proposal), request.form, current_user)
    if not state.ok:
        # Decided by someone else meanwhile: nothing is saved, both decisions are shown.
        form.proposal_id.data = str(proposal.id)
        item = the_agenda.find(f"direct:{proposal.id}") or item
        return _rerender(the_agenda, item, state.status, direct_form=form, direct_state=state)
    handover_services.decide_direct(proposal, form.decision.data, form.note.data, current_user, day)
    audit.record("direct_decided", "direct_authority_proposal", proposal.id, citizen_id=proposal.citizen_id,
                 details=f"{proposal.decision}, møde {day.isoformat()}")
    db.session.commit()
    flash(f"Beslutningen er gemt: {proposal.decision_label}.", "success")
    return redirect(_back_to(the_agenda, item))


def _may_mark_done(user, decision_id: int) -> bool:
    decision = db.session.get(MeetingDecision, decision_id)
    if decision is None:
        return True  # the view answers 404
    return may_mark_decision_done(
        is_leader=user.has_any_role({LEADER}), is_authority=user.has_any_role({AUTHORITY}), user_id=user.id,
        responsible_id=decision.responsible_id, done=decision.done_at is not None,
        decision_meeting=decision.meeting_date, today=today_local(),
    )


@bp.post("/beslutninger/<db_id:decision_id>/udfoert")
@roles_required(MEETING_VIEWERS)
@object_rule(_may_mark_done)
def decision_done(decision_id: int):
    decision = db.get_or_404(MeetingDecision, decision_id)
    form = DoneForm()
    if not form.validate():
        abort(400)
    if services.mark_done(decision, current_user):
        audit.record("meeting_decision_done", "meeting_decision", decision.id, citizen_id=decision.citizen_id)
        db.session.commit()
        flash("Beslutningen er markeret som udført.", "success")
    back = safe_next(form.back.data)
    return redirect(back or url_for("meeting.agenda"))


@bp.get("/<day:date_text>/referat.pdf")
@roles_required(MEETING_VIEWERS)
@writes_on_read
def minutes_pdf(date_text: str):
    day = _parse_date(date_text)
    the_agenda = services.agenda_for(day)
    decisions = services.decisions_at(day)
    direct = [
        p for p in db.session.scalars(
            select(DirectAuthorityProposal).where(DirectAuthorityProposal.decided_on == day)
        )
    ]
    data = render_pdf(
        "pdf/minutes.html",
        title=f"Referat af fredagsmøde {format_date(day)}",
        header=f"Referat · fredagsmøde {format_date(day)}",
        printed_at=utcnow(),
        agenda=the_agenda,
        decisions=decisions,
        direct=direct,
    )
    named = [i.citizen_id for i in the_agenda.items] + [d.citizen_id for d in decisions] + [p.citizen_id for p in direct]
    audit.record_many("meeting_minutes_printed", named, "meeting", day.isoformat())
    db.session.commit()
    return pdf_response(data, f"referat-fredagsmoede-{day.isoformat()}.pdf")
