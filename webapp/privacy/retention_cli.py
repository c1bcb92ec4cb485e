"""`flask --app wsgi retention run [--dry-run]`: the nightly retention job (README shows its timer)."""

import click
from flask.cli import AppGroup

from ..database import flush_to_file, write_intent
from ..extensions import db
from ..timeutil import utcnow

retention_cli = AppGroup("retention", help="Remove what the retention rules say may no longer be kept.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Only count what would go, per rule; change nothing.")
def run_command(dry_run):
    """Apply every retention rule in one transaction and print the counts per rule."""
    from . import retention

    now = utcnow()
    if dry_run:
        counts = retention.plan(now)
        db.session.rollback()
    else:
        with write_intent():
            try:
                counts = retention.run(now)
                db.session.commit()
            except Exception as error:
                db.session.rollback()
                raise click.ClickException(f"Nothing was removed: {type(error).__name__}") from error
        flush_to_file()  # what an erasure overwrote does not stay in SQLite's log
        retention.remove_backups(now)
    for count in counts:
        click.echo(f"{count.rule.key}: {count.count} (older than {count.cutoff:%Y-%m-%d})")
    click.echo("Dry run: nothing changed." if dry_run else "Done.")
