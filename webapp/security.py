"""Enforcement of the access rules (declared with webapp.access), login sessions and security headers."""

from datetime import timedelta

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user, logout_user

# The decorators live in .access (no feature imports); re-exported so both import paths work.
from .access import AccessRule, access_rule_for, login_required, public, require_roles, roles_required  # noqa: F401
from .auth import services as auth_services
from .database import write_transaction
from .timeutil import utcnow
from .urls import safe_next

# Endpoints a locked (idle) session may still reach.
LOCK_EXEMPT = frozenset({"auth.lock", "auth.logout", "static"})
BACKGROUND_HEADER = "X-Background"


def _enforce_access():
    if request.endpoint is None:
        return None  # routing will answer 404/405
    view = current_app.view_functions.get(request.endpoint)
    rule = access_rule_for(view)
    if rule is None:
        current_app.logger.error("No access rule declared for endpoint %s", request.endpoint)
        abort(403)
    if rule.public:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()

    login = current_user.login_session
    now = utcnow()
    state = auth_services.session_state(
        login,
        now,
        idle=timedelta(minutes=current_app.config["IDLE_TIMEOUT_MINUTES"]),
        absolute=timedelta(hours=current_app.config["ABSOLUTE_SESSION_HOURS"]),
    )
    if state == "expired":
        with write_transaction():
            auth_services.end_sessions(login.user_id, "expired", now, only=login)
        logout_user()
        return _redirect(url_for("auth.login", udloebet=1))
    if state == "locked":
        if request.endpoint in LOCK_EXEMPT:
            return None
        if login.locked_at is None:
            with write_transaction():
                auth_services.lock(login.id, now)
        return _redirect(url_for("auth.lock", next=_back_after_unlock()))
    # Live polling is not activity: a tablet left alone must still lock.
    if not request.headers.get(BACKGROUND_HEADER) and auth_services.needs_touch(login, now):
        with write_transaction():
            auth_services.touch(login.id, now)
    if rule.roles is not None and not current_user.has_any_role(rule.roles):
        abort(403)
    return None


def _back_after_unlock() -> str | None:
    """The page to return to after the lock: the GET that met it, if it is a safe local path."""
    if request.method != "GET" or request.headers.get(BACKGROUND_HEADER):
        return None
    return safe_next(request.full_path.rstrip("?"))


def _redirect(location: str):
    """A redirect that htmx follows with a full page load."""
    if request.headers.get("HX-Request"):
        response = current_app.response_class(status=204)
        response.headers["HX-Redirect"] = location
        return response
    return redirect(location)


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _security_headers(response):
    headers = response.headers
    headers["Content-Security-Policy"] = CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    if current_app.config["SESSION_COOKIE_SECURE"]:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.endpoint != "static":
        # Pages may carry personal data: never keep them in a shared browser's cache.
        headers["Cache-Control"] = "no-store"
        headers.setdefault("Vary", "Cookie")
    return response


def init_app(app: Flask) -> None:
    app.before_request(_enforce_access)
    app.after_request(_security_headers)
