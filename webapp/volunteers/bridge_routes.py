"""The volunteer bridge (#12 items 2 and 3): staff ask for an activity for a citizen, the
coordinator works the queue, proposes activities and records each step of a match; telling the
organisation who the citizen is needs the citizen's consent and is audited as a disclosure."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit, versioning
from ..access import roles_required
from ..auth.roles import HOUSE_STAFF, VOLUNTEER_KEEPERS, VOLUNTEER_REQUESTERS
from ..citizens.models import Citizen
from ..database import writes_on_read
from ..extensions import db
from ..forms import options, with_ids
from ..handover.consents import ConsentMissing, recipient_label
from ..permissions import object_rule
from ..timeutil import today_local
from ..urls import parse_id
from . import bp, bridge
from .bridge_forms import CloseRequestForm, ProposeForm, RequestForm, StepForm
from .bridge_models import VolunteerMatch, VolunteerRequest
from .matching import DISCLOSING_STATES, MATCH_STATES, next_states
from .vocab import THEMES, weekday_labels

REQUEST_TEMPLATE = "volunteers/request_form.html"


def _theme_labels(text: str | None) -> str:
    from .matching import theme_codes

    return ", ".join(THEMES[code] for code in theme_codes(text))


def _may_see_citizen(user, citizen_id: int) -> bool:
    """The coordinator sees a citizen only through a request, a match or a kick-off; those who see
    the citizen page anyway may use the view too. A missing citizen is left to the view's 404."""
    if user.has_any_role(VOLUNTEER_REQUESTERS):
        return True
    return db.session.get(Citizen, citizen_id) is None or bridge.links_coordinator(citizen_id)


# --- asking for an activity -----------------------------------------------------------------------


@bp.route("/frivillige/borgere/<db_id:citizen_id>/efterlys", methods=["GET", "POST"])
@roles_required(VOLUNTEER_REQUESTERS)
@writes_on_read
def request_new(citizen_id: int):
    citizen = db.get_or_404(Citizen, citizen_id)
    if request.method == "GET":
        origin = request.args.get("fra", "borgerside")
        form = RequestForm(formdata=None, origin=origin if origin in ("forloeb", "guidesamtale") else "borgerside",
                           course_id=parse_id(request.args.get("forloeb", "")) or "",
                           guide_conversation_id=parse_id(request.args.get("samtale", "")) or "")
        audit.record("volunteer_request_opened", "citizen", citizen.id)
        db.session.commit()
        return render_template(REQUEST_TEMPLATE, form=form, citizen=citizen)
    form = RequestForm()
    if form.validate():
        try:
            row = bridge.create_request(
                citizen, origin=form.origin.data, wishes=form.wishes.data, considerations=form.considerations.data,
                themes=form.themes.data, weekdays=form.weekdays.data, user=current_user,
                course_id=parse_id(form.course_id.data or ""),
                guide_conversation_id=parse_id(form.guide_conversation_id.data or ""))
        except bridge.BridgeError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            audit.record("volunteer_request_created", "volunteer_request", row.id, citizen_id=citizen.id,
                         details=row.origin_label)
            db.session.commit()
            flash("Efterlysningen er sendt til frivilligkoordinatoren.", "success")
            return redirect(url_for("citizens.page", citizen_id=citizen.id) + "#frivillige")
    audit.record("volunteer_request_refused", "citizen", citizen.id)
    db.session.commit()
    return render_template(REQUEST_TEMPLATE, form=form, citizen=citizen), 422


# --- the coordinator's queue ----------------------------------------------------------------------


def _queue_page(status: int = 200, forms: dict | None = None, problem: str | None = None):
    rows = bridge.open_requests()
    activities = bridge.active_activities()
    items = []
    for row in rows:
        found = bridge.suggestions(row, activities)
        form = with_ids((forms or {}).get(("propose", row.id)) or ProposeForm(formdata=None), f"propose-{row.id}")
        form.activity_id.choices = options([("", "Vælg aktivitet")] + [
            (a.id, f"{a.title} – {a.organisation.name}") for a in (found or activities)])
        close = with_ids((forms or {}).get(("close", row.id)) or CloseRequestForm(formdata=None), f"close-{row.id}")
        items.append({"row": row, "suggestions": found, "form": form, "close": close})
    audit.record_many("volunteer_queue_viewed", [row.citizen_id for row in rows], "volunteer_queue")
    db.session.commit()
    return render_template("volunteers/queue.html", items=items, theme_labels=_theme_labels,
                           weekday_labels=weekday_labels, problem=problem), status


