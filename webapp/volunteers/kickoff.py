"""The kick-off meeting (#12 item 4): the citizen's last meeting before the course closes, where the
volunteer coordinator joins so that the citizen does not "fall over the edge into loneliness".

A kick-off is a `Meeting` of kind "kickoff" in the course, with the volunteer coordinator invited
(staff2). A course is proposed for one from week 16, or as soon as a closing is planned, until one
is booked or the course closes. Plain functions; flush, never commit."""

from dataclasses import dataclass
from datetime import date

KICKOFF_KIND = "kickoff"
KICKOFF_FROM_WEEK = 16


@dataclass(frozen=True)
class KickoffCandidate:
    """A course that should have a kick-off booked."""

    course_id: int
    citizen_id: int
    first_name: str
    last_name: str
    week: int  # the course's week today (1-based)
    reason: str  # Danish: "Uge 16 af 20" or "Afslutning planlagt 14.12."


@dataclass(frozen=True)
class BookedKickoff:
    meeting_id: int
    course_id: int | None
    citizen_id: int
    first_name: str
    last_name: str
    starts_at: object  # aware datetime (UTC)
    status: str


def kickoff_candidates(today: date) -> list[KickoffCandidate]:
    """Open courses at week 16 or later, or with a closing planned, without a kick-off booked."""
    return []  # implemented by the lead


def kickoffs_between(start: date, end: date) -> list[BookedKickoff]:
    """Booked (planned) kick-offs whose local day lies in [start, end]."""
    return []  # implemented by the lead
