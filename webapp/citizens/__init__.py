from flask import Blueprint

bp = Blueprint("citizens", __name__)

from . import course_routes, routes  # noqa: E402,F401
