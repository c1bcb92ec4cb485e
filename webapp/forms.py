"""The base form: Flask-WTF (CSRF) with WTForms' own messages in Danish.

WTForms ships no Danish catalogue, so the handful of built-in messages are translated here."""

import re
from datetime import date, datetime

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import Form as WTForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

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


class PlainForm(Form):
    """CSRFProtect checks every POST (form field or htmx header), so these forms add no second
    token of their own; templates put `csrf_token()` in a hidden field."""

    class Meta:
        csrf = False


class PlainWTForm(HardenedMixin, WTForm):
    """A bare WTForms form (no Flask-WTF) with the same hardening."""
