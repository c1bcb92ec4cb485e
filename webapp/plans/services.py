"""Min Plan rules as plain functions: sections and their fields, saving with a version check,
drafts, kept versions, follow-ups, and what the documents show. Flush, never commit. The
sections, fields and values live in sections.py, the plan and its follow-ups in plan.py; their
names stay importable from here.

Sections (also the URL part and PlanDraft.section): "start", "maal" (Mit mål), one
"opfoelgning-<id>" per follow-up, "ny-opfoelgning" (the form that adds one) and "fremtid"
(Min Fremtid).

Saving is optimistic: a form carries the plan version it was based on. When someone else saved in
between, each field of the section is merged three ways against the version the form was based on
(kept in PlanVersion): a field only one side changed takes that side's text; a field both sides
changed differently is a conflict, and nothing is saved until the user has chosen per field.

Later follow-ups (the three extra questions about the time after Din Indgang): a follow-up is
"later" from the second follow-up on (as on the paper form, Bilag 2), and also a first follow-up
held in course week 10 or later (when the future needs are assessed), and any follow-up where one
of the three questions was already answered (so an answer never disappears from view).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import import_module
from importlib.util import find_spec

from markupsafe import Markup
from sqlalchemy import delete, select

from ..auth.models import User
from ..citizens.models import Course
from ..extensions import db
from ..timeutil import format_date, format_time, utcnow
from .models import Plan, PlanDraft, PlanVersion
from .plan import (  # noqa: F401
    _apply,
    _is_later,
    _new_version,
    add_follow_up,
    base_values,
    current_values,
    find_follow_up,
    follow_ups,
    get_or_create_plan,
    is_later_follow_up,
    lock_plan,
    new_follow_up_is_later,
    section_fields,
    section_title,
    snapshot,
)
from .sections import (  # noqa: F401
    ATTAINMENT,
    ATTAINMENT_CHOICES,
    ATTAINMENT_LABEL,
    DATE,
    DATE_LABEL,
    DRAFT_TEXT_MAX,
    END_DATE_LABEL,
    FOLLOW_UP_COLUMNS,
    FOLLOW_UP_PREFIX,
    FOLLOW_UP_TITLE,
    FUTURE,
    FUTURE_SECTION,
    GOAL,
    GOAL_SECTION,
    MSG_ATTAINMENT,
    MSG_FOLLOW_UP_DATE_MISSING,
    NEW_FOLLOW_UP,
    NEXT_FOLLOW_UP_LABEL,
    PLAN_COLUMNS,
    SECTION_TITLES,
    START,
    START_SECTION,
    TEXT,
    TEXT_MAX,
    Field,
    PlanError,
    attainment_label,
    follow_up_key,
    follow_up_section_fields,
    normalize_text,
    parse_attainment,
    to_value,
)

# --- saving with a version check ----------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    field: Field
    mine: str | None
    theirs: str | None


@dataclass
class SaveResult:
    saved: bool
    values: dict[str, str | None]  # what the form should show now
    conflicts: list[Conflict] = field(default_factory=list)
    taken_from_others: list[str] = field(default_factory=list)  # fields another user changed
    version: PlanVersion | None = None

    @property
    def unchanged(self) -> bool:
        return not self.saved and not self.conflicts


def merge(
    fields, mine: dict, theirs: dict, base: dict | None
) -> tuple[dict[str, str | None], list[Conflict], list[str]]:
    """Three-way merge of one section. Without a known base every difference is a conflict."""
    merged, conflicts, taken = {}, [], []
    for f in fields:
        m, t = mine.get(f.name), theirs.get(f.name)
        b = base.get(f.name) if base is not None else object()
        if m == t or t == b:
            merged[f.name] = m
        elif m == b:
            merged[f.name] = t
            taken.append(f.name)
        else:
            merged[f.name] = m
            conflicts.append(Conflict(f, m, t))
    return merged, conflicts, taken


def save_section(plan: Plan, section: str, mine: dict[str, str | None], base_version: int, user: User) -> SaveResult:
    """Save one section's values (validated already), unless another user's change to the same
    field would be overwritten. Lock the plan first (lock_plan). A save that changes nothing
    makes no new version. The user's draft of the section is removed when the plan is saved."""
    fields = section_fields(plan, section)
    if fields is None:
        raise PlanError("Afsnittet findes ikke.")
    theirs = current_values(plan, section)
    base = theirs if base_version == plan.version else base_values(plan, base_version, section)
    merged, conflicts, taken = merge(fields, mine, theirs, base)
    if conflicts:
        return SaveResult(saved=False, values=merged, conflicts=conflicts, taken_from_others=taken)
    discard_draft(plan, user, section)
    if merged == theirs:
        return SaveResult(saved=False, values=merged, taken_from_others=taken)
    _apply(plan, section, merged)
    kept = _new_version(plan, user, section_title(plan, section))
    return SaveResult(saved=True, values=current_values(plan, section), taken_from_others=taken, version=kept)


