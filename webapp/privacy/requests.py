"""Registering a citizen's request, the leader's list, and recording an insight's delivery.

Services flush, never commit (the route commits once). Every rule that refuses says why in Danish."""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select

from ..extensions import db
from ..timeutil import LOCAL_TZ, as_utc, format_date, local, utcnow
from .deadlines import days_left, deadline
from .models import INSIGHT, REQUEST_KINDS, PrivacyRequest

RECENTLY_CLOSED = 20  # closed requests shown under the open ones

DELIVERY_WAYS = {
    "personligt": "Udleveret personligt",
    "digital_post": "Digital Post",
    "post": "Sendt med post",
    "sikker_mail": "Sendt med sikker e-mail",
}


class RequestError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


MSG_ERASED = "Borgerens oplysninger er slettet. Der kan ikke registreres en ny anmodning."
MSG_FUTURE = "Datoen ligger i fremtiden. Skriv den dag, anmodningen blev modtaget."
MSG_BEFORE_CITIZEN = "Datoen ligger før borgeren blev oprettet i Din Indgang ({day}). Tjek datoen."
MSG_KIND = "Vælg, hvad borgeren beder om."
MSG_NOT_INSIGHT = "Kun en anmodning om indsigt udleveres."
MSG_CLOSED = "Anmodningen er allerede afsluttet."
MSG_DELIVERED_BEFORE = "Udleveringen kan ikke ligge før anmodningen blev modtaget ({day})."
MSG_DELIVERED_FUTURE = "Udleveringsdatoen ligger i fremtiden."
MSG_WAY = "Vælg, hvordan indsigten blev udleveret."


@dataclass(frozen=True)
class NewRequest:
    kind: str
    received_on: date
    requested_by: str
    identified_by: str
    scope: str | None


def known_since(citizen) -> date | None:
    """The first day the unit knew the citizen: the record's creation, or an earlier course or
    contact (records moved in from paper or an older system are created after their history)."""
    from ..citizens.models import Course
    from ..welcome.models import Contact

    days = [local(citizen.created_at).date()] if citizen.created_at else []
    days += [d for d in (
        db.session.scalar(select(func.min(Course.start_date)).where(Course.citizen_id == citizen.id)),
        db.session.scalar(select(func.min(Contact.local_date)).where(Contact.citizen_id == citizen.id)),
    ) if d is not None]
    return min(days, default=None)


def register(citizen, data: NewRequest, today: date, user) -> PrivacyRequest:
    """A new request for `citizen` (flushed, not committed)."""
    if citizen.erased_at is not None:
        raise RequestError(MSG_ERASED)
    if data.kind not in REQUEST_KINDS:
        raise RequestError(MSG_KIND, "kind")
    if data.received_on > today:
        raise RequestError(MSG_FUTURE, "received_on")
    created = known_since(citizen)
    if created is not None and data.received_on < created:
        raise RequestError(MSG_BEFORE_CITIZEN.format(day=format_date(created)), "received_on")
    request = PrivacyRequest(
        citizen_id=citizen.id,
        kind=data.kind,
        received_on=data.received_on,
        requested_by=data.requested_by.strip()[:120],
        identified_by=data.identified_by.strip()[:200],
        scope=(data.scope or "").strip() or None,
        registered_by_id=getattr(user, "id", None),
    )
    db.session.add(request)
    db.session.flush()
    return request


def record_delivery(request: PrivacyRequest, delivered_on: date, way: str, today: date) -> None:
    """The insight package was handed over: the request leaves the leader's open list."""
    if request.kind != INSIGHT:
        raise RequestError(MSG_NOT_INSIGHT)
    if request.closed_at is not None:
        raise RequestError(MSG_CLOSED)
    if way not in DELIVERY_WAYS:
        raise RequestError(MSG_WAY, "way")
    if delivered_on > today:
        raise RequestError(MSG_DELIVERED_FUTURE, "delivered_on")
    if delivered_on < request.received_on:
        raise RequestError(MSG_DELIVERED_BEFORE.format(day=format_date(request.received_on)), "delivered_on")
    request.delivered_how = DELIVERY_WAYS[way]
    request.carried_out_at = as_utc(datetime.combine(delivered_on, time(12, 0), tzinfo=LOCAL_TZ))
    request.closed_at = utcnow()
    db.session.flush()


@dataclass(frozen=True)
class ListRow:
    request: PrivacyRequest
    deadline: date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.request.is_open and self.days_left < 0


def open_requests(today: date) -> list[ListRow]:
    """Open requests of every kind, oldest first, with their art. 12(3) deadline."""
    statement = (select(PrivacyRequest).where(PrivacyRequest.closed_at.is_(None))
                 .order_by(PrivacyRequest.received_on, PrivacyRequest.id))
    return [ListRow(r, deadline(r.received_on), days_left(r.received_on, today))
            for r in db.session.scalars(statement)]


def recently_closed(today: date, limit: int = RECENTLY_CLOSED) -> list[ListRow]:
    statement = (select(PrivacyRequest).where(PrivacyRequest.closed_at.is_not(None))
                 .order_by(PrivacyRequest.closed_at.desc(), PrivacyRequest.id.desc()).limit(limit))
    return [ListRow(r, deadline(r.received_on), days_left(r.received_on, today))
            for r in db.session.scalars(statement)]


def for_citizen(citizen_id: int) -> list[PrivacyRequest]:
    statement = (select(PrivacyRequest).where(PrivacyRequest.citizen_id == citizen_id)
                 .order_by(PrivacyRequest.received_on.desc(), PrivacyRequest.id.desc()))
    return list(db.session.scalars(statement))
