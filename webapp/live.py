"""Change counters for live views: writers bump, pollers compare (one primary-key read)."""

from sqlalchemy import select, update

from .extensions import db
from .welcome.models import ChangeCounter

BOARD = "board"


def bump(name: str = BOARD) -> None:
    """Call in the same transaction as the change the live view must show."""
    updated = db.session.execute(
        update(ChangeCounter).where(ChangeCounter.name == name).values(value=ChangeCounter.value + 1)
    ).rowcount
    if not updated:
        db.session.add(ChangeCounter(name=name, value=1))
        db.session.flush()


def version(name: str = BOARD) -> int:
    return db.session.scalar(select(ChangeCounter.value).where(ChangeCounter.name == name)) or 0
