from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..forms import Form as FlaskForm
from ..timeutil import local
from . import vocab


class CodeField(SelectField):
    """A select whose codes the services check (with Danish messages), so a stale or missing
    option re-renders the form instead of failing in English."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


DATE_MSG = "Skriv en gyldig dato."
TIME_MSG = "Skriv et gyldigt klokkeslæt, fx 10:00."


def choices(mapping: dict, blank: str | None = None) -> list[SelectChoice]:
    items = [SelectChoice("", blank)] if blank is not None else []
    return items + [SelectChoice(str(k), v) for k, v in mapping.items()]


class CitizenForm(FlaskForm):
    first_name = StringField("Fornavn", validators=[InputRequired("Skriv borgerens fornavn."), Length(max=80)])
    last_name = StringField("Efternavn", validators=[Optional(), Length(max=120)])
    cpr = StringField(
        "CPR-nummer",
        validators=[Optional(), Length(max=20)],
        render_kw={"autocomplete": "off", "inputmode": "numeric", "placeholder": "DDMMÅÅ-XXXX"},
    )
    address = StringField("Adresse", validators=[Optional(), Length(max=200)])
    phone = StringField("Telefon", validators=[Optional(), Length(max=20)], render_kw={"inputmode": "tel"})
    email = StringField("E-mail", validators=[Optional(), Length(max=200)], render_kw={"inputmode": "email"})
    contact_preference = CodeField(
        "Ønsker at blive kontaktet igen via", choices=choices(vocab.CONTACT_PREFERENCES, "–")
    )
    contact_consent = BooleanField("Borgeren har givet samtykke til at blive kontaktet")
    bring_person = StringField("Person jeg vil have med til næste møde", validators=[Optional(), Length(max=200)])
    next_meeting_date = DateField("Næste møde (dato)", validators=[Optional()], format="%Y-%m-%d")
    next_meeting_time = TimeField("Kl.", validators=[Optional()], format="%H:%M")
    confirm_duplicate = BooleanField("Opret alligevel – det er en anden person")


def citizen_form_values(citizen) -> dict:
    """The citizen's details as saved now, in CitizenForm's fields and types (what the version
    check compares). Never the CPR number: it is not shown, so it is not compared either."""
    at = local(citizen.next_meeting_at) if citizen.next_meeting_at else None
    return {
        "first_name": citizen.first_name,
        "last_name": citizen.last_name,
        "address": citizen.address,
        "phone": citizen.phone,
        "email": citizen.email,
        "contact_preference": citizen.contact_preference or "",
        "contact_consent": bool(citizen.contact_consent),
        "bring_person": citizen.bring_person,
        "next_meeting_date": at.date() if at else None,
        "next_meeting_time": at.time() if at else None,
    }


class RelativeForm(FlaskForm):
    name = StringField("Navn", validators=[InputRequired("Skriv den pårørendes navn."), Length(max=120)])
    relation = StringField("Relation (fx mor, ven)", validators=[Optional(), Length(max=60)])
    phone = StringField("Telefon", validators=[Optional(), Length(max=20)])


class CprSearchForm(FlaskForm):
    cpr = StringField(
        "Præcist CPR-nummer",
        validators=[InputRequired("Skriv et CPR-nummer.")],
        render_kw={"autocomplete": "off", "inputmode": "numeric", "placeholder": "DDMMÅÅ-XXXX"},
    )


class BookGuideForm(FlaskForm):
    # Ids of their own: the page also holds HoldGuideForm's date and time.
    date = DateField("Dato", validators=[InputRequired(DATE_MSG)], format="%Y-%m-%d", id="book-date")
    time = TimeField("Kl.", validators=[InputRequired(TIME_MSG)], format="%H:%M", id="book-time")


class HoldGuideForm(FlaskForm):
    date = DateField("Dato", validators=[InputRequired(DATE_MSG)], format="%Y-%m-%d")
    time = TimeField("Kl.", validators=[InputRequired(TIME_MSG)], format="%H:%M")
    duration_minutes = IntegerField(
        "Varighed (minutter)",
        default=60,
        validators=[Optional(), NumberRange(1, 480, "Varighed skal være mellem 1 og 480 minutter.")],
    )
    staff1 = CodeField("Medarbejder", coerce=str)
    staff2 = CodeField("Medarbejder 2", coerce=str)
    others_present = StringField(
        "Andre til stede (pårørende, samarbejdspartner)", validators=[Optional(), Length(max=200)]
    )
    outcome = CodeField("Hvad førte samtalen til?", choices=choices(vocab.GUIDE_OUTCOMES, "Vælg …"))
    direct_authority_reason = TextAreaField(
        "Begrundelse for forslag om direkte til myndighedsafdelingen", validators=[Optional(), Length(max=2000)]
    )


class StartCourseForm(FlaskForm):
    start_date = DateField("Startdato", validators=[InputRequired(DATE_MSG)], format="%Y-%m-%d")


class CloseCourseForm(FlaskForm):
    end_date = DateField("Afslutningsdato", validators=[InputRequired(DATE_MSG)], format="%Y-%m-%d")
    goal_attainment = CodeField(
        "I hvor høj grad er mit mål nået (1–4)",
        choices=[SelectChoice("", "Ikke vurderet")]
        + [
            SelectChoice(
                f"{x / 2:.1f}",
                f"{x / 2:.1f}".replace(".", ",") + (f" {vocab.GOAL_ATTAINMENT[x // 2]}" if x % 2 == 0 else ""),
            )
            for x in range(2, 9)
        ],
    )
    stop_reason = CodeField("Årsagskode", choices=choices(vocab.STOP_REASONS, "Vælg …"))
    stop_reason_text = StringField("Anden årsag", validators=[Optional(), Length(max=200)])
    next_step = CodeField("Hvad sker der bagefter?", choices=choices(vocab.NEXT_STEPS, "Vælg …"))


class AssessmentForm(FlaskForm):
    assessment_date = DateField(
        "Vurdering af fremtidige behov holdt den", validators=[InputRequired(DATE_MSG)], format="%Y-%m-%d"
    )


class MeetingForm(FlaskForm):
    kind = CodeField("Type", choices=choices(vocab.FORM_MEETING_KINDS))
    date = DateField("Dato", validators=[InputRequired(DATE_MSG)], format="%Y-%m-%d")
    time = TimeField("Kl.", validators=[InputRequired(TIME_MSG)], format="%H:%M")
    duration_minutes = IntegerField(
        "Varighed (minutter)",
        validators=[Optional(), NumberRange(1, 480, "Varighed skal være mellem 1 og 480 minutter.")],
    )
    status = CodeField("Status", choices=choices(vocab.MEETING_STATUSES))
    staff1 = CodeField("Medarbejder", coerce=str)
    staff2 = CodeField("Medarbejder 2", coerce=str)
    relative_id = CodeField("Pårørende til stede", coerce=str)


class MeetingStatusForm(FlaskForm):
    status = CodeField("Status", choices=choices(vocab.MEETING_STATUSES))
