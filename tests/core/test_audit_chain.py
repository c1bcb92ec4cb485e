"""The tamper-evident audit log (#13 item 4): every row is sealed into a hash chain before COMMIT,
the database refuses changes but the sealing and the retention path, and `audit verify` names the
first broken row when someone tampers directly in SQL with the triggers dropped."""

import os
import threading
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from webapp import audit, auditchain
from webapp.audit import AuditEvent, AuditPrune
from webapp.auditchain import GENESIS, row_hash, verify_chain
from webapp.extensions import db

from ..factories import make_citizen, make_user, refresh

POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")


def chain() -> list[AuditEvent]:
    refresh()
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.chain_seq)).all()


def write(n: int, action: str = "citizen_viewed", **kwargs) -> None:
    for i in range(n):
        audit.record(action, "citizen", 100 + i, username="cli", details=f"række {i}", **kwargs)
    db.session.commit()


def verify(runner):
    result = runner.invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def stored(at: datetime) -> datetime:
    """An instant as the app stores it (SQLite: naive UTC)."""
    return at if POSTGRES else at.astimezone(UTC).replace(tzinfo=None)


def stored_now() -> datetime:
    return stored(datetime.now(UTC))


def execute(sql: str, **params) -> None:
    db.session.rollback()  # the test's own read lets go (PostgreSQL would make DDL wait on it)
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


@contextmanager
def triggers_dropped():
    """Drop the audit tables' triggers (as an intruder with the database's owner rights would),
    and put them back afterwards from their own definitions. The test's own session lets go
    first: on PostgreSQL its open read would block the DROP."""
    db.session.rollback()
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            triggers = conn.execute(text(
                "SELECT tgname, tgrelid::regclass::text, pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE tgrelid IN ('audit_event'::regclass, 'audit_prune'::regclass) AND NOT tgisinternal"
            )).all()
            for name, table, _sql in triggers:
                conn.exec_driver_sql(f'DROP TRIGGER "{name}" ON "{table}"')
        else:
            triggers = conn.exec_driver_sql(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name IN ('audit_event', 'audit_prune')").all()
            for name, _table, _sql in triggers:
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    assert len(triggers) >= 3
    try:
        yield
    finally:
        with db.engine.begin() as conn:
            for _name, _table, sql in triggers:
                conn.exec_driver_sql(sql)


# --- the pure check ---------------------------------------------------------------------------------


def synthetic(n: int, start_seq: int = 0, start_hash: str = GENESIS) -> list[dict]:
    rows, prev = [], start_hash
    for i in range(n):
        row = {"id": 10 + i, "occurred_at": datetime(2026, 12, 1, 9, 0, i, 5, tzinfo=UTC), "user_id": 1,
               "username": "mads", "action": "citizen_viewed", "object_type": "citizen", "object_id": str(i),
               "remote_addr": "127.0.0.1", "details": "ønske æ", "citizen_id": i, "roles": "staff",
               "chain_seq": start_seq + i + 1, "prev_hash": prev}
        row["row_hash"] = prev = row_hash(row, row["chain_seq"], prev)
        rows.append(row)
    return rows


def test_the_documented_serialisation_gives_the_hash():
    import hashlib
    import json

    (row,) = synthetic(1)
    data = json.dumps([10, "2026-12-01T09:00:00.000005Z", 1, "mads", "citizen_viewed", "citizen", "0",
                       "127.0.0.1", "ønske æ", 0, "staff", 1, GENESIS], ensure_ascii=False, separators=(",", ":"))
    assert row["row_hash"] == hashlib.sha256(data.encode()).hexdigest()


def test_verify_chain_passes_a_good_chain_and_names_the_first_problem():
    rows = synthetic(5)
    result = verify_chain(rows)
    assert result.ok and result.checked == 5 and (result.head_seq, result.head_hash) == (5, rows[-1]["row_hash"])

    changed = [dict(r) for r in rows]
    changed[2]["details"] = "ændret"
    assert verify_chain(changed).broken.problem.startswith("content changed")
    assert (verify_chain(changed).broken.id, verify_chain(changed).checked) == (12, 2)

    missing = rows[:2] + rows[3:]
    broken = verify_chain(missing).broken
    assert (broken.id, broken.seq) == (13, 4) and broken.problem.startswith("row missing")

    relinked = [dict(r) for r in rows]
    relinked[3]["prev_hash"] = "f" * 64
    assert verify_chain(relinked).broken.problem.startswith("link broken")
    assert verify_chain(rows[1:]).broken.seq == 2  # the first row is gone
    pruned = synthetic(3, start_seq=7, start_hash="a" * 64)
    assert verify_chain(pruned, start_seq=7, start_hash="a" * 64).ok
    assert not verify_chain(pruned).ok


# --- sealing -------------------------------------------------------------------------------------------


def test_record_and_record_many_are_sealed_with_consecutive_seqs_and_valid_hashes(runner):
    user = make_user("mads", roles=("staff",))
    citizens = [make_citizen(f"Borger{i}") for i in range(4)]
    audit.record("citizen_viewed", "citizen", citizens[0].id, user=user)
    audit.record_many("group_run_viewed", [c.id for c in citizens], "group_run", 7, user=user)
    db.session.commit()
    rows = chain()
    assert [r.chain_seq for r in rows] == [1, 2, 3, 4, 5]
    assert [r.id for r in rows] == sorted(r.id for r in rows)
    prev = GENESIS
    for r in rows:
        assert r.prev_hash == prev and r.row_hash == row_hash(r, r.chain_seq, prev)
        prev = r.row_hash
    write(2)  # a second transaction continues the chain
    rows = chain()
    assert [r.chain_seq for r in rows] == list(range(1, 8)) and rows[5].prev_hash == rows[4].row_hash
    code, output = verify(runner)
    assert code == 0, output
    assert f"Checked 7 rows; head seq 7, hash {rows[-1].row_hash}" in output


def test_a_commit_without_audit_rows_seals_nothing_and_a_rollback_leaves_no_trace():
    make_user("mads")
    audit.record("citizen_viewed", "citizen", 1, username="cli")
    db.session.rollback()
    write(1)
    assert [r.chain_seq for r in chain()] == [1]


def test_verify_passes_after_the_demo_data_and_page_views(demo, runner, visitor):
    from webapp.citizens.models import Citizen
    from webapp.tools.demo import DEMO_PASSWORD

    assert visitor.login("leder", DEMO_PASSWORD).status_code == 302
    ids = db.session.scalars(select(Citizen.id).limit(3)).all()
    for citizen_id in ids:
        assert visitor.get(f"/borgere/{citizen_id}").status_code == 200
    refresh()
    assert db.session.scalar(select(func.count()).where(AuditEvent.chain_seq.is_(None))) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) >= 3
    code, output = verify(runner)
    assert code == 0, output


