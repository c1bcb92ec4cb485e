from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import audit
from ..access import roles_required
from ..auth import second_factor
from ..auth import services as auth_services
from ..auth.models import User
from ..auth.roles import ROLE_LABELS, USER_ADMINS
from ..extensions import db
from ..permissions import object_rule
from . import bp, rules
from .forms import ActiveForm, NewUserForm, PasswordForm, SecondFactorResetForm, UserForm


@bp.get("/brugere")
@roles_required(USER_ADMINS)
def users():
    rows = db.session.scalars(select(User).order_by(User.active.desc(), User.full_name)).all()
    return render_template("admin/users.html", users=rows)


@bp.route("/brugere/ny", methods=["GET", "POST"])
@roles_required(USER_ADMINS)
def new_user():
    actor = current_user._get_current_object()
    form = NewUserForm()
    if form.validate_on_submit():
        if not rules.may_grant_roles(actor, None, form.roles.data):
            abort(403)
        try:
            user = auth_services.create_user(
                username=form.username.data,
                full_name=form.full_name.data,
                initials=form.initials.data,
                password=form.password.data,
                roles=form.roles.data,
                has_authority_experience=form.has_authority_experience.data,
            )
        except auth_services.UserError as error:
            form.username.errors = [str(error)]
        else:
            audit.record("user_created", "user", user.id, details=",".join(sorted(user.roles)))
            db.session.commit()
            flash(f"{user.full_name} er oprettet.", "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template(
        "admin/user_new.html", form=form, grantable=rules.grantable_roles(actor, None)
    ), status


@bp.route("/brugere/<db_id:user_id>", methods=["GET", "POST"])
@roles_required(USER_ADMINS)
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    actor = current_user._get_current_object()
    form = UserForm(obj=user)
    if form.validate_on_submit():
        roles = rules.roles_from_form(actor, user, form.roles.data)
        if not rules.may_grant_roles(actor, user, roles):
            abort(403)
        before = sorted(user.roles)
        user.full_name = form.full_name.data.strip()
        user.initials = form.initials.data.strip().upper()
        user.roles = roles
        user.has_authority_experience = form.has_authority_experience.data
        audit.record(
            "user_changed", "user", user.id,
            details=f"roller {','.join(before)} -> {','.join(sorted(user.roles))}",
        )
        db.session.commit()
        flash(f"Ændringerne for {user.full_name} er gemt.", "success")
        return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return _edit_page(actor, user, form, PasswordForm(formdata=None)), status


def _on_user(rule):
    """An object rule about the user a URL names (a missing user is left to the view's 404)."""

    def check(actor, user_id: int) -> bool:
        target = db.session.get(User, user_id)
        return target is None or rule(actor, target)

    return check


@bp.post("/brugere/<db_id:user_id>/adgangskode")
@roles_required(USER_ADMINS)
@object_rule(_on_user(rules.may_reset_password))
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    actor = current_user._get_current_object()
    if not rules.may_reset_password(actor, user):
        abort(403)
    password_form = PasswordForm()
    if password_form.validate_on_submit():
        auth_services.set_password(user, password_form.password.data)
        audit.record("password_reset", "user", user.id)
        db.session.commit()
        flash(f"Ny adgangskode er sat for {user.full_name}. Alle sessioner er logget ud.", "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return _edit_page(actor, user, UserForm(obj=user, formdata=None), password_form), 422


@bp.post("/brugere/<db_id:user_id>/aktiv")
@roles_required(USER_ADMINS)
@object_rule(_on_user(rules.may_deactivate))
def toggle_active(user_id: int):
    user = db.get_or_404(User, user_id)
    if not rules.may_deactivate(current_user, user):
        abort(403)
    if ActiveForm().validate_on_submit():
        auth_services.set_active(user, not user.active)
        audit.record("user_activated" if user.active else "user_deactivated", "user", user.id)
        db.session.commit()
        flash(
            f"{user.full_name} er {'genaktiveret' if user.active else 'deaktiveret og logget ud'}.",
            "success",
        )
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/brugere/<db_id:user_id>/totrin")
@roles_required(USER_ADMINS)
@object_rule(_on_user(rules.may_reset_second_factor))
def reset_second_factor(user_id: int):
    user = db.get_or_404(User, user_id)
    actor = current_user._get_current_object()
    if not rules.may_reset_second_factor(actor, user):
        abort(403)
    reset_form = SecondFactorResetForm()
    if reset_form.validate_on_submit():
        had = user.has_second_factor
        second_factor.reset(user)
        audit.record("second_factor_reset", "user", user.id, details=None if had else "ikke sat op")
        db.session.commit()
        flash(
            f"Totrinsbekræftelsen for {user.full_name} er nulstillet, og alle brugerens sessioner er logget ud. "
            "Brugeren sætter den op igen ved næste login.",
            "success",
        )
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return _edit_page(
        actor, user, UserForm(obj=user, formdata=None), PasswordForm(formdata=None), reset_form
    ), 422


def _edit_page(actor, user, form, password_form, reset_form=None):
    """The user page shows each control exactly when the rules allow it."""
    return render_template(
        "admin/user_edit.html",
        form=form,
        user=user,
        password_form=password_form,
        active_form=ActiveForm(formdata=None),
        role_labels=ROLE_LABELS,
        grantable=rules.grantable_roles(actor, user),
        may_reset_password=rules.may_reset_password(actor, user),
        may_deactivate=rules.may_deactivate(actor, user),
        reset_form=reset_form or SecondFactorResetForm(formdata=None),
        may_reset_second_factor=rules.may_reset_second_factor(actor, user),
        second_factor_required=second_factor.required_for(user),
        is_self=actor.id == user.id,
    )
