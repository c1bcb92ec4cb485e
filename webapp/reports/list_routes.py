"""The lists behind the key figures (restricted, audited) and the exports (XLSX, committee PDF)."""

from flask import Response, abort, render_template

from .. import audit
from ..access import roles_required
from ..auth.roles import ECONOMICS_READERS
from ..database import writes_on_read
from ..extensions import db
from ..pdf import pdf_response, render_pdf
from ..permissions import object_rule
from ..timeutil import utcnow
from . import bp, charts, exports, figures, lists
from .routes import REPORT_VIEWERS, computed, period_args, period_or_problem, sees_restricted

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may_see_list(user, code: str) -> bool:
    """The disability lists are the leader's and the secretariat's; every other list is the page's."""
    return not lists.is_restricted(code) or user.has_any_role(ECONOMICS_READERS)


@bp.get("/noegletal/liste/<code>")
@roles_required(REPORT_VIEWERS)
@object_rule(_may_see_list)
@writes_on_read
def figure_list(code: str):
    entry = lists.LISTS.get(code)
    if entry is None:
        abort(404)
    period, problem = period_or_problem()
    if problem:
        return problem
    total = lists.count(code, period.start, period.end)
    shown = lists.rows(code, period.start, period.end)
    audit.record_many("key_figure_list_viewed", [row.citizen_id for row in shown], "key_figure_list", code,
                      details=f"{code} {period.slug}")
    db.session.commit()
    return render_template("reports/figure_list.html", entry=entry, period=period, total=total, rows=shown,
                           cap=lists.CAP, period_args=period_args(period))


@bp.get("/noegletal.xlsx")
@roles_required(REPORT_VIEWERS)
@writes_on_read
def key_figures_xlsx():
    period, problem = period_or_problem()
    if problem:
        return problem
    body = exports.to_xlsx(period.label, computed(period, sees_restricted())[0])
    audit.record("key_figures_exported", "key_figures", period.slug, details="xlsx")
    db.session.commit()
    return Response(body, mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="noegletal-{period.slug}.xlsx"'})


@bp.get("/noegletal.pdf")
@roles_required(REPORT_VIEWERS)
@writes_on_read
def key_figures_pdf():
    period, problem = period_or_problem()
    if problem:
        return problem
    data, drawn = computed(period, sees_restricted())
    body = render_pdf(
        "pdf/committee.html",
        title=f"Nøgletal for Din Indgang {period.label}",
        header=f"Nøgletal · {period.label}",
        printed_at=utcnow(),
        period=period,
        figures=data,
        charts=drawn,
        percent=figures.percent,
        print_colours=charts.PRINT_COLOURS, print_ink=charts.PRINT_INK, print_grid=charts.PRINT_GRID,
    )
    audit.record("key_figures_printed", "key_figures", period.slug)
    db.session.commit()
    return pdf_response(body, f"noegletal-{period.slug}.pdf", download=True)
