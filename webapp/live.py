"""Change counters for live views: writers bump, pollers compare (one primary-key read).

Every flush that adds, changes or deletes a row of a table a live view may show (the day board,
the Friday agenda) bumps the counter in the same transaction, so no feature has to remember to.
Views whose data changes only with such flushes keep their results per counter value in a
`webapp.cache.VersionedCache`: one computation per change, shared by every request of the process.
Bulk UPDATE/DELETE statements bypass the flush: whoever issues one on a table a live view shows
calls `bump()` in the same transaction."""

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from .cache import UNCOMMITTED_CHANGE
from .extensions import db
from .welcome.models import ChangeCounter

BOARD = "board"

# Tables whose changes never show in a live view (autosaves, logins, the log itself). Staff
# names and authority experience do show (the board's hosts, the Friday agenda), so `user` counts.
QUIET_TABLES = frozenset({"audit_event", "login_session", "change_counter", "plan_draft", "user_role"})


def bump(name: str = BOARD, session=None) -> None:
    """Count a change the live views must show (the caller's transaction commits it)."""
    session = session if session is not None else db.session
    session.info[UNCOMMITTED_CHANGE] = True
    execute = session.connection().execute
    updated = execute(
        update(ChangeCounter).where(ChangeCounter.name == name).values(value=ChangeCounter.value + 1)
    ).rowcount
    if not updated:
        execute(insert(ChangeCounter).values(name=name, value=1))


def version(name: str = BOARD) -> int:
    return db.session.scalar(select(ChangeCounter.value).where(ChangeCounter.name == name)) or 0


@event.listens_for(Session, "after_flush")
def _bump_on_board_changes(session, _flush_context):
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(getattr(obj, "__tablename__", None) not in QUIET_TABLES for obj in changed):
        bump(session=session)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_over(session):
    session.info.pop(UNCOMMITTED_CHANGE, None)

