"""Factories for the volunteer world's tests (committed rows)."""

from webapp.extensions import db
from webapp.volunteers import services


def make_organisation(name="Idrætsforeningen", active=True, **values):
    organisation = services.save_organisation(None, name=name, active=active, **values)
    db.session.commit()
    return organisation


def make_activity(organisation, title="Gå-makker", theme="motion", place="Voldene", weekdays=("man",),
                  places_free=3, open_to_all=False, active=True, **values):
    activity = services.save_activity(None, organisation_id=organisation.id, title=title, theme=theme, place=place,
                                      weekdays=weekdays, places_free=places_free, open_to_all=open_to_all,
                                      active=active, **values)
    db.session.commit()
    return activity


def make_request(citizen, themes=("motion",), weekdays=(), status="aaben", wishes="En makker at gå tur med",
                 created_by=None, **values):
    from webapp.volunteers.bridge_models import VolunteerRequest
    from webapp.volunteers.matching import join_themes
    from webapp.volunteers.vocab import join_weekdays

    row = VolunteerRequest(citizen_id=citizen.id, themes=join_themes(themes), weekdays=join_weekdays(weekdays),
                           status=status, wishes=wishes, considerations=values.pop("considerations", ""),
                           origin=values.pop("origin", "borgerside"), created_by_id=created_by, **values)
    db.session.add(row)
    db.session.commit()
    return row


def make_match(citizen, activity, state="foreslaaet", request=None, steps=()):
    """A match with its steps: `steps` = ((state, day), ...); the first step is always foreslaaet."""
    from webapp.volunteers.bridge_models import VolunteerMatch, VolunteerMatchStep

    match = VolunteerMatch(citizen_id=citizen.id, activity_id=activity.id, state=state,
                           request_id=request.id if request is not None else None)
    for step_state, day in steps:
        match.steps.append(VolunteerMatchStep(state=step_state, day=day))
    db.session.add(match)
    db.session.commit()
    return match
