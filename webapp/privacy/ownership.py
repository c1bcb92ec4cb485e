"""Which rows belong to a citizen, computed from the foreign keys in db.metadata.

A table belongs to the citizen when it has a foreign key to `citizen.id`, or to a table that does
(plan → course → citizen, outreach_visit → outreach_request → citizen …). Erasure, restriction and
the insight registry's coverage test all walk the same graph, so a new feature's table is found
without anyone listing it. The audit log is not part of it: its `citizen_id` has no foreign key
(rows outlive citizens, and the log is never changed)."""

from collections.abc import Iterable
from functools import cache

from sqlalchemy import Table, false, or_, select
from sqlalchemy.sql.elements import ColumnElement

from ..extensions import db

CITIZEN = "citizen"


@cache
def citizen_tables() -> frozenset[str]:
    """Names of every table that refers to a citizen, directly or through a parent; with `citizen`."""
    import webapp.models  # noqa: F401  (every table in the metadata)

    tables = db.metadata.tables
    refers = {CITIZEN}
    changed = True
    while changed:
        changed = False
        for name, table in tables.items():
            if name not in refers and any(fk.column.table.name in refers for fk in table.foreign_keys):
                refers.add(name)
                changed = True
    return frozenset(refers)


def model_for(table_name: str):
    """The mapped class of a table."""
    for mapper in db.Model.registry.mappers:
        if mapper.local_table.name == table_name:
            return mapper.class_
    raise LookupError(table_name)


def owned_by(table: Table, citizen_ids: int | Iterable[int], _seen: frozenset = frozenset()) -> ColumnElement:
    """The SQL condition "this row of `table` belongs to one of these citizens"."""
    ids = [citizen_ids] if isinstance(citizen_ids, int) else list(citizen_ids)
    if table.name == CITIZEN:
        return table.c.id.in_(ids)
    refers = citizen_tables()
    seen = _seen | {table.name}
    conditions = []
    for fk in sorted(table.foreign_keys, key=lambda fk: fk.parent.name):
        target = fk.column.table
        if target.name == CITIZEN:
            conditions.append(fk.parent.in_(ids))
        elif target.name in refers and target.name not in seen:
            conditions.append(fk.parent.in_(select(fk.column).where(owned_by(target, ids, seen))))
    return or_(*conditions) if conditions else false()