def test_a_row_written_past_the_session_is_reported_unsealed_until_the_next_commit_seals_it(runner):
    write(2)
    execute("INSERT INTO audit_event (occurred_at, action, username) VALUES (:at, 'citizen_viewed', 'x')",
            at=stored_now())
    code, output = verify(runner)
    assert code == 1 and "UNSEALED: 1 rows" in output
    write(1)
    code, output = verify(runner)
    assert code == 0, output
    assert [r.chain_seq for r in chain()] == [1, 2, 3, 4]


# --- the triggers --------------------------------------------------------------------------------------


@pytest.mark.parametrize("sql", [
    "UPDATE audit_event SET details = 'ændret'",
    "UPDATE audit_event SET row_hash = NULL, chain_seq = NULL, prev_hash = NULL",
    "UPDATE audit_event SET chain_seq = chain_seq + 100",
    "DELETE FROM audit_event",
    "DELETE FROM audit_event WHERE chain_seq = (SELECT MAX(chain_seq) FROM audit_event)",
])
def test_the_database_refuses_changes_and_deletes_of_audit_rows(sql):
    write(3)
    with pytest.raises(DBAPIError):
        execute(sql)
    assert [r.chain_seq for r in chain()] == [1, 2, 3]


def test_the_database_refuses_changes_to_prune_records(time_machine):
    time_machine.move_to("2025-01-01 10:00:00+00:00", tick=False)
    write(2)
    time_machine.move_to("2026-12-01 10:00:00+00:00", tick=False)
    auditchain.prune_before(datetime(2026, 1, 1, tzinfo=UTC))
    db.session.commit()
    for sql in ("UPDATE audit_prune SET row_count = 1", "DELETE FROM audit_prune"):
        with pytest.raises(DBAPIError):
            execute(sql)


def test_a_direct_insert_of_a_prune_record_does_not_open_unpruned_rows_for_deletion():
    """The trigger lets a covered row go; verify then finds the forged record (no summary row)."""
    write(3)
    execute("INSERT INTO audit_prune (pruned_at, up_to_seq, row_count, anchor_hash, prev_hash, record_hash) "
            "VALUES (:at, 1, 1, :h, :h, :h)", at=stored_now(), h=GENESIS)
    with pytest.raises(DBAPIError):
        execute("DELETE FROM audit_event WHERE chain_seq = 2")


# --- the retention path ---------------------------------------------------------------------------------


