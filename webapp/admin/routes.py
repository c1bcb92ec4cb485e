from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import audit
from ..access import roles_required
from ..auth import services as auth_services
from ..auth.models import User
from ..auth.roles import ROLE_LABELS, USER_ADMINS
from ..extensions import db
from . import bp
from .forms import ActiveForm, NewUserForm, PasswordForm, UserForm


@bp.get("/brugere")
@roles_required(USER_ADMINS)
def users():
    rows = db.session.scalars(select(User).order_by(User.active.desc(), User.full_name)).all()
    return render_template("admin/users.html", users=rows)


@bp.route("/brugere/ny", methods=["GET", "POST"])
@roles_required(USER_ADMINS)
def new_user():
    form = NewUserForm()
    if form.validate_on_submit():
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
    return render_template("admin/user_new.html", form=form), status


@bp.route("/brugere/<int:user_id>", methods=["GET", "POST"])
@roles_required(USER_ADMINS)
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        before = sorted(user.roles)
        user.full_name = form.full_name.data.strip()
        user.initials = form.initials.data.strip().upper()
        user.roles = form.roles.data
        user.has_authority_experience = form.has_authority_experience.data
        audit.record(
            "user_changed", "user", user.id,
            details=f"roller {','.join(before)} -> {','.join(sorted(user.roles))}",
        )
        db.session.commit()
        flash(f"Ændringerne for {user.full_name} er gemt.", "success")
        return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template(
        "admin/user_edit.html",
        form=form,
        user=user,
        password_form=PasswordForm(formdata=None),
        active_form=ActiveForm(formdata=None),
        role_labels=ROLE_LABELS,
    ), status


@bp.post("/brugere/<int:user_id>/adgangskode")
@roles_required(USER_ADMINS)
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    password_form = PasswordForm()
    if password_form.validate_on_submit():
        auth_services.set_password(user, password_form.password.data)
        audit.record("password_reset", "user", user.id)
        db.session.commit()
        flash(f"Ny adgangskode er sat for {user.full_name}. Alle sessioner er logget ud.", "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template(
        "admin/user_edit.html",
        form=UserForm(obj=user, formdata=None),
        user=user,
        password_form=password_form,
        active_form=ActiveForm(formdata=None),
        role_labels=ROLE_LABELS,
    ), 422


@bp.post("/brugere/<int:user_id>/aktiv")
@roles_required(USER_ADMINS)
def toggle_active(user_id: int):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id and user.active:
        flash("Du kan ikke deaktivere dig selv.", "error")
    elif ActiveForm().validate_on_submit():
        auth_services.set_active(user, not user.active)
        audit.record("user_activated" if user.active else "user_deactivated", "user", user.id)
        db.session.commit()
        flash(
            f"{user.full_name} er {'genaktiveret' if user.active else 'deaktiveret og logget ud'}.",
            "success",
        )
    return redirect(url_for("admin.edit_user", user_id=user.id))

