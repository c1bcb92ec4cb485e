"""Data protection over time (#13): requests for insight, erasure and restriction (GDPR art. 15,
17 and 18) registered and decided by the leader, the insight package, erasure that keeps key
figures for past periods, restriction, retention rules and the pseudonymised statistics export."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

from . import decision_routes, retention_routes, routes, statistics_routes  # noqa: E402,F401