def resolve_choices(
    fields, typed: dict, choices: dict[str, str], seen: dict | None
) -> tuple[dict[str, str | None], list[str]]:
    """Apply the conflict screen's choice per field: "mine" (the user's text, maybe edited),
    "theirs" (the other text as shown, from the version the screen was based on) or "both".
    Returns the values to save and the fields that still lack a choice."""
    values, missing = dict(typed), []
    kinds = {f.name: f.kind for f in fields}
    for name, choice in choices.items():
        if name not in kinds:
            continue
        theirs = (seen or {}).get(name)
        if choice == "theirs":
            values[name] = theirs
        elif choice == "both" and kinds[name] == TEXT:
            parts = [p for p in (typed.get(name), theirs) if p]
            values[name] = "\n\n".join(dict.fromkeys(parts)) or None
        elif choice != "mine":
            missing.append(name)
    return values, missing


def savers_since(plan: Plan, version: int) -> tuple[list[User | None], datetime | None]:
    """Who saved versions after `version` (in order, once each) and when the last was saved."""
    rows = db.session.execute(
        select(PlanVersion.saved_by_id, PlanVersion.saved_at)
        .where(PlanVersion.plan_id == plan.id, PlanVersion.version > version)
        .order_by(PlanVersion.version)
    ).all()
    ids = list(dict.fromkeys(row.saved_by_id for row in rows))
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([i for i in ids if i])))}
    return [users.get(i) for i in ids], (rows[-1].saved_at if rows else plan.updated_at)


def conflict_message(plan: Plan, base_version: int, me: User) -> str:
    """ "Mads har gemt en nyere udgave kl. 10:41." – or that it was the user, in another window."""
    savers, when = savers_since(plan, base_version)
    at = format_time(when)
    others = [u.first_name if u else "en anden" for u in savers if u is None or u.id != me.id]
    mine = any(u is not None and u.id == me.id for u in savers)
    if not others and mine:
        return f"Du har selv gemt en nyere udgave kl. {at} – måske i et andet vindue."
    others = others or ["En anden"]
    who = others[0] if len(others) == 1 else ", ".join(others[:-1]) + " og " + others[-1]
    if mine:
        return f"{who} og du har gemt nyere udgaver, senest kl. {at}."
    return f"{who} har gemt en nyere udgave kl. {at}."


def genitive(name: str) -> str:
    """Danish possessive: "Mads'", "Pias"."""
    return f"{name}'" if name[-1:].lower() in "sxz" else f"{name}s"


# --- drafts -------------------------------------------------------------------------------------


def _draft_filter(plan: Plan, user: User, section: str):
    return (PlanDraft.plan_id == plan.id, PlanDraft.user_id == user.id, PlanDraft.section == section)


