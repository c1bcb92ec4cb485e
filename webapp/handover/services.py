"""Handover (Bilag 4) and direct-to-authority rules: prefill from what is already known,
send only with consent, receive, plain text for pasting into the authority's own system.

Plain functions with explicit arguments; they flush and never commit."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import versioning
from ..board import Slot, SlotItem, board_slot
from ..citizens.hooks import citizen_section
from ..citizens.milestones import MAX_WEEKS, course_week
from ..citizens.models import Citizen, Course, GuideConversation, Meeting, citizen_in_use
from ..extensions import db
from ..timeutil import format_date, local, today_local, utcnow
from ..workdays import working_days_between
from . import consents
from .models import (
    AGREEMENTS_FIELD,
    COURSE_FIELDS,
    DIRECT_DECISIONS,
    FUNCTIONAL_THEMES,
    HANDOVER_RECIPIENT,
    TEXT_FIELDS,
    DirectAuthorityProposal,
    Handover,
)

UNANSWERED_AFTER_WORKING_DAYS = 5

# Meeting.kind -> (one, many): how the form speaks of the activities attended.
MEETING_KINDS = {
    "opfoelgning": ("opfølgning", "opfølgninger"),
    "coaching": ("coachende samtale", "coachende samtaler"),
    "paaroerende": ("pårørendesamtale", "pårørendesamtaler"),
    "netvaerksmoede": ("netværksmøde", "netværksmøder"),
    "nada": ("NADA-behandling", "NADA-behandlinger"),
}


class HandoverError(ValueError):
    """Something the handover flow does not allow; the message is Danish and shown as is."""


# --- activities attended (hours) -----------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    one: str
    many: str
    count: int
    minutes: int

    @property
    def phrase(self) -> str:
        return f"{self.count} {self.one if self.count == 1 else self.many}"


# Other features add what a citizen attended in a course (group sessions, volunteer activities):
# a provider takes the course and returns a list of Activity. Register at import time.
ACTIVITY_SOURCES: list[Callable[[Course], list[Activity]]] = []


def activity_source(provider):
    ACTIVITY_SOURCES.append(provider)
    return provider


def course_activities(course: Course, today: date) -> list[Activity]:
    """Held meetings of the course by kind, outreach visits in the course period, then whatever
    other features add. Only what happened counts (status afholdt, not in the future)."""
    from ..outreach.services import visits_between

    rows = db.session.execute(
        select(Meeting.kind, func.count(), func.coalesce(func.sum(Meeting.duration_minutes), 0))
        .where(Meeting.course_id == course.id, Meeting.status == "afholdt")
        .group_by(Meeting.kind)
    ).all()
    by_kind = {kind: (n, int(minutes or 0)) for kind, n, minutes in rows}
    activities = []
    for kind in [*MEETING_KINDS, *sorted(set(by_kind) - set(MEETING_KINDS))]:
        if kind in by_kind:
            one, many = MEETING_KINDS.get(kind, (kind, kind))
            n, minutes = by_kind[kind]
            activities.append(Activity(one, many, n, minutes))
    last = course.end_date or today
    visits = visits_between(course.citizen_id, course.start_date, last)
    if visits:
        activities.append(
            Activity("besøg fra den udekørende funktion", "besøg fra den udekørende funktion",
                     len(visits), sum(v.duration_minutes for v in visits))
        )
    for provider in ACTIVITY_SOURCES:
        activities.extend(provider(course))
    return activities


def hours_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} minutter"
    text = f"{hours} time" + ("r" if hours != 1 else "")
    return f"{text} og {rest} minutter" if rest else text


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def _weeks_days(days: int) -> str:
    weeks, rest = divmod(days, 7)
    parts = []
    if weeks:
        parts.append(f"{weeks} uge" + ("r" if weeks != 1 else ""))
    if rest or not weeks:
        parts.append(f"{rest} dag" + ("e" if rest != 1 else ""))
    return " og ".join(parts)


def course_length_text(course: Course, today: date) -> str:
    """First person, computed from the course dates (Bilag 4: "Hvor langt har mit forløb været")."""
    if course.end_date is not None and course.end_date <= today:
        days = (course.end_date - course.start_date).days + 1
        return (
            f"Mit forløb varede fra {format_date(course.start_date)} til {format_date(course.end_date)}: "
            f"{_weeks_days(days)}."
        )
    days = max((today - course.start_date).days + 1, 0)
    week = course_week(course.start_date, today)
    return (
        f"Mit forløb startede {format_date(course.start_date)} og har indtil nu varet {_weeks_days(days)} "
        f"(uge {week} af højst {MAX_WEEKS})."
    )


# --- prefill -------------------------------------------------------------------------------------


def _plan_for(course: Course):
    from ..plans.models import Plan

    return db.session.scalar(select(Plan).where(Plan.course_id == course.id))


def prefill(course: Course, today: date) -> dict[str, str | None]:
    """What is already known, in the form's words: Min Plan's reasons, goal and sub-goals, the
    activities attended and the hours; staff edit it afterwards."""
    plan = _plan_for(course)
    activities = course_activities(course, today)
    data: dict[str, str | None] = dict.fromkeys(TEXT_FIELDS)
    data["course_length"] = course_length_text(course, today)

    worked = []
    if plan is not None:
        data["reasons"] = plan.reasons
        if plan.goal:
            worked.append(f"Mit mål: {plan.goal.strip()}")
        if plan.sub_goals:
            worked.append(f"Mine delmål: {plan.sub_goals.strip()}")
        latest = plan.follow_ups[-1] if plan.follow_ups else None
        if latest is not None and latest.parts_reached:
            worked.append(f"Det har jeg nået: {latest.parts_reached.strip()}")
        data["dream"] = plan.future_plan
        data["benefit"] = plan.achieved or (latest.succeeded if latest is not None else None)
    if activities:
        worked.append(f"Aktiviteter, jeg har deltaget i: {_join([a.phrase for a in activities])}.")
        minutes = sum(a.minutes for a in activities)
        how = f"Vi har arbejdet med det gennem {_join([a.phrase for a in activities])}"
        data["how_worked"] = how + (f" – i alt {hours_text(minutes)} med borgeren." if minutes else ".")
    data["worked_on"] = "\n".join(worked) or None
    return data


# --- the handover flow ---------------------------------------------------------------------------


def course_for_new_handover(citizen: Citizen, course_id: int | None = None) -> Course:
    """The course a new handover is made from: the given one, or the citizen's latest."""
    query = select(Course).where(Course.citizen_id == citizen.id)
    if course_id is not None:
        query = query.where(Course.id == course_id)
    course = db.session.scalar(query.order_by(Course.start_date.desc(), Course.id.desc()).limit(1))
    if course is None:
        raise HandoverError(
            f"{citizen.first_name} har ikke noget forløb i Din Indgang, så der er ikke noget at overdrage fra. "
            "Skal borgeren direkte til myndighedsafdelingen, så brug »Foreslå direkte til myndighed«."
        )
    return course


