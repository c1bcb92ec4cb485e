"""The citizen register: details and their rules (names, phone numbers, one citizen per CPR
number), search, relatives. Plain functions; flush, never commit; no request in here."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..forms import strip_control_characters
from ..timeutil import utcnow
from . import vocab
from .cpr import CprError, looks_like_cpr, mask_cpr, parse_cpr
from .models import Citizen, Relative


class CitizenError(ValueError):
    """A request that cannot be carried out; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class DuplicateCprError(CitizenError):
    """Another citizen already has this CPR number: never saved twice, "Opret alligevel" or not.
    `existing_id` is for a link to that citizen (by id – never the CPR number in a URL)."""

    def __init__(self, existing_id: int | None):
        super().__init__(
            "Der findes allerede en borger med dette CPR-nummer. Brug den eksisterende borger i stedet.", "cpr"
        )
        self.existing_id = existing_id


# --- the register ----------------------------------------------------------------------------------


@dataclass
class CitizenData:
    first_name: str
    last_name: str = ""
    cpr: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    contact_preference: str = ""
    contact_consent: bool = False
    bring_person: str = ""
    next_meeting_at: datetime | None = None
    birth_date: date | None = None


def normalise_phone(text: str) -> str | None:
    digits = re.sub(r"\D", "", text or "")
    if not digits:
        return None
    if len(digits) == 10 and digits.startswith("45"):
        digits = digits[2:]
    if len(digits) != 8:
        raise CitizenError("Telefonnummeret skal have 8 cifre.", "phone")
    return digits


def apply_citizen_data(citizen: Citizen, data: CitizenData, today: date) -> None:
    """Validate everything first, then change the citizen (nothing half-applied)."""
    first = data.first_name.strip()
    if not first:
        raise CitizenError("Skriv borgerens fornavn.", "first_name")
    cpr_digits, birth = citizen.cpr, citizen.birth_date or data.birth_date
    if data.cpr.strip():
        try:
            parsed = parse_cpr(data.cpr, today=today)
        except CprError as error:
            raise CitizenError(str(error), "cpr") from None
        cpr_digits, birth = parsed.digits, parsed.birth_date
        if cpr_digits != citizen.cpr and (owner := cpr_owner(cpr_digits, citizen.id)) is not None:
            raise DuplicateCprError(owner)
    elif data.cpr == "" and citizen.cpr is None:
        birth = data.birth_date or citizen.birth_date
    phone = normalise_phone(data.phone)
    if data.contact_preference and data.contact_preference not in vocab.CONTACT_PREFERENCES:
        raise CitizenError("Ukendt kontaktform.", "contact_preference")
    citizen.first_name = first
    citizen.first_name_lower = first.lower()
    citizen.last_name = data.last_name.strip()
    citizen.cpr = cpr_digits
    citizen.birth_date = birth
    citizen.address = data.address.strip() or None
    citizen.phone = phone
    citizen.email = data.email.strip() or None
    citizen.contact_preference = data.contact_preference or None
    if data.contact_consent and not citizen.contact_consent:
        citizen.contact_consent_at = utcnow()
    citizen.contact_consent = data.contact_consent
    citizen.bring_person = data.bring_person.strip() or None
    citizen.next_meeting_at = data.next_meeting_at


def cpr_owner(cpr_digits: str, except_id: int | None = None) -> int | None:
    """The id of the citizen who has this CPR number (other than `except_id`), if any."""
    query = select(Citizen.id).where(Citizen.cpr_is(cpr_digits))
    if except_id is not None:
        query = query.where(Citizen.id != except_id)
    return db.session.scalar(query.limit(1))


def save_citizen(citizen: Citizen) -> None:
    """Add and flush. A CPR number saved by a colleague a moment ago (caught by the unique index,
    after apply_citizen_data's check) gives the same Danish message, not a server error."""
    cpr, own_id = citizen.cpr, citizen.id  # the savepoint's rollback expires them
    try:
        with db.session.begin_nested():
            db.session.add(citizen)
            db.session.flush()
    except IntegrityError:
        if cpr and (owner := cpr_owner(cpr, own_id)) is not None:
            raise DuplicateCprError(owner) from None
        raise


