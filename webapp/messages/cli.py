"""`flask --app wsgi messages send [--limit N]` (a systemd timer or cron runs it every minute, see
README) and `flask --app wsgi messages status`."""

import click
from flask import current_app

from . import bp, sender
from .models import CHANNELS, STATUSES
from .transports import MISSING_PROVIDER, transports_from


@bp.cli.command("send")
@click.option("--limit", default=1000, show_default=True, type=click.IntRange(1, 100_000),
              help="Send at most this many messages in this run.")
def send_command(limit):
    """Deliver the reminders that are due (each at most once)."""
    transports = transports_from(current_app.config)
    outcome = sender.send_due(limit, transports)
    click.echo(outcome.as_text())
    for channel, count in sender.waiting_without_provider(transports).items():
        click.echo(f"{MISSING_PROVIDER[channel]} ({count} {CHANNELS[channel]} venter).")


@bp.cli.command("status")
def status_command():
    """Messages per channel and status."""
    counts = sender.status_counts()
    if not counts:
        click.echo("Ingen beskeder i udbakken.")
    for (channel, status), count in sorted(counts.items()):
        click.echo(f"{CHANNELS.get(channel, channel)}: {STATUSES.get(status, status)}: {count}")
    for channel, count in sender.waiting_without_provider(transports_from(current_app.config)).items():
        click.echo(f"{MISSING_PROVIDER[channel]} ({count} venter).")
