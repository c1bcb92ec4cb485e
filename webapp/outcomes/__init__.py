"""Outcomes: FIT scores (ORS, SRS, GSRS) on the tablet and on paper, course charts, coaching
conversations and hours per activity."""

from flask import Blueprint

bp = Blueprint("outcomes", __name__)

from . import routes  # noqa: E402,F401