@bp.get("/frivillige/efterlysninger")
@roles_required(VOLUNTEER_KEEPERS)
@writes_on_read
def queue():
    return _queue_page()


@bp.post("/frivillige/efterlysninger/<db_id:request_id>/foreslaa")
@roles_required(VOLUNTEER_KEEPERS)
def propose(request_id: int):
    row = db.get_or_404(VolunteerRequest, request_id)
    form = ProposeForm()
    form.activity_id.choices = options([(a.id, a.title) for a in bridge.active_activities()])
    if form.validate():
        activity = db.session.get(bridge.VolunteerActivity, form.activity_id.data)
        try:
            match = bridge.propose(row, activity, current_user, today_local())
        except bridge.BridgeError as error:
            db.session.rollback()
            form.activity_id.errors = [str(error)]
        else:
            audit.record("volunteer_match_proposed", "volunteer_match", match.id, citizen_id=row.citizen_id,
                         details=activity.title)
            db.session.commit()
            flash(f"»{activity.title}« er foreslået for {row.citizen.first_name}.", "success")
            return redirect(url_for("volunteers.match_show", match_id=match.id))
    return _queue_page(422, {("propose", row.id): form})


@bp.post("/frivillige/efterlysninger/<db_id:request_id>/luk")
@roles_required(VOLUNTEER_KEEPERS)
def close_request(request_id: int):
    row = db.get_or_404(VolunteerRequest, request_id)
    form = CloseRequestForm()
    if form.validate():
        try:
            bridge.close_request(row, form.reason.data, current_user)
        except bridge.BridgeError as error:
            db.session.rollback()
            form.reason.errors = [str(error)]
        else:
            audit.record("volunteer_request_closed", "volunteer_request", row.id, citizen_id=row.citizen_id)
            db.session.commit()
            flash("Efterlysningen er lukket.", "success")
            return redirect(url_for("volunteers.queue"))
    return _queue_page(422, {("close", row.id): form})


# --- a match and its steps ------------------------------------------------------------------------


def _step_form(match: VolunteerMatch, form: StepForm | None = None) -> StepForm:
    form = form or StepForm(formdata=None, day=today_local())
    form.state.choices = options([("", "Vælg næste skridt")] + [(s, MATCH_STATES[s]) for s in next_states(match.state)])
    return form


def _match_page(match: VolunteerMatch, status: int = 200, *, form: StepForm | None = None,
                version: int | None = None, problem: str | None = None, contact: bool = False):
    today = today_local()
    consent = bridge.volunteer_consents(match.citizen_id, today)
    return render_template(
        "volunteers/match.html", match=match, form=_step_form(match, form),
        version=match.version if version is None else version, problem=problem, contact=contact,
        consent=consent, recipient=recipient_label(bridge.RECIPIENT), disclosing=DISCLOSING_STATES,
        open_states=next_states(match.state)), status


@bp.get("/frivillige/matches/<db_id:match_id>")
@roles_required(HOUSE_STAFF)
@writes_on_read
def match_show(match_id: int):
    match = db.get_or_404(VolunteerMatch, match_id)
    audit.record("volunteer_match_viewed", "volunteer_match", match.id, citizen_id=match.citizen_id)
    db.session.commit()
    return _match_page(match)