def handover_for_course(course_id: int) -> Handover | None:
    return db.session.scalar(select(Handover).where(Handover.course_id == course_id))


def create_handover(course: Course, user, today: date) -> tuple[Handover, bool]:
    """A draft prefilled from the course; the existing one (created False) if there is one."""
    existing = handover_for_course(course.id)
    if existing is not None:
        return existing, False
    handover = Handover(
        citizen_id=course.citizen_id,
        course_id=course.id,
        status="kladde",
        created_at=utcnow(),
        created_by_id=user.id,
        **prefill(course, today),
    )
    db.session.add(handover)
    db.session.flush()
    return handover, True


def handover_values(handover: Handover) -> dict[str, str | None]:
    """The draft's texts as saved now, by form field (what the version check compares)."""
    return {name: getattr(handover, name) for name in TEXT_FIELDS}


def update_handover(handover: Handover, data: dict[str, str | None], user) -> None:
    if not handover.is_draft:
        raise HandoverError("Overdragelsen er sendt og kan ikke længere ændres.")
    for name in TEXT_FIELDS:
        if name in data:
            value = (data[name] or "").strip()
            setattr(handover, name, value or None)
    handover.updated_at = utcnow()
    handover.updated_by_id = user.id
    versioning.saved(handover, user)
    db.session.flush()


