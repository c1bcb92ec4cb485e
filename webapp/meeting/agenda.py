"""The whole agenda for a meeting date: the sections in order, numbered, with the decisions
recorded at the meeting; cached per change of the data."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select

from .. import live
from ..cache import VersionedCache
from ..citizens.models import restricted_citizen_ids
from ..extensions import db
from ..handover.models import Handover
from .items import ASSESSMENT_WEEK, Agenda, AgendaItem, DecisionView, SectionView
from .rules import AGENDA_SECTIONS, previous_meeting_date
from .sections import (
    AttendanceSource,
    _held_guide_conversations,
    decisions_at,
    ending_soon,
    guides_without_authority,
    handover_proposals,
    kickoff_items,
    new_citizens,
    open_courses,
    open_decisions,
    outreach_items,
    repeated_no_shows,
    returned_citizens,
    week10_assessments,
)


def assemble_agenda(meeting_date: date, attendance_sources: Iterable[AttendanceSource] | None = None) -> Agenda:
    """The whole agenda for `meeting_date` (a Friday; any date works), sections in order."""
    conversations = _held_guide_conversations(meeting_date)
    # One read of the courses both course sections need: those past the start of week 10 (ending
    # soon ones are older still); each section keeps its own rule.
    courses = open_courses(meeting_date, started_by=meeting_date - timedelta(days=7 * (ASSESSMENT_WEEK - 1)))
    by_section = {
        "new_citizens": new_citizens(meeting_date, conversations),
        "guide_without_authority": guides_without_authority(meeting_date, conversations),
        "week10_assessment": week10_assessments(meeting_date, courses),
        "ending_soon": ending_soon(meeting_date, courses),
        "kickoff": kickoff_items(meeting_date),
        "handover_proposals": handover_proposals(meeting_date),
        "outreach": outreach_items(meeting_date),
        "repeated_no_shows": repeated_no_shows(meeting_date, sources=attendance_sources),
        "returned_citizens": returned_citizens(meeting_date),
        "open_decisions": open_decisions(meeting_date),
    }
    hidden = restricted_citizen_ids()  # restricted citizens (GDPR art. 18) are off the agenda
    if hidden:
        by_section = {key: [i for i in items if i.citizen_id not in hidden] for key, items in by_section.items()}
    _link_handovers([item for items in by_section.values() for item in items if item.course_id])
    recorded = defaultdict(list)
    for decision in decisions_at(meeting_date):
        recorded[decision.item_key].append(DecisionView.of(decision))
    sections = []
    number = 0
    for section in AGENDA_SECTIONS:
        items = by_section[section.key]
        for item in items:
            number += 1
            item.number = number
            item.decisions = recorded.get(item.key, [])
        sections.append(SectionView(section.key, section.heading, items))
    return Agenda(meeting_date, previous_meeting_date(meeting_date), sections)


def _link_handovers(course_items: list[AgendaItem]) -> None:
    """Course items show the course's handover once there is one (one read for all of them)."""
    if not course_items:
        return
    found = dict(db.session.execute(
        select(Handover.course_id, Handover.id).where(Handover.course_id.in_({i.course_id for i in course_items}))
    ).all())
    for item in course_items:
        item.handover_id = item.handover_id or found.get(item.course_id)


_AGENDA_CACHE = VersionedCache(size=4)


def agenda_for(meeting_date: date) -> Agenda:
    """The agenda as the views show it: assembled once per change of the data (per process), so
    walking it on the projector item by item does not assemble it again for every key press.
    Everything it is made of bumps the change counter when it changes (decisions included)."""
    return _AGENDA_CACHE.get(meeting_date, live.version(), lambda: assemble_agenda(meeting_date))