def likely_duplicates(citizen: Citizen) -> list[Citizen]:
    """Same first and last name with the same birth date: maybe the same person, and the user may
    answer "Opret alligevel". A CPR number is never shared (apply_citizen_data refuses it)."""
    conditions = []
    if citizen.birth_date:
        conditions.append(
            and_(
                Citizen.first_name_lower == citizen.first_name.lower(),
                func.lower(Citizen.last_name) == citizen.last_name.lower(),
                Citizen.birth_date == citizen.birth_date,
            )
        )
    if not conditions:
        return []
    query = select(Citizen).where(or_(*conditions)).order_by(Citizen.id).limit(10)
    if citizen.id is not None:
        query = query.where(Citizen.id != citizen.id)
    return list(db.session.scalars(query))


MAX_QUERY = 120


def find_citizens(query: str, limit: int = 20, *, include_restricted: bool = False) -> list[Citizen]:
    """By first name (prefix), phone or birth date. CPR numbers are searched with find_by_cpr.
    Citizens whose processing is restricted (GDPR art. 18) are left out, except for the leader's
    data-protection search (`include_restricted`)."""
    q = strip_control_characters(query or "").strip()  # a search keeps what it can read
    if not 2 <= len(q) <= MAX_QUERY:  # nobody's name, phone or birth date is longer
        return []
    birth = parse_birth_date(q)
    digits = re.sub(r"\D", "", q)
    if birth is not None:
        condition = Citizen.birth_date == birth
    elif digits and len(digits) >= 4 and len(digits) == len(re.sub(r"[\s+-]", "", q)):
        condition = Citizen.phone == digits[-8:] if len(digits) >= 8 else Citizen.phone.like(digits + "%")
    else:
        words = q.lower().split()
        condition = Citizen.first_name_lower.like(_escape_like(words[0]) + "%", escape="\\")
        if len(words) > 1:
            condition = and_(condition, func.lower(Citizen.last_name).like(_escape_like(words[-1]) + "%", escape="\\"))
    if not include_restricted:
        condition = and_(condition, Citizen.restricted_at.is_(None))
    return list(
        db.session.scalars(select(Citizen).where(condition).order_by(Citizen.first_name, Citizen.id).limit(limit))
    )


def find_by_cpr(text: str, today: date) -> list[Citizen]:
    try:
        digits = parse_cpr(text, today=today).digits
    except CprError as error:
        raise CitizenError(str(error), "cpr") from None
    return list(db.session.scalars(select(Citizen).where(Citizen.cpr_is(digits)).order_by(Citizen.id)))


def masked_search_terms(query: str) -> str:
    """What the audit log keeps of a search: never a full CPR number."""
    q = (query or "").strip()[:60]
    if looks_like_cpr(q):
        return "cpr " + mask_cpr(re.sub(r"\D", "", q))
    return "søgning " + re.sub(r"\d{6}[- ]?\d{4}", lambda m: mask_cpr(re.sub(r"\D", "", m.group())), q)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def parse_birth_date(text: str) -> date | None:
    m = re.fullmatch(r"(\d{1,2})[.\-/ ](\d{1,2})[.\-/ ](\d{4})", text.strip())
    if m:
        d, mth, y = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{2})(\d{2})(\d{2})", text.strip())
        if not m:
            return None
        d, mth, yy = (int(g) for g in m.groups())
        y = 2000 + yy if 2000 + yy <= date.today().year else 1900 + yy
    try:
        return date(y, mth, d)
    except ValueError:
        return None


def add_relative(citizen: Citizen, name: str, relation: str, phone: str) -> Relative:
    if not name.strip():
        raise CitizenError("Skriv den pårørendes navn.", "name")
    relative = Relative(
        citizen_id=citizen.id,
        name=name.strip()[:120],
        relation=relation.strip()[:60] or None,
        phone=normalise_phone(phone),
    )
    db.session.add(relative)
    db.session.flush()
    return relative
