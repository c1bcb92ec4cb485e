"""The documentation form per course (Bilag 6), the catalogue of municipal offers, the shadow
assessment and its economics."""

from flask import Blueprint

bp = Blueprint("documentation", __name__)

from . import catalogue_routes, routes  # noqa: E402,F401
