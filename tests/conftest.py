"""Fixtures: one migrated database per run (SQLite file, or PostgreSQL when TEST_DATABASE_URL is
set by `make test`), emptied after every test; real HTTP through Flask's test client."""

import contextvars
import os
import re
from pathlib import Path

import flask_migrate
import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from webapp import MIGRATIONS_DIR, create_app
from webapp.extensions import db, limiter

from .factories import PASSWORD, make_user

CSRF_RE = re.compile(r'(?:name="csrf_token" type="hidden" value|data-csrf-token)="([^"]+)"')


def database_url(tmp_dir: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir / 'test.sqlite'}"


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as on a real server: it never shares the test's
    application context, `g` or database session."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


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


@pytest.fixture(autouse=True)
def _fresh_state(app):
    """Every test starts from an empty, migrated database and fresh rate limits."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
    limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Visitor:
    """A person at a browser: keeps the CSRF token the pages hand out and posts with it."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def get(self, url, **kwargs):
        response = self.client.get(url, **kwargs)
        if found := CSRF_RE.search(response.get_data(as_text=True)):
            self.token = found.group(1)
        return response

    def post(self, url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token)
        return self.client.post(url, data=data, **kwargs)

    def login(self, username, password=PASSWORD):
        self.get("/login")
        response = self.post("/login", {"username": username, "password": password})
        if response.status_code == 302:
            self.get("/")
        return response

    def logout(self):
        return self.post("/logout")


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
