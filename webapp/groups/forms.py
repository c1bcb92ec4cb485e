"""Forms for the group catalogue, runs, extra meetings and enrolment."""

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..auth.services import name_and_initials, staff_choices
from ..forms import ChoiceField, DateInputField, IntInputField, PlainForm, TimeInputField, in_range
from . import vocab


class ThemeForm(PlainForm):
    name = StringField("Tema", validators=[
        InputRequired("Skriv gruppens tema."), Length(max=80, message="Højst 80 tegn.")])
    description = TextAreaField("Beskrivelse", validators=[Length(max=2000, message="Højst 2000 tegn.")])
    max_participants = IntInputField("Højst antal deltagere", default=vocab.DEFAULT_CAPACITY, validators=[
        InputRequired("Skriv det højeste antal deltagere."), in_range(1, vocab.MAX_CAPACITY, "Antallet")])
    usual_meetings = IntInputField("Sædvanligt antal møder", default=vocab.DEFAULT_MEETINGS, validators=[
        InputRequired("Skriv antallet af møder."), in_range(1, vocab.MAX_MEETINGS, "Antallet af møder")])
    meeting_minutes = IntInputField("Mødernes længde i minutter", default=vocab.DEFAULT_MEETING_MINUTES, validators=[
        InputRequired("Skriv mødernes længde."), in_range(15, 480, "Længden")])
    place = SelectField("Sted", choices=vocab.PLACES, validate_choice=False)
    hours_activity = SelectField("Timer tæller som", choices=vocab.HOURS_ACTIVITIES,
                                 validate_choice=False)
    active = BooleanField("I kataloget (kan startes som hold)", default=True)


class RunForm(PlainForm):
    team_number = StringField("Holdnummer", validators=[
        InputRequired("Skriv et holdnummer."), Length(max=20, message="Højst 20 tegn.")])
    start_date = DateInputField("Startdato", validators=[InputRequired("Skriv holdets startdato.")])
    at = TimeInputField("Mødetid", validators=[InputRequired("Skriv mødetidspunktet.")])
    meetings = IntInputField("Antal møder (ugentlige)", validators=[
        InputRequired("Skriv antallet af møder."), in_range(1, vocab.MAX_MEETINGS, "Antallet af møder")])
    minutes = IntInputField("Mødernes længde i minutter", validators=[
        InputRequired("Skriv mødernes længde."), in_range(15, 480, "Længden")])
    end_date = DateInputField("Slutdato (valgfri – ellers dagen for sidste møde)", validators=[Optional()])
    place = SelectField("Sted", choices=vocab.PLACES, validate_choice=False)
    capacity = IntInputField("Pladser", validators=[
        InputRequired("Skriv antallet af pladser."), in_range(1, vocab.MAX_CAPACITY, "Antallet af pladser")])
    facilitator1 = ChoiceField("Gruppeleder")
    facilitator2 = ChoiceField("Anden gruppeleder (fx peer-medarbejder)", optional=True)

    def setup(self):
        self.facilitator1.choices = staff_choices(include=(self.facilitator1.data,), label=name_and_initials)
        self.facilitator2.choices = staff_choices(blank="Ingen", include=(self.facilitator2.data,), label=name_and_initials)
        return self


class RunEditForm(PlainForm):
    end_date = DateInputField("Slutdato", validators=[Optional()])
    place = SelectField("Sted", choices=vocab.PLACES, validate_choice=False)
    capacity = IntInputField("Pladser", validators=[
        InputRequired("Skriv antallet af pladser."), in_range(1, vocab.MAX_CAPACITY, "Antallet af pladser")])
    facilitator1 = ChoiceField("Gruppeleder")
    facilitator2 = ChoiceField("Anden gruppeleder (fx peer-medarbejder)", optional=True)

    def setup(self):
        self.facilitator1.choices = staff_choices(include=(self.facilitator1.data,), label=name_and_initials)
        self.facilitator2.choices = staff_choices(blank="Ingen", include=(self.facilitator2.data,), label=name_and_initials)
        return self


def run_form_values(run) -> dict:
    """The run as saved now, in RunEditForm's fields (the form's values and what the version
    check compares)."""
    return {"end_date": run.end_date, "place": run.place, "capacity": run.capacity,
            "facilitator1": run.facilitator1_id, "facilitator2": run.facilitator2_id}


class MeetingForm(PlainForm):
    day = DateInputField("Dato", validators=[InputRequired("Skriv mødets dato.")])
    at = TimeInputField("Klokkeslæt", validators=[InputRequired("Skriv klokkeslættet.")])
    minutes = IntInputField("Længde i minutter", validators=[
        InputRequired("Skriv mødets længde."), in_range(15, 480, "Længden")])


class EnrolForm(PlainForm):
    citizen_id = IntInputField("Borger", validators=[InputRequired("Find og vælg borgeren først.")])
    start_date = DateInputField("Startdato", validators=[InputRequired("Skriv borgerens startdato.")])
    waiting_list = BooleanField("Sæt på ventelisten")


class StopForm(PlainForm):
    stop_date = DateInputField("Stopdato", validators=[InputRequired("Skriv stopdatoen.")])
