"""Small helpers the section modules share."""

from ...extensions import db


def rows(statement) -> list:
    return list(db.session.scalars(statement))


def item(**pairs) -> dict:
    """An item from label=value pairs whose labels are Danish phrases: pass a dict instead when a
    label is not an identifier (the usual case) — this keeps the order either way."""
    return dict(pairs)
