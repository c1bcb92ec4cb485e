"""Fictitious demo data for reminders (#12): four citizens who want reminders by SMS or e-mail,
with bookings such that some reminders are already due when the demo is loaded (so
`flask --app wsgi messages send` right after `make run`'s set-up delivers an e-mail and an SMS when
DININDGANG_SMTP_URL and DININDGANG_SMS_URL point at servers) and a few in the coming days; and one
who wants to be phoned (no reminders). The outbox rows come from the bookings through
webapp.messages.sync, like every booking's. Idempotent, flush only."""

import random
from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select

from webapp.citizens.models import Citizen, GuideConversation, Meeting
from webapp.extensions import db
from webapp.messages import sync
from webapp.messages.models import WAITING, OutboxMessage
from webapp.timeutil import LOCAL_TZ, as_utc, local, utcnow

# first name, last name, preference, phone, e-mail – all fictitious (example.dk, numbers 2x xx xx xx).
CITIZENS = (
    ("Karen", "Holmgaard", "sms", "21 34 56 78", None),
    ("Jens", "Lykkegaard", "email", "22 45 67 89", "jens.lykkegaard@example.dk"),
    ("Mette", "Damsgaard", "sms", "23 56 78 90", None),
    ("Ole", "Bergholt", "email", None, "ole.bergholt@example.dk"),
    ("Birthe", "Skovgaard", "telefon", "24 67 89 01", None),
)


def soon() -> datetime:
    """A time whose reminder is due at once: later today (three hours on, on the half hour) before
    the day-before hour, tomorrow morning after it (the day before's hour has then passed)."""
    now = local(utcnow())
    if now.hour < current_app.config["REMINDER_HOUR"]:
        at = (now + timedelta(hours=3)).replace(second=0, microsecond=0)
        at += timedelta(minutes=(30 - at.minute % 30) % 30)
        return as_utc(at)
    return as_utc(datetime.combine(now.date() + timedelta(days=1), time(10), tzinfo=LOCAL_TZ))


def later(days: int, hour: int) -> datetime:
    day = local(utcnow()).date() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return as_utc(datetime.combine(day, time(hour), tzinfo=LOCAL_TZ))


def load(rng: random.Random) -> dict:
    del rng
    names = [(first, last) for first, last, *_ in CITIZENS]
    existing = db.session.scalar(select(func.count(Citizen.id)).where(
        Citizen.first_name == names[0][0], Citizen.last_name == names[0][1]))
    if existing:
        return {"reminders due now": 0, "reminders coming": 0}
    now = utcnow()
    people = []
    for first, last, preference, phone, email in CITIZENS:
        citizen = Citizen(first_name=first, last_name=last, first_name_lower=first.lower(), phone=phone, email=email,
                          contact_preference=preference, contact_consent=True, contact_consent_at=now)
        db.session.add(citizen)
        people.append(citizen)
    db.session.flush()
    karen, jens, mette, ole, birthe = people
    db.session.add_all([
        GuideConversation(citizen_id=karen.id, scheduled_at=soon(), status="booket"),  # SMS, due now
        Meeting(citizen_id=jens.id, kind="opfoelgning", starts_at=soon(), status="planlagt",
                duration_minutes=45),  # e-mail, due now
        Meeting(citizen_id=mette.id, kind="coaching", starts_at=later(3, 13), status="planlagt", duration_minutes=60),
        GuideConversation(citizen_id=ole.id, scheduled_at=later(5, 10), status="booket"),
        Meeting(citizen_id=birthe.id, kind="opfoelgning", starts_at=later(2, 11), status="planlagt",
                duration_minutes=45),  # wants a phone call: no reminder
    ])
    sync.reconcile_pending(db.session)
    ids = [p.id for p in people]
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.citizen_id.in_(ids),
                                                          OutboxMessage.status == WAITING)).all()
    due = sum(1 for r in rows if as_utc(r.next_attempt_at) <= utcnow())
    return {"reminders due now": due, "reminders coming": len(rows) - due}
