"""Reminders to citizens by SMS and e-mail (#12 items 7-8): the rules (schedule), the outbox rows
kept in step with the bookings in the booking's own transaction (sync), the providers
(transports) and the sender with its command `flask --app wsgi messages send|status` (sender, cli),
plus the citizen page's section with the one-tap opt-out (routes)."""

from flask import Blueprint

bp = Blueprint("messages", __name__, cli_group="messages")

from . import cli, routes, services, sync  # noqa: E402,F401
