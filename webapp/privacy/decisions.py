"""The leader's decision on a request for erasure (art. 17) or restriction (art. 18), carried out in
the same transaction: approved erasure overwrites everything (webapp/privacy/erasure.py), approved
in part overwrites the parts chosen, approved restriction makes the record read-only and takes it
off lists and boards (webapp/privacy/restriction.py). A refusal says why — typically the duty to
keep case records — and on which legal basis. Every decision closes the request.

Services flush, never commit (the route commits once)."""

from dataclasses import dataclass, field

from ..extensions import db
from ..timeutil import utcnow
from . import erasure
from .models import APPROVED, DECISIONS, ERASURE, PARTLY, REFUSED, RESTRICTION, PrivacyRequest
from .requests import RequestError

MSG_NOT_DECIDABLE = "Kun anmodninger om sletning eller begrænsning skal afgøres."
MSG_CLOSED = "Anmodningen er allerede afgjort."
MSG_DECISION = "Vælg en afgørelse."
MSG_REASON = "Skriv begrundelsen, fx pligten til at journalisere og opbevare sagens oplysninger."
MSG_LEGAL_BASIS = "Skriv retsgrundlaget, fx »Databeskyttelsesforordningens artikel 17, stk. 3, litra b«."
MSG_PARTLY_RESTRICTION = "En begrænsning gælder hele registreringen. Vælg »Godkendt« eller »Afvist«."
MSG_PARTS = "Vælg, hvilke dele der slettes."
MSG_ERASED = "Borgerens oplysninger er allerede slettet."
MSG_ALREADY_RESTRICTED = "Borgerens behandling er allerede begrænset."
MSG_NOT_RESTRICTED = "Borgerens behandling er ikke begrænset."
MSG_INFORMED = "Bekræft, at borgeren er orienteret, før begrænsningen ophæves (artikel 18, stk. 3)."


@dataclass(frozen=True)
class Decision:
    decision: str  # DECISIONS
    reason: str
    legal_basis: str
    parts: frozenset[str] = field(default_factory=frozenset)  # erasure approved in part


@dataclass
class Outcome:
    erased: erasure.ErasureResult | None = None
    restricted: bool = False


def _check(request: PrivacyRequest, data: Decision) -> None:
    if request.kind not in (ERASURE, RESTRICTION):
        raise RequestError(MSG_NOT_DECIDABLE)
    if request.closed_at is not None:
        raise RequestError(MSG_CLOSED)
    if data.decision not in DECISIONS:
        raise RequestError(MSG_DECISION, "decision")
    if data.decision in (REFUSED, PARTLY) and not data.reason.strip():
        raise RequestError(MSG_REASON, "reason")
    if not data.legal_basis.strip():
        raise RequestError(MSG_LEGAL_BASIS, "legal_basis")
    if data.decision == PARTLY:
        if request.kind == RESTRICTION:
            raise RequestError(MSG_PARTLY_RESTRICTION, "decision")
        if not data.parts or not data.parts <= set(erasure.PARTIAL_PARTS):
            raise RequestError(MSG_PARTS, "parts")
    if data.decision != REFUSED:
        if request.citizen.erased_at is not None:
            raise RequestError(MSG_ERASED)
        if request.kind == RESTRICTION and request.citizen.restricted_at is not None:
            raise RequestError(MSG_ALREADY_RESTRICTED)


def decide(request: PrivacyRequest, data: Decision, user) -> Outcome:
    """Record the decision and carry it out (flushed, not committed)."""
    from .restriction import restrict, writes_allowed

    _check(request, data)
    now = utcnow()
    outcome = Outcome()
    with writes_allowed():
        if data.decision != REFUSED:
            if request.kind == ERASURE:
                parts = erasure.ALL_PARTS if data.decision == APPROVED else data.parts
                outcome.erased = erasure.erase_citizen(request.citizen, parts, user=user)
            else:
                restrict(request.citizen, user=user)
                outcome.restricted = True
            request.carried_out_at = now
        request.decision = data.decision
        request.decision_reason = data.reason.strip() or None
        request.legal_basis = data.legal_basis.strip()
        request.decided_by_id = getattr(user, "id", None)
        request.decided_at = now
        request.closed_at = now
        db.session.flush()
    return outcome


def lift_restriction(citizen, *, informed: bool, user) -> None:
    """Art. 18(3): the citizen is told before the restriction is lifted."""
    from .restriction import lift, writes_allowed

    if citizen.restricted_at is None or citizen.erased_at is not None:
        raise RequestError(MSG_NOT_RESTRICTED)
    if not informed:
        raise RequestError(MSG_INFORMED, "informed")
    with writes_allowed():
        lift(citizen, user=user)
        db.session.flush()
