"""Rules for the Friday meeting (fredagsmøde, sagsdrøftelse med myndighedsleder): which Friday a
date belongs to, missed appointments in a row, and the agenda sections in order.

Meeting dates are plain Fridays. A Friday that is a holiday (langfredag, juledag 2026, juleaftens-
and nytårsaftensdag 2027) is not moved: the unit decides on such weeks, not this module.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

FRIDAY = 4  # date.weekday()
REACH_OUT_THRESHOLD = 2


def meeting_date_for(d: date) -> date:
    """The Friday meeting `d` belongs to: the Friday of its week (Monday to Friday), or the
    coming Friday when `d` is a Saturday or Sunday — the meeting of that week is then over."""
    return d + timedelta(days=(FRIDAY - d.weekday()) % 7)


def previous_meeting_date(d: date) -> date:
    """The latest Friday strictly before `d` — the meeting before `meeting_date_for(d)`."""
    return meeting_date_for(d) - timedelta(days=7)


def missed_in_a_row(attendance: Iterable[tuple[date, bool]]) -> int:
    """How many appointments the citizen missed in a row, ending with the latest one.

    `attendance` holds (date, attended) for past appointments only; it is sorted here, so the
    caller's order does not matter (appointments on the same date keep the caller's order).
    """
    count = 0
    for _day, attended in sorted(attendance, key=lambda row: row[0], reverse=True):
        if attended:
            break
        count += 1
    return count


def needs_reach_out(attendance: Iterable[tuple[date, bool]], threshold: int = REACH_OUT_THRESHOLD) -> bool:
    """True when the citizen has missed `threshold` or more appointments in a row — a reason to
    reach out with real concern, never a sanction."""
    return missed_in_a_row(attendance) >= threshold


@dataclass(frozen=True, slots=True)
class AgendaSection:
    key: str
    heading: str


AGENDA_SECTIONS: tuple[AgendaSection, ...] = (
    AgendaSection("new_citizens", "Nye borgere siden sidst"),
    AgendaSection("guide_without_authority", "Guidesamtaler uden myndighedserfaring"),
    AgendaSection("week10_assessment", "Forløb ved eller efter uge 10-vurdering"),
    AgendaSection("ending_soon", "Forløb der slutter inden for to uger eller når 20 uger"),
    AgendaSection("kickoff", "Kick-off-møde med frivilligkoordinatoren – book det sidste møde"),
    AgendaSection("handover_proposals", "Forslag om overdragelse og direkte til myndighed"),
    AgendaSection("outreach", "Udekørende funktion – åbne og forsinkede"),
    AgendaSection("repeated_no_shows", "Borgere med to eller flere udeblivelser i træk"),
    AgendaSection("returned_citizens", "Tilbagevendte borgere"),
    AgendaSection("open_decisions", "Åbne beslutninger fra tidligere møder"),
)


def may_mark_decision_done(*, is_leader: bool, is_authority: bool, user_id: int, responsible_id: int | None,
                           done: bool, decision_meeting: date, today: date) -> bool:
    """Who may tick off a Friday decision: the leader, the person responsible, and the authority
    leader for a decision that is on the coming meeting's agenda (open, made at or before it)."""
    if done:
        return False
    if is_leader or responsible_id == user_id:
        return True
    return is_authority and decision_meeting <= meeting_date_for(today)
