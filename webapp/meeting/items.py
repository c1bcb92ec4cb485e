"""What the Friday meeting's agenda is made of: items, sections and the decisions and proposals
they show (plain data, safe to keep between requests).

Discreet by default: items carry first names and the surname's initial, never CPR numbers,
diagnoses or notes; notes go in `details`, shown only when someone expands them."""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from ..citizens.milestones import MAX_WEEKS
from ..citizens.vocab import GUIDE_OUTCOMES
from .models import MeetingDecision
from .rules import AGENDA_SECTIONS

ASSESSMENT_WEEK = 10
DIRECT_LOOKBACK_DAYS = 26 * 7  # guide conversations proposing "direct" that still lack a proposal
NO_SHOW_WINDOW_DAYS = 7 * MAX_WEEKS
UNANSWERED_HANDOVER_DAYS = 5  # working days

SECTION_HEADINGS = {s.key: s.heading for s in AGENDA_SECTIONS}


def outcome_label(code: str | None) -> str:
    if not code:
        return "ikke registreret"
    # The guide conversation's own vocabulary (one list of outcomes in the product).
    return GUIDE_OUTCOMES.get(code, code.replace("_", " ").capitalize())


@dataclass(frozen=True, slots=True)
class DecisionView:
    """A recorded decision as the agenda shows it: plain data, safe to keep between requests."""

    id: int
    text: str
    responsible_id: int | None
    responsible_name: str | None
    deadline: date | None
    done_at: datetime | None

    @classmethod
    def of(cls, decision: MeetingDecision) -> "DecisionView":
        responsible = decision.responsible
        return cls(decision.id, decision.text, decision.responsible_id,
                   responsible.full_name if responsible is not None else None, decision.deadline, decision.done_at)


@dataclass(frozen=True, slots=True)
class ProposalView:
    """A direct-to-authority proposal the meeting can still decide (or decided at this meeting)."""

    id: int
    decision: str | None
    decision_note: str | None
    version: int = 1  # for the version check of the decision form


@dataclass
class AgendaItem:
    key: str  # stable from week to week: "course:12", "gc:5", "outreach:3", …
    section: str
    title: str  # discreet
    needs: str  # what the meeting must do
    facts: list[str] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)  # notes: shown only when expanded
    urgent: bool = False
    urgent_label: str = ""
    citizen_id: int | None = None
    decisions: list[DecisionView] = field(default_factory=list)  # recorded at this meeting
    proposal: ProposalView | None = None
    guide_conversation_id: int | None = None  # a "direct" guide conversation without a proposal
    open_decision: DecisionView | None = None
    outreach_id: int | None = None
    handover_id: int | None = None
    kickoff_course_id: int | None = None  # a course proposed for a kick-off: the agenda links to its booking
    number: int = 0  # 1-based position in the whole agenda (projector)

    @property
    def can_decide_direct(self) -> bool:
        return self.proposal is not None or self.guide_conversation_id is not None

    @property
    def course_id(self) -> int | None:
        """The course a course item (week-10 assessment, ending soon) is about: the meeting may
        decide to hand it over to the authority department from here."""
        kind, _, number = self.key.partition(":")
        return int(number) if kind in COURSE_ITEM_KINDS and number.isdigit() else None


COURSE_ITEM_KINDS = frozenset({"course-assessment", "course-ending"})


@dataclass
class SectionView:
    key: str
    heading: str
    items: list[AgendaItem]


@dataclass
class Agenda:
    meeting_date: date
    previous_date: date
    sections: list[SectionView]

    @cached_property
    def items(self) -> list[AgendaItem]:
        return [item for section in self.sections for item in section.items]

    def item(self, number: int) -> AgendaItem | None:
        items = self.items
        return items[number - 1] if 1 <= number <= len(items) else None

    def find(self, key: str) -> AgendaItem | None:
        return next((i for i in self.items if i.key == key), None)

    @property
    def urgent_count(self) -> int:
        return sum(1 for i in self.items if i.urgent)
