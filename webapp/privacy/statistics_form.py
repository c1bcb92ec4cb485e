"""The statistics export's form: the export key (the period comes from the shared period fields and
webapp/reports/periods.py). The key is checked here and never stored or logged."""

from wtforms import StringField
from wtforms.validators import Length, ValidationError

from ..forms import PlainForm
from .statistics import KEY_MAX_LENGTH, ExportKeyError, check_key

ACTIONS = ("vis", "ny-noegle", "csv", "xlsx")


class StatisticsForm(PlainForm):
    noegle = StringField(
        "Eksportnøgle",
        validators=[Length(max=KEY_MAX_LENGTH, message=f"Eksportnøglen må højst være på {KEY_MAX_LENGTH} tegn.")],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"},
    )

    def validate_noegle(self, field):
        if len((field.data or "").strip()) > KEY_MAX_LENGTH:
            return  # Length says so
        try:
            check_key(field.data)
        except ExportKeyError as error:
            raise ValidationError(str(error)) from None

    def show_key(self, key: str) -> None:
        """Put a new random key in the field (shown once, on this answer only)."""
        self.noegle.data = key
        self.noegle.raw_data = [key]
        self.noegle.errors = []
