"""Groups (grupper): the catalogue of themes, runs (hold), enrolment, attendance and the
entrance board of current groups."""

from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/grupper")

from . import routes  # noqa: E402,F401
