from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..forms import DanishDateField, DanishRadioField, DanishSelectField, optional_int, options, text_area
from ..forms import Form as FlaskForm
from ..welcome.vocab import PARTNERS
from .models import CONSENT_BASES, DIRECT_DECISIONS, TEXT_FIELDS


def _handover_form_class():
    fields = {name: text_area(label, rows=5 if name in ("worked_on", "how_worked") else 3)
              for name, label in TEXT_FIELDS.items()}
    return type("HandoverForm", (FlaskForm,), fields)


HandoverForm = _handover_form_class()


class ConsentForm(FlaskForm):
    basis = DanishRadioField(
        "Grundlag",
        choices=options(CONSENT_BASES),
        default="samtykke",
        validators=[DataRequired("Vælg, om det er borgerens samtykke eller en lovhjemmel.")],
    )
    recipient_code = DanishSelectField(
        "Modtager (organisation)",
        choices=options([("", "Vælg …"), *PARTNERS.items()]),
        validators=[DataRequired("Vælg, hvem oplysningerne må gå til.")],
    )
    recipient_name = StringField("Afdeling eller team (valgfrit)", validators=[Optional(), Length(max=120)])
    purpose = StringField(
        "Formål",
        validators=[DataRequired("Skriv formålet, fx »Overdragelse til myndighedsafdelingen«."), Length(max=300)],
    )
    # No Optional(): it would stop the chain before validate_legal_basis when the field is empty.
    legal_basis = StringField(
        "Lovhjemmel (kun ved lovhjemmel)", validators=[Length(max=300, message="Højst 300 tegn.")]
    )
    # InputRequired, not DataRequired: the latter would hide "not a valid date" behind "missing".
    given_on = DanishDateField("Givet den", validators=[InputRequired("Skriv datoen, samtykket blev givet.")])
    expires_on = DanishDateField("Udløber den (valgfrit)", validators=[Optional()])

    def validate_legal_basis(self, field):
        if self.basis.data == "lovhjemmel" and not (field.data or "").strip():
            raise ValidationError("Skriv den lovhjemmel, videregivelsen sker efter.")

    def validate_expires_on(self, field):
        if field.data and self.given_on.data and field.data < self.given_on.data:
            raise ValidationError("Udløbsdatoen kan ikke ligge før datoen, samtykket blev givet.")


class DirectProposalForm(FlaskForm):
    guide_conversation_id = DanishSelectField("Guidesamtale", coerce=optional_int, choices=[], validators=[Optional()])
    reason = text_area("Hvorfor skal borgeren direkte til myndighedsafdelingen?", rows=4,
                       required_message="Skriv begrundelsen.")


class DirectDecisionForm(FlaskForm):
    proposal_id = HiddenField()
    guide_conversation_id = HiddenField()
    back = HiddenField()
    decision = DanishRadioField(
        "Beslutning",
        choices=options(DIRECT_DECISIONS),
        validators=[DataRequired("Vælg, om forslaget godkendes eller ikke godkendes.")],
    )
    note = text_area("Bemærkning (valgfri)", rows=2)
