"""Request-wide input rules that no single form sees: the query string.

Forms check their own fields (`webapp.forms.harden_field`), with the typed text kept; a query
string has no form to show again, so one with control characters (PostgreSQL refuses NUL, logs and
URLs should never carry them) is answered with a calm Danish 400 before any view runs."""

from flask import Flask, request

from .errors import render_error
from .forms import has_control_characters

MSG_QUERY = "Adressen indeholder ugyldige tegn. Gå tilbage, og prøv igen."


def _refuse_control_characters_in_query():
    for key, values in request.args.lists():
        if has_control_characters(key) or any(has_control_characters(v) for v in values):
            return render_error(400, MSG_QUERY)
    return None


def init_app(app: Flask) -> None:
    app.before_request(_refuse_control_characters_in_query)