def send_handover(handover: Handover, user, today: date, now: datetime | None = None):
    """kladde -> sendt, only with a valid consent (or recorded legal basis) for the authority
    department. Returns the consent used (the caller audits the disclosure with it)."""
    if not handover.is_draft:
        raise HandoverError(f"Overdragelsen er allerede {handover.status_label.lower()}.")
    if not (handover.reasons or "").strip():
        raise HandoverError("Skriv, hvad der har gjort, at borgeren har opsøgt støtte, før overdragelsen sendes.")
    consent = consents.require_consent(handover.citizen_id, HANDOVER_RECIPIENT, today, "Overdragelsen")
    handover.status = "sendt"
    handover.consent_id = consent.id
    handover.sent_at = now or utcnow()
    handover.sent_by_id = user.id
    db.session.flush()
    return consent


def receive_handover(handover: Handover, user, now: datetime | None = None) -> bool:
    """The authority department opened it: sendt -> modtaget (True when it changed now)."""
    if handover.status != "sendt":
        return False
    handover.status = "modtaget"
    handover.received_at = now or utcnow()
    handover.received_by_id = user.id
    db.session.flush()
    return True


def inbox(limit: int = 200) -> list[Handover]:
    """Sent and received handovers, newest first (the authority department's inbox)."""
    return list(
        db.session.scalars(
            select(Handover)
            .where(Handover.status.in_(("sendt", "modtaget")), citizen_in_use(Handover.citizen_id))
            .order_by(Handover.status.desc(), Handover.sent_at.desc())
            .limit(limit)
        )
    )


def plain_text(handover: Handover) -> str:
    """The form as plain text, in the form's order, for pasting into the authority's system.
    Functional level themes without information are left out, as the form says."""
    citizen = handover.citizen
    lines = [
        "OVERDRAGELSESSKEMA TIL MYNDIGHEDSAFDELINGEN",
        f"Borgerens navn og cpr.nr.: {citizen.full_name}, {citizen.cpr_masked or 'cpr.nr. ikke registreret'}",
    ]
    if handover.sent_at is not None:
        sender = handover.sent_by.full_name if handover.sent_by else ""
        lines.append(f"Sendt: {format_date(handover.sent_at)}" + (f" af {sender}" if sender else ""))
    lines += ["", "FORLØB I DIN INDGANG"]
    for name, label in COURSE_FIELDS.items():
        lines += ["", label, (getattr(handover, name) or "–").strip()]
    lines += ["", "FUNKTIONSNIVEAU (udfyldt, hvor der i forløbet er kommet oplysninger)"]
    themes = [(label, getattr(handover, name)) for name, label in FUNCTIONAL_THEMES.items() if getattr(handover, name)]
    if themes:
        for label, text in themes:
            lines += ["", f"{label}:", text.strip()]
    else:
        lines += ["", "Ingen oplysninger."]
    for name, label in AGREEMENTS_FIELD.items():
        lines += ["", label.upper(), (getattr(handover, name) or "–").strip()]
    return "\n".join(lines) + "\n"


def unanswered(today: date) -> list[tuple[Handover, bool]]:
    """Sent, not yet received: (handover, late) – late after 5 working days."""
    rows = db.session.scalars(
        select(Handover)
        .options(selectinload(Handover.citizen).load_only(Citizen.first_name, Citizen.last_name))
        .where(Handover.status == "sendt")
        .order_by(Handover.sent_at)
    ).all()
    return [
        (h, working_days_between(local(h.sent_at).date(), today) > UNANSWERED_AFTER_WORKING_DAYS) for h in rows
    ]


# --- directly to the authority department --------------------------------------------------------


