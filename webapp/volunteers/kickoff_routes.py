"""Booking the kick-off meeting (#12 item 4)."""

from flask import abort

from ..access import roles_required
from ..auth.roles import KICKOFF_BOOKERS
from . import bp


@bp.route("/forloeb/<db_id:course_id>/kickoff", methods=["GET", "POST"])
@roles_required(KICKOFF_BOOKERS)
def book_kickoff(course_id: int):
    abort(404)  # implemented by the lead
