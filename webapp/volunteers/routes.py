"""The volunteer world: the activities (browse and search), the organisations, and their upkeep
by the volunteer coordinator and the leader."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit, versioning
from ..access import roles_required
from ..auth.roles import HOUSE_STAFF, VOLUNTEER_KEEPERS
from ..extensions import db
from ..forms import options
from ..permissions import may
from . import bp, services
from .forms import (
    ActivityEditForm,
    ActivityForm,
    OrganisationForm,
    activity_form_values,
    activity_values,
    organisation_form_values,
    organisation_values,
)
from .models import VolunteerActivity, VolunteerOrganisation
from .vocab import THEMES, WEEKDAYS, weekday_labels


def _typed() -> dict:
    return {name: (request.args.get(name) or "")[:100] for name in ("tema", "ugedag", "sted")}


def _with_organisations(form: ActivityForm) -> ActivityForm:
    form.organisation_id.choices = options([("", "Vælg organisation")] + [
        (org.id, org.name) for org in services.active_organisations()])
    return form


def _index_page(form: ActivityForm | None = None, status: int = 200):
    problem = None
    try:
        search = services.parse_search(request.args)
    except services.SearchError as error:
        problem, search, status = str(error), None, 422
    keeper = may("volunteers.activity_new")
    return render_template(
        "volunteers/index.html", activities=services.search_activities(search) if search else [],
        paused=services.paused_activities() if keeper else [],
        organisations=services.organisations() if keeper else services.active_organisations(),
        form=_with_organisations(form or ActivityForm(formdata=None)) if keeper else None,
        problem=problem, typed=_typed(), themes=THEMES, weekdays=WEEKDAYS, weekday_labels=weekday_labels,
        searched=any(_typed().values())), status


@bp.get("/frivillige")
@roles_required(HOUSE_STAFF)
def index():
    return _index_page()


@bp.route("/frivillige/organisationer/ny", methods=["GET", "POST"])
@roles_required(VOLUNTEER_KEEPERS)
def organisation_new():
    form = OrganisationForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST":
        if form.validate():
            organisation = services.save_organisation(None, **organisation_form_values(form))
            audit.record("volunteer_organisation_added", "volunteer_organisation", organisation.id,
                         details=organisation.name)
            db.session.commit()
            flash(f"»{organisation.name}« er oprettet.", "success")
            return redirect(url_for("volunteers.index"))
        return render_template("volunteers/organisation_form.html", form=form, organisation=None), 422
    return render_template("volunteers/organisation_form.html", form=form, organisation=None)


@bp.route("/frivillige/organisationer/<db_id:organisation_id>", methods=["GET", "POST"])
@roles_required(VOLUNTEER_KEEPERS)
def organisation_edit(organisation_id: int):
    organisation = db.get_or_404(VolunteerOrganisation, organisation_id)
    if request.method == "GET":
        saved_now = organisation_values(organisation)
        form = OrganisationForm(formdata=None, **saved_now)
        return render_template("volunteers/organisation_form.html", form=form, organisation=organisation,
                               state=versioning.opened(organisation, saved_now))
    versioning.lock(organisation)
    saved_now = organisation_values(organisation)
    form = OrganisationForm()
    state = versioning.carried(request.form, organisation, saved_now)
    if form.validate():
        state = versioning.check(organisation, form, saved_now, request.form, current_user)
        if state.ok:
            services.save_organisation(organisation, current_user, **organisation_form_values(form))
            audit.record("volunteer_organisation_changed", "volunteer_organisation", organisation.id,
                         details=organisation.name)
            db.session.commit()
            flash(f"»{organisation.name}« er gemt." + (" " + versioning.MSG_TAKEN if state.taken else ""), "success")
            return redirect(url_for("volunteers.index"))
        return render_template("volunteers/organisation_form.html", form=form, organisation=organisation,
                               state=state), state.status
    return render_template("volunteers/organisation_form.html", form=form, organisation=organisation,
                           state=state), 422


@bp.post("/frivillige/aktiviteter/ny")
@roles_required(VOLUNTEER_KEEPERS)
def activity_new():
    form = _with_organisations(ActivityForm())
    if form.validate():
        activity = services.save_activity(None, **activity_form_values(form))
        audit.record("volunteer_activity_added", "volunteer_activity", activity.id, details=activity.title)
        db.session.commit()
        flash(f"»{activity.title}« er oprettet.", "success")
        return redirect(url_for("volunteers.index"))
    return _index_page(form, 422)


@bp.route("/frivillige/aktiviteter/<db_id:activity_id>", methods=["GET", "POST"])
@roles_required(VOLUNTEER_KEEPERS)
def activity_edit(activity_id: int):
    activity = db.get_or_404(VolunteerActivity, activity_id)
    if request.method == "GET":
        saved_now = activity_values(activity)
        form = _with_organisations(ActivityEditForm(formdata=None, **saved_now))
        _keep_own_organisation(form, activity)
        return render_template("volunteers/activity_form.html", form=form, activity=activity,
                               state=versioning.opened(activity, saved_now))
    versioning.lock(activity)
    saved_now = activity_values(activity)
    form = _with_organisations(ActivityEditForm())
    _keep_own_organisation(form, activity)
    state = versioning.carried(request.form, activity, saved_now)
    if form.validate():
        state = versioning.check(activity, form, saved_now, request.form, current_user)
        if not state.ok:
            return render_template("volunteers/activity_form.html", form=form, activity=activity,
                                   state=state), state.status
        was_active = activity.active
        services.save_activity(activity, current_user, **activity_form_values(form))
        if was_active and not activity.active:
            audit.record("volunteer_activity_paused", "volunteer_activity", activity.id, details=activity.title)
        elif activity.active and not was_active:
            audit.record("volunteer_activity_resumed", "volunteer_activity", activity.id, details=activity.title)
        else:
            audit.record("volunteer_activity_changed", "volunteer_activity", activity.id, details=activity.title)
        db.session.commit()
        flash(f"»{activity.title}« er gemt." + (" " + versioning.MSG_TAKEN if state.taken else ""), "success")
        return redirect(url_for("volunteers.index"))
    return render_template("volunteers/activity_form.html", form=form, activity=activity, state=state), 422


def _keep_own_organisation(form: ActivityForm, activity: VolunteerActivity) -> None:
    # An activity of an organisation marked inactive keeps its organisation in the list.
    if activity.organisation_id not in {choice.value for choice in form.organisation_id.choices}:
        form.organisation_id.choices += options([(activity.organisation_id, activity.organisation.name)])
