"""Reports: key figures (nøgletal) for a period, aggregated in SQL, with a CSV for Danish Excel."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from . import routes  # noqa: E402,F401
