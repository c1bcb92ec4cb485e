"""Welcome-table rules: one-tap contacts, refining, undo, host duty and the day board."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import live

# The board's slot registry lives in the core (webapp.board); re-exported for the old import path.
from ..board import BOARD_SLOT_LIMIT, BOARD_SLOT_PROVIDERS, Slot, SlotItem, board_slot, board_slots  # noqa: F401
from ..citizens.hooks import citizen_history
from ..citizens.models import Citizen, GuideConversation, citizen_in_use
from ..citizens.services import CitizenData, CitizenError, TimelineEntry, apply_citizen_data
from ..extensions import db
from ..timeutil import LOCAL_TZ, as_utc, day_bounds, local, utcnow
from . import vocab
from .models import Contact, HostDuty

UNDO_WINDOW = timedelta(minutes=2)
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
BOARD_TIMELINE_LIMIT = 40


class ContactError(ValueError):
    """Input the welcome table cannot take; the message is Danish and shown as is."""


# --- logging -------------------------------------------------------------------------------------


def log_contact(user, kind: str, tap_token: str, now: datetime | None = None) -> tuple[Contact, bool]:
    """Store a tap at once with sensible defaults. The same token twice returns the first contact
    (a double tap or a retried request) and `created` is False."""
    if kind not in vocab.KINDS:
        raise ContactError("Ukendt type henvendelse.")
    if not tap_token or not TOKEN_RE.match(tap_token):
        raise ContactError("Trykket kunne ikke genkendes. Genindlæs siden, og tryk igen.")
    existing = db.session.scalar(select(Contact).where(Contact.tap_token == tap_token))
    if existing is not None:
        return existing, False
    now = now or utcnow()
    contact = Contact(
        occurred_at=now,
        local_date=local(now).date(),
        kind=kind,
        channel=vocab.KIND_CHANNEL[kind],
        from_type="borger",
        is_ad_hoc=kind == "ad_hoc",
        logged_by_id=user.id,
        tap_token=tap_token,
        created_at=now,
    )
    try:
        with db.session.begin_nested():  # the same tap may arrive twice at once (a retried request)
            db.session.add(contact)
    except IntegrityError:
        existing = db.session.scalar(select(Contact).where(Contact.tap_token == tap_token))
        if existing is None:
            raise
        return existing, False
    return contact, True


def live_contact(contact_id: int) -> Contact | None:
    contact = db.session.get(Contact, contact_id)
    return None if contact is None or contact.deleted_at is not None else contact


@dataclass
class Refinement:
    """What a refine request may change; None means 'leave as is'."""

    from_type: str | None = None
    partner: str | None = None
    toggle_topic: str | None = None
    outcome: str | None = None
    duration_minutes: str | None = None
    note: str | None = None
    booked_date: str | None = None
    booked_time: str | None = None
    channel: str | None = None


def refine_contact(contact: Contact, change: Refinement, user, now: datetime | None = None) -> None:
    """Apply optional details after the tap. Raises ContactError (Danish) and changes nothing
    when any part is invalid."""
    now = now or utcnow()
    updates: dict = {}
    if change.from_type is not None:
        if change.from_type not in vocab.FROM_TYPES:
            raise ContactError("Ukendt afsender – vælg borger, pårørende eller samarbejdspartner.")
        updates["from_type"] = change.from_type
        if change.from_type != "samarbejdspartner":
            updates["partner"] = None
    if change.partner is not None:
        if change.partner not in vocab.PARTNERS:
            raise ContactError("Ukendt samarbejdspartner.")
        updates["partner"] = change.partner
        updates["from_type"] = "samarbejdspartner"
    if change.channel is not None:
        if change.channel not in vocab.CHANNELS:
            raise ContactError("Ukendt kanal.")
        updates["channel"] = change.channel
    if change.toggle_topic is not None:
        if change.toggle_topic not in vocab.TOPICS:
            raise ContactError("Ukendt emne.")
        topics = contact.topic_list
        if change.toggle_topic in topics:
            topics.remove(change.toggle_topic)
        else:
            topics.append(change.toggle_topic)
        updates["topics"] = ",".join(t for t in vocab.TOPICS if t in topics)
    if change.outcome is not None:
        if change.outcome not in vocab.OUTCOMES:
            raise ContactError("Ukendt resultat.")
        updates["outcome"] = change.outcome
    if change.duration_minutes is not None:
        updates["duration_minutes"] = parse_duration(change.duration_minutes)
    if change.note is not None:
        note = change.note.strip()
        if len(note) > vocab.MAX_NOTE_LENGTH:
            raise ContactError(f"Noten må højst være {vocab.MAX_NOTE_LENGTH} tegn.")
        updates["note"] = note or None
    booking_at = None
    if change.booked_date is not None or change.booked_time is not None:
        booking_at = parse_booking(change.booked_date or "", change.booked_time or "", now)
        updates["outcome"] = "guidesamtale_booket"
        updates["booked_for"] = booking_at

    for name, value in updates.items():
        setattr(contact, name, value)
    if booking_at is not None:
        _book_guide_conversation(contact, booking_at, user)
    db.session.flush()


def parse_duration(text: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"-?\d{1,6}", text):
        raise ContactError("Varighed skal være et helt antal minutter, fx 15.")
    minutes = int(text)
    if minutes < 0 or minutes > vocab.MAX_DURATION_MINUTES:
        raise ContactError(f"Varighed skal være mellem 0 og {vocab.MAX_DURATION_MINUTES} minutter.")
    return minutes


def parse_booking(day_text: str, time_text: str, now: datetime) -> datetime:
    try:
        day = date.fromisoformat(day_text.strip())
        hour, minute = (int(p) for p in time_text.strip().split(":")[:2])
        at = datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)
    except (ValueError, TypeError):
        raise ContactError("Skriv dato og klokkeslæt for guidesamtalen, fx 2026-12-01 og 10:00.") from None
    if at < now.astimezone(LOCAL_TZ):
        raise ContactError("Guidesamtalen kan ikke bookes i fortiden.")
    if at > now.astimezone(LOCAL_TZ) + timedelta(days=366):
        raise ContactError("Guidesamtalen kan højst bookes et år frem.")
    return as_utc(at)


def _book_guide_conversation(contact: Contact, at: datetime, user) -> None:
    booking = db.session.scalar(select(GuideConversation).where(GuideConversation.contact_id == contact.id))
    if booking is None:
        booking = GuideConversation(contact_id=contact.id, created_by_id=user.id)
        db.session.add(booking)
    booking.scheduled_at = at
    booking.citizen_id = contact.citizen_id


def link_citizen(contact: Contact, citizen: Citizen | None) -> None:
    contact.citizen_id = citizen.id if citizen else None
    booking = db.session.scalar(select(GuideConversation).where(GuideConversation.contact_id == contact.id))
    if booking is not None:
        booking.citizen_id = contact.citizen_id
    db.session.flush()


def _undo_window_filter(user, window: timedelta, now: datetime):
    # Bounded on both sides: a contact stamped later than now (demo data, a clock step) is never
    # the user's tap, however recent it looks.
    return and_(
        Contact.logged_by_id == user.id,
        Contact.deleted_at.is_(None),
        Contact.created_at >= now - window,
        Contact.created_at <= now,
    )


def undo_tap(user, tap_token: str, window: timedelta = UNDO_WINDOW, now: datetime | None = None) -> Contact | None:
    """Remove exactly the contact logged by this tap, and only when it is the user's own and was
    logged within the window. None (and nothing removed) otherwise."""
    now = now or utcnow()
    if not tap_token or not TOKEN_RE.match(tap_token):
        return None
    contact = db.session.scalar(
        select(Contact).where(Contact.tap_token == tap_token, _undo_window_filter(user, window, now))
    )
    if contact is None:
        return None
    contact.deleted_at = now
    db.session.execute(
        GuideConversation.__table__.delete().where(GuideConversation.contact_id == contact.id)
    )
    live.bump()  # a bulk DELETE bypasses the flush that marks the transaction
    db.session.flush()
    return contact


def undoable_contact(user, window: timedelta = UNDO_WINDOW, now: datetime | None = None) -> Contact | None:
    """The user's own newest tap that may still be undone; its token goes on the undo button."""
    now = now or utcnow()
    return db.session.scalar(
        select(Contact)
        .where(_undo_window_filter(user, window, now), Contact.tap_token.is_not(None))
        .order_by(Contact.created_at.desc(), Contact.id.desc())
        .limit(1)
    )


