"""One permission check for views and templates: `may(endpoint, **values)`.

A view declares who may use it (`webapp.access.roles_required` and friends); a view whose rule
depends on the object as well declares it with `@object_rule(check)`, where `check(user, **values)`
receives the URL's values (`citizen_id=…`) and answers True or False. The request hook below
enforces object rules (403), and templates ask `may('handover.new', citizen_id=c.id)` before they
show a link or button, so a control is shown exactly when following it is allowed."""

from collections.abc import Callable

from flask import Flask, abort, current_app, request
from flask_login import current_user

from .access import access_rule_for

ObjectCheck = Callable[..., bool]


def object_rule(check: ObjectCheck) -> Callable:
    """Declare a rule about the object a URL names, on top of the view's roles."""

    def decorate(view):
        view.object_check = check
        return view

    return decorate


def role_allows(endpoint: str, user=None) -> bool:
    """The view's role rule alone (no object): whether the user may use the endpoint at all."""
    user = current_user if user is None else user
    view = current_app.view_functions.get(endpoint)
    rule = access_rule_for(view) if view is not None else None
    if rule is None:
        return False
    if rule.public:
        return True
    if not user.is_authenticated:
        return False
    return rule.roles is None or user.has_any_role(rule.roles)


def may(endpoint: str, user=None, **values) -> bool:
    """Whether the user may follow `url_for(endpoint, **values)`."""
    user = current_user if user is None else user
    if not role_allows(endpoint, user):
        return False
    from .privacy.restriction import blocks

    if values and blocks(endpoint, values):  # a restricted citizen's record can be read, not changed
        return False
    check = getattr(current_app.view_functions[endpoint], "object_check", None)
    if check is None or not user.is_authenticated:
        return True
    return bool(check(user, **values))


def _enforce_object_rules():
    if request.endpoint is None or not current_user.is_authenticated:
        return None
    view = current_app.view_functions.get(request.endpoint)
    check = getattr(view, "object_check", None)
    if check is not None and role_allows(request.endpoint) and not check(current_user, **(request.view_args or {})):
        abort(403)
    return None


def init_app(app: Flask) -> None:
    app.before_request(_enforce_object_rules)  # after security's login and role check
    app.jinja_env.globals["may"] = may
