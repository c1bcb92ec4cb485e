"""The Friday meeting (fredagsmøde, sagsdrøftelse med myndighedslederen)."""

from flask import Blueprint

bp = Blueprint("meeting", __name__, url_prefix="/fredagsmoede")

from . import routes  # noqa: E402,F401
