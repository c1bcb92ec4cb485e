"""Keeps `contact_day_count` (contacts per day, sender, channel, partner, ad hoc and known citizen,
with their minutes) in step with the contacts, for the key figures.

Every flush that adds, changes or deletes a contact records the change of its key in the session
(the old key −1, the new key +1, from the attributes' history); the sums are written once per
transaction, in key order, just before the live views' counter (`live.before_counters`), so two
transactions take the rows in one order and cannot deadlock on them. A rollback writes nothing.
Bulk INSERT/UPDATE/DELETE statements on `contact` bypass the flush: whoever issues one calls
`rebuild()` for the days it touched (the bench does after seeding)."""

from collections import Counter
from datetime import date

from sqlalchemy import and_, case, delete, event, false, func, insert, inspect, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .. import live
from . import vocab
from .models import Contact, ContactDayCount, ad_hoc_help

PENDING = "contact_day_deltas"
_UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_FIELDS = ("local_date", "from_type", "channel", "partner", "is_ad_hoc", "outcome", "citizen_id",
           "deleted_at", "duration_minutes")


def _key(values: dict):
    """The row a contact in this state counts in, and its minutes; None when it does not count."""
    if values["deleted_at"] is not None or values["local_date"] is None:
        return None, 0
    key = (values["local_date"], values["from_type"] or "", values["channel"] or "", values["partner"] or "",
           bool(values["is_ad_hoc"]) or values["outcome"] == vocab.AD_HOC_OUTCOME, values["citizen_id"] is not None)
    return key, values["duration_minutes"] or 0


def _now(contact: Contact) -> dict:
    return {name: getattr(contact, name) for name in _FIELDS}


def _before(contact: Contact) -> dict:
    state = inspect(contact)
    values = {}
    for name in _FIELDS:
        history = state.attrs[name].history
        if history.deleted:
            values[name] = history.deleted[0]
        elif history.added:  # changed from nothing: the history keeps no None
            values[name] = None
        else:
            values[name] = history.unchanged[0] if history.unchanged else getattr(contact, name)
    return values


def _add(deltas: Counter, values: dict, sign: int) -> None:
    key, minutes = _key(values)
    if key is not None:
        deltas[(key, "contacts")] += sign
        deltas[(key, "minutes")] += sign * minutes


@event.listens_for(Session, "after_flush")
def _record(session, _flush_context):
    deltas = None
    for obj in session.new:
        if isinstance(obj, Contact):
            deltas = deltas if deltas is not None else session.info.setdefault(PENDING, Counter())
            _add(deltas, _now(obj), +1)
    for obj in session.dirty:
        if isinstance(obj, Contact) and session.is_modified(obj, include_collections=False):
            before, after = _before(obj), _now(obj)
            if before != after:
                deltas = deltas if deltas is not None else session.info.setdefault(PENDING, Counter())
                _add(deltas, before, -1)
                _add(deltas, after, +1)
    for obj in session.deleted:
        if isinstance(obj, Contact):
            deltas = deltas if deltas is not None else session.info.setdefault(PENDING, Counter())
            _add(deltas, _before(obj), -1)


def _write(session, connection) -> None:
    deltas = session.info.pop(PENDING, None)
    if not deltas:
        return
    by_key: dict = {}
    for (key, what), value in deltas.items():
        by_key.setdefault(key, {"contacts": 0, "minutes": 0})[what] += value
    names = ("local_date", "from_type", "channel", "partner", "ad_hoc", "with_citizen")
    upsert = _UPSERTS[connection.dialect.name]
    for key in sorted(by_key):
        change = by_key[key]
        if not change["contacts"] and not change["minutes"]:
            continue
        connection.execute(
            upsert(ContactDayCount)
            .values(**dict(zip(names, key, strict=True)), contacts=change["contacts"], minutes=change["minutes"])
            .on_conflict_do_update(
                index_elements=list(names),
                set_={"contacts": ContactDayCount.contacts + change["contacts"],
                      "minutes": ContactDayCount.minutes + change["minutes"]},
            )
        )


live.before_counters(_write)


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction):
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def counted_rows():
    """The rows `contact_day_count` should hold, computed from the contacts (a SELECT)."""
    ad_hoc = case((ad_hoc_help(), true()), else_=false())
    with_citizen = case((Contact.citizen_id.is_not(None), true()), else_=false())
    from_type = func.coalesce(Contact.from_type, "")
    channel = func.coalesce(Contact.channel, "")
    partner = func.coalesce(Contact.partner, "")
    return (
        select(Contact.local_date, from_type, channel, partner, ad_hoc, with_citizen, func.count(),
               func.coalesce(func.sum(Contact.duration_minutes), 0))
        .where(Contact.deleted_at.is_(None), Contact.local_date.is_not(None))
        .group_by(Contact.local_date, from_type, channel, partner, ad_hoc, with_citizen)
    )


def rebuild(session, start: date | None = None, end: date | None = None) -> None:
    """Recount the days in [start, end] (all days when left out) from the contacts."""
    window = and_(true(), *(c for c in (
        ContactDayCount.local_date >= start if start else None,
        ContactDayCount.local_date <= end if end else None) if c is not None))
    session.execute(delete(ContactDayCount).where(window))
    rows = counted_rows()
    if start:
        rows = rows.where(Contact.local_date >= start)
    if end:
        rows = rows.where(Contact.local_date <= end)
    session.execute(insert(ContactDayCount).from_select(
        ["local_date", "from_type", "channel", "partner", "ad_hoc", "with_citizen", "contacts", "minutes"], rows))
