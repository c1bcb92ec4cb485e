from wtforms import BooleanField, PasswordField, SelectChoice, StringField
from wtforms.validators import InputRequired, Length, Regexp

from ..auth.passwords import password_problem
from ..auth.roles import ROLE_LABELS
from ..forms import Form as FlaskForm
from ..forms import MultiCheckboxField


def _policy(form, field):
    from wtforms.validators import ValidationError

    if field.data and (problem := password_problem(field.data)):
        raise ValidationError(problem)


class UserForm(FlaskForm):
    full_name = StringField(
        "Fulde navn", validators=[InputRequired("Skriv navnet."), Length(max=120)]
    )
    initials = StringField(
        "Initialer",
        validators=[
            InputRequired("Skriv initialer."),
            Length(max=8, message="Højst 8 tegn."),
        ],
    )
    roles = MultiCheckboxField("Roller", choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()])
    has_authority_experience = BooleanField("Har myndighedserfaring")


class NewUserForm(UserForm):
    username = StringField(
        "Brugernavn",
        validators=[
            InputRequired("Skriv et brugernavn."),
            Length(max=60),
            Regexp(r"^[A-Za-z0-9._-]+$", message="Kun bogstaver a–z, tal, punktum og bindestreg."),
        ],
    )
    password = PasswordField(
        "Adgangskode (mindst 8 tegn)",
        validators=[InputRequired("Skriv en adgangskode."), _policy],
        render_kw={"autocomplete": "new-password"},
    )


class PasswordForm(FlaskForm):
    password = PasswordField(
        "Ny adgangskode (mindst 8 tegn)",
        validators=[InputRequired("Skriv en adgangskode."), _policy],
        render_kw={"autocomplete": "new-password"},
    )


class ActiveForm(FlaskForm):
    """Only the CSRF token: activation is a button."""


class SecondFactorResetForm(FlaskForm):
    """The leader confirms the reset with a tick: the colleague asked, and it is really them."""

    confirm = BooleanField(
        "Jeg har talt med kollegaen, og det er dem, der beder om at få nulstillet",
        validators=[InputRequired("Sæt kryds for at bekræfte, før totrinsbekræftelsen nulstilles.")],
    )
