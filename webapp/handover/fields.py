"""Form fields with Danish messages (WTForms ships no Danish translation), shared by the
handover, outreach and meeting forms."""

from datetime import date

from wtforms import DateField, IntegerField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import Length

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


def text_area(label: str, *, rows: int = 4, required_message: str | None = None, **kwargs) -> TextAreaField:
    from wtforms.validators import DataRequired, Optional

    validators = [DataRequired(required_message)] if required_message else [Optional()]
    validators.append(Length(max=MAX_TEXT, message=f"Højst {MAX_TEXT} tegn."))
    return TextAreaField(label, validators=validators, render_kw={"rows": rows}, **kwargs)
