"""The volunteer world (#12): the town's volunteer organisations and their activities, kept by the
volunteer coordinator and the leader, browsed and searched by staff."""

from flask import Blueprint

bp = Blueprint("volunteers", __name__)

from . import bridge_routes, home_routes, kickoff_routes, routes  # noqa: E402,F401
