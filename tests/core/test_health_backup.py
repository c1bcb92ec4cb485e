import sqlite3

import pytest
from sqlalchemy import select

from webapp import live
from webapp.auth.models import User
from webapp.extensions import db

from ..conftest import make_app
from ..factories import make_user


def test_healthz_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path):
    broken = make_app(f"sqlite:///{tmp_path}/missing-dir/nope.sqlite")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "error"}


def test_backup_then_restore(app, runner, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("backup/restore is for the embedded SQLite database")
    make_user("vera")
    target = tmp_path / "kopi.sqlite"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    # The copy is a consistent, complete database.
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT username FROM user").fetchall() == [("vera",)]
    # Something changes after the backup ...
    make_user("mads")
    db.session.remove()
    # ... and restoring brings the database back to the backup.
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert db.session.scalars(select(User.username)).all() == ["vera"]


def test_restore_moves_the_change_counter_past_every_value_seen_before(app, runner, tmp_path):
    """Running workers cache live views per counter value: a restored database must not reuse one."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("backup/restore is for the embedded SQLite database")
    make_user("vera")
    target = tmp_path / "kopi.sqlite"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    backed_up = live.version()
    for name in ("mads", "ida"):
        make_user(name)
    before_restore = live.version()
    assert before_restore > backed_up
    db.session.remove()
    assert runner.invoke(args=["restore", str(target), "--yes"]).exit_code == 0
    db.session.remove()
    assert db.session.scalars(select(User.username)).all() == ["vera"]
    assert live.version() > before_restore


def test_backup_refuses_postgresql_politely(app, runner, tmp_path):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("only meaningful on PostgreSQL")
    result = runner.invoke(args=["backup", str(tmp_path / "x")])
    assert result.exit_code != 0
    assert "pg_dump" in result.output


def test_sqlite_connections_are_tuned(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
