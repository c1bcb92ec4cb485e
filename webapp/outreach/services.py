"""Outreach requests (udekørende funktion): record, assign, visit, close, tell the partner.

The flow and the 5-working-day rule are in rules.py; this module applies them to rows. Plain
functions that flush and never commit."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from .. import versioning
from ..board import Slot, SlotItem, board_slot
from ..citizens.models import Citizen, citizen_in_use
from ..extensions import db
from ..timeutil import format_date, utcnow
from ..welcome.vocab import PARTNERS
from . import rules
from .models import URGENCIES, OutreachRequest, OutreachVisit

OUTREACH_ACTIVITY = "udadgående funktion"  # the activity the hours count under (Bilag 6)


class OutreachError(ValueError):
    """Input the flow cannot take; `errors` maps field names to Danish messages."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


# --- reading -------------------------------------------------------------------------------------


def last_action_on(request: OutreachRequest, as_of: date | None = None) -> date:
    """The latest action up to `as_of` (the received date, the assignment, visits)."""
    visits = [v.visit_date for v in request.visits if as_of is None or v.visit_date <= as_of]
    assigned = request.assigned_on if request.assigned_on and (as_of is None or request.assigned_on <= as_of) else None
    return rules.last_action_date(request.received_on, assigned, visits)


def is_closed_on(request: OutreachRequest, day: date) -> bool:
    return request.closed_on is not None and request.closed_on <= day


def overdue_since(request: OutreachRequest, today: date) -> date | None:
    return rules.overdue_since(
        request.received_on, last_action_on(request, today), is_closed_on(request, today), today
    )


def is_overdue(request: OutreachRequest, today: date) -> bool:
    return rules.is_overdue(request.received_on, last_action_on(request, today), is_closed_on(request, today), today)


def action_due_by(request: OutreachRequest, today: date) -> date:
    return rules.action_due_by(request.received_on, last_action_on(request, today))


def open_requests(as_of: date) -> list[OutreachRequest]:
    """Requests received by `as_of` and not closed by then, oldest first, visits loaded."""
    from sqlalchemy import or_
    from sqlalchemy.orm import joinedload, selectinload

    return list(
        db.session.scalars(
            select(OutreachRequest)
            .where(
                OutreachRequest.received_on <= as_of,
                or_(OutreachRequest.state != "afsluttet", OutreachRequest.closed_on > as_of),
                citizen_in_use(OutreachRequest.citizen_id),
            )
            .options(selectinload(OutreachRequest.visits), joinedload(OutreachRequest.citizen),
                     joinedload(OutreachRequest.assigned_to))
            .order_by(OutreachRequest.received_on, OutreachRequest.id)
        )
    )


def recently_closed(limit: int = 30) -> list[OutreachRequest]:
    return list(
        db.session.scalars(
            select(OutreachRequest)
            .where(OutreachRequest.state == "afsluttet", citizen_in_use(OutreachRequest.citizen_id))
            .order_by(OutreachRequest.closed_on.desc(), OutreachRequest.id.desc())
            .limit(limit)
        )
    )


def requests_for_citizen(citizen_id: int) -> list[OutreachRequest]:
    return list(
        db.session.scalars(
            select(OutreachRequest)
            .where(OutreachRequest.citizen_id == citizen_id)
            .order_by(OutreachRequest.received_on.desc())
        )
    )


