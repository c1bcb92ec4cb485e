"""Forms of the volunteer bridge: a request, closing it, proposing an activity, a match's step."""

from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..forms import ChoiceField, DanishDateField, DanishSelectField, PlainForm, options, text_area
from .forms import CodesField, WeekdaysField
from .matching import MATCH_STATES, REQUEST_ORIGINS
from .vocab import THEMES

MSG_THEME = "Ukendt tema – vælg blandt temaerne på listen."


class ThemesField(CodesField):
    codes = THEMES
    message = MSG_THEME


class RequestForm(PlainForm):
    origin = HiddenField(default="borgerside")
    course_id = HiddenField()
    guide_conversation_id = HiddenField()
    wishes = text_area("Hvad kunne borgeren have lyst til?", rows=3,
                       required_message="Skriv kort, hvad borgeren kunne have lyst til.")
    considerations = text_area("Hvad skal der tages hensyn til?", rows=3)
    themes = ThemesField("Temaer")
    weekdays = WeekdaysField("Ugedage (hvis det betyder noget)")

    def validate_origin(self, field):
        if field.data not in REQUEST_ORIGINS:
            field.data = "borgerside"
            raise ValidationError("Ukendt oprindelse – efterlysningen registreres fra borgersiden.")

    def validate_themes(self, field):
        if not field.data and not field.errors:
            raise ValidationError("Vælg mindst ét tema, borgeren kunne have lyst til.")


class CloseRequestForm(PlainForm):
    reason = StringField("Hvorfor lukkes efterlysningen?", filters=[lambda v: v.strip() if isinstance(v, str) else v],
                         validators=[DataRequired("Skriv kort, hvorfor efterlysningen lukkes."),
                                     Length(max=300, message="Højst 300 tegn.")])


class ProposeForm(PlainForm):
    activity_id = ChoiceField("Aktivitet")


class StepForm(PlainForm):
    state = DanishSelectField("Næste skridt", choices=options(MATCH_STATES),
                              validators=[DataRequired("Vælg næste skridt.")])
    day = DanishDateField("Dag", validators=[Optional()])
    comment = StringField("Kort kommentar", filters=[lambda v: v.strip() if isinstance(v, str) else v],
                          validators=[Optional(), Length(max=500, message="Højst 500 tegn.")])

    def validate_day(self, field):
        if field.data is None and not field.errors:
            raise ValidationError("Skriv den dag, skridtet skete.")
