"""The retention rules and the next run's counts, for the leader (#13 item 3)."""

from flask import render_template

from ..access import roles_required
from ..auth.roles import LEADER
from ..timeutil import utcnow
from . import bp
from . import retention as rules


@bp.get("/databeskyttelse/sletteregler")
@roles_required({LEADER})
def retention():
    # A dry run: counts only, names nobody (so no audit row naming a citizen).
    return render_template("privacy/retention.html", counts=rules.plan(utcnow()), last_run=rules.last_run())