def propose_direct(citizen: Citizen, reason: str, user, guide_conversation: GuideConversation | None = None):
    """A proposal for the Friday meeting; the existing one for the same guide conversation."""
    reason = (reason or "").strip()
    if not reason:
        raise HandoverError("Skriv, hvorfor borgeren bør gå direkte til myndighedsafdelingen.")
    if guide_conversation is not None:
        if guide_conversation.citizen_id != citizen.id:
            raise HandoverError("Guidesamtalen hører til en anden borger.")
        existing = db.session.scalar(
            select(DirectAuthorityProposal).where(
                DirectAuthorityProposal.guide_conversation_id == guide_conversation.id
            )
        )
        if existing is not None:
            return existing, False
    proposal = DirectAuthorityProposal(
        citizen_id=citizen.id,
        guide_conversation_id=guide_conversation.id if guide_conversation else None,
        reason=reason,
        proposed_at=utcnow(),
        proposed_by_id=user.id,
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal, True


def decide_direct(proposal: DirectAuthorityProposal, decision: str, note: str | None, user, meeting_date: date):
    """Record the Friday meeting's decision (who and when); a decision can be corrected."""
    if decision not in DIRECT_DECISIONS:
        raise HandoverError("Vælg, om forslaget godkendes eller ikke godkendes.")
    proposal.decision = decision
    proposal.decision_note = (note or "").strip() or None
    proposal.decided_on = meeting_date
    proposal.decided_by_id = user.id
    proposal.decided_at = utcnow()
    versioning.saved(proposal, user)
    db.session.flush()


def proposals_for(citizen_id: int) -> list[DirectAuthorityProposal]:
    return list(
        db.session.scalars(
            select(DirectAuthorityProposal)
            .where(DirectAuthorityProposal.citizen_id == citizen_id)
            .order_by(DirectAuthorityProposal.proposed_at.desc())
        )
    )


def handovers_for(citizen_id: int) -> list[Handover]:
    return list(
        db.session.scalars(
            select(Handover).where(Handover.citizen_id == citizen_id).order_by(Handover.created_at.desc())
        )
    )


def direct_candidates(citizen_id: int) -> list[GuideConversation]:
    """The citizen's guide conversations with outcome "direkte_myndighed" and no proposal yet."""
    taken = select(DirectAuthorityProposal.guide_conversation_id).where(
        DirectAuthorityProposal.guide_conversation_id.is_not(None)
    )
    return list(
        db.session.scalars(
            select(GuideConversation)
            .where(
                GuideConversation.citizen_id == citizen_id,
                GuideConversation.outcome == "direkte_myndighed",
                GuideConversation.id.not_in(taken),
            )
            .order_by(GuideConversation.scheduled_at.desc())
        )
    )


# --- the day board -------------------------------------------------------------------------------


@board_slot
def unanswered_handovers(day: date) -> Slot:
    """Handovers the authority department has not opened yet; red after 5 working days."""
    items = [
        SlotItem(f"{h.citizen.discreet_name} – sendt {format_date(h.sent_at)}, ikke modtaget", urgent=late,
                 citizen_id=h.citizen_id, discreet=h.citizen.discreet_name)
        for h, late in unanswered(day)
    ]
    # Folded on the tablet: it ties a named person to the authority department.
    return Slot("Overdragelser uden kvittering", items, noun=("overdragelse", "overdragelser"))


# --- the citizen page ----------------------------------------------------------------------------


@citizen_section
def citizen_page_section(citizen: Citizen, open_course: Course | None):
    """Consents (one-tap withdrawal), handovers, direct proposals and outreach on the citizen page."""
    from ..outreach.services import outreach_minutes, requests_for_citizen

    course = open_course or db.session.scalar(
        select(Course).where(Course.citizen_id == citizen.id).order_by(Course.start_date.desc()).limit(1)
    )
    handovers = handovers_for(citizen.id)
    return "handover/_citizen_section.html", {
        "citizen": citizen,
        "today": today_local(),
        "consents": consents.consents_for(citizen.id),
        "consent_states": consents.CONSENT_STATES,
        "recipient_label": consents.recipient_label,
        "handovers": handovers,
        "course": course,
        "has_handover": course is not None and any(h.course_id == course.id for h in handovers),
        "proposals": proposals_for(citizen.id),
        "outreach": requests_for_citizen(citizen.id),
        "outreach_minutes": outreach_minutes(citizen.id),
    }
