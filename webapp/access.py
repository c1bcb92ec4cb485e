"""Access rules that views declare (deny by default): who may reach an endpoint at all.

This module imports nothing from the features, so every feature (auth included) can declare its
rules without an import cycle. `webapp.security` enforces the rules before each request.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import abort
from flask_login import current_user


@dataclass(frozen=True)
class AccessRule:
    public: bool = False
    roles: frozenset[str] | None = None  # None: any logged-in user


def _mark(rule: AccessRule) -> Callable:
    def decorate(view):
        view.access_rule = rule
        return view

    return decorate


def public(view):
    """No login needed (login page, health check, static files)."""
    return _mark(AccessRule(public=True))(view)


def login_required(view):
    """Any logged-in user, whatever their roles."""
    return _mark(AccessRule())(view)


def roles_required(*groups: Iterable[str] | str) -> Callable:
    """Logged-in users holding at least one of the named roles."""
    names: set[str] = set()
    for group in groups:
        names.update([group] if isinstance(group, str) else group)
    return _mark(AccessRule(roles=frozenset(names)))


def access_rule_for(view) -> AccessRule | None:
    return getattr(view, "access_rule", None)


def require_roles(*names: str) -> None:
    """For rules finer than the view's: abort with 403 unless the user holds one of the roles."""
    if not current_user.is_authenticated or not current_user.has_any_role(names):
        abort(403)
