from flask import Response, render_template, request
from flask_login import current_user

from .. import audit, live
from ..access import roles_required
from ..auth.roles import ECONOMICS_READERS, REPORTERS
from ..cache import VersionedCache
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


# The figures and charts of a period, kept per value of the live change counter: looking again, or
# downloading the XLSX, the CSV or the committee's PDF of what is on the screen, computes nothing
# anew until something in the house changes (the first look after a change pays the full price).
_computed = VersionedCache(size=8)


def computed(period, restricted: bool) -> tuple[list, list]:
    """(figures, charts) of the period, as the page, the exports and the PDF show them."""
    def compute():
        data = figures.key_figures(period.start, period.end, restricted=restricted)
        return data, charts.key_figure_charts(period.start, period.end, data)

    return _computed.get(("key_figures", period.start, period.end, restricted), live.version(), compute)


def period_args(period) -> dict:
    return {"periode": period.code, "fra": period.start.isoformat(), "til": period.end.isoformat()}


@bp.get("/noegletal")
@roles_required(REPORT_VIEWERS)
@writes_on_read
def key_figures():
    period, problem = period_or_problem()
    if problem:
        return problem
    data, drawn = computed(period, sees_restricted())
    audit.record("key_figures_viewed", "key_figures", period.slug)
    db.session.commit()
    return render_template("reports/key_figures.html", period=period, figures=data, problem=None,
                           charts=drawn,
                           typed=typed(), presets=periods.PRESETS, percent=figures.percent,
                           period_args=period_args(period))


@bp.get("/noegletal.csv")
@roles_required(REPORT_VIEWERS)
@writes_on_read
def key_figures_csv():
    period, problem = period_or_problem()
    if problem:
        return problem
    body = figures.to_csv(period.label, computed(period, sees_restricted())[0])
    audit.record("key_figures_exported", "key_figures", period.slug)
    db.session.commit()
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="noegletal-{period.slug}.csv"'},
    )
