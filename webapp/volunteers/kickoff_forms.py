"""The kick-off booking form."""

from wtforms.validators import InputRequired

from ..forms import ChoiceField, DateInputField, PlainForm, TimeInputField


class KickoffForm(PlainForm):
    date = DateInputField("Dato", validators=[InputRequired("Vælg en dato.")])
    time = TimeInputField("Kl.", validators=[InputRequired("Skriv et klokkeslæt, fx 10:00.")])
    staff = ChoiceField("Borgerens medarbejder (holder mødet)")
    coordinator = ChoiceField("Frivilligkoordinator (inviteres)")
