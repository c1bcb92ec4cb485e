from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from .. import audit
from ..access import login_required, public
from ..extensions import db, limiter, login_manager
from ..timeutil import utcnow
from ..urls import safe_next
from . import bp, second_factor, throttle
from . import services as auth_services
from .forms import LoginForm, UnlockForm


@login_manager.user_loader
def _load_user(token: str):
    login = auth_services.load_session(token)
    return login.user if login else None


def _next_or_home(default_endpoint: str = "welcome.index") -> str:
    return safe_next(request.args.get("next")) or url_for(default_endpoint)


def _typed_username() -> str:
    return auth_services.normalise_username(request.form.get("username", ""))[:60]


def _address_and_username_key() -> str:
    return f"login:{request.remote_addr}:{_typed_username()}"


def _current_user_key() -> str:
    return f"unlock:{current_user.id}" if current_user.is_authenticated else f"unlock:{request.remote_addr}"


def _pair_limit() -> str:
    return current_app.config["LOGIN_FAILURES_PER_ADDRESS_AND_USERNAME"]


def _address_limit() -> str:
    return current_app.config["LOGIN_FAILURES_PER_ADDRESS"]


def _failed(response) -> bool:
    return response.status_code != 302


def _wait_before_trying(username: str) -> int:
    """Seconds this username must wait after repeated failures; audited when it must."""
    wait = throttle.seconds_to_wait(
        username,
        utcnow(),
        free=current_app.config["LOGIN_FREE_FAILURES"],
        max_seconds=current_app.config["LOGIN_MAX_DELAY_SECONDS"],
    )
    if wait:
        audit.record("login_throttled", "user", username=username, details=f"{wait} s")
        db.session.commit()
    return wait


def _begin(user) -> None:
    """A fresh session identifier on every login: nothing from before survives."""
    session.clear()
    auth_services.start_session(user)
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
# Per address and username, and a generous ceiling per address: a whole house behind one proxy
# address is not locked out by one person. The per-username delay is in `throttle`.
@limiter.limit(_pair_limit, key_func=_address_and_username_key, methods=["POST"], deduct_when=_failed)
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
@public
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("welcome.index"))
    form = LoginForm()
    if request.args.get("udloebet"):
        flash("Du har været logget ind i lang tid. Log ind igen.", "info")
    if form.validate_on_submit():
        if wait := _wait_before_trying(_typed_username()):
            form.password.errors = [throttle.wait_message(wait)]
            return render_template("auth/login.html", form=form), 429
        user = auth_services.authenticate(form.username.data, form.password.data)
        if user is not None and second_factor.asked_at_login(user):
            # Not logged in yet: only a pending mark until the code (or enrolment) is done.
            from .second_factor_routes import ask_second_factor

            return redirect(ask_second_factor(user, request.args.get("next")))
        if user is not None:
            _begin(user)
            audit.record("login", "user", user.id, user=user)
            db.session.commit()
            return redirect(_next_or_home())
        audit.record(
            "login_failed",
            "user",
            username=auth_services.normalise_username(form.username.data)[:60],
        )
        db.session.commit()
        form.password.errors = ["Forkert brugernavn eller adgangskode."]
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    user = current_user._get_current_object()
    auth_services.end_sessions(user.id, "logout", only=user.login_session)
    audit.record("logout", "user", user.id, user=user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("Du er logget ud.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/laast", methods=["GET", "POST"])
@limiter.limit(_pair_limit, key_func=_current_user_key, methods=["POST"], deduct_when=_failed)
@login_required
def lock():
    """The idle lock: the same person types their password again, or hands over the tablet."""
    user = current_user._get_current_object()
    old = user.login_session
    form = UnlockForm()
    if form.validate_on_submit():
        if wait := _wait_before_trying(user.username):
            form.password.errors = [throttle.wait_message(wait)]
            return render_template("auth/lock.html", form=form, user=user), 429
        if auth_services.authenticate(user.username, form.password.data) is not None:
            auth_services.end_sessions(user.id, "unlocked", utcnow(), only=old)
            _begin(user)
            audit.record("unlock", "user", user.id, user=user)
            db.session.commit()
            return redirect(_next_or_home())
        audit.record("unlock_failed", "user", user.id, user=user)
        db.session.commit()
        form.password.errors = ["Forkert adgangskode."]
    status = 422 if form.errors else 200
    return render_template("auth/lock.html", form=form, user=user), status
