"""The typed part of Bilag 6 as one form: the shadow assessment (»Uden Din Indgang«), what the
citizen received after the course, volunteer activities, remarks and the disability category.
Every refusal is a Danish message at its field; what was typed is shown again."""

import re

from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional, ValidationError

from ..citizens.vocab import DISABILITY_CATEGORIES
from ..forms import ChoiceField, DanishSelectField, PlainForm, _TypedField, options, text_area
from ..urls import parse_id
from .catalogue_forms import TariffField
from .economics import kroner
from .models import AFTER, PERCENT_MAX, SLOTS, WITHOUT, CourseDocumentation, MunicipalOffer

MSG_PERCENT = "Skriv indskrivningsprocenten som et helt tal fra 0 til 100."
MSG_REMOVED = "Tilbuddet er fjernet fra tilbudskataloget og kan ikke vælges på ny – vælg et andet."
MSG_UNKNOWN_OFFER = "Ukendt tilbud – vælg et fra tilbudskataloget."

# The line fields of each side: (offer field, percent field) per slot.
PREFIX = {WITHOUT: "", AFTER: "after_"}


def line_fields(scenario: str) -> list[tuple[int, str, str]]:
    return [(slot, f"{PREFIX[scenario]}offer_{slot}", f"{PREFIX[scenario]}percent_{slot}") for slot in SLOTS]


class OfferField(ChoiceField):
    """An offer from the catalogue. Its choices are the active offers and the offer this line
    already has (kept even when removed from the catalogue since); an offer removed from the
    catalogue cannot be chosen anew."""

    removed_ids: frozenset[int] = frozenset()

    def pre_validate(self, form):
        if self.data is None:
            return
        if self.data in {self._coerce(choice.value) for choice in self.iter_choices()}:
            return
        raise ValidationError(MSG_REMOVED if self.data in self.removed_ids else MSG_UNKNOWN_OFFER)

    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        if raw in (None, "", "None"):
            self.data = None
            return
        self.data = parse_id(raw)
        if self.data is None:
            raise ValueError(MSG_UNKNOWN_OFFER)


class PercentField(_TypedField):
    message = MSG_PERCENT

    def parse(self, text):
        text = text.removesuffix("%").strip()
        if not re.fullmatch(r"\d{1,3}", text) or int(text) > PERCENT_MAX:
            raise ValueError(text)
        return int(text)


def _text(label: str, max_chars: int) -> StringField:
    return StringField(label, validators=[Optional(), Length(max=max_chars, message=f"Højst {max_chars} tegn.")])


