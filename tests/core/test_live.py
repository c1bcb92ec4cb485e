"""The live change counter: one increment per transaction, as its last write, and no deadlock."""

import secrets
import threading
import time

import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.orm import Session

from webapp import live
from webapp.audit import AuditEvent
from webapp.cache import UNCOMMITTED_CHANGE
from webapp.citizens.models import Citizen
from webapp.extensions import db
from webapp.welcome.models import Contact

from ..factories import make_citizen, make_contact, make_user, refresh

HX = {"HX-Request": "true"}


def counter() -> int:
    refresh()
    return live.version()


@pytest.fixture
def statements(app):
    """The SQL statements sent while the test runs (on every connection of the engine)."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def test_a_logged_contact_moves_the_counter_by_exactly_one(login):
    host = login("staff", username="vera")
    before = counter()
    response = host.post("/henvendelser", {"kind": "visit", "tap_token": secrets.token_urlsafe(18)}, headers=HX)
    assert response.status_code == 201
    assert counter() == before + 1


def test_one_transaction_moves_the_counter_once_however_often_it_flushes_and_bumps():
    anna = make_citizen("Anna", "Andersen")
    before = counter()
    db.session.add(Citizen(first_name="Bo", last_name="Berg", first_name_lower="bo"))
    db.session.flush()
    live.bump()
    db.session.get(Citizen, anna.id).phone = "22334455"
    db.session.flush()
    live.bump()
    db.session.commit()
    assert counter() == before + 1


def test_the_counter_is_the_last_write_of_its_transaction(statements):
    user = make_user("vera")
    statements.clear()
    make_contact(user, note="Brev fra SKAT")  # adds the row and commits: the commit flushes it
    writes = [s for s in statements if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert [s for s in writes if "change_counter" in s] == [writes[-1]], writes
    assert "contact" in writes[0]


def test_a_bulk_statement_moves_the_counter_through_an_explicit_bump():
    user = make_user("vera")
    contact = make_contact(user)
    before = counter()
    db.session.execute(update(Contact).where(Contact.id == contact.id).values(note="Ændret i bulk"))
    live.bump()
    db.session.commit()
    assert counter() == before + 1


def test_quiet_changes_and_rolled_back_changes_move_nothing():
    make_user("vera")
    before = counter()
    db.session.add(AuditEvent(action="citizen_viewed", object_type="citizen", object_id="1"))
    db.session.commit()  # the log is no live view
    assert counter() == before
    db.session.add(Citizen(first_name="Bo", last_name="Berg", first_name_lower="bo"))
    db.session.flush()
    live.bump()
    db.session.rollback()
    assert UNCOMMITTED_CHANGE not in db.session.info
    assert counter() == before


def test_a_savepoint_leaves_the_bump_to_its_outer_transaction():
    before = counter()
    with db.session.begin_nested():
        db.session.add(Citizen(first_name="Bo", last_name="Berg", first_name_lower="bo"))
    # Releasing the savepoint commits nothing: the change may still roll back, so caches stay away.
    assert db.session.info.get(UNCOMMITTED_CHANGE)
    assert counter_in_this_transaction() == before
    db.session.commit()
    assert counter() == before + 1


def counter_in_this_transaction() -> int:
    return db.session.scalar(select(live.ChangeCounter.value).where(live.ChangeCounter.name == live.BOARD)) or 0


# --- PostgreSQL: two real connections -------------------------------------------------------------


@pytest.fixture
def postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks and deadlock detection need PostgreSQL (SQLite has one writer at a time)")


def backend_pid(session: Session) -> int:
    return session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()


def waits_for_a_lock(engine, pid: int) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(
            text("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
        ).scalar())


def wait_until(condition, timeout: float = 5.0) -> bool:
    """Poll until a state is reached (another backend waits for a lock): no fixed sleeps."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_an_explicit_bump_and_a_flush_in_opposite_orders_do_not_deadlock(postgresql):
    """The old interleaving: the first transaction bumps explicitly, then writes a row the second
    holds; the second wrote that row and then bumped. With the counter written at commit, the
    first simply waits for the second's row, and both commit."""
    contact_id = make_contact(make_user("vera")).id
    before = counter()
    engine = db.engine  # (the second thread has no application context)
    first, second = Session(engine), Session(engine)
    for session in (first, second):
        session.connection().exec_driver_sql("SET LOCAL lock_timeout = '8s'")  # never hang the suite
    first_pid, second_pid = backend_pid(first), backend_pid(second)
    errors: list[Exception] = []
    second_flushed = threading.Event()

    def the_second():
        try:
            second.get(Contact, contact_id).duration_minutes = 15
            second.flush()  # holds the contact's row from here on
            second_flushed.set()
            wait_until(lambda: waits_for_a_lock(engine, first_pid))  # the first now waits for this row
            second.commit()
        except Exception as error:  # reported by the assertion below
            errors.append(error)
            second.rollback()
        finally:
            second_flushed.set()

    live.bump(session=first)
    thread = threading.Thread(target=the_second)
    thread.start()
    try:
        assert wait_until(lambda: second_flushed.is_set() or waits_for_a_lock(engine, second_pid))
        try:
            first.get(Contact, contact_id).note = "Ringede tilbage"
            first.flush()
            first.commit()
        except Exception as error:  # reported by the assertion below
            errors.append(error)
            first.rollback()
    finally:
        thread.join(20)
        first.close()
        second.close()
    assert errors == [], [f"{type(e).__name__}: {str(e).splitlines()[0]}" for e in errors]
    refresh()
    stored = db.session.get(Contact, contact_id)
    assert (stored.duration_minutes, stored.note) == (15, "Ringede tilbage")
    assert counter() == before + 2
