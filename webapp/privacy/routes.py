"""The leader's data-protection page and the requests for insight (#13 item 1)."""

from flask import render_template

from ..access import roles_required
from ..auth.roles import LEADER
from . import bp


@bp.get("/databeskyttelse")
@roles_required({LEADER})
def index():
    return render_template("privacy/index.html")