class DocumentationForm(PlainForm):
    caseworker = _text("Sagsbehandler", 120)
    offer_1 = OfferField("Tilbud/støtte", optional=True)
    percent_1 = PercentField("Indskrivningsprocent")
    offer_2 = OfferField("Tilbud/støtte", optional=True)
    percent_2 = PercentField("Indskrivningsprocent")
    offer_3 = OfferField("Botilbud/støtte", optional=True)
    percent_3 = PercentField("Indskrivningsprocent")
    no_offer = BooleanField("Ingen tilbud – borgeren ville ikke have fået et kommunalt tilbud")
    paying_municipality = _text("Betalingskommune", 80)
    acting_municipality = _text("Handlekommune", 80)
    operating_municipality = _text("Driftskommune", 80)
    tariff_override = TariffField("Ret taksten (kr. om året)")
    tariff_override_reason = _text("Begrundelse for den rettede takst", 500)
    after_offer_1 = OfferField("Tilbud/støtte", optional=True)
    after_percent_1 = PercentField("Indskrivningsprocent")
    after_offer_2 = OfferField("Tilbud/støtte", optional=True)
    after_percent_2 = PercentField("Indskrivningsprocent")
    after_offer_3 = OfferField("Botilbud/støtte", optional=True)
    after_percent_3 = PercentField("Indskrivningsprocent")
    after_nothing = BooleanField("Intet kommunalt tilbud efter forløbet")
    remarks = text_area("Bemærkninger", rows=3)
    disability_category = DanishSelectField(
        "Handicapkategori (kun til statistik)",
        choices=options({"": "Ikke angivet", **{c: c for c in DISABILITY_CATEGORIES}}))

    def setup(self, doc: CourseDocumentation | None, active: list[MunicipalOffer], removed_ids: set[int]) -> None:
        """Offer choices per line: the active catalogue, plus the offer the saved line has."""
        for scenario in PREFIX:
            saved = {line.slot: line for line in doc.side(scenario)} if doc is not None else {}
            for slot, offer_name, _percent in line_fields(scenario):
                pairs = [(None, "– intet valgt –")] + [(o.id, offer_label(o)) for o in active]
                line = saved.get(slot)
                if line is not None and line.offer_id is not None and line.offer_id not in {o.id for o in active}:
                    pairs.append((line.offer_id, f"{line.offer_name} (fjernet fra kataloget)"))
                field = self[offer_name]
                field.choices = options(pairs)
                field.removed_ids = frozenset(removed_ids)

    def validate(self, extra_validators=None, *, assessed: bool = False, after_recorded: bool = False):
        ok = super().validate(extra_validators)
        for scenario in PREFIX:
            for _slot, offer_name, percent_name in line_fields(scenario):
                offer, percent = self[offer_name], self[percent_name]
                if offer.errors or percent.errors:
                    continue
                if offer.data is not None and percent.data is None:
                    percent.errors.append("Skriv indskrivningsprocenten (0–100).")
                    ok = False
                elif offer.data is None and percent.data is not None:
                    offer.errors.append("Vælg tilbuddet, procenten hører til – eller slet procenten.")
                    ok = False
        ok = self._no_line_choice(WITHOUT, self.no_offer, assessed, "Ingen tilbud") and ok
        ok = self._no_line_choice(AFTER, self.after_nothing, after_recorded, "Intet kommunalt tilbud") and ok
        if self.tariff_override.data is not None and not self.tariff_override.errors \
                and not (self.tariff_override_reason.data or "").strip():
            self.tariff_override_reason.errors.append("Skriv en begrundelse, når du retter den beregnede takst.")
            ok = False
        if self.tariff_override.data is None and not self.tariff_override.errors \
                and (self.tariff_override_reason.data or "").strip() and not self.tariff_override_reason.errors:
            self.tariff_override.errors.append("Skriv den rettede takst – eller slet begrundelsen.")
            ok = False
        return ok

    def _no_line_choice(self, scenario: str, box: BooleanField, saved_before: bool, label: str) -> bool:
        chosen = any(self[offer].data is not None for _s, offer, _p in line_fields(scenario))
        if box.data and chosen:
            box.errors.append(f"Du har valgt tilbud – fjern krydset ved »{label}«, eller fjern tilbuddene.")
            return False
        if saved_before and not box.data and not chosen and not self._line_errors(scenario):
            box.errors.append(f"Vælg mindst ét tilbud – eller sæt kryds ved »{label}«.")
            return False
        return True

    def _line_errors(self, scenario: str) -> bool:
        return any(self[o].errors or self[p].errors for _s, o, p in line_fields(scenario))

    def lines(self, scenario: str) -> list[tuple[int, int, int]] | None:
        """(slot, offer id, percent) of one side; [] for »no offer«; None when not filled in."""
        box = self.no_offer if scenario == WITHOUT else self.after_nothing
        chosen = [(slot, self[offer].data, self[percent].data) for slot, offer, percent in line_fields(scenario)
                  if self[offer].data is not None]
        if chosen:
            return chosen
        return [] if box.data else None


def offer_label(offer: MunicipalOffer) -> str:
    section = f" ({offer.law_section})" if offer.law_section else ""
    return f"{offer.name}{section} – {kroner(offer.yearly_tariff)} kr./år"


def form_values(doc: CourseDocumentation | None, disability_category: str | None) -> dict[str, object]:
    """The saved values in the form's own types: what the form is filled with and what the version
    check compares with."""
    values: dict[str, object] = {
        "caseworker": None, "paying_municipality": None, "acting_municipality": None,
        "operating_municipality": None, "tariff_override": None, "tariff_override_reason": None,
        "no_offer": False, "after_nothing": False, "remarks": None,
        "disability_category": disability_category,
    }
    for scenario in PREFIX:
        saved = {line.slot: line for line in doc.side(scenario)} if doc is not None else {}
        for slot, offer_name, percent_name in line_fields(scenario):
            line = saved.get(slot)
            values[offer_name] = line.offer_id if line is not None else None
            values[percent_name] = line.percent if line is not None else None
    if doc is not None:
        for name in ("caseworker", "paying_municipality", "acting_municipality", "operating_municipality",
                     "tariff_override", "tariff_override_reason", "remarks"):
            values[name] = getattr(doc, name)
        values["no_offer"] = doc.shadow_assessed_on is not None and not doc.side(WITHOUT)
        values["after_nothing"] = doc.after_recorded_on is not None and not doc.side(AFTER)
    return values
