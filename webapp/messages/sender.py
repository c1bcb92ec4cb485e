"""Delivering what is due (`flask --app wsgi messages send`), each message at most once.

1. Leases that ran out: a row still "sender" after its lease was claimed by a process that died
   between handing it to the provider and recording that. It may have been sent: it becomes "uvis"
   (shown on the citizen page as "Måske sendt – tjek med borgeren") and is never sent again
   automatically. Committed.
2. Claim a small batch: the due rows of the channels with a provider, `FOR UPDATE SKIP LOCKED` on
   PostgreSQL (SQLite's write transaction locks up front), set to "sender" with a fresh lease token
   and `lease_until`, guarded by `status = 'venter'`, so two senders never take the same row.
   COMMITTED before any network call.
3. Send each (same idempotency key on every try) and record the outcome at once, guarded by the
   lease token, with an audit row naming the citizen for each disclosure: sendt, back to venter
   with exponential backoff, or fejlet (refused for good, or too many tries). Committed per message.
   Rows whose lease is about to run out are handed back unsent, never sent late.

Channels without a provider are not claimed: their messages wait, and the citizen page says why."""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from .. import audit
from ..database import write_intent
from ..extensions import db
from ..timeutil import as_utc, utcnow
from . import schedule
from .models import CANCELLED, FAILED, SENDING, SENT, UNCERTAIN, WAITING, OutboxMessage
from .transports import GiveUp, RetryLater, transports_from

BATCH = 50  # rows per claim: a claim's lease covers at most this many provider calls
SYSTEM_USER = "påmindelser"  # the audit rows' user: the sender runs without a person


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    uncertain: int = 0
    cancelled: int = 0
    released: int = 0
    errors: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        return (f"Sendt: {self.sent}, prøves igen senere: {self.retried}, fejlet: {self.failed}, "
                f"måske sendt (uvis): {self.uncertain}, for sent (annulleret): {self.cancelled}")


@dataclass(frozen=True)
class Claimed:
    id: int
    idempotency_key: str
    citizen_id: int
    channel: str
    recipient: str
    subject: str
    body: str
    event_at: datetime
    attempts: int


def due_query(now: datetime, channels, limit: int):
    """What is due, oldest first: an index range on ix_outbox_message_due (status, next_attempt_at)."""
    return (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == WAITING, OutboxMessage.next_attempt_at <= now,
               OutboxMessage.channel.in_(sorted(channels)))
        .order_by(OutboxMessage.next_attempt_at)
        .limit(limit)
    )


def expire_leases(now: datetime) -> int:
    """Rows left "sender" by a process that died: "uvis", never resent (committed)."""
    session = db.session
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.citizen_id)
        .where(OutboxMessage.status == SENDING, OutboxMessage.lease_until < now)
        .with_for_update(skip_locked=True)
    ).all()
    for row_id, citizen_id in rows:
        done = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.status == SENDING, OutboxMessage.lease_until < now)
            .values(status=UNCERTAIN, lease_token=None, last_error="LeaseExpired")
            .execution_options(synchronize_session=False)
        ).rowcount
        if done:
            audit.record("reminder_uncertain", "outbox_message", row_id, username=SYSTEM_USER, citizen_id=citizen_id)
    session.commit()
    return len(rows)


def claim(channels, limit: int, now: datetime, lease: timedelta) -> tuple[str, list[Claimed]]:
    """Take up to `limit` due rows of these channels for this process (committed)."""
    session = db.session
    if not channels or limit <= 0:
        return "", []
    ids = session.scalars(due_query(now, channels, limit).with_for_update(skip_locked=True)).all()
    if not ids:
        session.commit()
        return "", []
    token = secrets.token_hex(16)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == WAITING)
        .values(status=SENDING, lease_token=token, lease_until=now + lease, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.idempotency_key, OutboxMessage.citizen_id, OutboxMessage.channel,
               OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.body, OutboxMessage.event_at,
               OutboxMessage.attempts)
        .where(OutboxMessage.lease_token == token)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
    ).all()
    session.commit()  # the claim is durable before anything leaves the house
    return token, [Claimed(*row) for row in rows]


