"""Forms for the catalogue of municipal offers, and the one rule for reading a tariff as typed."""

import re

from wtforms import BooleanField, StringField
from wtforms import widgets as w
from wtforms.validators import DataRequired, Length, StopValidation

from ..forms import PlainForm
from .economics import kroner
from .models import TARIFF_MAX

NAME_MAX = 200  # the column's length
SECTION_MAX = 60

MSG_TARIFF = "Skriv den årlige takst i hele kroner, fx 12.500."
MSG_DECIMALS = "Skriv taksten i hele kroner uden decimaler (uden komma), fx 12.500."
MSG_NEGATIVE = "Taksten kan ikke være negativ."
MSG_ABSURD = "Taksten er urimeligt høj – skriv den årlige takst i hele kroner (højst 100.000.000)."

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_CURRENCY = re.compile(r"^(?:kr\.?|dkk)\s*|\s*(?:kr\.?|dkk)$", re.IGNORECASE)
_WHOLE = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")


def parse_tariff(text: str) -> int:
    """A yearly tariff as a Dane types it: »12500«, »12.500«, »12 500«, »12500 kr.«, »kr. 12.500«
    and »12.500,-« are all 12500. A decimal comma, a stray point, a minus or letters are refused
    with a Danish message (ValueError)."""
    text = _CURRENCY.sub("", (text or "").strip()).strip()
    if text.endswith(",-"):  # »12.500,-« is whole kroner
        text = text[:-2]
    text = _SPACES.sub("", text)
    if text[:1] in ("-", "−", "–"):
        raise ValueError(MSG_NEGATIVE)
    if "," in text:
        raise ValueError(MSG_DECIMALS)
    if not _WHOLE.fullmatch(text):
        raise ValueError(MSG_TARIFF)
    digits = text.replace(".", "")
    if len(digits) > 12 or int(digits) > TARIFF_MAX:
        raise ValueError(MSG_ABSURD)
    return int(digits)


class TariffField(StringField):
    """A yearly tariff in whole kroner, typed as text so »12.500« is understood; what was typed is
    shown again on an error."""

    widget = w.TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if text:
            try:
                self.data = parse_tariff(text)
            except ValueError as error:
                raise ValueError(str(error)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.display_value(self.data)

    def display_value(self, value) -> str:
        """As a person writes it (also on the conflict screen): 12.500."""
        return "" if value is None else kroner(value)


def _tariff_required(form, field):
    # DataRequired would refuse a tariff of 0 kr. and wipe the parse message.
    if field.data is None and not field.errors:
        raise StopValidation(MSG_TARIFF)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class OfferForm(PlainForm):
    name = StringField("Navn", filters=[_strip], validators=[
        DataRequired("Skriv tilbuddets navn."),
        Length(max=NAME_MAX, message=f"Navnet er for langt – højst {NAME_MAX} tegn.")])
    law_section = StringField("Lovgrundlag (paragraf)", filters=[_strip], validators=[
        Length(max=SECTION_MAX, message=f"Lovgrundlaget er for langt – højst {SECTION_MAX} tegn.")])
    yearly_tariff = TariffField("Årlig takst (kr.)", validators=[_tariff_required])


class NewOfferForm(OfferForm):
    is_housing = BooleanField("Botilbud (vælges i linjen for botilbud/støtte)")


def offer_values(offer) -> dict:
    """The offer as saved now, in OfferForm's fields (the form's values and what the version check
    compares)."""
    return {"name": offer.name, "law_section": offer.law_section or "", "yearly_tariff": offer.yearly_tariff}