def outreach_minutes(citizen_id: int) -> int:
    """All outreach visit minutes with this citizen (activity "udadgående funktion", Bilag 6)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(OutreachVisit.duration_minutes), 0))
        .join(OutreachRequest, OutreachVisit.request_id == OutreachRequest.id)
        .where(OutreachRequest.citizen_id == citizen_id)
    )
    return int(total or 0)


def visits_between(citizen_id: int, start: date, end: date) -> list[OutreachVisit]:
    return list(
        db.session.scalars(
            select(OutreachVisit)
            .join(OutreachRequest, OutreachVisit.request_id == OutreachRequest.id)
            .where(
                OutreachRequest.citizen_id == citizen_id,
                OutreachVisit.visit_date >= start,
                OutreachVisit.visit_date <= end,
            )
            .order_by(OutreachVisit.visit_date)
        )
    )


# --- changing ------------------------------------------------------------------------------------


@dataclass
class NewRequest:
    partner_code: str
    contact_person: str
    reason: str
    received_on: date
    urgency: str = "almindelig"
    partner_name: str | None = None
    contact_phone: str | None = None
    partner_reference: str | None = None
    citizen_id: int | None = None
    citizen_first_name: str | None = None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def create_request(data: NewRequest, user, today: date) -> OutreachRequest:
    errors = {}
    if data.partner_code not in PARTNERS:
        errors["partner_code"] = "Vælg samarbejdspartneren."
    if data.urgency not in URGENCIES:
        errors["urgency"] = "Vælg, hvor meget det haster."
    if data.received_on > today:
        errors["received_on"] = "Datoen kan ikke ligge i fremtiden."
    if data.citizen_id is None and not _clean(data.citizen_first_name):
        errors["citizen_first_name"] = "Skriv borgerens fornavn (eller vælg en registreret borger)."
    if data.citizen_id is not None and db.session.get(Citizen, data.citizen_id) is None:
        errors["citizen_id"] = "Borgeren findes ikke."
    if errors:
        raise OutreachError("Anmodningen er ikke gemt.", errors)
    request = OutreachRequest(
        received_on=data.received_on,
        state="modtaget",
        partner_code=data.partner_code,
        partner_name=_clean(data.partner_name),
        contact_person=data.contact_person.strip(),
        contact_phone=_clean(data.contact_phone),
        partner_reference=_clean(data.partner_reference),
        citizen_id=data.citizen_id,
        citizen_first_name=_clean(data.citizen_first_name),
        reason=data.reason.strip(),
        urgency=data.urgency,
        last_action_on=data.received_on,
        created_at=utcnow(),
        created_by_id=user.id,
    )
    db.session.add(request)
    db.session.flush()
    return request


def _move(request: OutreachRequest, action: str, outcome: str | None = None) -> str:
    try:
        return rules.next_state(request.state, action, outcome)
    except rules.IllegalTransition as error:
        raise OutreachError(str(error)) from None


def assign(request: OutreachRequest, staff, today: date, saved_by=None) -> None:
    request.state = _move(request, "assign")
    request.assigned_to_id = staff.id
    request.assigned_on = today
    request.last_action_on = max(request.last_action_on, today)
    versioning.saved(request, saved_by)
    db.session.flush()


def add_visit(
    request: OutreachRequest, visit_date: date | None, minutes: int | None, what_happened: str | None, user, today: date
) -> OutreachVisit:
    new_state = _move(request, "visit")
    errors = rules.validate_visit(request.received_on, visit_date, minutes, today)
    if errors:
        raise OutreachError("Besøget er ikke gemt.", errors)
    visit = OutreachVisit(
        request_id=request.id,
        visit_date=visit_date,
        duration_minutes=minutes,
        what_happened=_clean(what_happened),
        staff_id=user.id,
        created_at=utcnow(),
    )
    db.session.add(visit)
    request.visits.append(visit)
    request.state = new_state
    request.last_action_on = max(request.last_action_on, visit_date)
    versioning.saved(request, user)
    db.session.flush()
    return visit


def close(request: OutreachRequest, outcome: str | None, note: str | None, user, today: date) -> None:
    request.state = _move(request, "close", outcome or None)
    request.outcome = outcome
    request.closing_note = _clean(note)
    request.closed_on = today
    request.closed_by_id = user.id
    request.last_action_on = max(request.last_action_on, today)
    versioning.saved(request, user)
    db.session.flush()


def link_citizen(request: OutreachRequest, citizen: Citizen, saved_by=None) -> None:
    """Link the registered citizen – once: a request someone has linked meanwhile stays as it is."""
    if request.citizen_id is not None and request.citizen_id != citizen.id:
        raise OutreachError("En anden har koblet anmodningen til en borger, mens du søgte – intet er ændret.")
    request.citizen_id = citizen.id
    request.citizen = citizen
    versioning.saved(request, saved_by)
    db.session.flush()


def inform_partner(request: OutreachRequest, user, today: date, now: datetime | None = None):
    """Tell the partner the outcome – only when closed and the citizen has consented (or a legal
    basis is recorded) for that partner. Returns the consent (the caller audits the disclosure)."""
    from ..handover.consents import require_consent

    if not request.is_closed:
        raise OutreachError("Partneren kan først få besked om udfaldet, når anmodningen er afsluttet.")
    consent = require_consent(request.citizen_id, request.partner_code, today, "Udfaldet")
    request.partner_informed_at = now or utcnow()
    request.partner_informed_by_id = user.id
    request.partner_informed_consent_id = consent.id
    versioning.saved(request, user)
    db.session.flush()
    return consent


def partner_label(request: OutreachRequest) -> str:
    label = PARTNERS.get(request.partner_code, request.partner_code)
    return f"{label} ({request.partner_name})" if request.partner_name else label


# --- the day board -------------------------------------------------------------------------------


@board_slot
def board_items(day: date) -> Slot:
    """Open requests, overdue first and in red: first names only."""
    items = []
    for request in open_requests(day):
        overdue = is_overdue(request, day)
        who = request.assigned_to.first_name if request.assigned_to else "ingen tildelt"
        text = (
            f"{request.first_name} ({PARTNERS.get(request.partner_code, request.partner_code)}) – "
            f"{request.state_label.lower()}, modtaget {format_date(request.received_on)}, {who}"
        )
        if request.urgency == "haster":
            text += " – haster"
        # The welcome table: the name only – never the partner, who may be psychiatry.
        name = request.citizen.discreet_name if request.citizen is not None else request.first_name
        items.append((not overdue, request.received_on,
                      SlotItem(text, urgent=overdue, citizen_id=request.citizen_id, discreet=name)))
    items.sort(key=lambda row: (row[0], row[1]))
    # Folded on the tablet: the heading alone ties each name to an outreach request.
    return Slot("Udekørende funktion", [item for *_, item in items], noun=("anmodning", "anmodninger"))
