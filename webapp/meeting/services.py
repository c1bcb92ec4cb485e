"""The Friday meeting: the decisions recorded in the room.

The agenda itself is assembled in .agenda from the sections in .sections, made of the items in
.items; their names stay importable from here (callers, tests and the bench use this module)."""

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..timeutil import utcnow
from .agenda import (  # noqa: F401
    agenda_for,
    assemble_agenda,
)
from .items import (  # noqa: F401
    ASSESSMENT_WEEK,
    COURSE_ITEM_KINDS,
    DIRECT_LOOKBACK_DAYS,
    NO_SHOW_WINDOW_DAYS,
    SECTION_HEADINGS,
    UNANSWERED_HANDOVER_DAYS,
    Agenda,
    AgendaItem,
    DecisionView,
    ProposalView,
    SectionView,
    outcome_label,
)
from .models import MeetingDecision
from .sections import (  # noqa: F401
    ATTENDANCE_SOURCES,
    AttendanceSource,
    OpenCourse,
    attendance_source,
    decisions_at,
    ending_soon,
    guides_without_authority,
    handover_proposals,
    lacks_authority_experience,
    meeting_attendance,
    new_citizens,
    open_courses,
    open_decisions,
    outreach_items,
    repeated_no_shows,
    returned_citizens,
    week10_assessments,
)

# --- decisions -----------------------------------------------------------------------------------


class DecisionError(ValueError):
    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


def record_decision(
    meeting_date: date,
    item: AgendaItem,
    text: str,
    user,
    responsible_id: int | None = None,
    deadline: date | None = None,
) -> tuple[MeetingDecision, bool]:
    """The decision and whether it is new: the same text for the same item at the same meeting is
    one decision (a double click, or a form sent again, records nothing more)."""
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = "Skriv beslutningen."
    if deadline is not None and deadline < meeting_date:
        errors["deadline"] = "Fristen kan ikke ligge før mødet."
    if errors:
        raise DecisionError("Beslutningen er ikke gemt.", errors)
    same = db.session.scalar(
        select(MeetingDecision).where(
            MeetingDecision.meeting_date == meeting_date,
            MeetingDecision.item_key == item.key,
            MeetingDecision.text == text,
        ).limit(1)
    )
    if same is not None:
        return same, False
    decision = MeetingDecision(
        meeting_date=meeting_date,
        section=item.section,
        item_key=item.key,
        item_label=f"{item.title} – {SECTION_HEADINGS.get(item.section, '')}"[:160],
        citizen_id=item.citizen_id,
        text=text,
        responsible_id=responsible_id,
        deadline=deadline,
        created_at=utcnow(),
        created_by_id=user.id,
    )
    db.session.add(decision)
    db.session.flush()
    return decision, True


def mark_done(decision: MeetingDecision, user) -> bool:
    if decision.done_at is not None:
        return False
    decision.done_at = utcnow()
    decision.done_by_id = user.id
    db.session.flush()
    return True
