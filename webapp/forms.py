"""The base form: Flask-WTF (CSRF) with WTForms' own messages in Danish, the hardening every form
gets, and the field types the features share.

WTForms ships no Danish catalogue, so the handful of built-in messages are translated here."""

import re
from datetime import date, datetime, time

from flask import current_app
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    Choice,
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms import Form as WTForm
from wtforms import widgets as w
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from .urls import parse_id

MESSAGES_DA = {
    "Not a valid choice.": "Vælg en af mulighederne.",
    "Invalid Choice: could not coerce.": "Vælg en af mulighederne.",
    "Not a valid date value.": "Skriv en gyldig dato.",
    "Not a valid datetime value.": "Skriv en gyldig dato og tid.",
    "Not a valid time value.": "Skriv et gyldigt klokkeslæt, fx 10:00.",
    "Not a valid week value.": "Skriv en gyldig uge.",
    "Not a valid integer value.": "Skriv et helt tal.",
    "Not a valid decimal value.": "Skriv et tal.",
    "Not a valid float value.": "Skriv et tal.",
    "Number must be at least %(min)s.": "Tallet skal være mindst %(min)s.",
    "Number must be at most %(max)s.": "Tallet må højst være %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Tallet skal være mellem %(min)s og %(max)s.",
    "Date must be at least %(min)s.": "Datoen skal være %(min)s eller senere.",
    "Date must be at most %(max)s.": "Datoen skal være %(max)s eller tidligere.",
    "Date must be between %(min)s and %(max)s.": "Datoen skal ligge mellem %(min)s og %(max)s.",
    "This field is required.": "Feltet skal udfyldes.",
    "Invalid email address.": "Skriv en gyldig e-mailadresse.",
    "Invalid input.": "Ugyldigt input.",
    "The CSRF token is missing.": "Sikkerhedsnøglen mangler. Genindlæs siden.",
    "The CSRF token is invalid.": "Sikkerhedsnøglen er ugyldig. Genindlæs siden.",
    "The CSRF token has expired.": "Sikkerhedsnøglen er udløbet. Genindlæs siden.",
    "The CSRF tokens do not match.": "Sikkerhedsnøglen passer ikke. Genindlæs siden.",
}


class _DanishTranslations:
    def gettext(self, string: str) -> str:
        return MESSAGES_DA.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


DANISH = _DanishTranslations()


# --- Hardening every form gets ------------------------------------------------------------------
# Browsers send what people paste: control characters (PostgreSQL refuses NUL outright), text far
# longer than any column, dates a calendar cannot add to, numbers no column holds. Every form built
# on `Form` (or `PlainForm`) checks these after its own validators, with a Danish message on the
# field and the typed text shown again (minus the invisible characters).

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MSG_CONTROL = "Teksten indeholdt usynlige kontroltegn. De er fjernet – se teksten igennem, og gem igen."
DEFAULT_MAX_CHARS = {TextAreaField: 10_000, StringField: 200}
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
MSG_INT = "Tallet er uden for det mulige område."


def has_control_characters(text: str) -> bool:
    """Control characters other than tab, newline and carriage return."""
    return bool(_CONTROL.search(text))


def strip_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)


def date_window(app=None) -> tuple[date, date]:
    """The dates any form accepts (setting DATE_MIN/DATE_MAX, ISO strings or dates)."""
    config = (app or current_app).config
    low, high = config.get("DATE_MIN", "1900-01-01"), config.get("DATE_MAX", "2100-12-31")
    return (date.fromisoformat(low) if isinstance(low, str) else low,
            date.fromisoformat(high) if isinstance(high, str) else high)


def date_window_message(low: date, high: date) -> str:
    return f"Datoen skal ligge mellem {low:%d-%m-%Y} og {high:%d-%m-%Y}."


def in_date_window(value: date) -> bool:
    low, high = date_window()
    return low <= value <= high


