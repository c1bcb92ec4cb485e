"""Handover, consents, the authority department's inbox, direct-to-authority proposals.

Every view of a citizen's data writes one audit event; every disclosure is audited with its
recipient."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import audit, versioning
from ..access import roles_required
from ..auth.roles import AUTHORITY, CASE_WRITERS, CPR_READERS, STAFF_LIKE
from ..citizens.models import Citizen, GuideConversation, citizen_in_use
from ..database import writes_on_read
from ..extensions import db
from ..forms import ActionForm, options
from ..pdf import pdf_response, render_pdf
from ..timeutil import format_date, today_local, utcnow
from ..urls import parse_id, safe_next
from . import bp, consents, services
from .forms import ConsentForm, DirectProposalForm, HandoverForm
from .models import (
    AGREEMENTS_FIELD,
    COURSE_FIELDS,
    FUNCTIONAL_THEMES,
    HANDOVER_RECIPIENT,
    HANDOVER_STATUSES,
    TEXT_FIELDS,
    Consent,
    Handover,
)

HANDOVER_READERS = CASE_WRITERS | {AUTHORITY}


def _is_authority_only() -> bool:
    return current_user.has_any_role({AUTHORITY}) and not current_user.has_any_role(STAFF_LIKE)


def _labels() -> dict:
    return {
        "course_fields": COURSE_FIELDS,
        "functional_themes": FUNCTIONAL_THEMES,
        "agreements_field": AGREEMENTS_FIELD,
        "statuses": HANDOVER_STATUSES,
    }


# --- consents ------------------------------------------------------------------------------------


def _consents_page(citizen: Citizen, form: ConsentForm, status: int = 200):
    return render_template(
        "handover/consents.html",
        citizen=citizen,
        consents=consents.consents_for(citizen.id),
        form=form,
        action_form=ActionForm(formdata=None),
        today=today_local(),
        states=consents.CONSENT_STATES,
        recipient_label=consents.recipient_label,
    ), status


@bp.get("/borgere/<db_id:citizen_id>/samtykker")
@roles_required(STAFF_LIKE)
@writes_on_read
def consent_list(citizen_id: int):
    citizen = db.get_or_404(Citizen, citizen_id)
    form = ConsentForm(formdata=None, given_on=today_local())
    audit.record("consents_viewed", "citizen", citizen.id)
    db.session.commit()
    return _consents_page(citizen, form)


@bp.post("/borgere/<db_id:citizen_id>/samtykker")
@roles_required(STAFF_LIKE)
def consent_create(citizen_id: int):
    citizen = db.get_or_404(Citizen, citizen_id)
    form = ConsentForm()
    if not form.validate():
        return _consents_page(citizen, form, 422)
    consent = consents.record_consent(
        citizen.id,
        basis=form.basis.data,
        purpose=form.purpose.data,
        recipient_code=form.recipient_code.data,
        recipient_name=form.recipient_name.data,
        legal_basis=form.legal_basis.data if form.basis.data == "lovhjemmel" else None,
        given_on=form.given_on.data,
        expires_on=form.expires_on.data,
        user=current_user,
    )
    audit.record("consent_recorded", "consent", consent.id, citizen_id=consent.citizen_id,
                 details=f"borger {citizen.id}, til {consent.recipient_code}, {consent.basis}")
    db.session.commit()
    flash(f"Samtykket til {consents.recipient_label(consent.recipient_code).lower()} er registreret.", "success")
    return redirect(url_for("handover.consent_list", citizen_id=citizen.id))


@bp.post("/samtykker/<db_id:consent_id>/tilbagekald")
@roles_required(STAFF_LIKE)
def consent_withdraw(consent_id: int):
    consent = db.get_or_404(Consent, consent_id)
    if not ActionForm().validate():
        abort(400)
    if consents.withdraw(consent, current_user):
        audit.record("consent_withdrawn", "consent", consent.id, citizen_id=consent.citizen_id,
                     details=f"borger {consent.citizen_id}, til {consent.recipient_code}")
        db.session.commit()
        flash("Samtykket er tilbagekaldt og gælder ikke længere. Intet kan sendes på det fra nu.", "success")
    else:
        flash("Samtykket var allerede tilbagekaldt.", "info")
    back = safe_next(request.form.get("next"))
    return redirect(back or url_for("handover.consent_list", citizen_id=consent.citizen_id))


# --- handovers -----------------------------------------------------------------------------------


@bp.get("/overdragelser")
@roles_required(CASE_WRITERS)
@writes_on_read
def handover_list():
    rows = db.session.scalars(select(Handover).where(citizen_in_use(Handover.citizen_id))
                              .order_by(Handover.created_at.desc()).limit(300)).all()
    audit.record_many("handovers_listed", [h.citizen_id for h in rows], "handover")
    db.session.commit()
    return render_template("handover/list.html", handovers=rows, statuses=HANDOVER_STATUSES)


@bp.post("/borgere/<db_id:citizen_id>/overdragelse")
@roles_required(CASE_WRITERS)
def handover_create(citizen_id: int):
    citizen = db.get_or_404(Citizen, citizen_id)
    if not ActionForm().validate():
        abort(400)
    course_id = request.form.get("course_id", "")
    try:
        course = services.course_for_new_handover(citizen, parse_id(course_id))
    except services.HandoverError as error:
        return render_template("handover/no_course.html", citizen=citizen, message=str(error)), 422
    handover, created = services.create_handover(course, current_user, today_local())
    if created:
        audit.record("handover_created", "handover", handover.id, citizen_id=handover.citizen_id, details=f"borger {citizen.id}, forløb {course.id}")
        db.session.commit()
        flash("Overdragelsen er oprettet og udfyldt med det, vi allerede ved. Ret og suppler den.", "success")
    return redirect(url_for("handover.handover_edit", handover_id=handover.id))


def _handover_or_404(handover_id: int) -> Handover:
    handover = db.get_or_404(Handover, handover_id)
    # The authority department sees only what was sent to it – never drafts.
    if _is_authority_only() and handover.status == "kladde":
        abort(404)
    return handover


def _edit_page(handover: Handover, form, status: int = 200, send_error: str | None = None, state=None):
    valid = consents.valid_consent(handover.citizen_id, HANDOVER_RECIPIENT, today_local())
    return render_template(
        "handover/edit.html",
        handover=handover,
        form=form,
        state=state or versioning.opened(handover, services.handover_values(handover)),
        send_form=ActionForm(formdata=None),
        consent=valid,
        send_error=send_error,
        **_labels(),
    ), status


@bp.route("/overdragelser/<db_id:handover_id>/rediger", methods=["GET", "POST"])
@roles_required(CASE_WRITERS)
@writes_on_read
def handover_edit(handover_id: int):
    handover = db.get_or_404(Handover, handover_id)
    if request.method == "POST":
        versioning.lock(handover)
    if not handover.is_draft:
        flash("Overdragelsen er sendt og kan ikke længere ændres.", "info")
        return redirect(url_for("handover.handover_show", handover_id=handover.id))
    if request.method == "GET":
        audit.record("handover_viewed", "handover", handover.id, citizen_id=handover.citizen_id)
        db.session.commit()
        return _edit_page(handover, HandoverForm(formdata=None, obj=handover))
    form = HandoverForm()
    saved_now = services.handover_values(handover)
    if not form.validate():
        return _edit_page(handover, form, 422, state=versioning.carried(request.form, handover, saved_now))
    state = versioning.check(handover, form, saved_now, request.form, current_user)
    if not state.ok:
        # Nothing is saved; the page shows the other saved text beside what this person typed.
        audit.record("handover_viewed", "handover", handover.id, citizen_id=handover.citizen_id,
                     details="ikke gemt: en anden havde gemt imens")
        db.session.commit()
        return _edit_page(handover, form, state.status, state=state)
    services.update_handover(handover, {name: getattr(form, name).data for name in TEXT_FIELDS}, current_user)
    audit.record("handover_changed", "handover", handover.id, citizen_id=handover.citizen_id)
    db.session.commit()
    flash("Overdragelsen er gemt." + (" " + versioning.MSG_TAKEN if state.taken else ""), "success")
    return redirect(url_for("handover.handover_edit", handover_id=handover.id))


@bp.post("/overdragelser/<db_id:handover_id>/send")
@roles_required(CASE_WRITERS)
def handover_send(handover_id: int):
    handover = db.get_or_404(Handover, handover_id)
    if not ActionForm().validate():
        abort(400)
    try:
        consent = services.send_handover(handover, current_user, today_local())
    except (services.HandoverError, consents.ConsentMissing) as error:
        db.session.rollback()
        handover = db.get_or_404(Handover, handover_id)
        if not handover.is_draft:
            flash(str(error), "info")
            return redirect(url_for("handover.handover_show", handover_id=handover.id))
        return _edit_page(handover, HandoverForm(formdata=None, obj=handover), 422, send_error=str(error))
    audit.record(
        "handover_disclosed", "handover", handover.id, citizen_id=handover.citizen_id,
        details=f"til {consents.recipient_label(HANDOVER_RECIPIENT).lower()}, samtykke {consent.id}",
    )
    db.session.commit()
    flash("Overdragelsen er sendt til myndighedsafdelingen.", "success")
    return redirect(url_for("handover.handover_show", handover_id=handover.id))


@bp.get("/overdragelser/<db_id:handover_id>")
@roles_required(HANDOVER_READERS)
@writes_on_read
def handover_show(handover_id: int):
    """Viewing changes nothing (a link elsewhere must not receive it); receipt is the POST below."""
    handover = _handover_or_404(handover_id)
    audit.record("handover_viewed", "handover", handover.id, citizen_id=handover.citizen_id)
    db.session.commit()
    return render_template(
        "handover/show.html",
        handover=handover,
        text=services.plain_text(handover),
        authority_view=_is_authority_only(),
        can_receive=current_user.has_any_role({AUTHORITY}) and handover.status == "sendt",
        receive_form=ActionForm(formdata=None),
        **_labels(),
    )


@bp.post("/overdragelser/<db_id:handover_id>/modtaget")
@roles_required(AUTHORITY)
def handover_receive(handover_id: int):
    """The authority department marks a sent handover as received ("Markér som modtaget")."""
    handover = _handover_or_404(handover_id)
    if not ActionForm().validate():
        abort(400)
    if services.receive_handover(handover, current_user):
        audit.record("handover_received", "handover", handover.id, citizen_id=handover.citizen_id)
        db.session.commit()
        flash("Overdragelsen er markeret som modtaget.", "success")
    else:
        flash("Overdragelsen var allerede markeret som modtaget.", "info")
    return redirect(url_for("handover.handover_show", handover_id=handover.id))


@bp.post("/overdragelser/<db_id:handover_id>/cpr")
@roles_required(CPR_READERS | {AUTHORITY})  # the caseworker finds the citizen in VUM by it
def handover_cpr(handover_id: int):
    """The caseworker needs the full CPR number to find the citizen in their own system: shown on
    an explicit request only, and audited."""
    handover = _handover_or_404(handover_id)
    audit.record("cpr_revealed", "handover", handover.id, citizen_id=handover.citizen_id,
                 details=f"overdragelse {handover.id}")
    db.session.commit()
    return render_template("handover/_cpr.html", handover=handover, revealed=True)


@bp.get("/overdragelser/<db_id:handover_id>/overdragelse.pdf")
@roles_required(HANDOVER_READERS)
@writes_on_read
def handover_pdf(handover_id: int):
    handover = _handover_or_404(handover_id)
    data = render_pdf(
        "pdf/handover.html",
        title="Overdragelsesskema til myndighedsafdelingen",
        header=f"Overdragelse til myndighedsafdelingen · {handover.citizen.full_name}",
        printed_at=utcnow(),
        handover=handover,
        **_labels(),
    )
    audit.record("handover_printed", "handover", handover.id, citizen_id=handover.citizen_id)
    db.session.commit()
    return pdf_response(data, f"overdragelse-{handover.id}.pdf")


@bp.get("/indbakke")
@roles_required(AUTHORITY)
@writes_on_read
def inbox():
    rows = services.inbox()
    audit.record_many("handover_inbox_viewed", [h.citizen_id for h in rows], "handover")
    db.session.commit()
    return render_template("handover/inbox.html", handovers=rows, statuses=HANDOVER_STATUSES)


# --- directly to the authority department --------------------------------------------------------


def _direct_page(citizen: Citizen, form: DirectProposalForm, status: int = 200, error: str | None = None):
    return render_template(
        "handover/direct.html", citizen=citizen, form=form, error=error,
        proposals=services.proposals_for(citizen.id),
    ), status


def _direct_form(citizen: Citizen, formdata=None) -> DirectProposalForm:
    candidates = services.direct_candidates(citizen.id)
    kwargs = {}
    if formdata is None and candidates:
        kwargs = {"guide_conversation_id": candidates[0].id, "reason": candidates[0].direct_authority_reason}
    form = DirectProposalForm(formdata=formdata, **kwargs) if formdata is None else DirectProposalForm()
    form.guide_conversation_id.choices = options(
        [(None, "Uden guidesamtale (fx efter en henvendelse)")]
        + [(gc.id, f"Guidesamtale {format_date(gc.scheduled_at)}") for gc in candidates]
    )
    return form


@bp.route("/borgere/<db_id:citizen_id>/direkte-til-myndighed", methods=["GET", "POST"])
@roles_required(STAFF_LIKE)
@writes_on_read
def direct_propose(citizen_id: int):
    citizen = db.get_or_404(Citizen, citizen_id)
    if request.method == "GET":
        audit.record("direct_proposals_viewed", "citizen", citizen.id)
        db.session.commit()
        return _direct_page(citizen, _direct_form(citizen))
    form = _direct_form(citizen, request.form)
    if not form.validate():
        return _direct_page(citizen, form, 422)
    gc = db.session.get(GuideConversation, form.guide_conversation_id.data) if form.guide_conversation_id.data else None
    try:
        proposal, created = services.propose_direct(citizen, form.reason.data, current_user, gc)
    except services.HandoverError as error:
        db.session.rollback()
        return _direct_page(citizen, form, 422, error=str(error))
    if created:
        audit.record("direct_proposed", "direct_authority_proposal", proposal.id, citizen_id=proposal.citizen_id, details=f"borger {citizen.id}")
        db.session.commit()
        flash("Forslaget er på dagsordenen til fredagsmødet.", "success")
    else:
        flash("Der er allerede et forslag for den guidesamtale.", "info")
    return redirect(url_for("handover.direct_propose", citizen_id=citizen.id))

