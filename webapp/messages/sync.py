"""Reminders follow their bookings, in the same transaction as the booking, whatever code path books.

Every flush that adds, changes or deletes a guide conversation, a meeting, a group meeting, a
group enrolment or run, or a citizen's contact details, consent or opt-out records what it touched
in the session (`after_flush`); just before the transaction commits (`live.before_counters`, after
its last flush) the pending reminders of exactly those bookings are reconciled: missing ones
inserted, moved ones given their new time and text, obsolete ones cancelled. Rows already handed
to a provider (sendt, sender, uvis) or given up (fejlet) are never touched. A rollback writes
nothing. Bulk INSERT/UPDATE statements bypass the flush: whoever issues one on these tables and
wants reminders calls `touch(session, source, id)` / `resync_citizen`."""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import event, false, inspect, select
from sqlalchemy.orm import Session

from .. import live
from ..citizens.models import Citizen, GuideConversation, Meeting
from ..groups import vocab as group_vocab
from ..groups.models import GroupEnrolment, GroupMeeting, GroupRun
from ..timeutil import as_utc, local, utcnow
from . import schedule
from .models import CANCELLED, CHANGEABLE, WAITING, OutboxMessage

# The meetings of a course that the citizen is reminded of ("kickoff": the volunteer coordinator's
# kick-off meeting, #12 item 4). Relatives' conversations, network meetings and NADA are not.
REMINDED_MEETING_KINDS = frozenset({"opfoelgning", "coaching", "kickoff"})
BOOKED_GUIDE = "booket"
PLANNED_MEETING = "planlagt"

PENDING = "outbox_touched"
# What a change to a citizen can change about their reminders.
CITIZEN_FIELDS = ("first_name", "phone", "email", "contact_preference", "contact_consent", "reminders_off")


# --- collecting what a flush touched --------------------------------------------------------------


def touch(session, kind: str, object_id: int | None) -> None:
    """Reconcile the reminders of this object before the transaction commits. kind: guide,
    meeting, group_meeting, run or citizen."""
    if object_id is not None:
        session.info.setdefault(PENDING, set()).add((kind, object_id))


def _citizen_changed(obj: Citizen) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in CITIZEN_FIELDS)


@event.listens_for(Session, "after_flush")
def _collect(session, _flush_context):
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, OutboxMessage):
            continue
        dirty = obj not in session.new and obj not in session.deleted
        if dirty and not session.is_modified(obj, include_collections=False):
            continue
        if isinstance(obj, GuideConversation):
            touch(session, "guide", obj.id)
        elif isinstance(obj, Meeting):
            touch(session, "meeting", obj.id)
        elif isinstance(obj, GroupMeeting):
            touch(session, "group_meeting", obj.id)
        elif isinstance(obj, GroupEnrolment):
            touch(session, "run", obj.run_id)
        elif isinstance(obj, GroupRun) and dirty:
            touch(session, "run", obj.id)
        elif isinstance(obj, Citizen) and dirty and _citizen_changed(obj):
            touch(session, "citizen", obj.id)


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction):
    if transaction.parent is None:
        session.info.pop(PENDING, None)


# --- the settings and the event a reminder is about -----------------------------------------------


@dataclass(frozen=True)
class Settings:
    hour: int
    two_hours_before: bool
    unit_place: str
    unit_phone: str
    sender_name: str

    @classmethod
    def from_config(cls, config) -> "Settings":
        return cls(
            hour=config["REMINDER_HOUR"],
            two_hours_before=config["REMINDER_TWO_HOURS_BEFORE"],
            unit_place=f"{config['UNIT_NAME']}, {config['UNIT_ADDRESS']}",
            unit_phone=config["UNIT_PHONE"],
            sender_name=config["MESSAGE_SENDER_NAME"].strip(),
        )


@dataclass
class Event:
    at: datetime
    place: str
    participants: list


