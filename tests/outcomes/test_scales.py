import copy
import json

import pytest

from webapp.outcomes.scales import (
    DEFAULT_ORS_PERIOD,
    GSRS,
    ORS,
    ORS_PERIOD_CHOICES,
    ORS_PERIODS,
    SHIPPED_DEFINITIONS,
    SRS,
    ScaleDefinitionError,
    definition_from_dict,
    definition_from_json,
    definition_to_dict,
    definition_to_json,
)

# Sentences from the licensed Danish GSRS (Bilag 3): they must never ship with the product.
LICENSED_PHRASES = ("hørt, forstået", "Gruppelederens", "Personligt velbefindende", "Noget manglede")


def licensed_ors():
    """What an administrator would upload: our neutral texts replaced by (stand-in) licensed ones."""
    data = definition_to_dict(ORS)
    for number, item in enumerate(data["items"], start=1):
        item["low_anchor"] = f"Licenseret venstre tekst {number}"
        item["high_anchor"] = f"Licenseret højre tekst {number}"
        item["description"] = f"Licenseret beskrivelse {number}"
    data["when_text"] = "Licenseret instruktion."
    return data


def problems_of(data):
    with pytest.raises(ScaleDefinitionError) as error:
        definition_from_dict(data)
    assert str(error.value).startswith("Filen med skalaens ordlyd kan ikke bruges:")
    return error.value.problems


@pytest.mark.parametrize(
    ("definition", "labels"),
    [
        (ORS, ("Individuelt", "Nære relationer", "Socialt", "Generelt")),
        (SRS, ("Relation", "Mål og emner", "Tilgang eller metode", "Generelt")),
        (GSRS, ("Relation", "Mål og emner", "Tilgang eller metode", "Generelt")),
    ],
)
def test_shipped_definitions_have_the_danish_item_names(definition, labels):
    assert tuple(item.label for item in definition.items) == labels
    assert (definition.min, definition.max, definition.decimals, definition.total_max) == (0, 10, 1, 40)
    assert definition.total_max == definition.max * len(definition.items)
    assert len(set(definition.item_keys)) == 4
    assert SHIPPED_DEFINITIONS[definition.code] is definition


def test_cutoffs_come_from_the_scoring_thresholds():
    assert (ORS.cutoff, SRS.cutoff, GSRS.cutoff) == (25.0, 36.0, 36.0)


@pytest.mark.parametrize("definition", [ORS, SRS, GSRS])
def test_shipped_definitions_carry_only_neutral_anchors_of_our_own(definition):
    anchors = {(item.low_anchor, item.high_anchor) for item in definition.items}
    assert anchors <= {("Dårligt", "Godt"), ("Lav", "Høj")}
    text = definition_to_json(definition)
    for phrase in LICENSED_PHRASES:
        assert phrase not in text


def test_labels_mapping_for_the_feedback_prompt():
    assert SRS.labels["goals_topics"] == "Mål og emner"


def test_ors_period_choices():
    assert ORS_PERIOD_CHOICES == (("siden_sidst", "Siden sidst, inklusive i dag"), ("i_dag", "I dag"))
    assert ORS_PERIODS[DEFAULT_ORS_PERIOD] == "Siden sidst, inklusive i dag"


@pytest.mark.parametrize("definition", [ORS, SRS, GSRS])
def test_json_round_trip(definition):
    assert definition_from_json(definition_to_json(definition)) == definition
    assert definition_from_dict(json.loads(json.dumps(definition_to_dict(definition)))) == definition


def test_licensed_wording_is_loaded():
    loaded = definition_from_dict(licensed_ors())
    assert loaded.items[0].low_anchor == "Licenseret venstre tekst 1"
    assert loaded.items[3].description == "Licenseret beskrivelse 4"
    assert loaded.when_text == "Licenseret instruktion."
    assert loaded.item_keys == ORS.item_keys
    assert loaded.cutoff == ORS.cutoff


def test_a_minimal_file_needs_only_code_and_item_texts():
    data = {
        "code": "GSRS",
        "items": [
            {"key": key, "label": label, "low_anchor": "venstre", "high_anchor": "højre"}
            for key, label in GSRS.labels.items()
        ],
    }
    loaded = definition_from_dict(data)
    assert loaded.name == GSRS.name
    assert loaded.total_max == 40
    assert loaded.items[2].label == "Tilgang eller metode"


def test_items_in_another_order_are_put_back_in_the_shipped_order():
    data = licensed_ors()
    data["items"].reverse()
    assert definition_from_dict(data).item_keys == ORS.item_keys


