"""Optimistic version checks for records that two people can edit at the same time (handover
drafts, citizen details, group runs, outreach requests, decisions on direct proposals).

The behaviour is Min Plan's (webapp/plans), shared:
- a record carries `version`, raised by every save (`saved`), and who saved it last;
- its edit form carries the version it was loaded at and a fingerprint of each field as loaded
  (`opened`), as hidden fields (`templates/_macros/conflict.html`: version_fields);
- a save first locks the row and `check`s the form: when someone saved in between, each field is
  merged three ways against the fingerprint — a field only one side changed takes that side's
  value, a field both sides changed differently is a conflict, and nothing is saved. The answer is
  HTTP 409 with the person's own text beside the other saved text, per field, and a choice
  ("Min tekst", "Mads' tekst", "Begge tekster"); nothing typed is lost. The conflict screen is
  based on the version now saved, so answering it saves.

A form posted without the version field (a page from before the check existed) is saved as before.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from hashlib import blake2s

from sqlalchemy import ForeignKey, Integer, inspect, select, text
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import MultiDict
from wtforms import Field, TextAreaField

from .extensions import db
from .models_base import UtcDateTime
from .timeutil import format_date, format_time, utcnow

VERSION_FIELD = "version"
BASE_FIELD = "version_base"
CONFLICT_FIELD = "konflikt"
CHOICE_PREFIX = "valg_"
MINE, THEIRS, BOTH = "mine", "theirs", "both"

CONFLICT_STATUS = 409
UNANSWERED_STATUS = 422
MSG_CHOOSE = "Vælg, hvad der skal stå."
MSG_KEPT = "Dine ændringer er ikke gemt endnu, men intet er væk. Vælg for hvert markeret felt, hvad der skal stå, og tryk Gem."
MSG_TAKEN = "Andres nyere ændringer i de felter, du ikke har rettet, er taget med."


class Versioned:
    """Model mixin: the version every save raises, and who saved last (for the conflict note)."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    version_saved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version_saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


def saved(record: Versioned, user) -> None:
    """Every save of a versioned record goes through here (in the feature's service)."""
    record.version = (record.version or 1) + 1
    record.version_saved_at = utcnow()
    record.version_saved_by_id = user.id if user is not None else None


def lock(record):
    """Take the row for the rest of the transaction (PostgreSQL; SQLite's writing transactions
    already queue) and reload what another transaction may have saved meanwhile, so two saves
    never both build on the same version."""
    state = inspect(record)
    key = state.mapper.primary_key
    # Lock by primary key alone: refresh(with_for_update=True) would lock eagerly joined rows too,
    # which PostgreSQL refuses on the nullable side of an outer join.
    db.session.execute(select(*key).where(*(c == v for c, v in zip(key, state.identity, strict=True))).with_for_update())
    db.session.refresh(record)
    return record


# --- fingerprints of field values ---------------------------------------------------------------


def canonical(value) -> str:
    """A value as compared: text without surrounding space and with one kind of line break."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _digest(value) -> str:
    return blake2s(canonical(value).encode(), digest_size=6).hexdigest()


def fingerprint(values: Mapping[str, object]) -> str:
    """One short hash per field ("name:hash,…"): enough to tell later which side changed a field,
    without putting the texts in the page twice."""
    return ",".join(f"{name}:{_digest(value)}" for name, value in values.items())


def parse_fingerprint(raw: str | None) -> dict[str, str]:
    found = {}
    for part in (raw or "").split(",")[:200]:
        name, sep, digest = part.partition(":")
        if sep:
            found[name] = digest
    return found


def submitted_version(formdata: MultiDict) -> int | None:
    """The version a form was loaded at; None when the form carries none; 0 when it is garbage
    (then every difference counts as a conflict)."""
    raw = formdata.get(VERSION_FIELD)
    if raw is None:
        return None
    raw = raw.strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 0


# --- the state an edit form carries --------------------------------------------------------------


@dataclass(frozen=True)
class FieldConflict:
    name: str
    mine: str  # as shown
    theirs: str
    is_text: bool


@dataclass
class EditState:
    """What an edit form carries (version, fingerprint) and, after `check`, any conflicts."""

    version: int | None
    base: str
    conflicts: dict[str, FieldConflict] = field(default_factory=dict)
    unanswered: bool = False  # the conflict screen was sent without a choice
    taken: list[str] = field(default_factory=list)  # fields where others' newer values were taken
    note: str | None = None
    theirs_label: str = "Den gemte tekst"

    @property
    def ok(self) -> bool:
        return not self.conflicts

    @property
    def status(self) -> int:
        return UNANSWERED_STATUS if self.unanswered else CONFLICT_STATUS

    def mine_choice_label(self, conflict: FieldConflict) -> str:
        return "Min tekst" if conflict.is_text else "Mit valg"

    def theirs_choice_label(self, conflict: FieldConflict) -> str:
        if conflict.is_text:
            return self.theirs_label
        return self.theirs_label.removesuffix(" tekst") + " valg"


def opened(record: Versioned | None, values: Mapping[str, object]) -> EditState:
    """The state of a form as first shown, filled with `values` (the record as saved now).
    Version 0: the record did not exist yet (a form that creates it on its first save)."""
    return EditState(record.version if record is not None else 0, fingerprint(values))


def carried(formdata: MultiDict, record: Versioned | None, values: Mapping[str, object]) -> EditState:
    """The state a refused form (422) carried, shown again unchanged – so the next save is still
    compared with what the person originally loaded."""
    version = submitted_version(formdata)
    if version is None:
        return opened(record, values)
    return EditState(version, (formdata.get(BASE_FIELD) or "")[:5000])


def _is_text(f: Field) -> bool:
    return isinstance(f, TextAreaField)


def _set(f: Field, value) -> None:
    f.data = value
    f.raw_data = None  # widgets show raw_data first


def display(f: Field, value) -> str:
    """A value as a person reads it: a choice's label, Ja/Nej, a Danish date."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if hasattr(f, "display_value"):  # a field that knows how a person writes its value (kroner: 12.500)
        return f.display_value(value)
    if hasattr(f, "iter_choices"):
        coerce = getattr(f, "coerce", str)
        for choice in f.iter_choices():
            try:
                if coerce(choice.value) == value:
                    return str(choice.label)
            except (TypeError, ValueError):
                continue
    if isinstance(value, datetime):
        return f"{format_date(value)} kl. {format_time(value)}"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return canonical(value)


