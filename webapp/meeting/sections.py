"""The agenda's sections: each a plain function of the meeting date (no request, no clock), so
tests can move through time. "Since the last meeting" is the half-open window [previous Friday,
this Friday)."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from ..citizens.milestones import ENDING_SOON_DAYS, MAX_WEEKS, assessment_due, course_week, latest_end
from ..citizens.models import Citizen, Course, GuideConversation, Meeting, citizen_names, discreet_name
from ..extensions import db
from ..handover.models import DirectAuthorityProposal, Handover
from ..outreach import services as outreach
from ..timeutil import day_bounds, format_date, local
from ..workdays import working_days_between
from .items import (
    ASSESSMENT_WEEK,
    DIRECT_LOOKBACK_DAYS,
    NO_SHOW_WINDOW_DAYS,
    UNANSWERED_HANDOVER_DAYS,
    AgendaItem,
    DecisionView,
    ProposalView,
    outcome_label,
)
from .models import MeetingDecision
from .rules import REACH_OUT_THRESHOLD, missed_in_a_row, previous_meeting_date

# --- helpers -------------------------------------------------------------------------------------


def _window(meeting_date: date) -> tuple[datetime, datetime]:
    """UTC instants of [previous Friday 00:00, this Friday 00:00) in Copenhagen."""
    start, _ = day_bounds(previous_meeting_date(meeting_date))
    end, _ = day_bounds(meeting_date)
    return start, end


def _end_of(day: date) -> datetime:
    return day_bounds(day)[1]


def _name(citizen: Citizen | None) -> str:
    return citizen.discreet_name if citizen is not None else "Borger uden navn"


def _staff_names(*users) -> str:
    return ", ".join(u.first_name for u in users if u is not None)


def _open_on(meeting_date: date):
    """Started by the meeting date and not closed by then (index-friendly on (end_date, start_date))."""
    return (Course.start_date <= meeting_date) & or_(Course.end_date.is_(None), Course.end_date > meeting_date)


class OpenCourse(NamedTuple):
    """What the course sections need of a running course (plain rows: hundreds per agenda)."""

    id: int
    citizen_id: int
    start_date: date
    assessment_date: date | None
    first_name: str
    last_name: str

    @property
    def citizen_name(self) -> str:
        return discreet_name(self.first_name, self.last_name)


def open_courses(
    meeting_date: date,
    started_from: date | None = None,
    started_by: date | None = None,
    unassessed: bool = False,
) -> list[OpenCourse]:
    """Courses running on the meeting date with their citizens' names; optionally only those
    started in [started_from, started_by] (the sections need only some weeks of the course), or
    only those whose assessment of future needs is not recorded by the meeting date."""
    query = select(
        Course.id, Course.citizen_id, Course.start_date, Course.assessment_date, *citizen_names(Course.citizen_id),
    ).where(_open_on(meeting_date))
    if unassessed:
        query = query.where(or_(Course.assessment_date.is_(None), Course.assessment_date > meeting_date))
    if started_from is not None:
        query = query.where(Course.start_date >= started_from)
    if started_by is not None:
        query = query.where(Course.start_date <= started_by)
    return [OpenCourse(*row) for row in db.session.execute(query.order_by(Course.start_date, Course.id))]


def _held_guide_conversations(meeting_date: date) -> list[GuideConversation]:
    start, end = _window(meeting_date)
    return list(
        db.session.scalars(
            select(GuideConversation)
            .where(
                GuideConversation.status == "afholdt",
                GuideConversation.scheduled_at >= start,
                GuideConversation.scheduled_at < end,
            )
            .options(
                joinedload(GuideConversation.citizen),
                joinedload(GuideConversation.staff1),
                joinedload(GuideConversation.staff2),
            )
            .order_by(GuideConversation.scheduled_at, GuideConversation.id)
        )
    )


def lacks_authority_experience(gc: GuideConversation) -> bool:
    """Flagged at the conversation, or none of the staff recorded has authority experience."""
    staff = [s for s in (gc.staff1, gc.staff2) if s is not None]
    return bool(gc.lacks_authority_experience) or (bool(staff) and not any(s.has_authority_experience for s in staff))


# --- the sections --------------------------------------------------------------------------------


def new_citizens(meeting_date: date, conversations: list[GuideConversation] | None = None) -> list[AgendaItem]:
    conversations = _held_guide_conversations(meeting_date) if conversations is None else conversations
    items = []
    for gc in conversations:
        facts = [f"Guidesamtale {format_date(gc.scheduled_at)} – udfald: {outcome_label(gc.outcome)}"]
        if names := _staff_names(gc.staff1, gc.staff2):
            facts.append(f"Holdt af {names}")
        items.append(
            AgendaItem(
                key=f"gc:{gc.id}",
                section="new_citizens",
                title=_name(gc.citizen),
                needs="Orientering: ny borger og udfaldet af guidesamtalen",
                facts=facts,
                citizen_id=gc.citizen_id,
            )
        )
    return items


def guides_without_authority(
    meeting_date: date, conversations: list[GuideConversation] | None = None
) -> list[AgendaItem]:
    conversations = _held_guide_conversations(meeting_date) if conversations is None else conversations
    items = []
    for gc in conversations:
        if not lacks_authority_experience(gc):
            continue
        facts = [f"Guidesamtale {format_date(gc.scheduled_at)} – udfald: {outcome_label(gc.outcome)}"]
        if names := _staff_names(gc.staff1, gc.staff2):
            facts.append(f"Deltog: {names} – ingen med myndighedserfaring")
        else:
            facts.append("Ingen med myndighedserfaring deltog")
        items.append(
            AgendaItem(
                key=f"gc-authority:{gc.id}",
                section="guide_without_authority",
                title=_name(gc.citizen),
                needs="Sikr borgerens rettigheder: myndighedslederen ser på udfaldet",
                facts=facts,
                citizen_id=gc.citizen_id,
            )
        )
    return items


def week10_assessments(meeting_date: date, courses: list[OpenCourse] | None = None) -> list[AgendaItem]:
    """Open courses at or past week 10 (up to week 20) whose assessment of future needs is not
    recorded by the meeting date."""
    if courses is None:
        courses = open_courses(
            meeting_date,
            started_from=meeting_date - timedelta(days=7 * MAX_WEEKS - 1),
            started_by=meeting_date - timedelta(days=7 * (ASSESSMENT_WEEK - 1)),
            unassessed=True,
        )
    items = []
    for course in courses:
        week = course_week(course.start_date, meeting_date)
        if not ASSESSMENT_WEEK <= week <= MAX_WEEKS:
            continue
        if course.assessment_date is not None and course.assessment_date <= meeting_date:
            continue
        due = assessment_due(course.start_date)
        late = meeting_date > due
        items.append(
            AgendaItem(
                key=f"course-assessment:{course.id}",
                section="week10_assessment",
                title=course.citizen_name,
                needs="Vurdering af fremtidige behov (senest i uge 10)",
                facts=[
                    f"Uge {week} af højst {MAX_WEEKS}",
                    f"Vurdering senest {format_date(due)}" + (" – ikke registreret" if late else ""),
                ],
                urgent=late,
                urgent_label="Overskredet" if late else "",
                citizen_id=course.citizen_id,
            )
        )
    return items


def ending_soon(meeting_date: date, courses: list[OpenCourse] | None = None) -> list[AgendaItem]:
    """Open courses whose latest end (the last day of week 20) is within two weeks, or passed."""
    if courses is None:
        # latest end = start + 139 days; within ENDING_SOON_DAYS of the meeting or passed
        last_start = meeting_date + timedelta(days=ENDING_SOON_DAYS) - timedelta(days=7 * MAX_WEEKS - 1)
        courses = open_courses(meeting_date, started_by=last_start)
    items = []
    for course in courses:
        last = latest_end(course.start_date)
        days_left = (last - meeting_date).days
        if days_left > ENDING_SOON_DAYS:
            continue
        week = course_week(course.start_date, meeting_date)
        past = days_left < 0
        facts = [f"Uge {week} af højst {MAX_WEEKS}"]
        facts.append(
            f"Har passeret 20 uger – seneste slutdato var {format_date(last)}" if past
            else f"Slutter senest {format_date(last)}"
        )
        items.append(
            AgendaItem(
                key=f"course-ending:{course.id}",
                section="ending_soon",
                title=course.citizen_name,
                needs="Afslutning: hvad skal være på plads – og husk, at borgeren altid kan komme igen",
                facts=facts,
                urgent=past,
                urgent_label="Over 20 uger" if past else "",
                citizen_id=course.citizen_id,
            )
        )
    return items


def kickoff_items(meeting_date: date) -> list[AgendaItem]:
    """Courses at week 16 or with a closing planned and no kick-off booked: the meeting sees that the
    last meeting, with the volunteer coordinator, gets booked (#12)."""
    from ..volunteers.kickoff import kickoff_candidates

    return [
        AgendaItem(
            key=f"course-kickoff:{c.course_id}",
            section="kickoff",
            title=c.citizen_name,
            needs="Book kick-off-mødet med frivilligkoordinatoren – så borgeren har noget at gå videre til",
            facts=[c.reason],
            citizen_id=c.citizen_id,
            kickoff_course_id=c.course_id,
        )
        for c in kickoff_candidates(meeting_date)
    ]


def handover_proposals(meeting_date: date) -> list[AgendaItem]:
    """Draft handovers, sent handovers not yet received, direct-to-authority proposals not yet
    decided (or decided at this meeting), and "direct" guide conversations without a proposal."""
    end = _end_of(meeting_date)
    items = []
    handovers = db.session.scalars(
        select(Handover)
        .where(Handover.created_at < end, or_(Handover.received_at.is_(None), Handover.received_at >= end))
        .options(joinedload(Handover.citizen))
        .order_by(Handover.created_at, Handover.id)
    )
    for h in handovers:
        if h.sent_at is not None and h.sent_at < end:
            days = working_days_between(local(h.sent_at).date(), meeting_date)
            late = days > UNANSWERED_HANDOVER_DAYS
            items.append(
                AgendaItem(
                    key=f"handover:{h.id}",
                    section="handover_proposals",
                    title=_name(h.citizen),
                    needs="Overdragelse sendt – myndighedsafdelingen har ikke markeret den som modtaget endnu",
                    facts=[f"Sendt {format_date(h.sent_at)}"],
                    urgent=late,
                    urgent_label="Ikke modtaget" if late else "",
                    citizen_id=h.citizen_id,
                    handover_id=h.id,
                )
            )
        else:
            items.append(
                AgendaItem(
                    key=f"handover:{h.id}",
                    section="handover_proposals",
                    title=_name(h.citizen),
                    needs="Forslag om overdragelse til myndighedsafdelingen",
                    facts=[f"Overdragelsesskema påbegyndt {format_date(h.created_at)} (kladde)"],
                    citizen_id=h.citizen_id,
                    handover_id=h.id,
                )
            )

    proposals = db.session.scalars(
        select(DirectAuthorityProposal)
        .where(
            # Decided at this meeting: also one the meeting itself made from a guide conversation.
            or_(DirectAuthorityProposal.proposed_at < end, DirectAuthorityProposal.decided_on == meeting_date),
            or_(DirectAuthorityProposal.decided_on.is_(None), DirectAuthorityProposal.decided_on >= meeting_date),
        )
        .options(joinedload(DirectAuthorityProposal.citizen), joinedload(DirectAuthorityProposal.decided_by))
        .order_by(DirectAuthorityProposal.proposed_at, DirectAuthorityProposal.id)
    )
    for p in proposals:
        facts = [f"Foreslået {format_date(p.proposed_at)}" + (" ved guidesamtale" if p.guide_conversation_id else "")]
        decided_here = p.decided_on == meeting_date
        if decided_here:
            by = p.decided_by.full_name if p.decided_by else ""
            facts.append(f"Besluttet: {p.decision_label}" + (f" ({by})" if by else ""))
        items.append(
            AgendaItem(
                key=f"direct:{p.id}",
                section="handover_proposals",
                title=_name(p.citizen),
                needs="Beslut: direkte til myndighedsafdelingen?",
                facts=facts,
                details=[("Begrundelse", p.reason)] + ([("Bemærkning", p.decision_note)] if p.decision_note else []),
                citizen_id=p.citizen_id,
                proposal=ProposalView(p.id, p.decision, p.decision_note, p.version) if (p.decided_on is None or decided_here)
                else None,
            )
        )

    taken = select(DirectAuthorityProposal.guide_conversation_id).where(
        DirectAuthorityProposal.guide_conversation_id.is_not(None)
    )
    candidates = db.session.scalars(
        select(GuideConversation)
        .where(
            GuideConversation.outcome == "direkte_myndighed",
            GuideConversation.scheduled_at < end,
            GuideConversation.scheduled_at >= end - timedelta(days=DIRECT_LOOKBACK_DAYS),
            GuideConversation.id.not_in(taken),
        )
        .options(joinedload(GuideConversation.citizen))
        .order_by(GuideConversation.scheduled_at, GuideConversation.id)
    )
    for gc in candidates:
        items.append(
            AgendaItem(
                key=f"direct-gc:{gc.id}",
                section="handover_proposals",
                title=_name(gc.citizen),
                needs="Beslut: direkte til myndighedsafdelingen? (foreslået ved guidesamtalen)",
                facts=[f"Guidesamtale {format_date(gc.scheduled_at)}"],
                details=[("Begrundelse", gc.direct_authority_reason)] if gc.direct_authority_reason else [],
                citizen_id=gc.citizen_id,
                guide_conversation_id=gc.id if gc.citizen_id else None,
            )
        )
    return items


def outreach_items(meeting_date: date) -> list[AgendaItem]:
    """Open outreach requests; overdue ones (no action for 5 working days) first, in red."""
    items = []
    for request in outreach.open_requests(meeting_date):
        since = outreach.overdue_since(request, meeting_date)
        last = outreach.last_action_on(request, meeting_date)
        who = request.assigned_to.first_name if request.assigned_to and request.state != "modtaget" else None
        facts = [
            f"Fra {outreach.partner_label(request)} – modtaget {format_date(request.received_on)}",
            f"Status: {request.state_label}" + (f", tildelt {who}" if who else ", ikke tildelt"),
            f"Seneste handling {format_date(last)}" + (
                f" – forsinket siden {format_date(since)}" if since
                else f", næste handling senest {format_date(outreach.action_due_by(request, meeting_date))}"
            ),
        ]
        if request.urgency == "haster":
            facts.append("Haster")
        items.append(
            AgendaItem(
                key=f"outreach:{request.id}",
                section="outreach",
                title=request.first_name,
                needs="Ingen handling i 5 arbejdsdage – hvem tager den?" if since else "Følg op på anmodningen",
                facts=facts,
                details=[("Hvorfor kan borgeren ikke komme", request.reason)],
                urgent=since is not None,
                urgent_label="Forsinket" if since else "",
                citizen_id=request.citizen_id,
                outreach_id=request.id,
            )
        )
    items.sort(key=lambda i: not i.urgent)  # stable: overdue first, then oldest first
    return items


# Other features add attendance (group sessions …): a provider takes (citizens, first day, last
# day) and yields (citizen_id, date, attended). `citizens` is a SELECT of citizen ids, for use as
# `Model.citizen_id.in_(citizens)`: the database joins it, however many citizens are in a course.
# Register at import time.
AttendanceSource = Callable[[Select, date, date], Iterable[tuple[int, date, bool]]]
ATTENDANCE_SOURCES: list[AttendanceSource] = []


def attendance_source(provider: AttendanceSource) -> AttendanceSource:
    ATTENDANCE_SOURCES.append(provider)
    return provider


def meeting_attendance(citizen_ids: set[int], first: date, last: date) -> list[tuple[int, date, bool]]:
    """Course meetings held or missed (planned and cancelled ones say nothing about attendance)."""
    if not citizen_ids:
        return []
    start, _ = day_bounds(first)
    rows = db.session.execute(
        select(Meeting.citizen_id, Meeting.starts_at, Meeting.status).where(
            Meeting.citizen_id.in_(sorted(citizen_ids)),
            Meeting.starts_at >= start,
            Meeting.starts_at < _end_of(last),
            Meeting.status.in_(("afholdt", "udeblevet")),
        )
    )
    return [(citizen_id, local(starts_at).date(), status == "afholdt") for citizen_id, starts_at, status in rows]


def _meeting_misses(first: date, last: date) -> dict[int, int]:
    """Citizen -> missed course meetings in the period: one grouped query over the time index."""
    start, _ = day_bounds(first)
    rows = db.session.execute(
        select(Meeting.citizen_id, func.count())
        .where(Meeting.starts_at >= start, Meeting.starts_at < _end_of(last), Meeting.status == "udeblevet")
        .group_by(Meeting.citizen_id)
    )
    return dict(rows.all())


def repeated_no_shows(meeting_date: date, sources: Iterable[AttendanceSource] | None = None) -> list[AgendaItem]:
    """Citizens in a course who missed two or more appointments in a row, counting course
    meetings and whatever `sources` add (default: the registered ATTENDANCE_SOURCES).

    Only citizens with two or more misses in the period can qualify, so their full attendance is
    read only for them: cheap with many courses."""
    citizens = select(Course.citizen_id).where(_open_on(meeting_date))
    in_course = set(db.session.scalars(citizens))
    if not in_course:
        return []
    first = meeting_date - timedelta(days=NO_SHOW_WINDOW_DAYS)
    extra: list[tuple[int, date, bool]] = []
    for source in ATTENDANCE_SOURCES if sources is None else sources:
        extra.extend(row for row in source(citizens, first, meeting_date) if row[0] in in_course)
    misses = defaultdict(int, _meeting_misses(first, meeting_date))
    for citizen_id, _day, attended in extra:
        misses[citizen_id] += not attended
    candidates = {cid for cid, n in misses.items() if n >= REACH_OUT_THRESHOLD and cid in in_course}
    if not candidates:
        return []
    attendance: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    for citizen_id, day, attended in [*meeting_attendance(candidates, first, meeting_date), *extra]:
        if citizen_id in candidates and day <= meeting_date:
            attendance[citizen_id].append((day, attended))
    citizens = {c.id: c for c in db.session.scalars(select(Citizen).where(Citizen.id.in_(sorted(candidates))))}
    items = []
    for citizen_id, rows in sorted(attendance.items()):
        missed = missed_in_a_row(rows)
        if missed < REACH_OUT_THRESHOLD:
            continue
        latest = max(day for day, _ in rows)
        items.append(
            AgendaItem(
                key=f"no-shows:{citizen_id}",
                section="repeated_no_shows",
                title=_name(citizens.get(citizen_id)),
                needs="Hvem rækker ud? Med ægte bekymring – aldrig som sanktion",
                facts=[f"{missed} aftaler i træk uden fremmøde (senest {format_date(latest)})"],
                citizen_id=citizen_id,
            )
        )
    return items


def returned_citizens(meeting_date: date) -> list[AgendaItem]:
    previous = previous_meeting_date(meeting_date)
    courses = db.session.scalars(
        select(Course)
        .where(
            Course.is_return.is_(True),
            Course.start_date >= previous,
            Course.start_date < meeting_date,
            # always true (a course ends after it starts) but lets the (end_date, start_date) index serve
            or_(Course.end_date.is_(None), Course.end_date >= previous),
        )
        .options(joinedload(Course.citizen))
        .order_by(Course.start_date, Course.id)
    )
    return [
        AgendaItem(
            key=f"return:{c.id}",
            section="returned_citizens",
            title=_name(c.citizen),
            needs="Orientering: borgeren er vendt tilbage til Din Indgang",
            facts=[f"Nyt forløb fra {format_date(c.start_date)}"],
            citizen_id=c.citizen_id,
        )
        for c in courses
    ]


def open_decisions(meeting_date: date) -> list[AgendaItem]:
    """Decisions from earlier meetings that were not done before this meeting's day."""
    start, _ = day_bounds(meeting_date)
    decisions = db.session.scalars(
        select(MeetingDecision)
        .where(
            MeetingDecision.meeting_date < meeting_date,
            or_(MeetingDecision.done_at.is_(None), MeetingDecision.done_at >= start),
        )
        .options(joinedload(MeetingDecision.responsible))
        .order_by(MeetingDecision.meeting_date, MeetingDecision.id)
    )
    items = []
    for d in decisions:
        facts = [f"Besluttet {format_date(d.meeting_date)}: {d.text}"]
        if d.responsible is not None:
            facts.append(f"Ansvarlig: {d.responsible.full_name}")
        late = d.deadline is not None and d.deadline < meeting_date and d.done_at is None
        if d.deadline is not None:
            facts.append(f"Frist: {format_date(d.deadline)}")
        if d.done_at is not None:
            facts.append(f"Udført {format_date(d.done_at)}")
        items.append(
            AgendaItem(
                key=f"decision:{d.id}",
                section="open_decisions",
                title=d.item_label,
                needs="Er det gjort?",
                facts=facts,
                urgent=late,
                urgent_label="Frist overskredet" if late else "",
                citizen_id=d.citizen_id,
                open_decision=DecisionView.of(d),
            )
        )
    return items


def decisions_at(meeting_date: date) -> list[MeetingDecision]:
    return list(
        db.session.scalars(
            select(MeetingDecision)
            .where(MeetingDecision.meeting_date == meeting_date)
            .options(joinedload(MeetingDecision.responsible))
            .order_by(MeetingDecision.id)
        )
    )
