"""The volunteer bridge as plain functions (#12 items 2, 3, 6): requests, the coordinator's queue,
matches and their steps, the options shown early in a course, and who is linked to the
coordinator (need to know). They flush, never commit, never touch `request`.

For the lead: `matches_for_citizen(citizen_id)` and the state constants in `matching`
(PROPOSED … FINISHED, DROPPED, OPEN_STATES, CLOSED_STATES)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import exists, select

from ..citizens.models import Citizen, Course, GuideConversation, Meeting, citizen_in_use
from ..extensions import db
from ..handover.consents import require_consent, valid_consent
from ..timeutil import format_date, today_local, utcnow
from ..versioning import saved
from . import matching
from .bridge_models import VolunteerMatch, VolunteerMatchStep, VolunteerRequest
from .kickoff import KICKOFF_KIND, kickoff_candidates
from .matching import (
    DROPPED,
    MATCH_STATES,
    OPEN_STATES,
    PROPOSED,
    REQUEST_CLOSED,
    REQUEST_MATCHED,
    REQUEST_OPEN,
    StepRefused,
)
from .models import VolunteerActivity, VolunteerOrganisation
from .vocab import join_weekdays

RECIPIENT = "frivillig_organisation"


class BridgeError(ValueError):
    """A refused request or match action (Danish message); `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- requests -----------------------------------------------------------------------------------


def create_request(citizen: Citizen, *, origin: str, wishes: str, considerations: str, themes, weekdays,
                   user, course_id: int | None = None, guide_conversation_id: int | None = None) -> VolunteerRequest:
    if origin not in matching.REQUEST_ORIGINS:
        raise BridgeError("Ukendt oprindelse af efterlysningen.")
    if course_id is not None:
        course = db.session.get(Course, course_id)
        if course is None or course.citizen_id != citizen.id:
            course_id = None
    if guide_conversation_id is not None:
        conversation = db.session.get(GuideConversation, guide_conversation_id)
        if conversation is None or conversation.citizen_id != citizen.id:
            guide_conversation_id = None
    if not matching.theme_codes(matching.join_themes(themes)):
        raise BridgeError("Vælg mindst ét tema, borgeren kunne have lyst til.", "themes")
    row = VolunteerRequest(
        citizen_id=citizen.id, origin=origin, wishes=wishes or "", considerations=considerations or "",
        themes=matching.join_themes(themes), weekdays=join_weekdays(weekdays), status=REQUEST_OPEN,
        course_id=course_id, guide_conversation_id=guide_conversation_id,
        created_by_id=user.id if user is not None else None)
    db.session.add(row)
    db.session.flush()
    return row


def requests_for_citizen(citizen_id: int) -> list[VolunteerRequest]:
    return list(db.session.scalars(select(VolunteerRequest).where(VolunteerRequest.citizen_id == citizen_id)
                                   .order_by(VolunteerRequest.created_at.desc(), VolunteerRequest.id.desc())))


def open_requests() -> list[VolunteerRequest]:
    """The queue: open requests, oldest first."""
    return list(db.session.scalars(select(VolunteerRequest).where(VolunteerRequest.status == REQUEST_OPEN,
                                                                  citizen_in_use(VolunteerRequest.citizen_id))
                                   .order_by(VolunteerRequest.created_at, VolunteerRequest.id)))


def close_request(row: VolunteerRequest, reason: str, user) -> None:
    if row.status == REQUEST_CLOSED:
        raise BridgeError("Efterlysningen er allerede lukket.")
    if not (reason or "").strip():
        raise BridgeError("Skriv kort, hvorfor efterlysningen lukkes.", "reason")
    row.status, row.close_reason = REQUEST_CLOSED, reason.strip()[:300]
    row.closed_by_id, row.closed_at = (user.id if user is not None else None), utcnow()
    db.session.flush()


def active_activities() -> list[VolunteerActivity]:
    return list(db.session.scalars(
        select(VolunteerActivity).join(VolunteerActivity.organisation)
        .where(VolunteerActivity.active.is_(True), VolunteerOrganisation.active.is_(True))
        .order_by(VolunteerActivity.title, VolunteerActivity.id)))


def suggestions(row: VolunteerRequest, activities: list[VolunteerActivity] | None = None) -> list[VolunteerActivity]:
    """Activities that suit this one request's wishes."""
    wishes = matching.Wishes(frozenset(matching.theme_codes(row.themes)),
                             frozenset(matching.weekday_codes(row.weekdays)))
    return matching.suitable(active_activities() if activities is None else activities, wishes)


# --- matches ------------------------------------------------------------------------------------


def matches_for_citizen(citizen_id: int) -> list[VolunteerMatch]:
    """Every match of the citizen, newest first (for the lead: Bilag 6's "frivilligt tilbud"
    yes/no derives from these – see matching.MATCH_STATES)."""
    return list(db.session.scalars(select(VolunteerMatch).where(VolunteerMatch.citizen_id == citizen_id)
                                   .order_by(VolunteerMatch.created_at.desc(), VolunteerMatch.id.desc())))


def propose(row: VolunteerRequest, activity: VolunteerActivity, user, today: date) -> VolunteerMatch:
    """The coordinator proposes an activity for a request: a match in state foreslaaet."""
    if row.status != REQUEST_OPEN:
        raise BridgeError("Efterlysningen er ikke længere åben.")
    if not matching.suits(activity, matching.Wishes(frozenset({activity.theme}))):
        raise BridgeError("Aktiviteten er sat på pause eller har ingen ledige pladser.", "activity_id")
    match = VolunteerMatch(citizen_id=row.citizen_id, request_id=row.id, activity_id=activity.id, state=PROPOSED,
                           created_by_id=user.id if user is not None else None)
    match.steps.append(VolunteerMatchStep(state=PROPOSED, day=today, recorded_by_id=match.created_by_id,
                                          comment=f"Foreslået: {activity.title}"[:500]))
    db.session.add(match)
    row.status = REQUEST_MATCHED
    db.session.flush()
    return match


def record_step(match: VolunteerMatch, to: str, day: date | None, comment: str, user, today: date) -> VolunteerMatchStep:
    """One dated, signed step. The caller has checked the consent where the step tells the
    organisation who the citizen is (`disclosure_consent`). A match that falls off reopens its
    request, so the queue shows it again."""
    try:
        matching.check_step(match.state, to, day, match.last_day, today)
    except StepRefused as refused:
        raise BridgeError(str(refused), refused.field) from None
    step = VolunteerMatchStep(state=to, day=day, comment=(comment or "").strip()[:500],
                              recorded_by_id=user.id if user is not None else None)
    match.steps.append(step)
    match.state = to
    saved(match, user)
    if to == DROPPED and match.request is not None and match.request.status == REQUEST_MATCHED:
        others = [m for m in matches_for_request(match.request_id) if m.id != match.id and m.state in OPEN_STATES]
        if not others:
            match.request.status = REQUEST_OPEN
    db.session.flush()
    return step


def matches_for_request(request_id: int) -> list[VolunteerMatch]:
    return list(db.session.scalars(select(VolunteerMatch).where(VolunteerMatch.request_id == request_id)))


def disclosure_consent(match: VolunteerMatch, today: date):
    """The consent that lets the organisation learn who the citizen is, or ConsentMissing."""
    return require_consent(match.citizen_id, RECIPIENT, today, "Borgerens navn og kontaktoplysninger")


def matches_by_state() -> dict[str, list[VolunteerMatch]]:
    """Open matches grouped by state (in state order), and those closed in the last 30 days."""
    rows = db.session.scalars(select(VolunteerMatch).where(citizen_in_use(VolunteerMatch.citizen_id))
                              .order_by(VolunteerMatch.created_at, VolunteerMatch.id))
    grouped = {state: [] for state in MATCH_STATES}
    for match in rows:
        grouped[match.state].append(match)
    return grouped


def state_counts() -> dict[str, int]:
    counts = Counter(db.session.scalars(select(VolunteerMatch.state).where(citizen_in_use(VolunteerMatch.citizen_id))))
    return {state: counts.get(state, 0) for state in MATCH_STATES}


# --- volunteer options early in the course ------------------------------------------------------


@dataclass(frozen=True)
class Options:
    has_wishes: bool
    activities: list


def options_for(citizen_id: int, course: Course | None, today: date) -> Options | None:
    """"Frivillige muligheder" from week 4 of the open course; None before (or with no course)."""
    if course is None or not matching.shows_options(course.start_date, course.end_date, today):
        return None
    wishes = matching.wishes_of(requests_for_citizen(citizen_id))
    if wishes.empty:
        return Options(False, [])
    return Options(True, matching.suitable(active_activities(), wishes))


def places_free() -> list[VolunteerActivity]:
    return [a for a in active_activities() if a.open_to_all or (a.places_free or 0) > 0]


# --- need to know -------------------------------------------------------------------------------


def links_coordinator(citizen_id: int, today: date | None = None) -> bool:
    """Whether a request, a match, a kick-off meeting or a course proposed for one (her home lists it)
    ties the citizen to the coordinator's work."""
    if db.session.scalar(select(
        exists().where(VolunteerRequest.citizen_id == citizen_id)
        | exists().where(VolunteerMatch.citizen_id == citizen_id)
        | exists().where(Meeting.citizen_id == citizen_id, Meeting.kind == KICKOFF_KIND))):
        return True
    open_courses = db.session.scalars(select(Course.id).where(Course.citizen_id == citizen_id,
                                                              Course.end_date.is_(None))).all()
    return bool(open_courses) and bool(kickoff_candidates(today or today_local(), open_courses))


def volunteer_consents(citizen_id: int, today: date):
    return valid_consent(citizen_id, RECIPIENT, today)


@dataclass(frozen=True)
class VolunteerOutcome:
    """Bilag 6's »Frivillige aktiviteter« for a course, and what it rests on (activity titles)."""

    answer: bool | None
    basis: list[str]
    has_matches: bool  # False: nothing to derive from (a course documented by hand before the bridge)


def bilag6_volunteer(citizen_id: int, course_start: date, course_end: date | None, today: date) -> VolunteerOutcome:
    """Derived from the citizen's matches (matching.bilag6_volunteer): the days they got »i gang«."""
    rows = db.session.execute(
        select(VolunteerMatchStep.day, VolunteerActivity.title)
        .join(VolunteerMatch, VolunteerMatch.id == VolunteerMatchStep.match_id)
        .join(VolunteerActivity, VolunteerActivity.id == VolunteerMatch.activity_id)
        .where(VolunteerMatch.citizen_id == citizen_id, VolunteerMatchStep.state == matching.ONGOING)
        .order_by(VolunteerMatchStep.day)).all()
    has_open = bool(db.session.scalar(select(exists().where(
        VolunteerMatch.citizen_id == citizen_id, VolunteerMatch.state.in_(sorted(matching.OPEN_STATES))))))
    answer = matching.bilag6_volunteer([day for day, _ in rows], has_open, course_start, course_end, today)
    last = (course_end or today) + timedelta(days=matching.BILAG6_GRACE_DAYS)
    basis = [f"{title} (i gang {format_date(day)})" for day, title in rows if course_start <= day <= last]
    has_matches = bool(db.session.scalar(select(exists().where(VolunteerMatch.citizen_id == citizen_id))))
    return VolunteerOutcome(answer, basis, has_matches)
