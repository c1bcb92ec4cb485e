"""TEMPORARY STUB (not committed): the real module lands from branch s14-restrict."""
from contextlib import nullcontext

from ..timeutil import utcnow


def writes_allowed():
    return nullcontext()


def restrict(citizen, *, user=None):
    citizen.restricted_at = utcnow()


def lift(citizen, *, user=None):
    citizen.restricted_at = None
