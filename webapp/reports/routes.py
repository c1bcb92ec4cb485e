from flask import Response, render_template, request
from flask_login import current_user

from .. import audit
from ..access import roles_required
from ..auth.roles import ECONOMICS_READERS, REPORTERS
from ..database import writes_on_read
from ..extensions import db
from ..timeutil import today_local
from . import bp, charts, figures, periods

REPORT_VIEWERS = REPORTERS  # staff, leader and secretariat (#11)


def typed() -> dict:
    return {name: (request.args.get(name) or "")[:40] for name in ("periode", "fra", "til")}


def sees_restricted() -> bool:
    """The disability counts (and their lists) are the leader's and the secretariat's only."""
    return current_user.has_any_role(ECONOMICS_READERS)


def period_or_problem():
    """(period, None) for the period asked for, or (None, the page re-shown with the Danish message)."""
    try:
        return periods.from_args(request.args, today_local()), None
    except periods.PeriodError as error:
        page = render_template("reports/key_figures.html", period=None, figures=[], charts=[], problem=str(error),
                               typed=typed(), presets=periods.PRESETS, percent=figures.percent)
        return None, (page, 422)


def period_args(period) -> dict:
    return {"periode": period.code, "fra": period.start.isoformat(), "til": period.end.isoformat()}


@bp.get("/noegletal")
@roles_required(REPORT_VIEWERS)
@writes_on_read
def key_figures():
    period, problem = period_or_problem()
    if problem:
        return problem
    data = figures.key_figures(period.start, period.end, restricted=sees_restricted())
    audit.record("key_figures_viewed", "key_figures", period.slug)
    db.session.commit()
    return render_template("reports/key_figures.html", period=period, figures=data, problem=None,
                           charts=charts.key_figure_charts(period.start, period.end, data),
                           typed=typed(), presets=periods.PRESETS, percent=figures.percent,
                           period_args=period_args(period))


@bp.get("/noegletal.csv")
@roles_required(REPORT_VIEWERS)
@writes_on_read
def key_figures_csv():
    period, problem = period_or_problem()
    if problem:
        return problem
    body = figures.to_csv(period.label, figures.key_figures(period.start, period.end, restricted=sees_restricted()))
    audit.record("key_figures_exported", "key_figures", period.slug)
    db.session.commit()
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="noegletal-{period.slug}.csv"'},
    )
