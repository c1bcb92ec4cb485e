"""Command-line tools: flask --app wsgi users|demo-data|bench|backup|restore.

The demo data and the bench live in webapp/tools/, outside the request path: their commands import
them when they run, so a worker never loads them."""

import contextlib
import os
import sqlite3
from datetime import datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .auditchain import audit_cli
from .auth import services as auth_services
from .auth.roles import ALL_ROLES
from .database import write_intent
from .extensions import db

users_cli = AppGroup("users", help="Manage users.")


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name.")
@click.option("--initials", required=True)
@click.option("--role", "roles", multiple=True, type=click.Choice(ALL_ROLES), required=True)
@click.option("--authority-experience", is_flag=True, help="Has myndighedserfaring.")
@click.password_option(help="Prompted for when left out.")
def create_user_command(username, full_name, initials, roles, authority_experience, password):
    """Create a user with the given roles."""
    from . import audit

    with write_intent():
        try:
            user = auth_services.create_user(
                username=username,
                full_name=full_name,
                initials=initials,
                password=password,
                roles=roles,
                has_authority_experience=authority_experience,
            )
        except auth_services.UserError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        audit.record("user_created", "user", user.id, username="cli", details=",".join(roles))
        db.session.commit()
    click.echo(f"Created {user.username} ({', '.join(sorted(user.roles))}).")


@click.command("demo-data")
@click.option("--force", is_flag=True, help="Also outside development (never on real data).")
@click.option("--report", is_flag=True,
              help="Instead: the evaluation report's period (9 Sep 2016 - 3 Dec 2017) shaped exactly like the "
                   "report, in an EMPTY database.")
def demo_data_command(force, report):
    """Load fictitious demo data (idempotent), or with --report the report-shaped data."""
    from .tools.demo import load_demo_data

    if current_app.config["APP_ENV"] != "development" and not force:
        raise click.ClickException(
            "Demo data is only loaded in development. Use --force to load it anyway."
        )
    with write_intent():
        if report:
            from .tools.demo.report import ReportDataError, load_report_data

            try:
                summary = load_report_data()
            except ReportDataError as error:
                db.session.rollback()
                raise click.ClickException(str(error)) from error
        else:
            summary = load_demo_data()
        db.session.commit()
    what = "Report data" if report else "Demo data"
    click.echo(f"{what} ready: " + ", ".join(f"{k}: {v}" for k, v in summary.items()))


@click.command("bench")
@click.option("--database-url", default=None,
              help="A THROWAWAY database (it is wiped); refused if it has tables the bench did not create.")
@click.option("--contacts", default=2_000_000, show_default=True)
@click.option("--citizens", default=100_000, show_default=True)
@click.option("--years", default=10, show_default=True)
@click.option("--runs", default=200, show_default=True)
@click.option("--setup-only", is_flag=True, help="Set up (wipe, migrate, mark) the database and stop.")
def bench_command(database_url, contacts, citizens, years, runs, setup_only):
    """Seed a large throwaway database and print timings; the last line is JSON."""
    from .tools import bench

    bench.main(database_url, contacts, citizens, years, runs, setup_only)


def _sqlite_path() -> str:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database:
        raise click.ClickException(
            "backup/restore works on the embedded SQLite database; "
            "for PostgreSQL use pg_dump/pg_restore."
        )
    return url.database


@click.command("backup")
@click.argument("target", required=False, type=click.Path(dir_okay=False))
def backup_command(target):
    """Write a consistent copy of the SQLite database (online backup API)."""
    source = _sqlite_path()
    if target is None:
        os.makedirs(current_app.config["BACKUP_DIR"], exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = os.path.join(current_app.config["BACKUP_DIR"], f"dinindgang-{stamp}.sqlite")
    copy_sqlite(source, target)
    click.echo(f"Backup written to {target}")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.confirmation_option(prompt="Replace the current database with the backup?")
def restore_command(source):
    """Replace the SQLite database's contents with a backup (online backup API)."""
    target = _sqlite_path()
    db.session.remove()
    db.engine.dispose()
    counters = _change_counters(target)
    copy_sqlite(source, target)
    _advance_change_counters(target, counters)
    click.echo(f"Restored {target} from {source}")


def _change_counters(path: str) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        try:
            return dict(conn.execute("SELECT name, value FROM change_counter").fetchall())
        except sqlite3.OperationalError:  # not migrated yet
            return {}


def _advance_change_counters(path: str, before: dict[str, int]) -> None:
    """Live views cache results per change counter value (webapp/cache.py) in running workers:
    after a restore every counter moves past both its old and its restored value, so no value
    seen before the restore names different data now."""
    restored = _change_counters(path)
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        for name in sorted(before.keys() | restored.keys()):
            value = max(before.get(name, 0), restored.get(name, 0)) + 1
            conn.execute(
                "INSERT INTO change_counter (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, value),
            )


def copy_sqlite(source: str, target: str) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        dst.close()
        src.close()


def init_app(app: Flask) -> None:
    app.cli.add_command(bench_command)
    app.cli.add_command(audit_cli)  # importing it also installs the audit log's sealing hook
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(backup_command)
    from .privacy.retention_cli import retention_cli

    app.cli.add_command(retention_cli)
    from .datakey_cli import rotate_data_key_command

    app.cli.add_command(rotate_data_key_command)
    app.cli.add_command(restore_command)
