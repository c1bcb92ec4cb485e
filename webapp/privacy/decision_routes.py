"""The leader's decision on a request for erasure or restriction, and carrying it out (#13 item 2).

Thin views: form → webapp/privacy/decisions.py → one commit → back to the request's page. The audit
rows name the citizen by number only: what an erasure removed is never written into the log."""

from flask import flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import audit
from ..access import roles_required
from ..auth.roles import LEADER
from ..citizens.models import Citizen
from ..database import flush_to_file
from ..extensions import db
from . import bp, decisions
from .decision_forms import DecisionForm, LiftForm
from .models import RESTRICTION, PrivacyRequest
from .requests import RequestError
from .routes import render_request_page


def _field_error(form, error: RequestError) -> bool:
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
        return True
    return False


@bp.post("/databeskyttelse/anmodninger/<db_id:request_id>/afgoerelse")
@roles_required({LEADER})
def decide(request_id: int):
    privacy_request = db.get_or_404(PrivacyRequest, request_id)
    form = DecisionForm()
    form.restrict_to(privacy_request.kind)
    if not form.validate():
        return render_request_page(privacy_request, status=422, decision_form=form)
    data = decisions.Decision(decision=form.decision.data, reason=form.reason.data or "",
                              legal_basis=form.legal_basis.data or "", parts=frozenset(form.parts.data or ()))
    citizen_id = privacy_request.citizen_id
    try:
        outcome = decisions.decide(privacy_request, data, current_user)
    except RequestError as error:
        db.session.rollback()
        if _field_error(form, error):
            return render_request_page(privacy_request, status=422, decision_form=form)
        return render_request_page(privacy_request, status=422, problem=str(error), decision_form=form)
    audit.record("privacy_request_decided", "privacy_request", privacy_request.id, citizen_id=citizen_id,
                 details=f"{privacy_request.kind}: {privacy_request.decision}")
    if outcome.erased is not None:
        audit.record("citizen_erased", "citizen", citizen_id, citizen_id=citizen_id,
                     details=f"dele: {','.join(sorted(outcome.erased.parts))}; rækker: {outcome.erased.total}")
    if outcome.restricted:
        audit.record("citizen_restricted", "citizen", citizen_id, citizen_id=citizen_id)
    db.session.commit()
    if outcome.erased is not None:
        flush_to_file()
    flash(_done_message(privacy_request, outcome), "success")
    return redirect(url_for("privacy.request_page", request_id=privacy_request.id), 303)


def _done_message(privacy_request: PrivacyRequest, outcome: decisions.Outcome) -> str:
    if outcome.erased is not None:
        if privacy_request.citizen.erased_at is not None:
            return ("Borgerens personoplysninger er slettet. Rækkerne er bevaret uden personoplysninger, så "
                    "nøgletallene for tidligere perioder ikke ændres.")
        return "De valgte dele af borgerens oplysninger er slettet."
    if outcome.restricted:
        return "Behandlingen er begrænset: registreringen kan kun læses, og borgeren er taget af lister og tavler."
    return "Afslaget er registreret. Husk at give borgeren besked med begrundelsen og retsgrundlaget."


@bp.post("/databeskyttelse/borgere/<db_id:citizen_id>/ophaev-begraensning")
@roles_required({LEADER})
def lift_restriction(citizen_id: int):
    citizen = db.get_or_404(Citizen, citizen_id)
    form = LiftForm()
    latest = _latest_restriction(citizen.id)
    if not form.validate():
        return _lift_problem(citizen, latest, form, None)
    try:
        decisions.lift_restriction(citizen, informed=bool(form.informed.data), user=current_user)
    except RequestError as error:
        db.session.rollback()
        return _lift_problem(citizen, latest, form, error)
    audit.record("restriction_lifted", "citizen", citizen.id, citizen_id=citizen.id)
    db.session.commit()
    flash("Begrænsningen er ophævet. Borgeren kan igen ses på lister og tavler.", "success")
    if latest is not None:
        return redirect(url_for("privacy.request_page", request_id=latest.id), 303)
    return redirect(url_for("citizens.page", citizen_id=citizen.id), 303)


def _latest_restriction(citizen_id: int) -> PrivacyRequest | None:
    return db.session.scalars(select(PrivacyRequest).where(PrivacyRequest.citizen_id == citizen_id,
                                                           PrivacyRequest.kind == RESTRICTION)
                              .order_by(PrivacyRequest.id.desc()).limit(1)).first()


def _lift_problem(citizen, latest, form, error):
    if latest is None:
        flash(str(error) if error else "Begrænsningen er ikke ophævet.", "error")
        return redirect(url_for("citizens.page", citizen_id=citizen.id), 303)
    if error is None or not _field_error(form, error):
        return render_request_page(latest, status=422, problem=str(error) if error else None, lift_form=form)
    return render_request_page(latest, status=422, lift_form=form)