def test_texts_are_trimmed_and_bytes_with_bom_are_accepted():
    data = licensed_ors()
    data["items"][0]["label"] = "  Individuelt  "
    loaded = definition_from_json(("\ufeff" + json.dumps(data)).encode())
    assert loaded.items[0].label == "Individuelt"


def mutate(change):
    data = licensed_ors()
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("items"), "Filen mangler »items« med skalaens 4 punkter."),
        (lambda d: d.update(items=[]), "Filen mangler »items« med skalaens 4 punkter."),
        (lambda d: d["items"].pop(), "ORS skal have 4 punkter; filen har 3."),
        (lambda d: d["items"].pop(), "Punkterne overall mangler."),
        (lambda d: d["items"][1].update(key="relations"), "Punkt 2 (»relations«) er ikke et punkt i ORS"),
        (lambda d: d["items"][1].update(key="individual"), "Punkt 2 (»individual«) står der to gange."),
        (lambda d: d["items"][0].pop("key"), "Punkt 1 mangler feltet »key«; brug individual, interpersonal"),
        (lambda d: d["items"][2].update(label=""), "Punkt 3 (»social«), feltet »label«, mangler tekst."),
        (lambda d: d["items"][2].pop("high_anchor"), "Punkt 3 (»social«), feltet »high_anchor«, mangler tekst."),
        (lambda d: d["items"][2].update(low_anchor=7), "Punkt 3 (»social«), feltet »low_anchor«, skal være tekst."),
        (lambda d: d["items"][2].update(description="x" * 1001), "for lang (højst 1000 tegn)"),
        (lambda d: d["items"][0].update(low_ancor="typo"), "Punkt 1 (»individual«) har ukendte felter: low_ancor."),
        (lambda d: d["items"].__setitem__(0, "Individuelt"), "Punkt 1 skal være et objekt"),
        (lambda d: d.update(max=100), "Feltet »max« skal være 10 for ORS (filen har 100)"),
        (lambda d: d.update(min=-10), "Feltet »min« skal være 0 for ORS"),
        (lambda d: d.update(decimals=2), "Feltet »decimals« skal være 1 for ORS"),
        (lambda d: d.update(total_max=50), "Feltet »total_max« skal være 40 for ORS"),
        (lambda d: d.update(cutoff=20), "Feltet »cutoff« skal være 25.0 for ORS"),
        (lambda d: d.update(max="10"), "Feltet »max« skal være et tal."),
        (lambda d: d.update(max=True), "Feltet »max« skal være et tal."),
        (lambda d: d.update(name=["ORS"]), "Feltet »name« skal være tekst."),
        (lambda d: d.update(colour="red"), "Ukendte felter: colour."),
    ],
)
def test_malformed_files_are_refused_with_danish_messages(change, expected):
    problems = problems_of(mutate(change))
    assert any(expected in problem for problem in problems), problems


def test_every_problem_is_reported_at_once():
    data = licensed_ors()
    data["max"] = 100
    data["items"][0]["label"] = ""
    data["items"].pop()
    assert len(problems_of(data)) == 4  # max, the empty label, the count, the missing item


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], "Filen skal indeholde ét JSON-objekt med én skala."),
        ("ORS", "Filen skal indeholde ét JSON-objekt med én skala."),
        ({"items": []}, "Ukendt skala »None«. Brug ORS, SRS eller GSRS."),
        ({"code": "PHQ9"}, "Ukendt skala »PHQ9«. Brug ORS, SRS eller GSRS."),
        ({"code": "ors"}, "Ukendt skala »ors«. Brug ORS, SRS eller GSRS."),
        ({"code": "ORS", "format": 2}, "Ukendt filformat 2; forventet 1."),
    ],
)
def test_unusable_files_are_refused(data, expected):
    assert problems_of(data) == (expected,)


def test_srs_keys_are_checked_against_srs_not_ors():
    data = copy.deepcopy(licensed_ors())
    data["code"] = "SRS"
    problems = problems_of(data)
    assert any("er ikke et punkt i SRS" in problem for problem in problems)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("{not json", "Filen er ikke gyldig JSON (linje 1)."),
        (b"\xff\xfe{}", "Filen skal være gemt som UTF-8."),
        ("x" * 100_001, "Filen er for stor (højst 100 kB)."),
    ],
)
def test_unreadable_files_are_refused(raw, expected):
    with pytest.raises(ScaleDefinitionError) as error:
        definition_from_json(raw)
    assert error.value.problems == (expected,)


def test_the_error_is_a_value_error_for_form_validators():
    assert issubclass(ScaleDefinitionError, ValueError)
