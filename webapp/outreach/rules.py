"""Rules for an outreach request (udekørende funktion), as pure functions the services and the
Friday meeting call. No database, no request: dates in, answers out.

Flow: modtaget -> tildelt (a staff member takes it) -> besoeg (one or more visits) -> afsluttet
with an outcome. Reassigning to a colleague keeps the state ("ours, not mine"). Closing needs
someone assigned, so every closure has a person behind it; a closed request is final — a citizen
who needs outreach again gets a new request.

Overdue (DESIGN §5.5, nobody falls through the cracks): a request that is not closed is overdue
when no action has happened for `limit` (5) working days. Precisely: it is overdue on `today`
when today is MORE than `limit` working days after the last action date, counting working days
after the action up to and including today (`working_days_between`). The received date counts
as the first action. So it becomes overdue on the (limit + 1)-th working day after the last
action, and staff have the whole of the limit-th working day to act. Example: received Monday
2026-11-23 -> 24, 25, 26, 27 Nov and Mon 30 Nov are working days 1-5, so it is not overdue on
Monday 30 Nov and overdue from Tuesday 1 Dec 2026.
"""

from collections.abc import Iterable, Mapping
from datetime import date

from webapp.timeutil import format_date
from webapp.workdays import EXTRA_CLOSED_DAYS, add_working_days, working_days_between

# code -> Danish label, in flow order
STATES: Mapping[str, str] = {
    "modtaget": "Modtaget",
    "tildelt": "Tildelt",
    "besoeg": "Besøg",
    "afsluttet": "Afsluttet",
}

OUTCOMES: Mapping[str, str] = {
    "kom_til_din_indgang": "Kom til Din Indgang",
    "kort_afklaring": "Kort afklaring i hjemmet",
    "overdraget": "Overdraget",
    "ikke_truffet": "Ikke truffet efter flere forsøg",
    "oensker_ikke_hjaelp": "Ønsker ikke hjælp",
}

# action code -> Danish label (for buttons and messages)
ACTIONS: Mapping[str, str] = {
    "assign": "Tildel",
    "visit": "Registrér besøg",
    "close": "Afslut",
}

# state -> {action -> next state}
TRANSITIONS: Mapping[str, Mapping[str, str]] = {
    "modtaget": {"assign": "tildelt"},
    "tildelt": {"assign": "tildelt", "visit": "besoeg", "close": "afsluttet"},
    "besoeg": {"assign": "besoeg", "visit": "besoeg", "close": "afsluttet"},
    "afsluttet": {},
}

OVERDUE_LIMIT = 5  # working days without action
MAX_VISIT_MINUTES = 480


class IllegalTransition(ValueError):
    """A move the flow does not allow; the message is Danish and can be shown as it is."""


def allowed_transitions(current: str) -> dict[str, str]:
    """The actions possible from `current` -> the state each leads to (empty when closed)."""
    _check_state(current)
    return dict(TRANSITIONS[current])


def next_state(current: str, action: str, outcome: str | None = None) -> str:
    """The state after `action`; closing needs an outcome from OUTCOMES, other actions take none.

    Raises IllegalTransition with a Danish message for anything the flow does not allow.
    """
    _check_state(current)
    if action not in ACTIONS:
        raise IllegalTransition(f"Ukendt handling: »{action}«.")
    if action == "close":
        if not outcome:
            raise IllegalTransition("Vælg et udfald for at afslutte anmodningen.")
        if outcome not in OUTCOMES:
            raise IllegalTransition(f"Ukendt udfald: »{outcome}«.")
    elif outcome is not None:
        raise IllegalTransition("Et udfald kan kun angives, når anmodningen afsluttes.")

    target = TRANSITIONS[current].get(action)
    if target is None:
        message = f"»{ACTIONS[action]}« er ikke muligt, når anmodningen har status »{STATES[current]}«."
        if current == "modtaget":
            message += " Tildel den først til en medarbejder."
        elif current == "afsluttet":
            message += " Opret en ny anmodning, hvis borgeren igen har brug for et besøg."
        raise IllegalTransition(message)
    return target


def validate_visit(
    request_received_on: date, visit_date: date | None, duration_minutes: int | None, today: date
) -> dict[str, str]:
    """Field name -> Danish error message; empty when the visit can be saved.

    The duration is required (1-480 minutes) because outreach hours are derived from it for the
    documentation form (Bilag 6) and the key figures.
    """
    errors: dict[str, str] = {}
    if visit_date is None:
        errors["visit_date"] = "Angiv datoen for besøget."
    elif visit_date < request_received_on:
        errors["visit_date"] = f"Besøget kan ikke ligge før anmodningen ({format_date(request_received_on)})."
    elif visit_date > today:
        errors["visit_date"] = "Besøget kan ikke ligge i fremtiden. Registrér det, når det har fundet sted."

    if duration_minutes is None:
        errors["duration_minutes"] = "Angiv besøgets varighed i minutter."
    elif (
        isinstance(duration_minutes, bool)
        or not isinstance(duration_minutes, int)
        or not 1 <= duration_minutes <= MAX_VISIT_MINUTES
    ):
        errors["duration_minutes"] = f"Varigheden skal være mellem 1 og {MAX_VISIT_MINUTES} minutter."
    return errors


def last_action_date(received_on: date, assigned_on: date | None, visit_dates: Iterable[date]) -> date:
    """The latest of the received date, the assignment date and the visit dates."""
    return max([received_on, *([assigned_on] if assigned_on else []), *visit_dates])


def action_due_by(
    received_on: date,
    last_action_on: date | None,
    limit: int = OVERDUE_LIMIT,
    *,
    extra_closed: Mapping[tuple[int, int], str] = EXTRA_CLOSED_DAYS,
) -> date:
    """The last working day on which an action keeps the request on time."""
    _check_limit(limit)
    return add_working_days(_last_action(received_on, last_action_on), limit, extra_closed=extra_closed)


def overdue_since(
    received_on: date,
    last_action_on: date | None,
    closed: bool,
    today: date,
    limit: int = OVERDUE_LIMIT,
    *,
    extra_closed: Mapping[tuple[int, int], str] = EXTRA_CLOSED_DAYS,
) -> date | None:
    """The working day the request became overdue, or None while it is on time or closed.

    See the module docstring for the convention: overdue from the (limit + 1)-th working day
    after the last action (received date when nothing else has happened).
    """
    _check_limit(limit)
    if closed:
        return None
    since = add_working_days(_last_action(received_on, last_action_on), limit + 1, extra_closed=extra_closed)
    return since if today >= since else None


def is_overdue(
    received_on: date,
    last_action_on: date | None,
    closed: bool,
    today: date,
    limit: int = OVERDUE_LIMIT,
    *,
    extra_closed: Mapping[tuple[int, int], str] = EXTRA_CLOSED_DAYS,
) -> bool:
    """True when not closed and today is more than `limit` working days after the last action."""
    _check_limit(limit)
    if closed:
        return False
    last = _last_action(received_on, last_action_on)
    return working_days_between(last, today, extra_closed=extra_closed) > limit


def _last_action(received_on: date, last_action_on: date | None) -> date:
    # The received date is the first action; an earlier "last action" would be a data error.
    return received_on if last_action_on is None else max(received_on, last_action_on)


def _check_state(state: str) -> None:
    if state not in STATES:
        raise IllegalTransition(f"Ukendt status: »{state}«.")


def _check_limit(limit: int) -> None:
    if limit < 0:
        raise ValueError("limit must be zero or more working days")
