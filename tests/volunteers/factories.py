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
