"""The one-tap opt-out of reminders on the citizen page (audited, CSRF)."""

from flask import flash, redirect, url_for
from wtforms.validators import DataRequired

from .. import audit
from ..access import roles_required
from ..auth.roles import STAFF_LIKE
from ..citizens.models import Citizen
from ..extensions import db
from ..forms import DanishSelectField, PlainForm, options
from . import bp, services

CHOICES = {"fra": "Slå påmindelser fra", "til": "Slå påmindelser til"}


class RemindersForm(PlainForm):
    slaa = DanishSelectField("Påmindelser", choices=options(CHOICES),
                             validators=[DataRequired("Vælg om påmindelser skal slås fra eller til.")])


@bp.post("/borgere/<db_id:citizen_id>/paamindelser")
@roles_required(STAFF_LIKE)
def reminders(citizen_id: int):
    citizen = db.get_or_404(Citizen, citizen_id)
    form = RemindersForm()
    back = url_for("citizens.page", citizen_id=citizen.id) + "#paamindelser"
    if not form.validate():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(back, 303)
    off = form.slaa.data == "fra"
    services.set_reminders_off(citizen, off)
    if off:
        audit.record("reminders_turned_off", "citizen", citizen.id)
    else:
        audit.record("reminders_turned_on", "citizen", citizen.id)
    db.session.commit()
    flash("Påmindelser er slået fra." if off else "Påmindelser er slået til.", "success")
    return redirect(back, 303)