# --- the citizen page ---------------------------------------------------------------------------


@citizen_history
def recent_contacts(citizen: Citizen) -> list[TimelineEntry]:
    """The citizen's ten newest contacts, for the citizen page's "recent" list."""
    contacts = db.session.scalars(
        select(Contact)
        .where(Contact.citizen_id == citizen.id, Contact.deleted_at.is_(None))
        .order_by(Contact.occurred_at.desc())
        .limit(10)
    )
    return [TimelineEntry(c.occurred_at, c.kind_label, c.from_label) for c in contacts]


# --- citizens for linking ------------------------------------------------------------------------


def create_citizen_quick(first_name: str, last_name: str, phone: str, user) -> Citizen:
    first = (first_name or "").strip()
    if not first:
        raise ContactError("Skriv mindst borgerens fornavn.")
    if len(first) > 80 or len(last_name or "") > 120:
        raise ContactError("Navnet er for langt.")
    citizen = Citizen(created_by_id=user.id)
    try:  # the register's own rules for names and phone numbers
        apply_citizen_data(citizen, CitizenData(first_name=first, last_name=last_name or "", phone=phone or ""),
                           local(utcnow()).date())
    except CitizenError as error:
        raise ContactError(str(error)) from None
    db.session.add(citizen)
    db.session.flush()
    return citizen


