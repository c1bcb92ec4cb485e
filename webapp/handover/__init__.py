"""Handover to the authority department (Bilag 4), consents, the authority department's inbox
and proposals to go directly to the authority department."""

from flask import Blueprint

bp = Blueprint("handover", __name__)

from . import routes  # noqa: E402,F401
