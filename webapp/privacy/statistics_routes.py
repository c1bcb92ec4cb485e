"""The pseudonymised statistics export for research and evaluation (#13 item 7)."""

from flask import render_template

from ..access import roles_required
from ..auth.roles import ECONOMICS_READERS
from . import bp


@bp.get("/databeskyttelse/statistik")
@roles_required(ECONOMICS_READERS)
def statistics_export():
    return render_template("privacy/statistics.html")