def _draft(plan: Plan, user: User, section: str) -> PlanDraft | None:
    return db.session.scalar(select(PlanDraft).where(*_draft_filter(plan, user, section)))


def _is_blank_new_follow_up(values: dict) -> bool:
    return not any(v for name, v in values.items() if name != "follow_up_date")


def draft_is_pending(plan: Plan, draft: PlanDraft) -> bool:
    """Whether a draft holds something the plan does not already say."""
    if draft.section == NEW_FOLLOW_UP:
        return not _is_blank_new_follow_up(draft.data)
    if section_fields(plan, draft.section) is None:
        return False  # its follow-up is gone
    current = current_values(plan, draft.section)
    return any(draft.data.get(name) != value for name, value in current.items())


def save_draft(plan: Plan, user: User, section: str, base_version: int, values: dict) -> PlanDraft | None:
    """Keep a user's unsaved typing of one section (autosave). A draft that says just what the
    plan says is removed instead; returns the draft kept, or None."""
    data = {k: (v[:DRAFT_TEXT_MAX] if isinstance(v, str) else v) for k, v in values.items()}
    draft = _draft(plan, user, section)
    if draft is None:
        draft = PlanDraft(plan_id=plan.id, user_id=user.id, section=section, base_version=base_version, data=data)
    draft.base_version = base_version
    draft.data = data
    draft.saved_at = utcnow()
    if not draft_is_pending(plan, draft):
        if draft.id is not None:
            db.session.delete(draft)
            db.session.flush()
        return None
    db.session.add(draft)
    db.session.flush()
    return draft


def pending_drafts(plan: Plan, user: User) -> dict[str, PlanDraft]:
    """The user's drafts in this plan that still hold something unsaved, by section."""
    drafts = db.session.scalars(select(PlanDraft).where(PlanDraft.plan_id == plan.id, PlanDraft.user_id == user.id))
    return {d.section: d for d in drafts if draft_is_pending(plan, d)}


def get_draft(plan: Plan, user: User, section: str) -> PlanDraft | None:
    draft = _draft(plan, user, section)
    return draft if draft is not None and draft_is_pending(plan, draft) else None


def discard_draft(plan: Plan, user: User, section: str) -> None:
    db.session.execute(delete(PlanDraft).where(*_draft_filter(plan, user, section)))


# --- versions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    version: int
    saved_at: datetime
    saved_by: str
    note: str


def versions(plan: Plan) -> list[VersionRow]:
    """Every saved version, newest first, with who saved it ("Tidligere udgaver")."""
    rows = db.session.execute(
        select(PlanVersion.version, PlanVersion.saved_at, PlanVersion.note, User.full_name)
        .outerjoin(User, User.id == PlanVersion.saved_by_id)
        .where(PlanVersion.plan_id == plan.id)
        .order_by(PlanVersion.version.desc())
    ).all()
    return [VersionRow(r.version, r.saved_at, r.full_name or "ukendt", r.note or "") for r in rows]


def get_version(plan: Plan, version: int) -> PlanVersion | None:
    return db.session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.version == version))


# --- what the documents and read-only views show ------------------------------------------------


@dataclass(frozen=True)
class DocRow:
    label: str
    value: str  # formatted for reading; "" when empty
    kind: str = TEXT


@dataclass(frozen=True)
class DocSection:
    key: str
    title: str | None  # None: the untitled first table of the paper form
    on_date: str  # the section's own date, formatted ("" if none)
    rows: tuple[DocRow, ...]

    @property
    def filled_rows(self) -> tuple[DocRow, ...]:
        return tuple(r for r in self.rows if r.value)

    @property
    def citizen_rows(self) -> tuple[DocRow, ...]:
        """For the citizen's copy: filled rows without the section's own date (in the heading)."""
        return tuple(r for r in self.filled_rows if r.label != DATE_LABEL)


def _format(kind: str, value: str | None) -> str:
    if value is None or value == "":
        return ""
    if kind == DATE:
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    if kind == ATTAINMENT:
        return attainment_label(value)
    return value


