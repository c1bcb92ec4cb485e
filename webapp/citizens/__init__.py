from flask import Blueprint

bp = Blueprint("citizens", __name__)

from . import routes  # noqa: E402,F401