def _max_chars(field) -> int | None:
    for validator in field.validators:
        if isinstance(validator, Length) and validator.max not in (None, -1):
            return None  # the form's own limit speaks
    for cls, limit in DEFAULT_MAX_CHARS.items():
        if isinstance(field, cls):
            return limit
    return None


def harden_field(field) -> bool:
    """Check one bound field's raw input and parsed value; add a Danish error and return False."""
    ok = True
    raw = field.raw_data or []
    if any(isinstance(v, str) and has_control_characters(v) for v in raw):
        field.raw_data = [strip_control_characters(v) if isinstance(v, str) else v for v in raw]
        if isinstance(field.data, str):
            field.data = strip_control_characters(field.data)
        field.errors.append(MSG_CONTROL)
        ok = False
    data = field.data
    if isinstance(data, str) and (limit := _max_chars(field)) and len(data) > limit:
        field.errors.append(f"Teksten er for lang – højst {limit:,} tegn.".replace(",", "."))
        ok = False
    elif isinstance(data, datetime | date) and not field.errors:
        low, high = date_window()
        day = data.date() if isinstance(data, datetime) else data
        if not low <= day <= high:
            field.errors.append(date_window_message(low, high))
            ok = False
    elif (isinstance(data, int) and not isinstance(data, bool) and not INT_MIN <= data <= INT_MAX) or (isinstance(data, list | tuple) and any(
        isinstance(v, int) and not isinstance(v, bool) and not INT_MIN <= v <= INT_MAX for v in data
    )):
        field.errors.append(MSG_INT)
        ok = False
    return ok


class HardenedMixin:
    """Adds the checks above to a WTForms form's `validate`."""

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators=extra_validators)
        for field in self:
            if isinstance(field.errors, tuple):  # WTForms makes errors a tuple until validated
                field.errors = list(field.errors)
            ok = harden_field(field) and ok
        return ok


class Form(HardenedMixin, FlaskForm):
    class Meta:
        def get_translations(self, form):
            return DANISH

    def hidden_tag(self, *fields):
        """The hidden fields (CSRF token, version, ids) without an `id`: a page often holds several
        forms, and an id may occur once per page (checked by the Nu checker in the suite)."""
        chosen = [getattr(self, f, None) if isinstance(f, str) else f for f in fields or self]
        return Markup("\n").join(f(id=False) for f in chosen
                                  if f is not None and isinstance(f.widget, w.HiddenInput))


def with_ids(form, prefix: str):
    """Gives a form's fields ids of their own (`prefix-name`) for a page that repeats the form (a
    row each): an id may occur once per page. Names, and so what is posted, stay the same."""
    for f in form:
        f.id = f"{prefix}-{f.name}"
        f.label.field_id = f.id
    return form


class PlainForm(Form):
    """CSRFProtect checks every POST (form field or htmx header), so these forms add no second
    token of their own; templates put `csrf_token()` in a hidden field."""

    class Meta:
        csrf = False


class PlainWTForm(HardenedMixin, WTForm):
    """A bare WTForms form (no Flask-WTF) with the same hardening."""


class ActionForm(Form):
    """Only the CSRF token: the action is the button."""


# --- Field types the features share ------------------------------------------------------------
# Danish parse messages (WTForms' own are English), and what was typed shown again on an error.
# Two families, kept as they were: the Danish* fields (handover, outreach, meeting) and the typed
# text inputs with int-valued selects (coaching conversations, groups).

MAX_TEXT = 5000