# --- host duty -----------------------------------------------------------------------------------


def hosts_on(day: date) -> list:
    rows = db.session.scalars(select(HostDuty).where(HostDuty.duty_date == day).order_by(HostDuty.id))
    return [row.user for row in rows]


def toggle_host(day: date, user_id: int) -> bool:
    """Add or remove a host for the day; True when the user is now on duty."""
    row = db.session.scalar(select(HostDuty).where(HostDuty.duty_date == day, HostDuty.user_id == user_id))
    if row is not None:
        db.session.delete(row)
        on_duty = False
    else:
        db.session.add(HostDuty(duty_date=day, user_id=user_id))
        on_duty = True
    db.session.flush()
    return on_duty


# --- the day board -------------------------------------------------------------------------------

@dataclass
class Counters:
    visits: int = 0
    calls: int = 0
    ad_hoc: int = 0
    total: int = 0
    by_from: dict[str, int] = field(default_factory=lambda: dict.fromkeys(vocab.FROM_TYPES, 0))


@dataclass
class Board:
    day: date
    version: int
    counters: Counters
    timeline: list[Contact]
    more: int
    bookings: list[GuideConversation]
    hosts: list
    slots: dict[str, Slot] = field(default_factory=dict)  # heading → Slot: follow-ups, groups, outreach …

    def named_citizens(self, slot_limit: int = BOARD_SLOT_LIMIT) -> list[int]:
        """The citizens this board shows by initials or first name (for the audit log)."""
        return [
            *(c.citizen_id for c in self.timeline),
            *(b.citizen_id for b in self.bookings),
            *(i.citizen_id for slot in self.slots.values() for i in slot.items[:slot_limit]),
        ]


def live_filter(day: date):
    return and_(Contact.local_date == day, Contact.deleted_at.is_(None))


def day_counters(day: date) -> Counters:
    rows = db.session.execute(
        select(Contact.kind, Contact.from_type, func.count()).where(live_filter(day)).group_by(
            Contact.kind, Contact.from_type
        )
    ).all()
    counters = Counters()
    for kind, from_type, n in rows:
        counters.total += n
        if kind == "visit":
            counters.visits += n
        elif kind == "phone":
            counters.calls += n
        else:
            counters.ad_hoc += n
        counters.by_from[from_type] = counters.by_from.get(from_type, 0) + n
    return counters


def board(day: date, version: int | None = None) -> Board:
    version = live.version() if version is None else version
    counters = day_counters(day)
    timeline = list(
        db.session.scalars(
            with_people(select(Contact))
            .where(live_filter(day), citizen_in_use(Contact.citizen_id))
            .order_by(Contact.occurred_at.desc(), Contact.id.desc())
            .limit(BOARD_TIMELINE_LIMIT)
        )
    )
    start, end = day_bounds(day)
    bookings = list(
        db.session.scalars(
            select(GuideConversation)
            .options(selectinload(GuideConversation.citizen))
            .where(GuideConversation.scheduled_at >= start, GuideConversation.scheduled_at < end,
                   citizen_in_use(GuideConversation.citizen_id))
            .order_by(GuideConversation.scheduled_at)
        )
    )
    return Board(
        day=day,
        version=version,
        counters=counters,
        timeline=timeline,
        more=max(0, counters.total - len(timeline)),
        bookings=bookings,
        hosts=hosts_on(day),
        slots=board_slots(day, version),
    )


def with_people(query):
    """Load the linked citizens and loggers of a list of contacts in two queries, not one per row."""
    return query.options(selectinload(Contact.citizen), selectinload(Contact.logged_by))