def _rows(fields, values: dict) -> tuple[DocRow, ...]:
    return tuple(DocRow(f.label, _format(f.kind, values.get(f.name)), f.kind) for f in fields)


def plan_document(data: dict, course: Course) -> list[DocSection]:
    """The plan in Bilag 2's order, from a snapshot (snapshot(plan) for the plan as it is now)."""
    sections = [
        DocSection(START, None, "", _rows(START_SECTION, data)),
        DocSection(GOAL, SECTION_TITLES[GOAL], _format(DATE, data.get("goal_date")), _rows(GOAL_SECTION, data)),
    ]
    for position, row in enumerate(data.get("follow_ups", ())):
        on_date = date.fromisoformat(row["follow_up_date"]) if row.get("follow_up_date") else None
        later = _is_later(position, on_date, course.start_date, row)
        sections.append(
            DocSection(
                f"{FOLLOW_UP_PREFIX}{row.get('id')}",
                FOLLOW_UP_TITLE,
                _format(DATE, row.get("follow_up_date")),
                _rows(follow_up_section_fields(later), row),
            )
        )
    future_rows = (*_rows(FUTURE_SECTION, data), DocRow(END_DATE_LABEL, _format(DATE, to_value(course.end_date)), DATE))
    sections.append(DocSection(FUTURE, SECTION_TITLES[FUTURE], _format(DATE, data.get("future_date")), future_rows))
    return sections


def course_chart(course_id: int, width: int = 640) -> Markup | None:
    """The FIT course chart from the outcomes feature, if that feature provides one yet."""
    try:
        if find_spec("webapp.outcomes.services") is None:
            return None
        chart = getattr(import_module("webapp.outcomes.services"), "course_chart_svg", None)
    except ImportError:
        return None
    if chart is None:
        return None
    svg = chart(course_id, width=width)
    if not svg:
        return None
    return svg if hasattr(svg, "__html__") else Markup(svg)  # noqa: S704 - our own server-made SVG


# --- for the citizen page and the day board ------------------------------------------------------


@dataclass(frozen=True)
class PlanSummary:
    plan_id: int
    course_id: int
    version: int
    goal: str | None
    follow_up_dates: tuple[date, ...]
    next_follow_up: date | None
    goal_attainment: str  # "4,0 I høj grad" or ""
    updated_at: datetime | None
    updated_by: str | None
    has_future: bool  # Min Fremtid has been written


def next_follow_up(plan: Plan) -> date | None:
    """The latest "Næste opfølgning" agreed anywhere in the plan (milestones ignore it once a
    follow-up has been held on or after it)."""
    dates = [plan.next_follow_up, *(fu.next_follow_up for fu in plan.follow_ups)]
    return max((d for d in dates if d is not None), default=None)


def plan_summary(course: Course) -> PlanSummary | None:
    """A short, discreet summary of a course's plan, or None if it has none yet."""
    plan = db.session.scalar(select(Plan).where(Plan.course_id == course.id))
    if plan is None:
        return None
    user = db.session.get(User, plan.updated_by_id) if plan.updated_by_id else None
    return PlanSummary(
        plan_id=plan.id,
        course_id=course.id,
        version=plan.version,
        goal=plan.goal,
        follow_up_dates=tuple(fu.follow_up_date for fu in follow_ups(plan)),
        next_follow_up=next_follow_up(plan),
        goal_attainment=attainment_label(course.goal_attainment),
        updated_at=plan.updated_at,
        updated_by=user.full_name if user else None,
        has_future=bool(plan.achieved or plan.future_plan or plan.future_date),
    )


def cpr_in_full(cpr: str | None) -> str:
    """DDMMYY-SSSS, for the journal copy only (the paper form prints it in full); "" if none."""
    digits = "".join(ch for ch in (cpr or "") if ch in "0123456789")
    return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 else ""
