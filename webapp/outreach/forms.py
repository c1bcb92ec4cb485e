from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms import DanishDateField, DanishIntegerField, DanishSelectField, optional_int, options, text_area
from ..forms import Form as FlaskForm
from ..welcome.vocab import PARTNERS
from .models import URGENCIES
from .rules import OUTCOMES


class RequestForm(FlaskForm):
    received_on = DanishDateField("Modtaget den", validators=[InputRequired("Skriv datoen for opkaldet.")])
    partner_code = DanishSelectField(
        "Samarbejdspartner", choices=options([("", "Vælg …"), *PARTNERS.items()]),
        validators=[DataRequired("Vælg samarbejdspartneren.")],
    )
    partner_name = StringField("Afdeling eller team (valgfrit)", validators=[Optional(), Length(max=120)])
    contact_person = StringField(
        "Kontaktperson", validators=[DataRequired("Skriv kontaktpersonens navn."), Length(max=120)]
    )
    contact_phone = StringField("Kontaktpersonens telefon", validators=[Optional(), Length(max=20)])
    partner_reference = StringField(
        "Partnerens reference (journalnr. e.l.)", validators=[Optional(), Length(max=60)]
    )
    citizen_id = HiddenField()
    citizen_first_name = StringField("Borgerens fornavn", validators=[Optional(), Length(max=80)])
    reason = text_area("Hvorfor kan borgeren ikke komme i Din Indgang?", rows=4,
                       required_message="Skriv, hvorfor borgeren ikke kan komme.")
    urgency = DanishSelectField("Hvor meget haster det?", choices=options(URGENCIES), default="almindelig",
                                validators=[DataRequired("Vælg, hvor meget det haster.")])


class AssignForm(FlaskForm):
    staff_id = DanishSelectField(
        "Medarbejder", coerce=optional_int, choices=[], validators=[DataRequired("Vælg en medarbejder.")]
    )


class VisitForm(FlaskForm):
    visit_date = DanishDateField("Dato", validators=[Optional()])
    duration_minutes = DanishIntegerField("Varighed (minutter)", validators=[Optional()])
    what_happened = text_area("Hvad skete der?", rows=3)


class CloseForm(FlaskForm):
    outcome = DanishSelectField(
        "Udfald", choices=options([("", "Vælg …"), *OUTCOMES.items()]), validators=[DataRequired("Vælg et udfald.")]
    )
    closing_note = text_area("Bemærkning (valgfri)", rows=2)