def _both(mine, theirs) -> str | None:
    parts = [canonical(p) for p in (mine, theirs) if canonical(p)]
    return "\n\n".join(dict.fromkeys(parts)) or None


def genitive(name: str) -> str:
    """Danish possessive: "Mads'", "Pias"."""
    return f"{name}'" if name[-1:].lower() in "sxz" else f"{name}s"


def _saver(record: Versioned):
    from .auth.models import User

    return db.session.get(User, record.version_saved_by_id) if record.version_saved_by_id else None


def conflict_note(record: Versioned, me) -> tuple[str, str]:
    """ "Mads har gemt ændringer kl. 10:41, mens du skrev." and the label of the other side."""
    saver = _saver(record)
    at = f" kl. {format_time(record.version_saved_at)}" if record.version_saved_at else ""
    if saver is not None and me is not None and saver.id == me.id:
        return f"Du har selv gemt ændringer{at} – måske i et andet vindue.", "Din gemte tekst"
    if saver is not None:
        return f"{saver.first_name} har gemt ændringer{at}, mens du skrev.", f"{genitive(saver.first_name)} tekst"
    return f"Nogen har gemt ændringer{at}, mens du skrev.", "Den gemte tekst"


def _conflict(f: Field, mine, theirs) -> FieldConflict:
    return FieldConflict(f.name, display(f, mine), display(f, theirs), _is_text(f))


def check(record: Versioned, form, theirs: Mapping[str, object], formdata: MultiDict, user) -> EditState:
    """Compare a validated form with the record as saved now (`theirs`: field name -> value, in
    the form's types; lock the record first). Merges others' newer values into the form where
    the person left a field alone, applies the conflict screen's choices, and returns the state
    for the next form: `ok`, or conflicts to show with `status`."""
    now = EditState(record.version, fingerprint(theirs))
    version = submitted_version(formdata)
    if version is None:
        return now
    fields = {name: form[name] for name in theirs if name in form}
    if version == record.version:
        # A plain save, or the conflict screen answered: "theirs" is what it showed.
        for name in formdata.getlist(CONFLICT_FIELD):
            f = fields.get(name)
            if f is None:
                continue
            choice = formdata.get(CHOICE_PREFIX + name, "")
            if choice == THEIRS:
                _set(f, theirs[name])
            elif choice == BOTH and _is_text(f):
                _set(f, _both(f.data, theirs[name]))
            elif choice != MINE:
                now.conflicts[name] = _conflict(f, f.data, theirs[name])
                f.errors = [*f.errors, MSG_CHOOSE]
        now.unanswered = bool(now.conflicts)
    else:
        base = parse_fingerprint(formdata.get(BASE_FIELD))
        for name, f in fields.items():
            mine, current = f.data, theirs[name]
            if canonical(mine) == canonical(current) or base.get(name) == _digest(current):
                continue  # the same, or only this person changed it
            if base.get(name) == _digest(mine):
                _set(f, current)  # only the other changed it
                now.taken.append(name)
                continue
            now.conflicts[name] = _conflict(f, mine, current)
    if now.conflicts:
        now.note, now.theirs_label = conflict_note(record, user)
    return now
