"""Forms for the volunteer organisations and their activities."""

from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms import widgets as w
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..forms import ChoiceField, DanishSelectField, IntInputField, PlainForm, options, text_area
from .vocab import THEMES, WEEKDAYS

MSG_WEEKDAY = "Ukendt ugedag – vælg blandt mandag til søndag."
MSG_PLACES = "Skriv antallet af ledige pladser som et helt tal (0 eller flere), eller vælg »åben for alle«."
PLACES_MAX = 10_000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _text(label: str, limit: int, too_long: str, required: str | None = None) -> StringField:
    validators = [DataRequired(required)] if required else [Optional()]
    validators.append(Length(max=limit, message=f"{too_long} – højst {limit} tegn."))
    return StringField(label, filters=[_strip], validators=validators)


class CodesField(SelectMultipleField):
    """Codes of a vocabulary as check boxes; an unknown code gets a Danish message and is not kept.
    Subclasses set `codes` (code → label) and `message`."""

    widget = w.ListWidget(prefix_label=False)
    option_widget = w.CheckboxInput()
    codes: dict[str, str] = {}
    message = "Ukendt valg."

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, choices=options(self.codes), **kwargs)

    def display_value(self, value) -> str:
        """How a person reads the value (the version check's conflict screen)."""
        return ", ".join(self.codes.get(code, code) for code in value or ())

    def pre_validate(self, form):
        if any(value not in self.codes for value in self.data or ()):
            self.data = [value for value in self.data if value in self.codes]
            raise ValidationError(self.message)


class WeekdaysField(CodesField):
    codes = WEEKDAYS
    message = MSG_WEEKDAY


class OrganisationForm(PlainForm):
    name = _text("Navn", 200, "Navnet er for langt", required="Skriv organisationens navn.")
    contact_person = _text("Kontaktperson", 120, "Navnet på kontaktpersonen er for langt")
    phone = _text("Telefon", 40, "Telefonnummeret er for langt")
    email = StringField("E-mail", filters=[_strip], validators=[
        Optional(), Length(max=200, message="E-mailadressen er for lang – højst 200 tegn."),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Skriv en gyldig e-mailadresse, fx kontakt@forening.dk.")])
    address = _text("Adresse", 300, "Adressen er for lang")
    active = BooleanField("Aktiv (vises for medarbejderne)", default=True)


class ActivityForm(PlainForm):
    organisation_id = ChoiceField("Organisation")
    title = _text("Titel", 200, "Titlen er for lang", required="Skriv aktivitetens titel.")
    theme = DanishSelectField("Tema", choices=options({"": "Vælg tema", **THEMES}),
                              validators=[DataRequired("Vælg et tema.")])
    description = text_area("Hvad er det?", rows=3)
    place = _text("Hvor (sted)", 200, "Stedet er for langt")
    when_text = _text("Hvornår", 200, "Tidspunktet er for langt")
    weekdays = WeekdaysField("Ugedage")
    for_whom = text_area("For hvem?", rows=2)
    places_free = IntInputField("Ledige pladser")
    open_to_all = BooleanField("Åben for alle (ingen pladsbegrænsning)")
    can_handle = text_area("Det kan de frivillige rumme", rows=3)
    cannot_handle = text_area("Det kan de frivillige ikke rumme", rows=3)

    def validate_places_free(self, field):
        if field.data is not None and field.data > PLACES_MAX:
            raise ValidationError(f"Antallet af ledige pladser må højst være {PLACES_MAX:,}.".replace(",", "."))

    def validate_open_to_all(self, field):
        if not field.data and self.places_free.data is None and not self.places_free.errors:
            self.places_free.errors.append(MSG_PLACES)
            raise ValidationError("Skriv ledige pladser eller vælg »åben for alle«.")


class ActivityEditForm(ActivityForm):
    active = DanishSelectField("Status", choices=options({"aktiv": "Aktiv", "pause": "Sat på pause"}),
                               validators=[DataRequired("Vælg status.")])


def organisation_values(organisation) -> dict:
    return {name: getattr(organisation, name) for name in
            ("name", "contact_person", "phone", "email", "address", "active")}


def activity_values(activity) -> dict:
    from .vocab import weekday_codes

    return {
        "organisation_id": activity.organisation_id, "title": activity.title, "theme": activity.theme,
        "description": activity.description, "place": activity.place, "when_text": activity.when_text,
        "weekdays": weekday_codes(activity.weekdays), "for_whom": activity.for_whom,
        "places_free": activity.places_free, "open_to_all": activity.open_to_all,
        "can_handle": activity.can_handle, "cannot_handle": activity.cannot_handle,
        "active": "aktiv" if activity.active else "pause",
    }


def activity_form_values(form: ActivityForm) -> dict:
    values = {name: form[name].data for name in (
        "organisation_id", "title", "theme", "description", "place", "when_text", "weekdays", "for_whom",
        "places_free", "open_to_all", "can_handle", "cannot_handle")}
    if "active" in form:
        values["active"] = form.active.data == "aktiv"
    return values


def organisation_form_values(form: OrganisationForm) -> dict:
    return {name: form[name].data for name in ("name", "contact_person", "phone", "email", "address", "active")}
