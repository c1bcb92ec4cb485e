"""The pseudonymised statistics export for research and evaluation (#13 item 7): the leader and the
secretariat choose a period and an export key, see the first rows and the counts, and download CSV
or XLSX. Everything is POSTed: the key never appears in a URL, a log or the database. Each download
writes one `statistics_exported` row per citizen in it (details: the period and the row count)."""

from flask import Response, render_template, request

from .. import audit
from ..access import roles_required
from ..auth.roles import ECONOMICS_READERS
from ..extensions import db
from ..reports import periods
from ..timeutil import today_local, utcnow
from . import bp, statistics, statistics_files
from .statistics_form import ACTIONS, StatisticsForm

STATISTICS_USERS = ECONOMICS_READERS  # the leader and the secretariat
PREVIEW_ROWS = 10
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chosen_period(values, today):
    """The period asked for; the last full year when nothing was chosen. PeriodError otherwise."""
    code = (values.get("periode") or periods.LAST_YEAR).strip()
    if code == periods.CUSTOM:
        return periods.custom(values.get("fra") or "", values.get("til") or "")
    return periods.preset(code, today)


def typed(values) -> dict:
    return {name: (values.get(name) or "")[:40] for name in ("periode", "fra", "til")}


def page(form, *, period=None, problem=None, export=None, new_key=None, values=None, status=200):
    body = render_template(
        "privacy/statistics.html", form=form, period=period, problem=problem, export=export, new_key=new_key,
        preview=export.rows[:PREVIEW_ROWS] if export else [], columns=statistics.COLUMNS,
        typed=typed(values or {}), presets=periods.PRESETS, min_cell=statistics.MIN_CELL,
        suppressed=statistics.SUPPRESSED, danish=statistics_files.danish,
    )
    # The key may be in the page: never kept in a cache.
    return body, status, {"Cache-Control": "no-store"}


@bp.get("/databeskyttelse/statistik")
@roles_required(STATISTICS_USERS)
def statistics_export():
    return page(StatisticsForm(formdata=None), period=periods.preset(periods.LAST_YEAR, today_local()))


@bp.post("/databeskyttelse/statistik")
@roles_required(STATISTICS_USERS)
def statistics_run():
    form = StatisticsForm()
    action = request.form.get("handling", "vis")
    action = action if action in ACTIONS else "vis"
    today = today_local()
    try:
        period, problem = chosen_period(request.form, today), None
    except periods.PeriodError as error:
        period, problem = None, str(error)

    if action == "ny-noegle":
        key = statistics.random_key()
        form.show_key(key)
        return page(form, period=period, problem=problem, new_key=key, values=request.form,
                    status=422 if problem else 200)

    valid = form.validate()
    if problem or not valid:
        return page(form, period=period, problem=problem, values=request.form, status=422)

    key = statistics.check_key(form.noegle.data)
    export = statistics.course_rows(period, key, today)
    if action == "vis":
        return page(form, period=period, export=export, values=request.form)

    made_at = utcnow()
    if action == "csv":
        body, mimetype, ext = statistics_files.to_csv(export, made_at), "text/csv", "csv"
    else:
        body, mimetype, ext = statistics_files.to_xlsx(export, made_at), XLSX_MIMETYPE, "xlsx"
    audit.record_many("statistics_exported", export.citizen_ids, "statistics", period.slug,
                      details=f"periode {period.slug}, {len(export.rows)} rækker, {ext}")
    db.session.commit()
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="statistik-{period.slug}.{ext}"',
        "Cache-Control": "no-store",
    })
