"""The second step of a login (a code from the app or a recovery code), enrolment at login when
the setting requires it, and the user's own Totrinsbekræftelse page.

Between the password and the second step the browser holds only a pending mark in its (signed)
session: the user id, when the password was right and where to go next. It is not logged in:
every other page treats it as anonymous (no citizen page, no API), and the mark lapses after
PENDING_SECONDS. The login session itself (webapp/auth/models.LoginSession) starts only when the
second step is passed, so the idle lock (auth.lock) of such a session needs only the password.
"""

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from .. import audit
from ..access import login_required, public
from ..database import writes_on_read
from ..extensions import db, limiter
from ..timeutil import utcnow
from ..urls import safe_next
from . import bp, throttle, totp
from . import second_factor as factor
from .forms import CodeForm, EnrolForm
from .models import User
from .routes import _address_limit, _begin, _failed, _pair_limit

PENDING = "second_step"
PENDING_SECONDS = 600
CODES_WORD = "engangskoder"


def ask_second_factor(user: User, next_url: str | None) -> str:
    """After the right password: a fresh session holding only the pending mark; the URL of the
    step to take (the code, or enrolment first)."""
    session.clear()
    session[PENDING] = {"user": user.id, "at": int(time.time()), "next": safe_next(next_url)}
    return url_for("auth.second_step" if user.has_second_factor else "auth.enrol_at_login")


def _pending_user() -> User | None:
    mark = session.get(PENDING)
    if not isinstance(mark, dict) or not isinstance(mark.get("user"), int):
        return None
    if not isinstance(mark.get("at"), int) or time.time() - mark["at"] > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, mark["user"])
    return user if user is not None and user.active else None


def _pending_key() -> str:
    mark = session.get(PENDING)
    who = mark.get("user") if isinstance(mark, dict) else None
    return f"second-step:{request.remote_addr}:{who}"


def _finish_login(user: User):
    """The second step is passed (the caller has audited how): the real login session starts,
    with a fresh session identifier."""
    next_url = (session.get(PENDING) or {}).get("next")
    _begin(user)
    audit.record("login", "user", user.id, user=user)
    return safe_next(next_url) or url_for("welcome.index")


def _wait_for_code(user: User) -> int:
    wait = throttle.seconds_to_wait(
        user.username,
        utcnow(),
        free=current_app.config["LOGIN_FREE_FAILURES"],
        max_seconds=current_app.config["LOGIN_MAX_DELAY_SECONDS"],
        failures=throttle.CODE_FAILURES,
        successes=throttle.CODE_SUCCESSES,
    )
    if wait:
        audit.record("second_factor_throttled", "user", user.id, user=user, details=f"{wait} s")
        db.session.commit()
    return wait


def _no_pending_login():
    if current_user.is_authenticated:
        return redirect(url_for("welcome.index"))
    return render_template("auth/second_step_lapsed.html")


@bp.route("/login/totrin", methods=["GET", "POST"])
@limiter.limit(_pair_limit, key_func=_pending_key, methods=["POST"], deduct_when=_failed)
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
@public
def second_step():
    user = _pending_user()
    if user is None:
        return _no_pending_login()
    if not user.has_second_factor:
        return redirect(url_for("auth.enrol_at_login"))
    form = CodeForm()
    if form.validate_on_submit():
        if wait := _wait_for_code(user):
            form.code.errors = [throttle.wait_message(wait, CODES_WORD)]
            return render_template("auth/second_step.html", form=form), 429
        check = factor.check_code(user, form.code.data)
        if check.ok:
            if check.by_recovery_code:
                audit.record("second_factor_recovery_used", "user", user.id, user=user)
            else:
                audit.record("second_factor_passed", "user", user.id, user=user)
            target = _finish_login(user)
            db.session.commit()
            if check.by_recovery_code:
                left = factor.recovery_codes_left(user)
                flash(f"Du loggede ind med en reservekode. Du har {left} reservekoder tilbage.", "info")
            return redirect(target)
        audit.record("second_factor_failed", "user", user.id, user=user)
        db.session.commit()
        form.code.errors = [check.message]
    status = 422 if form.errors else 200
    return render_template("auth/second_step.html", form=form), status


def _enrol_page(user: User, form: EnrolForm, action: str):
    return render_template(
        "auth/enrol.html",
        form=form,
        action=action,
        secret=totp.grouped(user.totp_secret),
        qr=totp.qr_svg(totp.provisioning_uri(user.totp_secret, user.username)),
    )


def _codes_page(codes: list[str], user: User, next_url: str):
    return render_template("auth/recovery_codes.html", codes=codes, user=user, next_url=next_url)


@bp.route("/login/totrin/opsaet", methods=["GET", "POST"])
@limiter.limit(_pair_limit, key_func=_pending_key, methods=["POST"], deduct_when=_failed)
@public
@writes_on_read  # every showing draws a fresh secret
def enrol_at_login():
    """Enrolment before anything else, when the setting requires it (or the user chose it and a
    leader has since reset it)."""
    user = _pending_user()
    if user is None:
        return _no_pending_login()
    if user.has_second_factor:
        return redirect(url_for("auth.second_step"))
    action = url_for("auth.enrol_at_login")
    form = EnrolForm()
    if request.method == "GET" or not user.totp_secret:
        factor.begin_enrolment(user)
        db.session.commit()
        return _enrol_page(user, EnrolForm(formdata=None), action)
    if form.validate_on_submit():
        if codes := factor.confirm_enrolment(user, form.code.data):
            audit.record("second_factor_enrolled", "user", user.id, user=user)
            target = _finish_login(user)
            db.session.commit()
            return _codes_page(codes, user, target)
        form.code.errors = [factor.WRONG]
    return _enrol_page(user, form, action), 422


@bp.route("/totrinsbekraeftelse", methods=["GET", "POST"])
@login_required
@writes_on_read  # every showing of the enrolment draws a fresh secret
def own_second_factor():
    """The user's own page: enrol (when not yet), or see that it is on and how many recovery
    codes are left."""
    user = current_user._get_current_object()
    if user.has_second_factor:
        if request.method == "POST":
            return redirect(url_for("auth.own_second_factor"))
        return render_template(
            "auth/second_factor.html", user=user, codes_left=factor.recovery_codes_left(user),
            required=factor.required_for(user),
        )
    action = url_for("auth.own_second_factor")
    form = EnrolForm()
    if request.method == "GET" or not user.totp_secret:
        factor.begin_enrolment(user)
        db.session.commit()
        return _enrol_page(user, EnrolForm(formdata=None), action)
    if form.validate_on_submit():
        if codes := factor.confirm_enrolment(user, form.code.data):
            audit.record("second_factor_enrolled", "user", user.id, user=user)
            db.session.commit()
            return _codes_page(codes, user, url_for("welcome.index"))
        form.code.errors = [factor.WRONG]
    return _enrol_page(user, form, action), 422
