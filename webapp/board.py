"""The day board's slot registry: features put short items on the welcome table's board.

A provider takes the day and returns (heading, items) or a list of such pairs (to share its
queries); items are `SlotItem`s – short, discreet texts (times, first names or initials, never a
CPR number or a note). Register with `board_slot` at import time of the feature's services
module; the welcome feature collects the slots (`board_slots`) and shows them."""

from dataclasses import dataclass
from datetime import date

from .cache import VersionedCache

BOARD_SLOT_PROVIDERS: list = []
BOARD_SLOT_LIMIT = 12  # items shown per slot (templates/welcome/_board.html: board_slot_limit)


def board_slot(provider):
    BOARD_SLOT_PROVIDERS.append(provider)
    return provider


@dataclass
class SlotItem:
    text: str
    urgent: bool = False  # shown in red ("overdue") – a label says so too, not colour alone
    citizen_id: int | None = None  # the citizen the item names (for the audit log, never shown)


# The slots change only with data that bumps the board's change counter (and with the day), so
# every board polling after a change shares one computation per process.
_SLOT_CACHE = VersionedCache(size=4)


def board_slots(day: date, version: int | None = None) -> dict:
    """Every registered provider's slots for the day, heading → items."""

    def compute() -> dict:
        from .citizens.models import restricted_citizen_ids

        hidden = restricted_citizen_ids()  # restricted citizens (GDPR art. 18) are off the board
        slots = {}
        for provider in BOARD_SLOT_PROVIDERS:
            result = provider(day)
            for heading, items in result if isinstance(result, list) else [result]:
                slots[heading] = [i for i in items if getattr(i, "citizen_id", None) not in hidden] if hidden else items
        return slots

    return compute() if version is None else _SLOT_CACHE.get(day, version, compute)
