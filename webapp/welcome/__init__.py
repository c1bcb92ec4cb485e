from flask import Blueprint

bp = Blueprint("welcome", __name__)

from . import routes  # noqa: E402,F401
