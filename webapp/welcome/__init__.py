from flask import Blueprint

bp = Blueprint("welcome", __name__)

from . import daycounts, routes  # noqa: E402,F401