class DanishDateField(DateField):
    """A date from <input type="date"> (YYYY-MM-DD); a clear Danish message otherwise."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = date.fromisoformat(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError("Skriv en gyldig dato, fx 2026-11-27.") from None


class DanishIntegerField(IntegerField):
    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError("Skriv et helt tal, fx 45.") from None


UNKNOWN_CHOICE = "Ukendt valg – vælg en af mulighederne."
PLACEHOLDER = "Vælg …"


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs or a {value: label} dict as WTForms' SelectChoice objects."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice("" if value is None else value, label) for value, label in items]


class DanishSelectField(SelectField):
    """A select with Danish messages for unknown values (never a 500); an empty value is None,
    left for DataRequired/Optional to judge."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("invalid_value_message", UNKNOWN_CHOICE)
        kwargs.setdefault("invalid_choice_message", UNKNOWN_CHOICE)
        super().__init__(*args, **kwargs)

    def iter_choices(self):
        choices = list(super().iter_choices())
        if self.flags.required and choices and choices[0].value != "":
            # HTML: a required select starts with an empty placeholder (chosen, it fails as empty).
            yield Choice("", PLACEHOLDER, self.data is None, {})
        yield from choices

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0] == "":
            self.data = None
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form):
        if self.data is None:
            return
        super().pre_validate(form)


class DanishRadioField(RadioField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("invalid_value_message", UNKNOWN_CHOICE)
        kwargs.setdefault("invalid_choice_message", UNKNOWN_CHOICE)
        super().__init__(*args, **kwargs)

    def pre_validate(self, form):
        if self.data is None:
            return
        super().pre_validate(form)


def optional_int(value):
    return None if value in (None, "", "None") else int(value)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = w.ListWidget(prefix_label=False)
    option_widget = w.CheckboxInput()


def text_area(label: str, *, rows: int = 4, required_message: str | None = None, **kwargs) -> TextAreaField:
    validators = [DataRequired(required_message)] if required_message else [Optional()]
    validators.append(Length(max=MAX_TEXT, message=f"Højst {MAX_TEXT} tegn."))
    return TextAreaField(label, validators=validators, render_kw={"rows": rows}, **kwargs)


class _TypedField(StringField):
    """A text-based input that parses its value; what was typed is shown again on an error."""

    message = "Ugyldig værdi."

    def parse(self, text: str):
        raise NotImplementedError

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if text:
            try:
                self.data = self.parse(text)
            except ValueError:
                raise ValueError(self.message) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.format(self.data) if self.data is not None else ""

    def format(self, value) -> str:
        return str(value)


class DateInputField(_TypedField):
    widget = w.DateInput()
    message = "Skriv en dato, fx 2026-03-02."

    def parse(self, text):
        return date.fromisoformat(text)

    def format(self, value):
        return value.isoformat()


class TimeInputField(_TypedField):
    widget = w.TimeInput()
    message = "Skriv et klokkeslæt, fx 10:00."

    def parse(self, text):
        match = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::\d{2})?", text)
        if not match:
            raise ValueError(text)
        return time(int(match.group(1)), int(match.group(2)))

    def format(self, value):
        return f"{value:%H:%M}"


class IntInputField(_TypedField):
    widget = w.NumberInput()
    message = "Skriv et helt tal."

    def parse(self, text):
        if not re.fullmatch(r"\d{1,9}", text):
            raise ValueError(text)
        return int(text)


class ChoiceField(SelectField):
    """A select whose values are ints (or empty for 'none'), with a Danish message."""

    def __init__(self, label=None, validators=None, optional=False, **kwargs):
        self.optional = optional
        super().__init__(label, validators, coerce=self._coerce, **kwargs)

    @staticmethod
    def _coerce(value):
        if value in (None, "", "None"):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, str) and (number := parse_id(value)) is not None:
            return number
        raise ValueError("ugyldigt valg")

    def pre_validate(self, form):
        if self.data is None:
            if not self.optional:
                raise ValidationError("Vælg en fra listen.")
            return
        if self.data not in {self._coerce(choice.value) for choice in self.iter_choices()}:
            raise ValidationError("Vælg en fra listen.")

    def process_formdata(self, valuelist):
        try:
            self.data = self._coerce(valuelist[0]) if valuelist else None
        except ValueError:
            self.data = None
            raise ValueError("Vælg en fra listen.") from None


def in_range(low: int, high: int, what: str):
    return NumberRange(low, high, message=f"{what} skal være mellem {low} og {high}.")
