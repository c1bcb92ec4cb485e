"""FIT scale definitions as data (ORS, SRS, GSRS), after the CamCOPS approach.

The wording of the scales belongs to the rights holders, and the licence forbids unlicensed
electronic versions and home-made translations. So the product ships only the item NAMES with
neutral end points of our own ("Dårligt"/"Godt", "Lav"/"Høj"); an administrator uploads the
municipality's licensed Danish wording as a JSON file, which `definition_from_json` /
`definition_from_dict` validate. The structure (item keys, 0–10 with one decimal, total 0–40) is
fixed by the shipped definitions, because stored scores and the scoring rules depend on it.
"""

import json
from dataclasses import dataclass
from typing import Any

from .scoring import DEFAULT_THRESHOLDS

FORMAT_VERSION = 1
MAX_TEXT_LENGTH = 1000
MAX_FILE_BYTES = 100_000

ORS_PERIOD_CHOICES = (
    ("siden_sidst", "Siden sidst, inklusive i dag"),
    ("i_dag", "I dag"),
)
ORS_PERIODS = dict(ORS_PERIOD_CHOICES)
DEFAULT_ORS_PERIOD = "siden_sidst"


@dataclass(frozen=True)
class ScaleItem:
    key: str  # stable English identifier, stored with the scores
    label: str
    low_anchor: str  # text at 0 (left end of the line)
    high_anchor: str  # text at 10 (right end of the line)
    description: str = ""


@dataclass(frozen=True)
class ScaleDefinition:
    code: str  # "ORS", "SRS" or "GSRS"
    name: str
    when_text: str
    items: tuple[ScaleItem, ...]
    min: int = 0
    max: int = 10
    decimals: int = 1
    total_max: int = 40
    cutoff: float | None = None  # display only; the rules read scoring.Thresholds
    source_note: str = ""

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    @property
    def labels(self) -> dict[str, str]:
        return {item.key: item.label for item in self.items}


_SOURCE_NOTE = (
    "Skalaen er udviklet af Scott D. Miller og Barry L. Duncan. Her vises kun punkternes navne og "
    "neutrale endepunkter; kommunens licenserede danske ordlyd kan indlæses af en administrator."
)

ORS = ScaleDefinition(
    code="ORS",
    name="Outcome Rating Scale (ORS)",
    when_text="Udfyldes af borgeren før samtalen.",
    items=(
        ScaleItem("individual", "Individuelt", "Dårligt", "Godt"),
        ScaleItem("interpersonal", "Nære relationer", "Dårligt", "Godt"),
        ScaleItem("social", "Socialt", "Dårligt", "Godt"),
        ScaleItem("overall", "Generelt", "Dårligt", "Godt"),
    ),
    cutoff=float(DEFAULT_THRESHOLDS.ors_cutoff),
    source_note=_SOURCE_NOTE,
)

_SESSION_ITEMS = (
    ScaleItem("relationship", "Relation", "Lav", "Høj"),
    ScaleItem("goals_topics", "Mål og emner", "Lav", "Høj"),
    ScaleItem("approach_method", "Tilgang eller metode", "Lav", "Høj"),
    ScaleItem("overall", "Generelt", "Lav", "Høj"),
)

SRS = ScaleDefinition(
    code="SRS",
    name="Session Rating Scale (SRS)",
    when_text="Udfyldes af borgeren efter en individuel samtale.",
    items=_SESSION_ITEMS,
    cutoff=float(DEFAULT_THRESHOLDS.session_total_cutoff),
    source_note=_SOURCE_NOTE,
)

GSRS = ScaleDefinition(
    code="GSRS",
    name="Group Session Rating Scale (GSRS)",
    when_text="Udfyldes af deltageren efter et gruppemøde.",
    items=_SESSION_ITEMS,
    cutoff=float(DEFAULT_THRESHOLDS.session_total_cutoff),
    source_note=_SOURCE_NOTE,
)

SHIPPED_DEFINITIONS = {definition.code: definition for definition in (ORS, SRS, GSRS)}


class ScaleDefinitionError(ValueError):
    """An uploaded wording file that cannot be used; `problems` lists every fault in Danish."""

    def __init__(self, problems: list[str] | tuple[str, ...]):
        self.problems = tuple(problems)
        super().__init__("Filen med skalaens ordlyd kan ikke bruges: " + " ".join(self.problems))


def definition_to_dict(definition: ScaleDefinition) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "code": definition.code,
        "name": definition.name,
        "when_text": definition.when_text,
        "min": definition.min,
        "max": definition.max,
        "decimals": definition.decimals,
        "total_max": definition.total_max,
        "cutoff": definition.cutoff,
        "source_note": definition.source_note,
        "items": [
            {
                "key": item.key,
                "label": item.label,
                "low_anchor": item.low_anchor,
                "high_anchor": item.high_anchor,
                "description": item.description,
            }
            for item in definition.items
        ],
    }


def definition_to_json(definition: ScaleDefinition) -> str:
    return json.dumps(definition_to_dict(definition), ensure_ascii=False, indent=2)


_TOP_FIELDS = {"format", "code", "name", "when_text", "min", "max", "decimals", "total_max", "cutoff",
               "source_note", "items"}
_TEXT_FIELDS = ("name", "when_text", "source_note")
_NUMBER_FIELDS = ("min", "max", "decimals", "total_max", "cutoff")
_ITEM_FIELDS = {"key", "label", "low_anchor", "high_anchor", "description"}
_ITEM_REQUIRED = ("label", "low_anchor", "high_anchor")


