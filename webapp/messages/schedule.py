"""The rules of reminders (#12 item 7), as plain functions: when a reminder is due, who gets one
and by which channel, and what it says. No database, no Flask: the unit tests work the answers
out by hand.

What a reminder may say: the citizen's first name, the time, the place and whom to call. Never a
CPR number, a note, a topic, the kind of meeting, a group's theme or name, or anything about
health: an SMS is read on a locked screen and an e-mail may be read by others."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..timeutil import LOCAL_TZ, as_utc, local

DAY_BEFORE = "dagen_foer"
TWO_HOURS_BEFORE = "to_timer_foer"
OFFSETS = {DAY_BEFORE: "Dagen før", TWO_HOURS_BEFORE: "To timer før"}
# A reminder whose time has passed when it is scheduled is sent at once only while the event is
# further away than this; nearer than that it would arrive too late to be of use.
LAST_USEFUL = timedelta(hours=1)

MONTHS_FULL = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
               "oktober", "november", "december")
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

SMS_SENDER_MAX = 11  # an alphanumeric SMS sender (GatewayAPI and the operators): at most 11 characters


# --- when ------------------------------------------------------------------------------------------


def day_before_at(event_at: datetime, hour: int) -> datetime:
    """The local day before the event at `hour`:00, as UTC. DST-safe: the wall-clock hour of the
    day before, whatever the offset was on that day."""
    day = local(event_at).date() - timedelta(days=1)
    return as_utc(datetime.combine(day, time(hour), tzinfo=LOCAL_TZ))


def due_times(event_at: datetime, now: datetime, hour: int, two_hours_before: bool) -> dict[str, datetime]:
    """{offset: due (UTC)} for an event at `event_at`, scheduled at `now`.

    The day before at `hour`, and (when set) two hours before. A reminder whose time has passed is
    due now while the event is more than an hour away, otherwise dropped; when several have
    passed, only the latest of them is kept (one message, not two at once)."""
    event_at, now = as_utc(event_at), as_utc(now)
    wanted = {DAY_BEFORE: day_before_at(event_at, hour)}
    if two_hours_before:
        wanted[TWO_HOURS_BEFORE] = event_at - timedelta(hours=2)
    # A "day before" at an hour after the event's own time of day is still before the event;
    # anything at or after the event is meaningless.
    wanted = {k: v for k, v in wanted.items() if v < event_at}
    future = {k: v for k, v in wanted.items() if v > now}
    passed = [k for k, v in sorted(wanted.items(), key=lambda kv: kv[1]) if v <= now]
    if passed and event_at - now > LAST_USEFUL:
        future[passed[-1]] = now
    return future


def backoff(attempts: int, base_seconds: int = 60, cap_seconds: int = 3600) -> timedelta:
    """Wait before the next try after `attempts` failed tries: 1, 2, 4, 8 … minutes, at most an hour."""
    return timedelta(seconds=min(cap_seconds, base_seconds * 2 ** max(0, attempts - 1)))


# --- who and how -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    channel: str  # sms, email
    address: str  # msisdn "45xxxxxxxx" or an e-mail address


# Why a citizen gets no reminder (stored as the cancel reason of a pending one).
NO_CONSENT = "samtykke"
OPTED_OUT = "fravalgt"
NO_CHANNEL = "ingen_kanal"  # preference telefon / ikke / none, or no usable number or address
EVENT_GONE = "aflyst"  # cancelled, held, moved out of the kinds reminded, deleted
NOT_PARTICIPANT = "ikke_deltager"
TOO_LATE = "for_sent"
ALREADY_SENT = "allerede_sendt"  # moved back to a time already reminded of
ERASED = "slettet"  # the citizen's data was erased (GDPR art. 17, webapp/privacy/erasure.py)
RESTRICTED = "begraenset"  # the citizen's processing was restricted (GDPR art. 18)
CANCEL_REASONS = {
    NO_CONSENT: "Samtykke til kontakt trukket tilbage",
    OPTED_OUT: "Borgeren har fravalgt påmindelser",
    NO_CHANNEL: "Ingen SMS eller e-mail at sende til",
    EVENT_GONE: "Aftalen er aflyst eller ændret",
    NOT_PARTICIPANT: "Ikke længere deltager",
    TOO_LATE: "For sent at minde om",
    ALREADY_SENT: "Allerede sendt for dette tidspunkt",
    ERASED: "Borgerens oplysninger er slettet",
    RESTRICTED: "Behandlingen er begrænset",
}

_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")


def msisdn(phone: str | None) -> str | None:
    """A Danish number as the gateway wants it (45 and eight digits), or None when it is not one.
    Accepts spaces, dashes, dots and the prefixes +45, 0045 and 45 before eight digits."""
    if not phone:
        return None
    digits = re.sub(r"[\s\-./()]", "", phone)
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    if not digits.isdigit():
        return None
    if len(digits) == 8:
        digits = "45" + digits
    if len(digits) != 10 or not digits.startswith("45") or digits[2] == "0":
        return None
    return digits


def email_address(value: str | None) -> str | None:
    value = (value or "").strip()
    return value if len(value) <= 200 and _EMAIL.match(value) else None


def recipient_for(preference: str | None, consent: bool, reminders_off: bool, phone: str | None,
                  email: str | None) -> Recipient | str:
    """The channel and address of a citizen's reminders, or the reason (a code) why none."""
    if not consent:
        return NO_CONSENT
    if reminders_off:
        return OPTED_OUT
    if preference == "sms" and (number := msisdn(phone)):
        return Recipient("sms", number)
    if preference == "email" and (address := email_address(email)):
        return Recipient("email", address)
    return NO_CHANNEL


# --- what ------------------------------------------------------------------------------------------


def when_text(event_at: datetime) -> str:
    """"tirsdag 8. december kl. 10.00" in Copenhagen time."""
    at = local(event_at)
    return f"{WEEKDAYS[at.weekday()]} {at.day}. {MONTHS_FULL[at.month - 1]} kl. {at:%H.%M}"


def short_date(day: date) -> str:
    return f"{day.day}. {MONTHS_FULL[day.month - 1]}"


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


def reminder_text(first_name: str, event_at: datetime, place: str, unit_phone: str, sender_name: str) -> Text:
    """The reminder itself: first name, time, place, whom to call, signed by the sender name."""
    name = (first_name or "").strip().split(" ")[0][:40]
    when = when_text(event_at)
    greeting = f"Hej {name}" if name else "Hej"
    body = (
        f"{greeting}\n"
        f"Husk din aftale {when}.\n"
        f"Sted: {place}.\n"
        f"Kan du ikke komme, så ring til os på {unit_phone}.\n"
        f"Venlig hilsen {sender_name}"
    )
    return Text(subject=f"Påmindelse: din aftale {when}", body=body)
