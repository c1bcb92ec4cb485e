"""The retention rules and the next run's counts, for the leader (#13 item 3)."""

from flask import render_template

from ..access import roles_required
from ..auth.roles import LEADER
from . import bp


@bp.get("/databeskyttelse/sletteregler")
@roles_required({LEADER})
def retention():
    return render_template("privacy/retention.html")
