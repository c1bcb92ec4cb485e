"""Forms for coaching conversations and the scale upload, and small fields with Danish messages
that the groups forms use too (WTForms' own parse errors are English)."""

import re
from datetime import date, time

from flask_wtf.file import FileField
from wtforms import SelectField, StringField
from wtforms import widgets as w
from wtforms.validators import InputRequired, NumberRange, ValidationError

from ..auth.services import staff_members
from ..forms import PlainForm
from ..urls import parse_id


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


def staff_choices(optional: bool = False, include: tuple[int | None, ...] = ()) -> list[tuple[str, str]]:
    """Active staff who work with citizens (peer and SKP workers too), plus any already chosen."""
    users = staff_members(include)
    choices = [(str(u.id), f"{u.full_name} ({u.initials})") for u in users]
    return ([("", "Ingen")] if optional else []) + choices


def in_range(low: int, high: int, what: str):
    return NumberRange(low, high, message=f"{what} skal være mellem {low} og {high}.")


class CourseMeetingForm(PlainForm):
    """A coaching conversation (with a relative present, optionally) or a relative's own conversation."""

    day = DateInputField("Dato", validators=[InputRequired("Skriv datoen.")])
    at = TimeInputField("Klokkeslæt", validators=[InputRequired("Skriv klokkeslættet.")])
    minutes = IntInputField("Varighed i minutter", default=60,
                            validators=[InputRequired("Skriv varigheden."), in_range(5, 480, "Varigheden")])
    staff1 = ChoiceField("Medarbejder")
    staff2 = ChoiceField("Anden medarbejder (valgfri)", optional=True)
    relative = ChoiceField("Pårørende med til samtalen (valgfri)", optional=True)

    def setup(self, relatives, *, relative_required: bool = False):
        self.staff1.choices = staff_choices(include=(self.staff1.data,))
        self.staff2.choices = staff_choices(optional=True, include=(self.staff2.data,))
        self.relative.optional = not relative_required
        if relative_required:
            self.relative.label.text = "Pårørende"
        options = [(str(r.id), f"{r.name} ({r.relation})" if r.relation else r.name) for r in relatives]
        self.relative.choices = ([] if relative_required else [("", "Ingen")]) + options
        return self


class ScaleUploadForm(PlainForm):
    file = FileField("JSON-fil med skalaens ordlyd")

