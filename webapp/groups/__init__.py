"""Groups (grupper): the catalogue of themes, runs (hold), enrolment, attendance and the
entrance board of current groups."""

from flask import Blueprint

from ..outcomes.urls import use_db_id

bp = Blueprint("groups", __name__, url_prefix="/grupper")
use_db_id(bp)

from . import routes  # noqa: E402,F401
