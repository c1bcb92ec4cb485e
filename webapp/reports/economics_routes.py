"""The economics of the shadow assessment (skyggevisitation) for the courses closed in a period:
the report's calculation written out, with its caveats and the assumptions the reader may change."""

from decimal import Decimal

from flask import current_app, render_template, request

from .. import audit
from ..access import roles_required
from ..auth.roles import ECONOMICS_READERS
from ..database import writes_on_read
from ..documentation import economics as shadow
from ..documentation.models import AFTER, WITHOUT
from ..extensions import db
from ..timeutil import today_local
from . import bp, periods
from .economics_form import AssumptionsForm
from .hours import hours_figures


def _typed() -> dict:
    return {name: (request.args.get(name) or "")[:40] for name in ("periode", "fra", "til")}


def hours_with_citizens(period: periods.Period) -> Decimal:
    """The key figure »hours with the citizens« for the period, as the key-figures page shows it
    (one decimal), so the calculation on the page adds up with the numbers it shows."""
    figure = next(f for f in hours_figures(period.start, period.end) if f.key == "hours_with_citizens")
    return Decimal(str(figure.total or 0))


@bp.get("/oekonomi")
@roles_required(ECONOMICS_READERS)
@writes_on_read
def economics():
    hourly_default = current_app.config["HOURLY_COST"]
    form = AssumptionsForm(request.args, hourly_cost=hourly_default)
    page = {"form": form, "hourly_default": hourly_default, "typed": _typed(), "presets": periods.PRESETS, "period": None, "problem": None,
            "data": None, "caveats": shadow.caveats(shadow.DEFAULT_EFFECT_YEARS),
            "kroner": shadow.kroner, "decimal_da": shadow.decimal_da}
    try:
        page["period"] = period = periods.from_args(request.args, today_local())
    except periods.PeriodError as error:
        page["problem"] = str(error)
    if not form.validate() or page["problem"]:
        return render_template("reports/economics.html", **page), 422
    data = shadow.economics(period.start, period.end, hours_with_citizens=hours_with_citizens(period),
                            hourly_cost=form.timepris.data, effect_years=form.aar.data)
    page.update(
        data=data,
        caveats=shadow.caveats(data.effect_years),
        without_rows=shadow.offer_breakdown(period.start, period.end, WITHOUT),
        after_rows=shadow.offer_breakdown(period.start, period.end, AFTER),
        adjustment=shadow.override_adjustment(period.start, period.end),
    )
    audit.record("economics_viewed", "economics", period.slug)
    db.session.commit()
    return render_template("reports/economics.html", **page)
