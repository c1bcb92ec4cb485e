"""Login throttling per username: repeated failures make the next try wait, never a lockout.

After a few failed attempts for one username (from any address), each further attempt must wait a
delay that doubles with every failure, up to a cap. An attempt inside the delay is answered
"Vent …" without looking at the password; the right password after the delay always works, and a
successful login starts the count afresh. The memory is the audit log's own `login_failed` and
`unlock_failed` rows, so every worker and process sees the same count without new state.
"""

import math
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..audit import AuditEvent
from ..extensions import db
from ..timeutil import as_utc

FAILURES = ("login_failed", "unlock_failed")
SUCCESSES = ("login", "unlock")
THROTTLED = "login_throttled"
# The second factor's codes are counted the same way, apart from the passwords: a right password
# does not forgive wrong codes (only a passed second step does).
CODE_FAILURES = ("second_factor_failed",)
CODE_SUCCESSES = ("second_factor_passed", "second_factor_recovery_used", "second_factor_enrolled")
# Failures older than this are forgotten, however many there were.
WINDOW = timedelta(hours=1)
FIRST_DELAY_SECONDS = 15


def delay_after(failures: int, free: int, max_seconds: int) -> timedelta:
    """The wait after `failures` failures in a row: none for the first `free` - 1, then 15 s
    from the `free`-th failure on, doubling with each further failure, never above the cap."""
    if failures < free:
        return timedelta(0)
    doublings = min(failures - free, 20)
    return timedelta(seconds=min(max_seconds, FIRST_DELAY_SECONDS * 2**doublings))


def recent_failures(
    username: str, now: datetime, failures=FAILURES, successes=SUCCESSES
) -> tuple[int, datetime | None]:
    """Failed attempts for the username since its last success (within the window), and the
    time of the latest one."""
    since = now - WINDOW
    last_success = db.session.scalar(
        select(func.max(AuditEvent.occurred_at)).where(
            AuditEvent.action.in_(successes),
            AuditEvent.username == username,
            AuditEvent.occurred_at >= since,
        )
    )
    if last_success is not None:
        since = max(since, as_utc(last_success))
    count, latest = db.session.execute(
        select(func.count(), func.max(AuditEvent.occurred_at)).where(
            AuditEvent.action.in_(failures),
            AuditEvent.username == username,
            AuditEvent.occurred_at > since,
        )
    ).one()
    return count, (as_utc(latest) if latest is not None else None)


def seconds_to_wait(
    username: str, now: datetime, free: int, max_seconds: int, failures=FAILURES, successes=SUCCESSES
) -> int:
    """Whole seconds before the username may try again (0: it may try now)."""
    count, latest = recent_failures(username, now, failures, successes)
    if latest is None:
        return 0
    until = latest + delay_after(count, free, max_seconds)
    return max(0, math.ceil((until - now).total_seconds()))


def wait_message(seconds: int, what: str = "adgangskoder") -> str:
    if seconds < 120:
        span = "1 sekund" if seconds == 1 else f"{seconds} sekunder"
    else:
        span = f"{math.ceil(seconds / 60)} minutter"
    return (
        f"Der er prøvet for mange forkerte {what} til dette brugernavn. "
        f"Vent {span} og prøv igen."
    )