def _event(session, source: str, source_id: int, settings: Settings) -> Event | None:
    """The booking as it stands now, or None when nothing is to be reminded of."""
    if source == "guide":
        gc = session.get(GuideConversation, source_id)
        if gc is None or gc.status != BOOKED_GUIDE or gc.citizen_id is None:
            return None
        return Event(as_utc(gc.scheduled_at), settings.unit_place, [gc.citizen])
    if source == "meeting":
        m = session.get(Meeting, source_id)
        if m is None or m.status != PLANNED_MEETING or m.kind not in REMINDED_MEETING_KINDS:
            return None
        return Event(as_utc(m.starts_at), settings.unit_place, [m.citizen])
    if source == "group_meeting":
        gm = session.get(GroupMeeting, source_id)
        if gm is None or gm.cancelled:
            return None
        run = session.get(GroupRun, gm.run_id)
        day = local(gm.starts_at).date()
        enrolments = session.scalars(select(GroupEnrolment).where(GroupEnrolment.run_id == gm.run_id))
        place = settings.unit_place if run.place == "din_indgang" else group_vocab.PLACES.get(run.place, run.place)
        return Event(as_utc(gm.starts_at), place, [e.citizen for e in enrolments if e.active_on(day)])
    return None


# --- reconciling -----------------------------------------------------------------------------------


def _key(source: str, source_id: int, citizen_id: int, offset: str) -> str:
    return f"r:{source}:{source_id}:{citizen_id}:{offset}"


def _cancel(row: OutboxMessage, reason: str, now: datetime) -> None:
    row.status = CANCELLED
    row.cancelled_at = now
    row.cancel_reason = reason
    row.lease_token = None


def cancel_pending(session, citizen_id: int, reason: str, now: datetime) -> int:
    """Cancel every waiting reminder of one citizen (erasure, restriction); returns how many."""
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.citizen_id == citizen_id,
                                                       OutboxMessage.status == WAITING)).all()
    for row in rows:
        _cancel(row, reason, now)
    return len(rows)


def _set(row: OutboxMessage, **values) -> None:
    """Assign only what differs, so an unchanged reminder is not written again."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def reconcile(session, source: str, source_id: int, now: datetime, settings: Settings) -> None:
    """Make the pending reminders of one booking what the booking wants now."""
    booking = _event(session, source, source_id, settings)
    wanted: dict[tuple[int, str], tuple] = {}
    reasons: dict[int, str] = {}
    all_reason = schedule.EVENT_GONE if booking is None else None
    if booking is not None and booking.at <= now:
        all_reason = schedule.TOO_LATE
    for citizen in booking.participants if booking is not None and all_reason is None else ():
        if citizen.restricted_at is not None:  # GDPR art. 18: no new processing (cancelled when restricted)
            reasons[citizen.id] = schedule.RESTRICTED
            continue
        recipient = schedule.recipient_for(citizen.contact_preference, citizen.contact_consent,
                                           citizen.reminders_off, citizen.phone, citizen.email)
        if isinstance(recipient, str):
            reasons[citizen.id] = recipient
            continue
        text = schedule.reminder_text(citizen.first_name, booking.at, booking.place, settings.unit_phone,
                                      settings.sender_name)
        dues = schedule.due_times(booking.at, now, settings.hour, settings.two_hours_before)
        if not dues:
            reasons[citizen.id] = schedule.TOO_LATE
        for offset, due in dues.items():
            wanted[(citizen.id, offset)] = (due, recipient, text)
    participants = {c.id for c in booking.participants} if booking is not None else set()

    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.source == source, OutboxMessage.source_id == source_id)
        .order_by(OutboxMessage.id)
    ).all()
    # A reminder for this very time already handed over (or given up): never a second one.
    handed_over = {(r.citizen_id, r.offset) for r in rows
                   if r.status not in CHANGEABLE and booking is not None and as_utc(r.event_at) == booking.at}
    for key in handed_over & set(wanted):
        del wanted[key]
    # Waiting rows first: of two changeable rows for one reminder, the waiting one is kept.
    rows = sorted(rows, key=lambda r: (r.status != WAITING, r.id))
    assigned: dict[tuple[int, str], OutboxMessage] = {}
    for row in rows:
        key = (row.citizen_id, row.offset)
        if row.status in CHANGEABLE and key in wanted and key not in assigned:
            assigned[key] = row
        elif row.status == WAITING:
            reason = (all_reason or reasons.get(row.citizen_id)
                      or (schedule.ALREADY_SENT if key in handed_over else None)
                      or (schedule.NOT_PARTICIPANT if row.citizen_id not in participants else schedule.TOO_LATE))
            _cancel(row, reason, now)
    for key, (due, recipient, text) in wanted.items():
        citizen_id, offset = key
        row = assigned.get(key)
        content = {"channel": recipient.channel, "recipient": recipient.address, "subject": text.subject,
                   "body": text.body}
        if row is not None:
            moved = row.status != WAITING or as_utc(row.event_at) != booking.at or (
                due > now and as_utc(row.due_at) != due)
            if moved:  # a new time (or revived): the old reminder time is never used
                _set(row, status=WAITING, event_at=booking.at, due_at=due, next_attempt_at=due, attempts=0,
                     last_error=None, cancelled_at=None, cancel_reason=None, lease_token=None, lease_until=None)
            _set(row, **content)
            continue
        base = _key(source, source_id, citizen_id, offset)
        used = {r.idempotency_key for r in rows}
        idempotency_key = base if base not in used else f"{base}:{local(booking.at):%Y%m%d%H%M}"
        session.add(OutboxMessage(
            idempotency_key=idempotency_key, citizen_id=citizen_id, source=source, source_id=source_id,
            offset=offset, event_at=booking.at, due_at=due, next_attempt_at=due, status=WAITING, attempts=0,
            created_at=now, **content,
        ))


def _events_of(session, kind: str, object_id: int, now: datetime) -> set[tuple[str, int]]:
    if kind in ("guide", "meeting", "group_meeting"):
        return {(kind, object_id)}
    if kind == "run":
        ids = session.scalars(select(GroupMeeting.id).where(GroupMeeting.run_id == object_id,
                                                            GroupMeeting.starts_at > now))
        return {("group_meeting", i) for i in ids}
    if kind == "citizen":
        return citizen_events(session, object_id, now)
    return set()


def citizen_events(session, citizen_id: int, now: datetime) -> set[tuple[str, int]]:
    """Every booking of the citizen that may have (or need) a pending reminder."""
    found = {("guide", i) for i in session.scalars(select(GuideConversation.id).where(
        GuideConversation.citizen_id == citizen_id, GuideConversation.status == BOOKED_GUIDE,
        GuideConversation.scheduled_at > now))}
    found |= {("meeting", i) for i in session.scalars(select(Meeting.id).where(
        Meeting.citizen_id == citizen_id, Meeting.status == PLANNED_MEETING,
        Meeting.kind.in_(REMINDED_MEETING_KINDS), Meeting.starts_at > now))}
    found |= {("group_meeting", i) for i in session.scalars(
        select(GroupMeeting.id).join(GroupEnrolment, GroupEnrolment.run_id == GroupMeeting.run_id)
        .where(GroupEnrolment.citizen_id == citizen_id, GroupMeeting.starts_at > now,
               GroupMeeting.cancelled == false()))}
    found |= {(source, source_id) for source, source_id in session.execute(
        select(OutboxMessage.source, OutboxMessage.source_id)
        .where(OutboxMessage.citizen_id == citizen_id, OutboxMessage.status == WAITING))}
    return found


def reconcile_touched(session, touched, now: datetime | None = None) -> int:
    """Reconcile the bookings behind what was touched; returns how many bookings were looked at."""
    now = now or utcnow()
    settings = Settings.from_config(current_app.config)
    events: set[tuple[str, int]] = set()
    for kind, object_id in sorted(touched):
        events |= _events_of(session, kind, object_id, now)
    for source, source_id in sorted(events):
        reconcile(session, source, source_id, now, settings)
    return len(events)


def reconcile_pending(session) -> None:
    """Reconcile now what the transaction's flushes touched so far (the commit does it anyway)."""
    session.flush()
    touched = session.info.pop(PENDING, None)
    if not touched or not has_app_context():
        return
    with session.no_autoflush:
        reconcile_touched(session, touched)
    session.flush()
    session.info.pop(PENDING, None)  # that flush touched outbox rows only


def _write(session, _connection) -> None:
    reconcile_pending(session)


live.before_counters(_write)
