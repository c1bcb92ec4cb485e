"""`flask bench --database-url` wipes the database it is given: it refuses one with tables it did
not create, and sets up (and later wipes) only an empty one or one it marked itself."""

import contextlib
import sqlite3

import pytest


def tables(path) -> set[str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def bench(runner, path, *args):
    return runner.invoke(args=["bench", "--database-url", f"sqlite:///{path}", "--setup-only", *args])


@pytest.fixture
def foreign(tmp_path):
    path = tmp_path / "someone-elses.sqlite"
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE journal_note (id INTEGER PRIMARY KEY, text TEXT)")
        conn.execute("INSERT INTO journal_note (text) VALUES ('vigtig')")
    return path


def test_bench_refuses_a_database_with_tables_it_did_not_create(runner, foreign):
    result = bench(runner, foreign)
    assert result.exit_code != 0
    assert "Refusing to wipe" in result.output
    assert "journal_note" in result.output
    assert tables(foreign) == {"journal_note"}
    with contextlib.closing(sqlite3.connect(foreign)) as conn:
        assert conn.execute("SELECT text FROM journal_note").fetchall() == [("vigtig",)]


def test_bench_refuses_an_app_database_it_did_not_mark(runner, tmp_path):
    """A real Din Indgang database (migrated, no mark) is refused too."""
    path = tmp_path / "production.sqlite"
    assert bench(runner, path).exit_code == 0
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("DROP TABLE bench_marker")
    result = bench(runner, path)
    assert result.exit_code != 0
    assert "alembic_version" in result.output and "citizen" in result.output
    assert "bench_marker" not in tables(path) and "citizen" in tables(path)


def test_bench_sets_up_an_empty_database_and_wipes_its_own_again(runner, tmp_path):
    path = tmp_path / "throwaway.sqlite"
    sqlite3.connect(path).close()  # exists, no tables

    first = bench(runner, path)
    assert first.exit_code == 0, first.output
    assert {"bench_marker", "alembic_version", "citizen", "contact"} <= tables(path)

    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE leftover (id INTEGER)")  # the bench's own database: wiped
    again = bench(runner, path)
    assert again.exit_code == 0, again.output
    assert "leftover" not in tables(path)
    assert "bench_marker" in tables(path)
