"""Reports: key figures (nøgletal) for a period, aggregated in SQL, with a CSV for Danish Excel."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from . import economics_routes, list_routes, routes  # noqa: E402,F401
