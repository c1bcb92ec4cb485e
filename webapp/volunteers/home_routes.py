"""The coordinator's home (#12 item 6), the runs that carry on as volunteer groups (item 5), and
the volunteer part of the citizen page and the follow-up form (item 3)."""

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from wtforms.validators import Optional

from .. import audit
from ..access import roles_required
from ..auth.roles import CONTINUATION_MARKERS, VOLUNTEER_KEEPERS
from ..citizens.hooks import citizen_section
from ..database import writes_on_read
from ..extensions import db
from ..forms import ChoiceField, DanishDateField, PlainForm, options, text_area
from ..groups.models import GroupRun
from ..timeutil import today_local
from . import bp, bridge, continuing, kickoff
from .matching import MATCH_STATES, OPEN_STATES
from .models import VolunteerOrganisation

# --- the coordinator's home -----------------------------------------------------------------------


@bp.get("/frivilligkoordinator")
@roles_required(VOLUNTEER_KEEPERS)
@writes_on_read
def coordinator_home():
    today = today_local()
    monday = today - timedelta(days=today.weekday())
    requests = bridge.open_requests()
    by_state = bridge.matches_by_state()
    kickoffs = kickoff.kickoffs_between(monday, monday + timedelta(days=13))
    candidates = kickoff.kickoff_candidates(today)
    named = [r.citizen_id for r in requests] + [m.citizen_id for state in OPEN_STATES for m in by_state[state]]
    named += [k.citizen_id for k in kickoffs] + [c.citizen_id for c in candidates]
    audit.record_many("volunteer_home_viewed", named, "volunteer_home")
    db.session.commit()
    return render_template(
        "volunteers/home.html", today=today, requests=requests, by_state=by_state, states=MATCH_STATES,
        open_states=[s for s in MATCH_STATES if s in OPEN_STATES], counts=bridge.state_counts(),
        kickoffs=kickoffs, candidates=candidates, free=bridge.places_free(), next_monday=monday + timedelta(days=7))


# --- a run carries on -----------------------------------------------------------------------------


class ContinueForm(PlainForm):
    organisation_id = ChoiceField("Fortsætter i organisationen", optional=True)
    continues_from = DanishDateField("Fra", validators=[Optional()])
    continues_note = text_area("Note (hvor, hvornår, kontaktperson)", rows=3)


def _organisation_choices(run: GroupRun) -> list:
    rows = [o for o in db.session.scalars(db.select(VolunteerOrganisation).order_by(VolunteerOrganisation.name))
            if o.active or o.id == run.continues_in_organisation_id]
    return options([("", "Fortsætter ikke (fjern markeringen)")] + [(o.id, o.name) for o in rows])


@bp.route("/frivillige/hold/<db_id:run_id>/fortsaetter", methods=["GET", "POST"])
@roles_required(CONTINUATION_MARKERS)
def continue_run(run_id: int):
    """Mark a run as carrying on as a volunteer group. The page names the run, not its participants."""
    run = db.get_or_404(GroupRun, run_id)
    if request.method == "GET":
        form = ContinueForm(formdata=None, organisation_id=run.continues_in_organisation_id,
                            continues_from=run.continues_from or run.end_date or today_local(),
                            continues_note=run.continues_note)
        form.organisation_id.choices = _organisation_choices(run)
        return render_template("volunteers/continue_form.html", form=form, run=run)
    form = ContinueForm()
    form.organisation_id.choices = _organisation_choices(run)
    if form.validate():
        organisation = db.session.get(VolunteerOrganisation, form.organisation_id.data) if form.organisation_id.data else None
        try:
            continuing.mark(run, organisation, form.continues_from.data, form.continues_note.data or "")
        except bridge.BridgeError as error:
            db.session.rollback()
            run = db.get_or_404(GroupRun, run_id)
            form.continues_from.errors = [*form.continues_from.errors, str(error)]
        else:
            audit.record("volunteer_group_continues", "group_run", run.id,
                         details=organisation.name if organisation else "markering fjernet")
            db.session.commit()
            flash(f"Hold {run.team_number} fortsætter i {organisation.name}." if organisation
                  else f"Hold {run.team_number} er ikke længere markeret som fortsættende.", "success")
            if request.form.get("tilbage") == "grupper":
                return redirect(url_for("groups.run", run_id=run.id))
            return redirect(url_for("volunteers.continuing_list"))
    return render_template("volunteers/continue_form.html", form=form, run=run), 422


@bp.get("/frivillige/grupper-der-fortsaetter")
@roles_required(VOLUNTEER_KEEPERS)
@writes_on_read
def continuing_list():
    today = today_local()
    runs = continuing.continuing_runs(today)
    audit.record_many("volunteer_continuing_viewed", [c.id for item in runs for c in item.consenting],
                      "volunteer_continuing")
    db.session.commit()
    return render_template("volunteers/continuing.html", runs=runs, to_mark=continuing.runs_to_mark(today),
                           today=today)


# --- the citizen page and the follow-up form ------------------------------------------------------


@citizen_section
def volunteer_section(citizen, open_course):
    """Requests, matches and – from week 4 of the open course – "Frivillige muligheder"."""
    today = today_local()
    return "volunteers/_citizen_section.html", {
        "citizen": citizen, "course": open_course, "requests": bridge.requests_for_citizen(citizen.id),
        "matches": bridge.matches_for_citizen(citizen.id), "options": bridge.options_for(citizen.id, open_course, today),
    }


@bp.app_template_global()
def volunteer_options(citizen_id: int, course):
    """For the follow-up form (templates/citizens/meeting.html): the options, or None before week 4."""
    return bridge.options_for(citizen_id, course, today_local())