def test_prune_deletes_the_old_prefix_leaves_one_summary_row_and_a_verifiable_chain(runner, time_machine):
    time_machine.move_to("2024-03-01 10:00:00+00:00", tick=False)
    citizen = make_citizen("Gammel", "Borgersen")
    write(3, citizen_id=citizen.id)
    time_machine.move_to("2025-06-01 10:00:00+00:00", tick=False)
    write(2)
    time_machine.move_to("2026-12-01 10:00:00+00:00", tick=False)
    cutoff = datetime(2025, 1, 1, tzinfo=UTC)
    assert auditchain.count_before(cutoff) == 3
    user = make_user("admin", roles=("admin",))
    assert auditchain.prune_before(cutoff, user=user) == 3
    db.session.commit()
    rows = chain()
    assert [r.chain_seq for r in rows] == [4, 5, 6]
    summary = rows[-1]
    assert summary.action == "audit_pruned" and summary.citizen_id is None and summary.user_id == user.id
    assert summary.details.startswith("3 hændelser fra 2024-03-01 til 2024-03-01 slettet; til og med nr. 3")
    assert "Gammel" not in summary.details and "række" not in summary.details
    (prune,) = db.session.scalars(select(AuditPrune)).all()
    assert (prune.up_to_seq, prune.row_count) == (3, 3) and prune.anchor_hash == rows[0].prev_hash
    code, output = verify(runner)
    assert code == 0, output
    assert "Checked 3 rows; head seq 6" in output
    assert auditchain.count_before(cutoff) == 0 and auditchain.prune_before(cutoff) == 0

    # A second run later: the chain starts from the newer anchor; the first run's summary goes too.
    time_machine.move_to("2027-12-01 10:00:00+00:00", tick=False)
    write(1)
    assert auditchain.prune_before(datetime(2027, 1, 1, tzinfo=UTC)) == 3
    db.session.commit()
    assert [r.chain_seq for r in chain()] == [7, 8]
    code, output = verify(runner)
    assert code == 0, output


def test_prune_stops_at_the_first_row_that_is_not_old_enough(time_machine):
    time_machine.move_to("2024-03-01 10:00:00+00:00", tick=False)
    write(2)
    # A row that claims an old time after a newer one (a clock set back) keeps the chain one piece.
    time_machine.move_to("2025-06-01 10:00:00+00:00", tick=False)
    write(1)
    time_machine.move_to("2024-04-01 10:00:00+00:00", tick=False)
    write(1)
    time_machine.move_to("2026-12-01 10:00:00+00:00", tick=False)
    assert auditchain.count_before(datetime(2025, 1, 1, tzinfo=UTC)) == 2


# --- tampering in SQL with the triggers dropped ---------------------------------------------------------


def test_a_changed_row_is_named(runner):
    write(5)
    rows = chain()
    with triggers_dropped():
        execute("UPDATE audit_event SET details = 'ændret' WHERE id = :id", id=rows[2].id)
    code, output = verify(runner)
    assert code == 1
    assert f"BROKEN: row id={rows[2].id} seq=3 " in output and "content changed" in output
    assert "Checked 2 rows" in output


def test_a_deleted_middle_row_is_named(runner):
    write(5)
    rows = chain()
    with triggers_dropped():
        execute("DELETE FROM audit_event WHERE id = :id", id=rows[2].id)
    code, output = verify(runner)
    assert code == 1
    assert f"BROKEN: row id={rows[3].id} seq=4 " in output and "row missing before it (seq 3)" in output


def test_two_rows_with_swapped_content_are_named(runner):
    write(5)
    rows = chain()
    content = {r.id: (r.details, r.object_id) for r in rows}
    second, fourth = rows[1].id, rows[3].id
    with triggers_dropped():
        for row_id, other in ((second, fourth), (fourth, second)):
            execute("UPDATE audit_event SET details = :d, object_id = :o WHERE id = :id",
                    d=content[other][0], o=content[other][1], id=row_id)
    assert [(r.details, r.object_id) for r in chain()][1] == content[fourth]
    code, output = verify(runner)
    assert code == 1 and f"BROKEN: row id={second} seq=2 " in output and "content changed" in output


def test_rehashing_a_changed_row_breaks_the_next_link(runner):
    write(4)
    rows = chain()
    target = rows[1]
    target.details = "ændret"
    forged = row_hash(target, target.chain_seq, target.prev_hash)
    db.session.rollback()
    with triggers_dropped():
        execute("UPDATE audit_event SET details = 'ændret', row_hash = :h WHERE id = :id", h=forged, id=target.id)
    code, output = verify(runner)
    assert code == 1 and f"BROKEN: row id={rows[2].id} seq=3 " in output and "link broken" in output


