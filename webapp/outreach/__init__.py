"""Outreach requests (udekørende funktion)."""

from flask import Blueprint

bp = Blueprint("outreach", __name__, url_prefix="/udekoerende")

from . import routes  # noqa: E402,F401