def _text_problem(value: Any, where: str, *, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return f"{where} mangler tekst." if required else None
    if not isinstance(value, str):
        return f"{where} skal være tekst."
    if len(value) > MAX_TEXT_LENGTH:
        return f"{where} er for lang (højst {MAX_TEXT_LENGTH} tegn)."
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def definition_from_dict(data: Any) -> ScaleDefinition:
    """Validate an uploaded (licensed) wording file and build its definition.

    Texts may change; the structure may not: the item keys must be exactly the shipped keys, and
    min/max/decimals/total_max/cutoff, when present, must equal the shipped values. Every problem
    is collected so the administrator can fix the file in one go.
    """
    if not isinstance(data, dict):
        raise ScaleDefinitionError(["Filen skal indeholde ét JSON-objekt med én skala."])
    if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        raise ScaleDefinitionError([f"Ukendt filformat {data.get('format')!r}; forventet {FORMAT_VERSION}."])
    code = data.get("code")
    shipped = SHIPPED_DEFINITIONS.get(code) if isinstance(code, str) else None
    if shipped is None:
        raise ScaleDefinitionError([f"Ukendt skala »{code}«. Brug ORS, SRS eller GSRS."])

    problems: list[str] = []
    if unknown := sorted(set(data) - _TOP_FIELDS):
        problems.append(f"Ukendte felter: {', '.join(map(str, unknown))}.")
    for name in _TEXT_FIELDS:
        if problem := _text_problem(data.get(name), f"Feltet »{name}«", required=False):
            problems.append(problem)
    for name in _NUMBER_FIELDS:
        if name not in data:
            continue
        value, expected = data[name], getattr(shipped, name)
        if not (_is_number(value) or (value is None and expected is None)):
            problems.append(f"Feltet »{name}« skal være et tal.")
        elif value != expected:
            problems.append(f"Feltet »{name}« skal være {expected} for {code} (filen har {value}); skalaens "
                            f"interval kan ikke ændres.")

    items_by_key: dict[str, dict] = {}
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        problems.append(f"Filen mangler »items« med skalaens {len(shipped.items)} punkter.")
    else:
        if len(raw_items) != len(shipped.items):
            problems.append(f"{code} skal have {len(shipped.items)} punkter; filen har {len(raw_items)}.")
        for number, raw in enumerate(raw_items, start=1):
            if not isinstance(raw, dict):
                problems.append(f"Punkt {number} skal være et objekt med key, label, low_anchor og high_anchor.")
                continue
            key = raw.get("key")
            where = f"Punkt {number} (»{key}«)"
            if not isinstance(key, str) or not key:
                problems.append(f"Punkt {number} mangler feltet »key«; brug {', '.join(shipped.item_keys)}.")
                continue
            if key not in shipped.item_keys:
                problems.append(f"{where} er ikke et punkt i {code}; brug {', '.join(shipped.item_keys)}.")
                continue
            if key in items_by_key:
                problems.append(f"{where} står der to gange.")
                continue
            items_by_key[key] = raw
            if unknown := sorted(set(raw) - _ITEM_FIELDS):
                problems.append(f"{where} har ukendte felter: {', '.join(map(str, unknown))}.")
            for name in (*_ITEM_REQUIRED, "description"):
                label = f"{where}, feltet »{name}«,"
                if problem := _text_problem(raw.get(name), label, required=name in _ITEM_REQUIRED):
                    problems.append(problem)
        if missing := [key for key in shipped.item_keys if key not in items_by_key]:
            problems.append(f"Punkterne {', '.join(missing)} mangler.")
    if problems:
        raise ScaleDefinitionError(problems)

    def text(source: dict, name: str, default: str = "") -> str:
        value = source.get(name)
        return value.strip() if isinstance(value, str) and value.strip() else default

    items = tuple(
        ScaleItem(
            key=key,
            label=text(items_by_key[key], "label"),
            low_anchor=text(items_by_key[key], "low_anchor"),
            high_anchor=text(items_by_key[key], "high_anchor"),
            description=text(items_by_key[key], "description"),
        )
        for key in shipped.item_keys  # the shipped order, whatever order the file used
    )
    return ScaleDefinition(
        code=shipped.code,
        name=text(data, "name", shipped.name),
        when_text=text(data, "when_text", shipped.when_text),
        items=items,
        min=shipped.min,
        max=shipped.max,
        decimals=shipped.decimals,
        total_max=shipped.total_max,
        cutoff=shipped.cutoff,
        source_note=text(data, "source_note", shipped.source_note),
    )


def definition_from_json(raw: str | bytes) -> ScaleDefinition:
    """Parse and validate an uploaded file's content (what the admin upload calls)."""
    if len(raw) > MAX_FILE_BYTES:
        raise ScaleDefinitionError([f"Filen er for stor (højst {MAX_FILE_BYTES // 1000} kB)."])
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScaleDefinitionError(["Filen skal være gemt som UTF-8."]) from None
    if _nesting_depth(raw) > MAX_JSON_DEPTH:
        raise ScaleDefinitionError([f"Filen er for dybt indlejret (højst {MAX_JSON_DEPTH} niveauer)."])
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ScaleDefinitionError([f"Filen er ikke gyldig JSON (linje {error.lineno})."]) from None
    except (RecursionError, ValueError):
        raise ScaleDefinitionError(["Filen er ikke gyldig JSON."]) from None
    return definition_from_dict(data)


# A scale definition is three levels deep; anything much deeper is not one (and deep enough
# nesting exhausts the parser's recursion limit).
MAX_JSON_DEPTH = 20


def _nesting_depth(text: str) -> int:
    """The deepest bracket nesting outside strings, counted without parsing."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest
