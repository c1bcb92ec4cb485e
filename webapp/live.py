"""Change counters for live views: writers bump, pollers compare (one primary-key read).

Every flush that adds, changes or deletes a row of a table a live view may show (the day board,
the Friday agenda) marks its transaction, so no feature has to remember to. Bulk UPDATE/DELETE
statements bypass the flush: whoever issues one on a table a live view shows calls `bump()`,
which marks the transaction the same way. Views whose data changes only with such transactions
keep their results per counter value in a `webapp.cache.VersionedCache`: one computation per
change, shared by every request of the process.

Why it cannot deadlock, and why writers do not queue on it:
- Marking only writes to `Session.info`; it takes no lock and issues no SQL.
- The counter row is written once per transaction, in `before_commit`, after the transaction's
  last flush: it is always the last lock a transaction takes, and nothing runs between it and
  COMMIT. A transaction that holds the counter row never waits for another lock, so no cycle of
  waits can pass through it (a deadlock needs one); and the row is held only for the commit, not
  for the whole transaction, so writes of the house no longer queue on it while they work.
- The write is an upsert (insert the row if missing, otherwise add one), so two first bumps after
  an emptied table cannot fail on the primary key either.
- One increment per transaction, however many flushes and `bump()` calls it made; a savepoint
  (`begin_nested`) leaves the increment to its outer transaction; a rollback increments nothing.

While a transaction has a mark (`UNCOMMITTED_CHANGE`), its reads may include changes that can
still roll back, so `VersionedCache` neither reads nor fills a cache for it."""

from sqlalchemy import event, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .cache import UNCOMMITTED_CHANGE
from .extensions import db
from .welcome.models import ChangeCounter

BOARD = "board"

# Tables whose changes never show in a live view (autosaves, logins, the log itself). Staff
# names and authority experience do show (the board's hosts, the Friday agenda), so `user` counts.
QUIET_TABLES = frozenset({"audit_event", "login_session", "change_counter", "plan_draft", "user_role"})

_UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
# Writers of summary rows that must run after the transaction's last flush but before the counter
# (which stays the transaction's very last write): `before_counters(fn)`, fn(session, connection).
_BEFORE_COUNTERS: list = []


def before_counters(writer) -> None:
    if writer not in _BEFORE_COUNTERS:
        _BEFORE_COUNTERS.append(writer)


def bump(name: str = BOARD, session=None) -> None:
    """Count a change the live views must show: the counter moves when the caller's transaction
    commits (once, however often it is called). Needed only after bulk UPDATE/DELETE statements;
    flushed changes mark the transaction by themselves."""
    session = session if session is not None else db.session
    session.info.setdefault(UNCOMMITTED_CHANGE, set()).add(name)


def version(name: str = BOARD) -> int:
    return db.session.scalar(select(ChangeCounter.value).where(ChangeCounter.name == name)) or 0


def _increment(connection, name: str) -> None:
    upsert = _UPSERTS.get(connection.dialect.name)
    if upsert is None:  # another database: the row exists from the migration
        connection.execute(
            update(ChangeCounter).where(ChangeCounter.name == name).values(value=ChangeCounter.value + 1)
        )
        return
    connection.execute(
        upsert(ChangeCounter)
        .values(name=name, value=1)
        .on_conflict_do_update(index_elements=[ChangeCounter.name], set_={"value": ChangeCounter.value + 1})
    )


@event.listens_for(Session, "after_flush")
def _mark_board_changes(session, _flush_context):
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(getattr(obj, "__tablename__", None) not in QUIET_TABLES for obj in changed):
        bump(session=session)


@event.listens_for(Session, "before_commit")
def _bump_at_commit(session):
    if session.in_nested_transaction():
        return  # releasing a savepoint: the outer transaction bumps when it commits
    # Commit would flush after this hook; flush first, so the counter is the very last write.
    session.flush()
    for writer in _BEFORE_COUNTERS:
        writer(session, session.connection())
    names = session.info.get(UNCOMMITTED_CHANGE)
    if names:
        connection = session.connection()
        for name in sorted(names):  # one order, should a transaction ever bump several counters
            _increment(connection, name)


@event.listens_for(Session, "after_transaction_end")
def _transaction_over(session, transaction):
    if transaction.parent is None:  # the outermost transaction committed or rolled back
        session.info.pop(UNCOMMITTED_CHANGE, None)
