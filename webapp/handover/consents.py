"""Consent records (samtykke) and the one check every disclosure goes through.

Confidential information leaves Din Indgang only with the citizen's explicit consent or a
recorded legal basis (forvaltningsloven § 28): a valid record for the citizen and the recipient
organisation. Withdrawal is one tap and counts from that moment."""

from datetime import date, datetime

from sqlalchemy import select

from ..extensions import db
from ..timeutil import utcnow
from ..welcome.vocab import PARTNERS
from .models import CONSENT_BASES, Consent

CONSENT_STATES = {
    "gyldig": "Gyldigt",
    "ikke_begyndt": "Ikke begyndt endnu",
    "udloebet": "Udløbet",
    "tilbagekaldt": "Tilbagekaldt",
}


class ConsentMissing(ValueError):
    """No valid consent or legal basis for this disclosure; the message is Danish."""


def recipient_label(code: str, name: str | None = None) -> str:
    label = PARTNERS.get(code, code)
    return f"{label} ({name})" if name else label


def consents_for(citizen_id: int) -> list[Consent]:
    return list(
        db.session.scalars(
            select(Consent).where(Consent.citizen_id == citizen_id).order_by(Consent.given_on.desc(), Consent.id.desc())
        )
    )


def valid_consent(citizen_id: int, recipient_code: str, today: date) -> Consent | None:
    """The most recently given valid consent for this citizen and recipient, if any."""
    rows = db.session.scalars(
        select(Consent)
        .where(
            Consent.citizen_id == citizen_id,
            Consent.recipient_code == recipient_code,
            Consent.withdrawn_at.is_(None),
        )
        .order_by(Consent.given_on.desc(), Consent.id.desc())
    )
    return next((c for c in rows if c.is_valid(today)), None)


def require_consent(citizen_id: int | None, recipient_code: str, today: date, what: str) -> Consent:
    """The consent that allows `what` to go to the recipient, or ConsentMissing (Danish)."""
    recipient = PARTNERS.get(recipient_code, recipient_code).lower()
    if citizen_id is None:
        raise ConsentMissing(
            f"{what} kan ikke videregives: borgeren er ikke registreret, så der kan ikke ligge et samtykke. "
            "Kobl anmodningen til borgeren, og registrér samtykket først."
        )
    consent = valid_consent(citizen_id, recipient_code, today)
    if consent is None:
        raise ConsentMissing(
            f"{what} kan ikke videregives til {recipient}: der er intet gyldigt samtykke fra borgeren "
            "og ingen registreret lovhjemmel (forvaltningsloven § 28). Registrér samtykket først."
        )
    return consent


def record_consent(
    citizen_id: int,
    *,
    basis: str,
    purpose: str,
    recipient_code: str,
    given_on: date,
    user,
    recipient_name: str | None = None,
    legal_basis: str | None = None,
    expires_on: date | None = None,
) -> Consent:
    """Store a consent; the form has already checked the values (see ConsentForm)."""
    if basis not in CONSENT_BASES or recipient_code not in PARTNERS:
        raise ValueError("unknown basis or recipient")
    consent = Consent(
        citizen_id=citizen_id,
        basis=basis,
        legal_basis=(legal_basis or "").strip() or None,
        purpose=purpose.strip(),
        recipient_code=recipient_code,
        recipient_name=(recipient_name or "").strip() or None,
        given_on=given_on,
        expires_on=expires_on,
        recorded_at=utcnow(),
        recorded_by_id=user.id,
    )
    db.session.add(consent)
    db.session.flush()
    return consent


def withdraw(consent: Consent, user, now: datetime | None = None) -> bool:
    """Withdraw at once; False when it already was (a second tap changes nothing)."""
    if consent.withdrawn_at is not None:
        return False
    consent.withdrawn_at = now or utcnow()
    consent.withdrawn_by_id = user.id
    db.session.flush()
    return True
