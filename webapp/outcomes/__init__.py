"""Outcomes: FIT scores (ORS, SRS, GSRS) on the tablet and on paper, course charts, coaching
conversations and hours per activity."""

from flask import Blueprint

from .urls import use_db_id

bp = Blueprint("outcomes", __name__)
use_db_id(bp)

from . import routes  # noqa: E402,F401
