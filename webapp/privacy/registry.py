"""The one registry of what a citizen's insight package (GDPR art. 15) contains.

Every feature that keeps data about a citizen contributes one section through `insight_section`,
naming the models it covers; tests/privacy/test_registry.py fails when a mapped model with a
reference to the citizen (directly or through a table that has one) is neither covered here nor in
`NOT_ABOUT_THE_CITIZEN` with a reason. The sections live in webapp/privacy/sections/.

A collector takes the citizen and returns a `Section`: items are dicts of a plain Danish label →
value, where the value is text, a number, a date/datetime, a bool, None or a `Coded` (a code with its
Danish label, so the JSON keeps both). Documents are (filename, pdf bytes) for the ZIP."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from ..timeutil import format_date, format_datetime, local


@dataclass(frozen=True)
class Coded:
    code: str
    label: str

    def __str__(self) -> str:
        return self.label


def coded(code, labels: dict) -> Coded | None:
    """A code with its Danish label from a vocabulary dict (None stays None)."""
    if code is None or code == "":
        return None
    return Coded(str(code), str(labels.get(code, code)))


@dataclass
class Section:
    title: str
    intro: str = ""
    items: list[dict] = field(default_factory=list)
    documents: list[tuple[str, bytes]] = field(default_factory=list)


@dataclass(frozen=True)
class Registration:
    key: str
    title: str
    models: tuple
    order: int
    collect: Callable


INSIGHT_SECTIONS: dict[str, Registration] = {}


def insight_section(key: str, title: str, *, models: tuple = (), order: int = 100):
    """Register `collect(citizen, *, documents: bool) -> Section` as the section `key`."""

    def register(collect):
        INSIGHT_SECTIONS[key] = Registration(key, title, tuple(models), order, collect)
        return collect

    return register


def registrations() -> list[Registration]:
    from . import sections  # noqa: F401  (imports every section module, which registers it)

    return sorted(INSIGHT_SECTIONS.values(), key=lambda r: (r.order, r.key))


def covered_tables() -> set[str]:
    return {model.__table__.name for reg in registrations() for model in reg.models}


# Tables that reference a citizen only by way of something that is not about them (with the reason).
NOT_ABOUT_THE_CITIZEN: dict[str, str] = {}


def collect_all(citizen, *, documents: bool = False) -> list[tuple[Registration, Section]]:
    """Every section, in order, for one citizen. `documents` also prints the generated PDFs."""
    result = []
    for reg in registrations():
        section = reg.collect(citizen, documents=documents)
        if not section.title:
            section.title = reg.title
        result.append((reg, section))
    return result


# --- presenting values -----------------------------------------------------------------------------


def display(value) -> str:
    """A value as the citizen reads it in the PDF."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(display(v) for v in value) or "–"
    return str(value)


def to_json(value):
    """A value for indsigt.json: ISO dates, codes beside their labels."""
    if isinstance(value, Coded):
        return {"kode": value.code, "tekst": value.label}
    if isinstance(value, datetime):
        return local(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value
