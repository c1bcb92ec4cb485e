"""Min Plan (Bilag 2): the citizen's own plan, written with them on a tablet, one per course."""

from flask import Blueprint

bp = Blueprint("plans", __name__)

from . import routes  # noqa: E402,F401
