"""Fixtures: one migrated database per run (SQLite file, or PostgreSQL when TEST_DATABASE_URL is
set by `make test`), emptied after every test; real HTTP through Flask's test client."""

import os
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import text

from webapp import MIGRATIONS_DIR, create_app
from webapp.cache import clear_caches
from webapp.extensions import db, limiter
from webapp.testing import IsolatedClient
from webapp.testing import Visitor as BaseVisitor

from .factories import PASSWORD, make_user


def database_url(tmp_dir: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir / 'test.sqlite'}"


def make_app(url: str, **overrides):
    config = {
        "APP_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": url,
        "SERVER_NAME": None,
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = database_url(tmp_path_factory.mktemp("db"))
    app = make_app(url)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade(directory=MIGRATIONS_DIR)
    return app


def wipe_database() -> None:
    db.session.rollback()
    db.session.remove()
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # One round trip for every table (a DELETE each): after every test, so it adds up.
            # The audit log's triggers refuse a DELETE outside the retention path: replica mode
            # turns the transaction's triggers off (the test server runs as a superuser).
            deletes = "; ".join(f'DELETE FROM "{table.name}"' for table in tables)  # noqa: S608 - the app's own table names
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica; " + deletes)
        else:
            # SQLite cannot switch triggers off: when the audit log has rows, its triggers are
            # dropped and made again from their own text, in the same transaction (about 8 ms;
            # skipped when the test wrote no audit row).
            triggers = _audit_triggers(conn) if conn.exec_driver_sql(
                "SELECT EXISTS (SELECT 1 FROM audit_event) OR EXISTS (SELECT 1 FROM audit_prune)").scalar() else []
            for name, _sql in triggers:
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
            for table in tables:
                conn.execute(table.delete())
            for _name, sql in triggers:
                conn.exec_driver_sql(sql)


def _audit_triggers(conn) -> list[tuple[str, str]]:
    return [tuple(row) for row in conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit_event', 'audit_prune')"
    )]


@pytest.fixture(autouse=True)
def _fresh_state(app, request):
    """Every test starts from an empty, migrated database and fresh rate limits; tests marked
    `demo_data` share the demo data that the `demo` fixture loads once per module."""
    with app.app_context():
        yield
        if request.node.get_closest_marker("demo_data"):
            db.session.rollback()
            db.session.remove()
        else:
            wipe_database()
    limiter.reset()
    clear_caches()


@pytest.fixture(scope="module")
def demo(app):
    """The demo data (`flask demo-data`), loaded once for a module of read-mostly tests."""
    from webapp.database import write_intent
    from webapp.tools.demo import load_demo_data

    with app.app_context():
        wipe_database()
        with app.test_request_context(), write_intent():
            summary = load_demo_data()
            db.session.commit()
    yield summary
    with app.app_context():
        wipe_database()
    clear_caches()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Visitor(BaseVisitor):
    def login(self, username, password=PASSWORD):
        return super().login(username, password)


@pytest.fixture
def visitor(client):
    return Visitor(client)


@pytest.fixture
def login(app):
    """login('staff') -> a logged-in Visitor for a fresh user holding that role."""

    def _login(*roles, username=None, **user_kwargs):
        username = username or "u_" + "_".join(roles or ("none",))
        make_user(username=username, roles=roles, **user_kwargs)
        visitor = Visitor(app.test_client())
        response = visitor.login(username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return visitor

    return _login
