"""Restriction of processing (GDPR art. 18): the record can be read but not changed, and the citizen
is taken off lists, boards and queues. The key figures still count them (past periods must not
change), and the leader can find them to decide on their requests.

Read-only is enforced twice:
- before a request runs: a POST to an endpoint whose URL names a restricted citizen, or something of
  theirs (`OWNER_PARAMS`), answers 423 with a calm Danish page; `may()` answers False for such an
  endpoint, so templates do not show the control in the first place;
- at flush: a row that belongs to a restricted citizen (the citizen row and every table that refers
  to it, webapp/privacy/ownership.py) cannot be inserted, changed or deleted, whatever the code path.
The privacy code itself (deciding, erasing, lifting) writes inside `writes_allowed()`."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, g, request
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import MANYTOONE, Session
from werkzeug.exceptions import Locked

from ..extensions import db
from ..timeutil import utcnow
from .ownership import CITIZEN, citizen_tables, owned_by

MSG_ALREADY = "Borgerens behandling er allerede begrænset."
MSG_ERASED = "Borgerens oplysninger er slettet."
MSG_NOT_RESTRICTED = "Borgerens behandling er ikke begrænset."
MSG_READ_ONLY = ("Behandlingen af borgerens oplysninger er begrænset (databeskyttelsesforordningens artikel 18). "
                 "Oplysningerne kan læses, men ikke ændres. Spørg lederen.")

# Tables a restricted citizen's data may still be written to: the request itself is how the
# citizen exercises their rights.
WRITABLE = frozenset({"privacy_request"})

# URL values that name a citizen or something of theirs, by blueprint where a name means different
# things (a `meeting_id` is a course meeting in `citizens`, a group meeting in `groups`).
OWNER_PARAMS = {
    "citizen_id": CITIZEN,
    "course_id": "course",
    "conversation_id": "guide_conversation",
    "relative_id": "relative",
    "handover_id": "handover",
    "consent_id": "consent",
    "contact_id": "contact",
    "match_id": "volunteer_match",
    "decision_id": "meeting_decision",
    "enrolment_id": "group_enrolment",
    ("citizens", "meeting_id"): "meeting",
    ("outcomes", "meeting_id"): "meeting",
    ("outreach", "request_id"): "outreach_request",
    ("volunteers", "request_id"): "volunteer_request",
}

# POSTs that only read (and audit): showing a CPR number, searching. The privacy blueprint is how
# the leader decides on the citizen's requests and lifts the restriction.
READING_POSTS = frozenset({"citizens.reveal_cpr", "handover.handover_cpr", "welcome.citizen_search",
                           "outreach.request_search", "groups.citizen_search"})
EXEMPT_BLUEPRINTS = frozenset({"privacy"})


class RestrictionError(ValueError):
    pass


class RecordRestricted(Locked):
    description = MSG_READ_ONLY


_allowed: ContextVar[bool] = ContextVar("restriction_writes_allowed", default=False)


@contextmanager
def writes_allowed() -> Iterator[None]:
    """Let the privacy code write to a restricted citizen's rows (erasure, lifting, deciding).

    What was changed inside is flushed before the block ends, so the caller's commit after it
    finds nothing left for the guard to refuse."""
    token = _allowed.set(True)
    try:
        yield
        db.session.flush()
    finally:
        _allowed.reset(token)


def restrict(citizen, *, user=None) -> int:
    """Restrict the citizen's processing (flushed by the caller). Returns the reminders cancelled."""
    from ..messages.schedule import RESTRICTED
    from ..messages.sync import cancel_pending

    if citizen.erased_at is not None:
        raise RestrictionError(MSG_ERASED)
    if citizen.restricted_at is not None:
        raise RestrictionError(MSG_ALREADY)
    now = utcnow()
    with writes_allowed():
        citizen.restricted_at = now
        return cancel_pending(db.session, citizen.id, RESTRICTED, now)


def lift(citizen, *, user=None) -> None:
    """Lift the restriction: the citizen is back on lists and boards (reminders stay cancelled)."""
    if citizen.restricted_at is None or citizen.erased_at is not None:
        raise RestrictionError(MSG_NOT_RESTRICTED)
    with writes_allowed():
        citizen.restricted_at = None


def restricted_ids(session=None) -> set[int]:
    from ..citizens.models import restricted_citizen_ids

    return restricted_citizen_ids(session)


def is_restricted(citizen_id: int | None) -> bool:
    from ..citizens.models import Citizen

    if citizen_id is None:
        return False
    return bool(db.session.scalar(select(Citizen.restricted_at.is_not(None)).where(Citizen.id == citizen_id)))


