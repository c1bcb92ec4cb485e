"""The day board's slot registry: features put short items on the welcome table's board.

A provider takes the day and returns a `Slot` (or a list of them, to share its queries); a plain
(heading, items) pair is read as a folded slot. Register with `board_slot` at import time of the
feature's services module; the welcome feature collects the slots (`board_slots`) and shows them.

Two renderings, stated by each provider rather than parsed from strings:
- `SlotItem.text` is the staff workstation's line (times, first names or initials, never a CPR
  number or a note);
- `SlotItem.discreet` is what the welcome table – seen by visitors – may show: a time and a first
  name + surname initial (or initials) at most, never a partner, topic, note, course detail or
  birth date beside a person. None means the tablet counts the item but never lists it.
- `Slot.folded`: on the tablet the list sits behind its count ("3 opfølgninger, heraf 1
  forsinket – vis") and folds itself again after a while; a list that ties a person to a course,
  the authority department or psychiatry is folded. Folded is the default."""

from dataclasses import dataclass, field
from datetime import date

from .cache import VersionedCache

BOARD_SLOT_PROVIDERS: list = []
BOARD_SLOT_LIMIT = 12  # items shown per slot (templates/welcome/_board.html: board_slot_limit)


def board_slot(provider):
    BOARD_SLOT_PROVIDERS.append(provider)
    return provider


@dataclass
class SlotItem:
    text: str  # the workstation's full line
    urgent: bool = False  # shown in red ("overdue") – a label says so too, not colour alone
    citizen_id: int | None = None  # the citizen the item names (for the audit log, never shown)
    discreet: str | None = None  # the welcome table's line; None: counted there, never listed


@dataclass
class Slot:
    heading: str
    items: list[SlotItem] = field(default_factory=list)
    folded: bool = True  # on the tablet: behind its count until tapped
    noun: tuple[str, str] = ("punkt", "punkter")  # singular, plural: the tablet's count says "3 punkter"

    @property
    def count_label(self) -> str:
        """The folded list's summary on the tablet, e.g. "3 opfølgninger, heraf 1 forsinket"."""
        n = len(self.items)
        late = sum(1 for i in self.items if i.urgent)
        text = f"{n} {self.noun[0] if n == 1 else self.noun[1]}"
        return f"{text}, heraf {late} forsinket" if late else text

    @property
    def discreet_items(self) -> list[SlotItem]:
        return [i for i in self.items if i.discreet]


def _as_slot(result) -> Slot:
    if isinstance(result, Slot):
        return result
    heading, items = result
    return Slot(heading, list(items))


# The slots change only with data that bumps the board's change counter (and with the day), so
# every board polling after a change shares one computation per process.
_SLOT_CACHE = VersionedCache(size=4)


def board_slots(day: date, version: int | None = None) -> dict[str, Slot]:
    """Every registered provider's slots for the day, heading → Slot."""

    def compute() -> dict[str, Slot]:
        from .citizens.models import restricted_citizen_ids

        hidden = restricted_citizen_ids()  # restricted citizens (GDPR art. 18) are off the board
        slots = {}
        for provider in BOARD_SLOT_PROVIDERS:
            result = provider(day)
            for slot in map(_as_slot, result if isinstance(result, list) else [result]):
                if hidden:
                    slot.items = [i for i in slot.items if getattr(i, "citizen_id", None) not in hidden]
                slots[slot.heading] = slot
        return slots

    return compute() if version is None else _SLOT_CACHE.get(day, version, compute)
