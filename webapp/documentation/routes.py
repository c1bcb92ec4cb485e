"""The documentation form per course (Bilag 6): derived part, typed part, PDF."""

from flask import abort

from ..access import roles_required
from ..auth.roles import REPORTERS
from . import bp


@bp.route("/forloeb/<db_id:course_id>/dokumentation", methods=["GET", "POST"])
@roles_required(REPORTERS)
def course_form(course_id: int):
    abort(404)  # stub: the Bilag 6 page is being built
