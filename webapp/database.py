"""Engine tuning that must hold on every connection."""

import sqlite3
from contextlib import contextmanager

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SQLITE_BUSY_TIMEOUT_MS = 5000


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, decide when and how a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # A larger page cache and memory-mapped reads: boards and the Friday agenda read many
        # small rows from large tables; the defaults (2 MB, no mmap) make them wait on the OS.
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute("PRAGMA mmap_size=268435456")
        cursor.execute("PRAGMA temp_store=MEMORY")
        # Overwrite deleted and replaced content with zeros, so an erased name or note (GDPR art.
        # 17, webapp/privacy/erasure.py) does not linger in the file's free space.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        # A transaction that will write takes the write lock up front, so it waits on the busy
        # timeout instead of failing when it upgrades from a stale read snapshot. Reads
        # (GET requests) stay deferred so they never queue behind writers.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _writes() else "BEGIN")


def _writes() -> bool:
    if has_app_context() and g.get("write_intent", False):
        return True
    if has_request_context():
        if request.method not in READ_ONLY_METHODS:
            return True
        view = current_app.view_functions.get(request.endpoint or "")
        return getattr(view, "writes_on_read", False)
    return False


def writes_on_read(view):
    """Mark a GET view that writes (an audit row for a read of personal data), so its
    transaction also takes the write lock up front."""
    view.writes_on_read = True
    return view


@contextmanager
def write_transaction():
    """End the current (read) transaction and run the block in one that locks up front; commits."""
    db.session.rollback()
    with write_intent():
        yield
        db.session.commit()


@contextmanager
def write_intent():
    """For command-line tools that write: their transactions lock up front too."""
    before = g.get("write_intent", False)
    g.write_intent = True
    try:
        yield
    finally:
        g.write_intent = before


def flush_to_file() -> None:
    """On SQLite, move the write-ahead log into the database file and empty it, so pages written
    before an erasure are not left behind in the log (best effort: readers may hold it open)."""
    if db.engine.dialect.name != "sqlite":
        return
    # The driver's own connection, outside any transaction (a checkpoint cannot run inside one).
    raw = db.engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlite3.OperationalError as error:  # busy: the next checkpoint moves the pages
        current_app.logger.warning("wal checkpoint after erasure postponed: %s", error)
    finally:
        raw.close()
