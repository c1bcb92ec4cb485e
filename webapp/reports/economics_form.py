"""The economics page's assumptions (GET fields): the effect duration in years and the hourly cost.
The rules live in documentation.economics; these fields show its Danish messages at the field and
keep what was typed. An empty field means the default."""

from wtforms import StringField

from ..documentation import economics as shadow
from ..forms import PlainWTForm


class _AssumptionField(StringField):
    """A text input parsed by one of economics' rules (None when empty)."""

    def __init__(self, label=None, *, parse=None, **kwargs):
        super().__init__(label, **kwargs)
        self.parse = parse

    def process_formdata(self, valuelist):
        text = valuelist[0] if valuelist else ""
        self.data = None
        if text.strip():
            try:
                self.data = self.parse(text)
            except shadow.AssumptionError as error:
                raise ValueError(str(error)) from None

    def _value(self):
        if self.raw_data and self.raw_data[0].strip():
            return self.raw_data[0]
        return shadow.decimal_da(self.data) if self.data is not None else ""


class AssumptionsForm(PlainWTForm):
    aar = _AssumptionField("Effektens varighed (år)", parse=shadow.parse_effect_years,
                           render_kw={"inputmode": "decimal", "autocomplete": "off"})
    timepris = _AssumptionField("Timepris (kr.)", parse=lambda text: shadow.parse_hourly_cost(text, None),
                                render_kw={"inputmode": "numeric", "autocomplete": "off"})

    def __init__(self, formdata, *, hourly_cost: int):
        super().__init__(formdata)
        # Empty or absent: the defaults, shown in the fields.
        if self.aar.data is None and not self.aar.process_errors:
            self.aar.data = shadow.DEFAULT_EFFECT_YEARS
        if self.timepris.data is None and not self.timepris.process_errors:
            self.timepris.data = hourly_cost