@pytest.mark.parametrize("sql", [
    "UPDATE audit_prune SET row_count = row_count + 1",
    "UPDATE audit_prune SET up_to_seq = up_to_seq + 1, anchor_hash = :h",
    "DELETE FROM audit_prune",
])
def test_an_edited_prune_record_is_detected(runner, time_machine, sql):
    time_machine.move_to("2024-03-01 10:00:00+00:00", tick=False)
    write(3)
    time_machine.move_to("2026-12-01 10:00:00+00:00", tick=False)
    write(2)
    auditchain.prune_before(datetime(2025, 1, 1, tzinfo=UTC))
    db.session.commit()
    assert verify(runner)[0] == 0
    rows = chain()
    with triggers_dropped():
        execute(sql, h=rows[0].row_hash)
    code, output = verify(runner)
    assert code == 1 and "BROKEN:" in output, output
    if "DELETE" in sql:
        assert f"row id={rows[0].id} seq=4" in output and "row missing" in output
    else:
        assert "audit_prune record" in output


def test_a_forged_prune_record_with_a_deleted_prefix_is_detected(runner):
    write(4)
    anchor = chain()[1].row_hash
    with triggers_dropped():
        execute("DELETE FROM audit_event WHERE chain_seq <= 2")
    # The intruder adds a record whose hashes are right: the chain's summary row is still missing.
    at = datetime.now(UTC)
    record_hash = auditchain.prune_hash(at, 2, 2, anchor, GENESIS)
    execute("INSERT INTO audit_prune (pruned_at, up_to_seq, row_count, anchor_hash, prev_hash, record_hash) "
            "VALUES (:at, 2, 2, :a, :p, :r)", at=stored(at),
            a=anchor, p=GENESIS, r=record_hash)
    code, output = verify(runner)
    assert code == 1 and "has no matching audit_pruned row" in output, output


# --- concurrency ------------------------------------------------------------------------------------------


@pytest.mark.skipif(not POSTGRES, reason="SQLite lets one writer in at a time; run with .ci/with-postgres")
def test_concurrent_writers_never_fork_the_chain(app, runner):
    per_worker, workers = 25, 4
    errors = []
    start = threading.Barrier(workers)

    def work(worker):
        try:
            with app.app_context():
                start.wait(30)
                for i in range(per_worker):
                    audit.record("citizen_viewed", "citizen", worker * 1000 + i, username=f"w{worker}")
                    if i % 5 == 0:
                        audit.record_many("group_run_viewed", [1, 2], "group_run", worker)
                    db.session.commit()
                db.session.remove()
        except Exception as error:
            errors.append(repr(error))

    threads = [threading.Thread(target=work, args=(w,), daemon=True) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    rows = chain()
    assert len(rows) == workers * per_worker + workers * 5 * 2
    assert [r.chain_seq for r in rows] == list(range(1, len(rows) + 1))
    code, output = verify(runner)
    assert code == 0, output


def test_verify_reads_in_batches(runner):
    write(7)
    result = runner.invoke(args=["audit", "verify", "--batch", "2"])
    assert result.exit_code == 0 and "Checked 7 rows" in result.output


# --- the migration on a database that already has rows ----------------------------------------------------


@contextmanager
def scratch_database(tmp_path):
    """A database of its own (a second SQLite file, or a second PostgreSQL database on the test server)."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrate.sqlite'}"
        return
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"audit_migration_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_the_migration_seals_existing_rows_and_installs_the_triggers(tmp_path):
    import flask_migrate

    from webapp import MIGRATIONS_DIR

    from ..conftest import make_app

    with scratch_database(tmp_path) as url:
        other = make_app(url)
        with other.app_context():
            flask_migrate.upgrade(directory=MIGRATIONS_DIR, revision="privacy_0001")
            with db.engine.begin() as conn:
                for i in range(7):
                    conn.execute(text(
                        "INSERT INTO audit_event (occurred_at, action, username, details, citizen_id) "
                        "VALUES (:at, 'citizen_viewed', 'gammel', :d, :c)"), {"at": stored_now(), "d": f"før {i}", "c": i})
            flask_migrate.upgrade(directory=MIGRATIONS_DIR)
            result = auditchain.verify(db.session.connection())
            assert result.ok and result.checked == 7 and result.head_seq == 7
            db.session.rollback()
            with pytest.raises(DBAPIError), db.engine.begin() as conn:
                conn.execute(text("UPDATE audit_event SET details = 'x'"))
            with pytest.raises(DBAPIError), db.engine.begin() as conn:
                conn.execute(text("DELETE FROM audit_event"))
            write(1)
            assert auditchain.verify(db.session.connection()).checked == 8
            db.session.rollback()
            flask_migrate.downgrade(directory=MIGRATIONS_DIR, revision="privacy_0001")
            with pytest.raises(DBAPIError), db.engine.begin() as conn:
                conn.execute(text("UPDATE audit_event SET details = 'x'"))
            db.session.remove()
            db.engine.dispose()
