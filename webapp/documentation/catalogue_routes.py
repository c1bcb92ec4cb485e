"""The catalogue of municipal offers (name, section of the law, yearly tariff), and the list of
closed courses that still lack their shadow assessment (»mangler skyggevisitation«)."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import audit, versioning
from ..access import roles_required
from ..auth.roles import ECONOMICS_READERS, REPORTERS
from ..citizens.vocab import STOP_REASONS
from ..database import writes_on_read
from ..extensions import db
from ..reports import periods
from ..timeutil import today_local
from ..urls import parse_small_int
from . import bp, missing, services
from .catalogue_forms import NewOfferForm, OfferForm, offer_values
from .economics import kroner
from .models import MunicipalOffer
from .services import DocumentationError

MSG_NAME_TAKEN = "Der findes allerede et tilbud med det navn i kataloget."


def _catalogue_page(form: NewOfferForm | None = None, status: int = 200):
    return render_template(
        "documentation/catalogue.html", offers=services.active_offers(), removed=services.removed_offers(),
        usage=services.offer_usage(), form=form or NewOfferForm(formdata=None), kroner=kroner), status


@bp.get("/tilbudskatalog")
@roles_required(REPORTERS)
def catalogue():
    return _catalogue_page()


@bp.post("/tilbudskatalog")
@roles_required(ECONOMICS_READERS)
def catalogue_add():
    form = NewOfferForm()
    if form.validate_on_submit():
        if services.offer_name_taken(form.name.data):
            form.name.errors.append(MSG_NAME_TAKEN)
        else:
            try:
                offer = services.add_offer(name=form.name.data, law_section=form.law_section.data or "",
                                           yearly_tariff=form.yearly_tariff.data, is_housing=form.is_housing.data,
                                           user=current_user)
            except DocumentationError as error:
                db.session.rollback()
                form.yearly_tariff.errors.append(str(error))
            else:
                audit.record("offer_added", "municipal_offer", offer.id, details=offer.name)
                db.session.commit()
                flash(f"»{offer.name}« er føjet til tilbudskataloget.", "success")
                return redirect(url_for("documentation.catalogue"))
    return _catalogue_page(form, 422)


def _offer_or_404(offer_id: int) -> MunicipalOffer:
    return db.get_or_404(MunicipalOffer, offer_id)


def _edit_page(offer: MunicipalOffer, form: OfferForm, state: versioning.EditState, status: int = 200):
    return render_template("documentation/catalogue_edit.html", offer=offer, form=form, state=state,
                           usage=services.offer_usage().get(offer.id, 0)), status


@bp.route("/tilbudskatalog/<db_id:offer_id>", methods=["GET", "POST"])
@roles_required(ECONOMICS_READERS)
def catalogue_edit(offer_id: int):
    offer = _offer_or_404(offer_id)
    if request.method == "GET":
        saved_now = offer_values(offer)
        return _edit_page(offer, OfferForm(formdata=None, **saved_now), versioning.opened(offer, saved_now))
    versioning.lock(offer)
    saved_now = offer_values(offer)
    form = OfferForm()
    state = versioning.carried(request.form, offer, saved_now)
    if form.validate_on_submit():
        state = versioning.check(offer, form, saved_now, request.form, current_user)
        if not state.ok:
            # Nothing is saved; the form shows the other saved values beside what was typed.
            return _edit_page(offer, form, state, state.status)
        if not offer.removed and services.offer_name_taken(form.name.data, offer.id):
            form.name.errors.append(MSG_NAME_TAKEN)
        else:
            try:
                services.edit_offer(offer, name=form.name.data, law_section=form.law_section.data or "",
                                    yearly_tariff=form.yearly_tariff.data, user=current_user)
            except DocumentationError as error:
                db.session.rollback()
                offer = _offer_or_404(offer_id)
                form.yearly_tariff.errors.append(str(error))
            else:
                audit.record("offer_changed", "municipal_offer", offer.id, details=offer.name)
                db.session.commit()
                flash(f"»{offer.name}« er gemt." + (" " + versioning.MSG_TAKEN if state.taken else ""), "success")
                return redirect(url_for("documentation.catalogue"))
        state = versioning.carried(request.form, offer, saved_now)
    return _edit_page(offer, form, state, 422)


@bp.post("/tilbudskatalog/<db_id:offer_id>/fjern")
@roles_required(ECONOMICS_READERS)
def catalogue_remove(offer_id: int):
    offer = _offer_or_404(offer_id)
    if not offer.removed:
        services.remove_offer(offer, current_user)
        audit.record("offer_removed", "municipal_offer", offer.id, details=offer.name)
        db.session.commit()
    flash(f"»{offer.name}« er fjernet fra kataloget. Skyggevisitationer, der bruger tilbuddet, er uændrede.",
          "success")
    return redirect(url_for("documentation.catalogue"))


@bp.post("/tilbudskatalog/<db_id:offer_id>/genopret")
@roles_required(ECONOMICS_READERS)
def catalogue_restore(offer_id: int):
    offer = _offer_or_404(offer_id)
    if offer.removed:
        services.restore_offer(offer, current_user)
        audit.record("offer_restored", "municipal_offer", offer.id, details=offer.name)
        db.session.commit()
    flash(f"»{offer.name}« er tilbage i kataloget.", "success")
    return redirect(url_for("documentation.catalogue"))


# --- closed courses without a shadow assessment -------------------------------------------------

ALL = "alle"


def _typed() -> dict:
    return {name: (request.args.get(name) or "")[:40] for name in ("periode", "fra", "til")}


@bp.get("/mangler-skyggevisitation")
@roles_required(REPORTERS)
@writes_on_read
def missing_shadow():
    typed = _typed()
    period = None
    if (request.args.get("periode") or ALL).strip() != ALL:
        try:
            period = periods.from_args(request.args, today_local())
        except periods.PeriodError as error:
            return render_template("documentation/missing.html", listing=None, period=None, problem=str(error),
                                   typed=typed, presets=periods.PRESETS, all_code=ALL), 422
    page = parse_small_int(request.args.get("side"), 1)
    listing = missing.missing_shadow(period.start if period else None, period.end if period else None, page=page)
    audit.record_many("missing_shadow_listed", [row.citizen_id for row in listing.rows], "missing_shadow",
                      listing.page, details=period.label if period else "alle afsluttede forløb")
    db.session.commit()
    return render_template("documentation/missing.html", listing=listing, period=period, problem=None,
                           typed=typed, presets=periods.PRESETS, all_code=ALL, stop_reasons=STOP_REASONS)