# --- read-only before the view runs ------------------------------------------------------------


def _request_restricted_ids() -> set[int]:
    if "restricted_ids" not in g:
        g.restricted_ids = restricted_ids()
    return g.restricted_ids


def names_restricted_citizen(endpoint: str, values: dict) -> bool:
    """Whether the URL values name a restricted citizen or a row of theirs."""
    blueprint = endpoint.split(".", 1)[0]
    for name, value in values.items():
        table_name = OWNER_PARAMS.get((blueprint, name)) or OWNER_PARAMS.get(name)
        if table_name is None or not isinstance(value, int):
            continue
        ids = _request_restricted_ids()
        if not ids:
            return False
        table = db.metadata.tables[table_name]
        if db.session.scalar(select(table.c.id).where(table.c.id == value, owned_by(table, ids))) is not None:
            return True
    return False


def writes(endpoint: str) -> bool:
    """Whether the endpoint changes data (it accepts POST) and is not one of the reading POSTs."""
    from flask import current_app

    if endpoint in READING_POSTS or endpoint.split(".", 1)[0] in EXEMPT_BLUEPRINTS:
        return False
    return any("POST" in (rule.methods or ()) for rule in current_app.url_map.iter_rules(endpoint))


def blocks(endpoint: str, values: dict) -> bool:
    """`may()` asks this: True when following the endpoint would write to a restricted citizen."""
    return writes(endpoint) and names_restricted_citizen(endpoint, values)


def _refuse_restricted_writes():
    if request.method != "POST" or request.endpoint is None:
        return None
    if request.endpoint in READING_POSTS or request.blueprint in EXEMPT_BLUEPRINTS:
        return None
    if names_restricted_citizen(request.endpoint, request.view_args or {}):
        raise RecordRestricted()
    return None


# --- read-only at flush ------------------------------------------------------------------------


def _references(obj, depth: int = 0) -> list[tuple[str, object]]:
    """A flushed object's references to the citizen or citizen-owned tables: (table name, id).

    A new row tied to its parent only by a relationship (`Plan(course=course)`) has no key yet
    before the flush: the parent object stands in for it."""
    state = inspect(obj)
    table = state.mapper.local_table
    if table.name == CITIZEN:
        return [(CITIZEN, obj.id)] if obj.id is not None else []
    references = []
    for fk in table.foreign_keys:
        target = fk.column.table.name
        if target not in citizen_tables():
            continue
        attribute = state.mapper.get_property_by_column(fk.parent).key
        history = state.attrs[attribute].history
        values = {*history.added, *history.unchanged, *history.deleted, getattr(obj, attribute)} - {None}
        references.extend((target, value) for value in values)
        if not values and depth < _MAX_DEPTH and (parent := _parent_object(state, fk.parent)) is not None:
            references.extend(_references(parent, depth + 1))
    return references


_MAX_DEPTH = 8  # shadow_line → course_documentation → course → citizen is three


def _parent_object(state, column):
    """The object a many-to-one relationship over `column` holds (never loaded from the database)."""
    for relation in state.mapper.relationships:
        if relation.direction is MANYTOONE and column in relation.local_columns:
            parent = state.dict.get(relation.key)
            if parent is not None:
                return parent
    return None


def _guard(session: Session, _flush_context, _instances) -> None:
    if _allowed.get():
        return
    references = [reference for obj in (*session.new, *session.dirty, *session.deleted)
                  if inspect(obj).mapper.local_table.name in citizen_tables()
                  and inspect(obj).mapper.local_table.name not in WRITABLE
                  for reference in _references(obj)]
    if not references:  # e.g. a contact at the welcome table that names nobody: no query
        return
    with session.no_autoflush:
        ids = restricted_ids(session)  # one read of the partial index ix_citizen_restricted
        if not ids:
            return
        for target, value in references:
            if target == CITIZEN:
                if value in ids:
                    raise RecordRestricted()
                continue
            table = db.metadata.tables[target]
            if session.scalar(select(table.c.id).where(table.c.id == value, owned_by(table, ids))) is not None:
                raise RecordRestricted()


if not event.contains(Session, "before_flush", _guard):
    event.listen(Session, "before_flush", _guard)


def init_app(app: Flask) -> None:
    app.before_request(_refuse_restricted_writes)  # after the login, role and object checks

    @app.errorhandler(RecordRestricted)
    def _restricted(_error):
        from ..errors import render_error

        db.session.rollback()  # a refused flush leaves the transaction unusable
        return render_error(423)
