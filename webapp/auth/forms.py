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