def _record(row: Claimed, token: str, **values) -> int:
    return db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row.id, OutboxMessage.lease_token == token)
        .values(lease_token=None, lease_until=None, **values)
        .execution_options(synchronize_session=False)
    ).rowcount


def _release(rows: list[Claimed], token: str) -> int:
    """Hand back claimed rows that were never tried (their lease is about to run out)."""
    if not rows:
        return 0
    count = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_([r.id for r in rows]), OutboxMessage.lease_token == token,
               OutboxMessage.status == SENDING)
        .values(status=WAITING, lease_token=None, lease_until=None, attempts=OutboxMessage.attempts - 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return count


def _send_one(row: Claimed, token: str, transport, outcome: Outcome, max_attempts: int) -> None:
    now = utcnow()
    if as_utc(row.event_at) <= now:  # waited too long (a provider was down): never remind afterwards
        _record(row, token, status=CANCELLED, cancelled_at=now, cancel_reason=schedule.TOO_LATE)
        outcome.cancelled += 1
        db.session.commit()
        return
    try:
        provider_id = transport.send(row.idempotency_key, row.recipient, row.subject, row.body)
    except GiveUp as error:
        _record(row, token, status=FAILED, last_error=str(error))
        outcome.failed += 1
        outcome.errors.append(str(error))
    except RetryLater as error:
        if row.attempts >= max_attempts:
            _record(row, token, status=FAILED, last_error=str(error))
            outcome.failed += 1
        else:
            _record(row, token, status=WAITING, last_error=str(error),
                    next_attempt_at=now + schedule.backoff(row.attempts))
            outcome.retried += 1
        outcome.errors.append(str(error))
    except Exception as error:
        _record(row, token, status=UNCERTAIN, last_error=type(error).__name__[:120])
        outcome.uncertain += 1
        outcome.errors.append(type(error).__name__)
    else:
        _record(row, token, status=SENT, provider_id=provider_id, sent_at=utcnow(), last_error=None)
        audit.record("reminder_sent", "outbox_message", row.id, username=SYSTEM_USER, citizen_id=row.citizen_id,
                     details="SMS via SMS-udbyderen" if row.channel == "sms" else "E-mail via mailserveren")
        outcome.sent += 1
    db.session.commit()


def send_due(limit: int = 1000, transports: dict | None = None) -> Outcome:
    """Deliver up to `limit` due messages. Commits (a command-line tool, not a request)."""
    config = current_app.config
    transports = transports if transports is not None else transports_from(config)
    lease = timedelta(seconds=config["MESSAGE_LEASE_SECONDS"])
    margin = timedelta(seconds=2 * config["MESSAGE_TIMEOUT_SECONDS"])
    max_attempts = config["MESSAGE_MAX_ATTEMPTS"]
    outcome = Outcome()
    with write_intent():
        db.session.rollback()  # start from a fresh transaction that locks up front on SQLite
        outcome.uncertain += expire_leases(utcnow())
        taken = 0
        try:
            while taken < limit:
                now = utcnow()
                token, rows = claim(set(transports), min(BATCH, limit - taken), now, lease)
                if not rows:
                    break
                taken += len(rows)
                for index, row in enumerate(rows):
                    if utcnow() >= now + lease - margin:
                        outcome.released += _release(rows[index:], token)
                        break
                    _send_one(row, token, transports[row.channel], outcome, max_attempts)
        finally:
            for transport in transports.values():
                transport.close()
    return outcome


def waiting_without_provider(channels) -> dict[str, int]:
    """{channel: waiting messages} for the channels without a provider."""
    missing = [c for c in ("sms", "email") if c not in channels]
    if not missing:
        return {}
    rows = db.session.execute(
        select(OutboxMessage.channel, func.count())
        .where(OutboxMessage.status == WAITING, OutboxMessage.channel.in_(missing))
        .group_by(OutboxMessage.channel)
    ).all()
    return dict(rows)


def status_counts() -> dict[tuple[str, str], int]:
    rows = db.session.execute(
        select(OutboxMessage.channel, OutboxMessage.status, func.count())
        .group_by(OutboxMessage.channel, OutboxMessage.status)
    ).all()
    return {(channel, status): n for channel, status, n in rows}
