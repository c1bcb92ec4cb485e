"""Forms of the insight slice: registering a request and recording an insight's delivery."""

from wtforms import StringField
from wtforms.validators import DataRequired, InputRequired, Length

from ..forms import DanishDateField, DanishSelectField, Form, options, text_area
from .models import REQUEST_KINDS
from .requests import DELIVERY_WAYS


class RequestForm(Form):
    kind = DanishSelectField("Borgeren beder om", choices=options([("", "Vælg …"), *REQUEST_KINDS.items()]),
                             validators=[DataRequired("Vælg, hvad borgeren beder om.")])
    received_on = DanishDateField("Modtaget den", validators=[InputRequired("Skriv den dag, anmodningen kom.")])
    requested_by = StringField("Hvem bad om det?", validators=[
        DataRequired("Skriv, hvem der bad om det, fx »Borgeren selv« eller »Værge: …«."), Length(max=120)])
    identified_by = StringField("Hvordan blev vedkommende identificeret?", validators=[
        DataRequired("Skriv, hvordan vedkommende blev identificeret, fx »Sundhedskort vist i receptionen«."),
        Length(max=200)])
    scope = text_area("Hvad omfatter anmodningen? (valgfrit)", rows=3)


class DeliveryForm(Form):
    delivered_on = DanishDateField("Udleveret den", validators=[InputRequired("Skriv den dag, indsigten blev udleveret.")])
    way = DanishSelectField("Hvordan?", choices=options([("", "Vælg …"), *DELIVERY_WAYS.items()]),
                            validators=[DataRequired("Vælg, hvordan indsigten blev udleveret.")])
