"""Section forms of Min Plan, built from a section's fields (services.section_fields).

Every field is optional, except the date of a follow-up (it is what places the follow-up in the
course). Messages are Danish; what was typed is always shown again (typed_values)."""

import re
from datetime import date

from werkzeug.datastructures import MultiDict
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from ..citizens.milestones import validate_follow_up_date
from ..citizens.models import Course
from ..forms import PlainWTForm
from ..urls import parse_small_int
from .services import (
    ATTAINMENT,
    DATE,
    MSG_FOLLOW_UP_DATE_MISSING,
    TEXT,
    TEXT_MAX,
    Field,
    PlanError,
    normalize_text,
    parse_attainment,
    to_value,
)

MSG_DATE = "Skriv datoen som dd-mm-åååå, fx 03-02-2027."
MSG_TOO_LONG = f"Teksten er for lang – højst {TEXT_MAX:,} tegn.".replace(",", ".")
MSG_CHOOSE = "Vælg, hvilken tekst der skal stå i planen."
CHOICES = ("mine", "theirs", "both")

_DANISH_DATE = re.compile(r"(\d{1,2})[-./ ](\d{1,2})[-./ ](\d{4})")


def parse_date(text: str | None) -> date | None:
    """ISO (what <input type="date"> sends) or Danish dd-mm-åååå; ValueError with a message."""
    text = (text or "").strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(MSG_DATE) from None
    if found := _DANISH_DATE.fullmatch(text):
        try:
            return date(int(found[3]), int(found[2]), int(found[1]))
        except ValueError:
            pass
    raise ValueError(MSG_DATE)


class PlanTextField(TextAreaField):
    def process_formdata(self, valuelist):
        self.data = normalize_text(valuelist[0]) if valuelist else None


class PlanDateField(StringField):
    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            self.data = parse_date(valuelist[0])


class AttainmentField(StringField):
    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            try:
                self.data = parse_attainment(valuelist[0])
            except PlanError as error:
                raise ValueError(str(error)) from None


class InsideCourse:
    """A follow-up's date: given, and inside its course (milestones.validate_follow_up_date)."""

    def __init__(self, course: Course):
        self.course = course

    def __call__(self, form, field):
        if field.process_errors:
            return
        if field.data is None:
            raise ValidationError(MSG_FOLLOW_UP_DATE_MISSING)
        if message := validate_follow_up_date(self.course.start_date, self.course.end_date, field.data):
            raise ValidationError(message)


def section_form(fields: tuple[Field, ...], formdata: MultiDict, course: Course) -> PlainWTForm:
    attrs = {}
    for f in fields:
        if f.kind == TEXT:
            attrs[f.name] = PlanTextField(f.label, [Length(max=TEXT_MAX, message=MSG_TOO_LONG)])
        elif f.kind == DATE:
            attrs[f.name] = PlanDateField(f.label, [InsideCourse(course)] if f.name == "follow_up_date" else [])
        elif f.kind == ATTAINMENT:
            attrs[f.name] = AttainmentField(f.label)
    form_class = type("SectionForm", (PlainWTForm,), attrs)
    return form_class(formdata)


def typed_values(fields: tuple[Field, ...], formdata: MultiDict) -> dict[str, str | None]:
    """What was typed, in the values' representation where it is valid and as typed where not,
    so that a refused form and a draft show exactly what the person wrote."""
    values = {}
    for f in fields:
        raw = formdata.get(f.name)
        if f.kind == TEXT:
            values[f.name] = normalize_text(raw)
            continue
        try:
            parsed = parse_date(raw) if f.kind == DATE else parse_attainment(raw)
        except ValueError:
            values[f.name] = raw.strip() or None
        else:
            values[f.name] = to_value(parsed)
    return values


def conflict_choices(formdata: MultiDict) -> dict[str, str]:
    """The conflict screen's choice per field ("" when none was made)."""
    return {name: formdata.get(f"valg_{name}", "") for name in formdata.getlist("konflikt")}


def version_arg(formdata: MultiDict, name: str = "base_version") -> int | None:
    value = (formdata.get(name) or "").strip()
    return parse_small_int(value)
