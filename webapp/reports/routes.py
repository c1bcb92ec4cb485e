from flask import Response, render_template, request

from .. import audit
from ..access import roles_required
from ..auth.roles import LEADER, SECRETARIAT, STAFF
from ..database import writes_on_read
from ..extensions import db
from ..timeutil import today_local
from . import bp, figures, periods

REPORT_VIEWERS = frozenset({STAFF, LEADER, SECRETARIAT})


def _typed() -> dict:
    return {name: (request.args.get(name) or "")[:40] for name in ("periode", "fra", "til")}


@bp.get("/noegletal")
@roles_required(REPORT_VIEWERS)
@writes_on_read
def key_figures():
    typed = _typed()
    try:
        period = periods.from_args(request.args, today_local())
    except periods.PeriodError as error:
        return render_template("reports/key_figures.html", period=None, figures=[], problem=str(error),
                               typed=typed, presets=periods.PRESETS, percent=figures.percent), 422
    data = figures.key_figures(period.start, period.end)
    audit.record("key_figures_viewed", "key_figures", period.slug)
    db.session.commit()
    return render_template("reports/key_figures.html", period=period, figures=data, problem=None,
                           typed=typed, presets=periods.PRESETS, percent=figures.percent)


@bp.get("/noegletal.csv")
@roles_required(REPORT_VIEWERS)
@writes_on_read
def key_figures_csv():
    try:
        period = periods.from_args(request.args, today_local())
    except periods.PeriodError as error:
        return render_template("reports/key_figures.html", period=None, figures=[], problem=str(error),
                               typed=_typed(), presets=periods.PRESETS, percent=figures.percent), 422
    body = figures.to_csv(period.label, figures.key_figures(period.start, period.end))
    audit.record("key_figures_exported", "key_figures", period.slug)
    db.session.commit()
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="noegletal-{period.slug}.csv"'},
    )