@bp.post("/frivillige/matches/<db_id:match_id>/skridt")
@roles_required(VOLUNTEER_KEEPERS)
def match_step(match_id: int):
    match = versioning.lock(db.get_or_404(VolunteerMatch, match_id))
    form = _step_form(match, StepForm())
    if not form.validate():
        return _refused(match, form, None)
    submitted = versioning.submitted_version(request.form)
    if submitted is not None and submitted != match.version:
        # Someone recorded a step meanwhile: nothing saved, the typed step kept on the page as it is now.
        note, _label = versioning.conflict_note(match, current_user)
        audit.record("volunteer_match_viewed", "volunteer_match", match.id, citizen_id=match.citizen_id,
                     details="skridt ikke gemt: en anden havde registreret imens")
        db.session.commit()
        return _match_page(match, versioning.CONFLICT_STATUS, form=form, problem=(
            f"{note} Matchet står nu på »{match.state_label}«. Dit skridt er ikke gemt, men intet er væk – "
            "se det nye skridt, og gem igen."))
    to = form.state.data
    consent = None
    if to in DISCLOSING_STATES:
        try:
            consent = bridge.disclosure_consent(match, today_local())
        except ConsentMissing as missing:
            return _refused(match, form, str(missing))
    try:
        bridge.record_step(match, to, form.day.data, form.comment.data or "", current_user, today_local())
    except bridge.BridgeError as error:
        db.session.rollback()
        match = db.get_or_404(VolunteerMatch, match_id)
        form = _step_form(match, form)
        if error.field in ("state", "day"):
            form[error.field].errors = [*form[error.field].errors, str(error)]
            return _refused(match, form, None)
        return _refused(match, form, str(error))
    audit.record("volunteer_match_step", "volunteer_match", match.id, citizen_id=match.citizen_id,
                 details=MATCH_STATES[to])
    if consent is not None:
        _record_disclosure(match, consent)
    db.session.commit()
    flash(f"Skridtet »{MATCH_STATES[to]}« er registreret.", "success")
    return redirect(url_for("volunteers.match_show", match_id=match.id))


def _record_disclosure(match: VolunteerMatch, consent) -> None:
    audit.record("volunteer_contact_disclosed", "volunteer_match", match.id, citizen_id=match.citizen_id,
                 details=f"til {match.activity.organisation.name}"[:200] + f", samtykke {consent.id}")


def _refused(match: VolunteerMatch, form: StepForm, problem: str | None):
    audit.record("volunteer_match_step_refused", "volunteer_match", match.id, citizen_id=match.citizen_id)
    db.session.commit()
    return _match_page(match, 422, form=form, version=versioning.submitted_version(request.form), problem=problem)


@bp.post("/frivillige/matches/<db_id:match_id>/kontaktoplysninger")
@roles_required(VOLUNTEER_KEEPERS)
def match_disclose(match_id: int):
    """"Vis kontaktoplysninger til organisationen": the citizen's name and contact details, shown
    to pass on – only with the citizen's consent, and audited as a disclosure."""
    match = db.get_or_404(VolunteerMatch, match_id)
    try:
        consent = bridge.disclosure_consent(match, today_local())
    except ConsentMissing as missing:
        audit.record("volunteer_match_viewed", "volunteer_match", match.id, citizen_id=match.citizen_id,
                     details="kontaktoplysninger ikke vist: intet samtykke")
        db.session.commit()
        return _match_page(match, 422, problem=str(missing))
    _record_disclosure(match, consent)
    db.session.commit()
    return _match_page(match, contact=True)


# --- the coordinator's need-to-know view of a citizen -----------------------------------------------


@bp.get("/frivillige/borgere/<db_id:citizen_id>")
@roles_required(HOUSE_STAFF)
@object_rule(_may_see_citizen)
@writes_on_read
def citizen_view(citizen_id: int):
    """Name, how to reach the citizen, requests, matches and volunteer consents – no plans, FIT,
    notes or CPR."""
    citizen = db.get_or_404(Citizen, citizen_id)
    today = today_local()
    from ..handover.consents import CONSENT_STATES, consents_for

    consents = [c for c in consents_for(citizen.id) if c.recipient_code == bridge.RECIPIENT]
    audit.record("volunteer_citizen_viewed", "citizen", citizen.id)
    db.session.commit()
    return render_template(
        "volunteers/citizen.html", citizen=citizen, requests=bridge.requests_for_citizen(citizen.id),
        matches=bridge.matches_for_citizen(citizen.id), consents=consents, consent_states=CONSENT_STATES,
        today=today, theme_labels=_theme_labels, weekday_labels=weekday_labels)
