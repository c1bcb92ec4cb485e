"""Pure rules of the volunteer bridge (#12): no database, no clock (callers pass `today`).

- A match moves one step at a time: foreslaaet → kontakt_etableret → opstartsmoede → i_gang →
  afsluttet; from any open state (not afsluttet, not faldet_fra) it may fall off (faldet_fra). No
  going back, no skipping. A step's day is not before the previous step's day and not in the future.
- An activity suits a citizen's stated wishes when it is active (and its organisation too), its
  theme is among the wished themes, and it has places free or is open to all; when weekdays are
  wished, it runs on one of them (an activity with no set days, "efter aftale", always fits).
- Volunteer options are shown from week 4 of an open course (course weeks as in
  webapp.citizens.milestones.course_week)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..citizens.milestones import course_week
from .vocab import THEMES, weekday_codes

# --- the states of a match ------------------------------------------------------------------------

PROPOSED = "foreslaaet"
CONTACT = "kontakt_etableret"
KICKSTART = "opstartsmoede"
ONGOING = "i_gang"
FINISHED = "afsluttet"
DROPPED = "faldet_fra"

MATCH_STATES = {
    PROPOSED: "Foreslået",
    CONTACT: "Kontakt etableret",
    KICKSTART: "Opstartsmøde",
    ONGOING: "I gang",
    FINISHED: "Afsluttet",
    DROPPED: "Faldet fra",
}
FORWARD = (PROPOSED, CONTACT, KICKSTART, ONGOING, FINISHED)
CLOSED_STATES = frozenset({FINISHED, DROPPED})
OPEN_STATES = frozenset(FORWARD) - CLOSED_STATES
# Telling the organisation who the citizen is (name, contact details) happens at this step.
DISCLOSING_STATES = frozenset({CONTACT})

REQUEST_OPEN, REQUEST_MATCHED, REQUEST_CLOSED = "aaben", "matchet", "lukket"
REQUEST_STATES = {REQUEST_OPEN: "Åben", REQUEST_MATCHED: "Matchet", REQUEST_CLOSED: "Lukket"}
REQUEST_ORIGINS = {"borgerside": "Borgersiden", "forloeb": "Forløbet", "guidesamtale": "Guidesamtalen"}

OPTIONS_FROM_WEEK = 4

MSG_NOT_NEXT = "»{to}« kan ikke registreres nu: matchet står på »{now}«. Næste skridt er {allowed}."
MSG_CLOSED = "Matchet er {now_lower} – der kan ikke registreres flere skridt."
MSG_DAY_MISSING = "Skriv den dag, skridtet skete."
MSG_DAY_FUTURE = "Dagen kan ikke ligge i fremtiden."
MSG_DAY_BEFORE = "Dagen kan ikke ligge før det forrige skridt ({previous})."


class StepRefused(ValueError):
    """A step that may not be recorded (Danish message); `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def next_states(state: str) -> list[str]:
    """The states a match in `state` may move to, in the order they are offered."""
    if state not in OPEN_STATES:
        return []
    following = FORWARD[FORWARD.index(state) + 1]
    return [following, DROPPED]


def check_step(state: str, to: str, day: date | None, previous_day: date | None, today: date) -> None:
    """Raise StepRefused unless a match in `state` (its last step on `previous_day`) may move to
    `to` on `day`."""
    from ..timeutil import format_date

    if state in CLOSED_STATES:
        raise StepRefused(MSG_CLOSED.format(now_lower=MATCH_STATES[state].lower()), "state")
    allowed = next_states(state)
    if to not in allowed:
        names = " eller ".join(f"»{MATCH_STATES[s]}«" for s in allowed)
        raise StepRefused(MSG_NOT_NEXT.format(to=MATCH_STATES.get(to, to), now=MATCH_STATES[state],
                                              allowed=names), "state")
    if day is None:
        raise StepRefused(MSG_DAY_MISSING, "day")
    if day > today:
        raise StepRefused(MSG_DAY_FUTURE, "day")
    if previous_day is not None and day < previous_day:
        raise StepRefused(MSG_DAY_BEFORE.format(previous=format_date(previous_day)), "day")


# --- which activities suit the citizen's stated wishes ----------------------------------------------


@dataclass(frozen=True)
class Wishes:
    themes: frozenset[str]
    weekdays: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.themes


def theme_codes(text: str | None) -> list[str]:
    """Comma codes as a list in THEMES order; unknown codes dropped."""
    codes = {code.strip() for code in (text or "").split(",")}
    return [code for code in THEMES if code in codes]


def join_themes(codes: Iterable[str]) -> str:
    wanted = set(codes or ())
    return ",".join(code for code in THEMES if code in wanted)


def wishes_of(requests: Iterable) -> Wishes:
    """The union of the themes and weekdays of the citizen's requests that are not closed."""
    themes, weekdays = set(), set()
    for request in requests:
        if request.status == REQUEST_CLOSED:
            continue
        themes.update(theme_codes(request.themes))
        weekdays.update(weekday_codes(request.weekdays))
    return Wishes(frozenset(themes), frozenset(weekdays))


def suits(activity, wishes: Wishes) -> bool:
    """Whether one activity (anything with active, theme, weekdays, places_free, open_to_all and
    optionally organisation.active) suits the wishes."""
    organisation = getattr(activity, "organisation", None)
    if not activity.active or (organisation is not None and not organisation.active):
        return False
    if activity.theme not in wishes.themes:
        return False
    if not activity.open_to_all and not (activity.places_free or 0) > 0:
        return False
    days = set(weekday_codes(activity.weekdays))
    return not wishes.weekdays or not days or bool(days & wishes.weekdays)


def suitable(activities: Iterable, wishes: Wishes) -> list:
    return [activity for activity in activities if suits(activity, wishes)]


# --- volunteer options early in the course -------------------------------------------------------


def shows_options(course_start: date | None, course_end: date | None, today: date) -> bool:
    """From week 4 of an open course (week 4 starts on day 21 after the start)."""
    if course_start is None or course_end is not None:
        return False
    return course_week(course_start, today) >= OPTIONS_FROM_WEEK


# --- Bilag 6: "Frivillige aktiviteter" derived from the matches -----------------------------------

# The kick-off is the course's last meeting, so the activity often starts after the closing: a start
# up to this many days after the course's end still counts for the course.
BILAG6_GRACE_DAYS = 90


def bilag6_volunteer(started_days: Iterable[date], has_open_match: bool, course_start: date,
                     course_end: date | None, today: date) -> bool | None:
    """Bilag 6's yes/no: Ja when a match of the citizen got »i gang« between the course's start and
    90 days after its end (an open course: after today); Nej once the course is closed and nothing is
    underway or the 90 days have passed; None (not decided yet) while the course is open, or while a
    match is still underway within the 90 days."""
    last = (course_end or today) + timedelta(days=BILAG6_GRACE_DAYS)
    if any(course_start <= day <= last for day in started_days):
        return True
    if course_end is None:
        return None
    if has_open_match and today <= last:
        return None
    return False
