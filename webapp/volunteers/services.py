"""Plain functions for the volunteer world: search, add and change. They flush, never commit."""

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..versioning import saved
from .models import VolunteerActivity, VolunteerOrganisation
from .vocab import THEMES, WEEKDAYS, join_weekdays, weekday_codes


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SearchError(ValueError):
    """A search value that is not in the vocabulary (Danish message)."""


@dataclass(frozen=True)
class Search:
    theme: str | None = None
    weekday: str | None = None
    place: str | None = None


def parse_search(args) -> Search:
    """The GET parameters tema, ugedag and sted as a Search; unknown codes raise SearchError."""
    theme = (args.get("tema") or "").strip() or None
    weekday = (args.get("ugedag") or "").strip() or None
    place = (args.get("sted") or "").strip() or None
    if theme is not None and theme not in THEMES:
        raise SearchError("Ukendt tema – vælg et tema fra listen.")
    if weekday is not None and weekday not in WEEKDAYS:
        raise SearchError("Ukendt ugedag – vælg en ugedag fra listen.")
    if place is not None and len(place) > 100:
        raise SearchError("Stedet er for langt – højst 100 tegn.")
    return Search(theme, weekday, place)


def search_activities(search: Search, *, active: bool = True) -> list[VolunteerActivity]:
    """Activities (of active organisations when `active`) matching the theme, having the weekday
    among their days, and whose place contains the typed text (case-insensitive)."""
    query = (select(VolunteerActivity).join(VolunteerActivity.organisation)
             .where(VolunteerActivity.active.is_(active))
             .order_by(VolunteerActivity.title, VolunteerActivity.id))
    if active:
        query = query.where(VolunteerOrganisation.active.is_(True))
    if search.theme:
        query = query.where(VolunteerActivity.theme == search.theme)
    if search.place:
        query = query.where(func.lower(VolunteerActivity.place).like("%" + _escape_like(search.place.lower()) + "%", escape="\\"))
    rows = db.session.scalars(query).all()
    if search.weekday:
        rows = [row for row in rows if search.weekday in weekday_codes(row.weekdays)]
    return list(rows)


def paused_activities() -> list[VolunteerActivity]:
    """Paused activities, and the activities of inactive organisations."""
    query = (select(VolunteerActivity).join(VolunteerActivity.organisation)
             .where((VolunteerActivity.active.is_(False)) | (VolunteerOrganisation.active.is_(False)))
             .order_by(VolunteerActivity.title, VolunteerActivity.id))
    return list(db.session.scalars(query))


def organisations() -> list[VolunteerOrganisation]:
    return list(db.session.scalars(select(VolunteerOrganisation).order_by(
        VolunteerOrganisation.active.desc(), VolunteerOrganisation.name, VolunteerOrganisation.id)))


def active_organisations() -> list[VolunteerOrganisation]:
    return [org for org in organisations() if org.active]


ORGANISATION_FIELDS = ("name", "contact_person", "phone", "email", "address", "active")
ACTIVITY_FIELDS = ("organisation_id", "title", "description", "place", "when_text", "weekdays", "for_whom",
                   "places_free", "open_to_all", "can_handle", "cannot_handle", "theme", "active")


def save_organisation(organisation: VolunteerOrganisation | None, user=None, **values) -> VolunteerOrganisation:
    if organisation is not None:
        saved(organisation, user)
    organisation = organisation or VolunteerOrganisation()
    for name in ORGANISATION_FIELDS:
        if name in values:
            setattr(organisation, name, values[name] if values[name] is not None else "")
    db.session.add(organisation)
    db.session.flush()
    return organisation


def save_activity(activity: VolunteerActivity | None, user=None, **values) -> VolunteerActivity:
    if activity is not None:
        saved(activity, user)
    activity = activity or VolunteerActivity()
    values = dict(values)
    if "weekdays" in values:
        values["weekdays"] = join_weekdays(values["weekdays"])
    if values.get("open_to_all"):
        values["places_free"] = None
    for name in ACTIVITY_FIELDS:
        if name in values:
            value = values[name]
            if value is None and name not in ("places_free",):
                value = ""
            setattr(activity, name, value)
    db.session.add(activity)
    db.session.flush()
    return activity
