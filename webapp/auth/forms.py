from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from ..forms import Form as FlaskForm


class LoginForm(FlaskForm):
    username = StringField(
        "Brugernavn",
        validators=[InputRequired("Skriv dit brugernavn."), Length(max=60)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        "Adgangskode",
        validators=[InputRequired("Skriv din adgangskode."), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class UnlockForm(FlaskForm):
    password = PasswordField(
        "Adgangskode",
        validators=[InputRequired("Skriv din adgangskode."), Length(max=256)],
        render_kw={"autocomplete": "current-password", "autofocus": True},
    )


class CodeForm(FlaskForm):
    """The second step: the 6-digit code from the app, or a recovery code."""

    code = StringField(
        "Engangskode",
        validators=[InputRequired("Skriv koden fra din app (6 cifre) eller en reservekode."), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false",
                   "autofocus": True},
    )


class EnrolForm(FlaskForm):
    """Enrolment: the code the app shows for the secret just scanned."""

    code = StringField(
        "Kode fra appen",
        validators=[InputRequired("Skriv den 6-cifrede kode, som appen viser."), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none",
                   "spellcheck": "false"},
    )
