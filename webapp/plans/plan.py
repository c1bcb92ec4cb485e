"""The plan and its follow-ups: creating the plan, locking it for a save, the fields
and current values of a section, snapshots and the values a version was based on, adding a
follow-up. Flush, never commit."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..citizens.milestones import ASSESSMENT_WEEK, course_week, validate_follow_up_date
from ..citizens.models import Course
from ..extensions import db
from ..timeutil import format_date, utcnow
from ..urls import parse_id
from .models import FOLLOW_UP_FIELDS, LATER_FOLLOW_UP_FIELDS, Plan, PlanFollowUp, PlanVersion
from .sections import (
    DATE,
    FOLLOW_UP_COLUMNS,
    FOLLOW_UP_PREFIX,
    FOLLOW_UP_TITLE,
    FUTURE,
    FUTURE_SECTION,
    GOAL,
    GOAL_SECTION,
    MSG_FOLLOW_UP_DATE_MISSING,
    PLAN_COLUMNS,
    SECTION_TITLES,
    START,
    START_SECTION,
    Field,
    PlanError,
    _from_value,
    follow_up_section_fields,
    normalize_text,
    to_value,
)

# --- the plan and its follow-ups --------------------------------------------------------------


def get_or_create_plan(course: Course, user: User | None) -> Plan:
    """The course's plan, made (empty, version 1) the first time. Safe when two requests race."""
    plan = db.session.scalar(select(Plan).where(Plan.course_id == course.id))
    if plan is not None:
        return plan
    plan = Plan(course_id=course.id, version=1, updated_at=utcnow(), updated_by_id=user.id if user else None)
    try:
        with db.session.begin_nested():
            db.session.add(plan)
    except IntegrityError:
        plan = db.session.scalar(select(Plan).where(Plan.course_id == course.id))
    return plan


def lock_plan(plan: Plan) -> Plan:
    """Take the plan's row for the rest of the transaction (PostgreSQL; SQLite's writing
    transactions already queue), so two saves never both build on the same version, and reload
    what another transaction may have saved meanwhile."""
    db.session.refresh(plan, with_for_update=True)
    db.session.expire(plan, ["follow_ups"])
    db.session.refresh(plan.course)
    return plan


def follow_ups(plan: Plan) -> list[PlanFollowUp]:
    """By date, then by when they were added."""
    return sorted(plan.follow_ups, key=lambda fu: (fu.follow_up_date, fu.id or 0))


def find_follow_up(plan: Plan, section: str) -> PlanFollowUp | None:
    if not section.startswith(FOLLOW_UP_PREFIX):
        return None
    number = section[len(FOLLOW_UP_PREFIX) :]
    follow_up_id = parse_id(number)
    return next((fu for fu in plan.follow_ups if fu.id == follow_up_id), None)


def _is_later(position: int, on_date: date | None, course_start: date, values: dict) -> bool:
    if position >= 1:
        return True
    if on_date is not None and course_week(course_start, on_date) >= ASSESSMENT_WEEK:
        return True
    return any(values.get(name) for name in LATER_FOLLOW_UP_FIELDS)


def is_later_follow_up(plan: Plan, follow_up: PlanFollowUp) -> bool:
    """See the module docstring: from the 2nd follow-up, in week 10 or later, or already answered."""
    position = follow_ups(plan).index(follow_up)
    values = {name: getattr(follow_up, name) for name in LATER_FOLLOW_UP_FIELDS}
    return _is_later(position, follow_up.follow_up_date, plan.course.start_date, values)


def new_follow_up_is_later(plan: Plan, today: date) -> bool:
    return _is_later(len(plan.follow_ups), today, plan.course.start_date, {})


def section_fields(plan: Plan, section: str) -> tuple[Field, ...] | None:
    """The fields of a section, or None for a section that does not exist in this plan."""
    if section == START:
        return START_SECTION
    if section == GOAL:
        return GOAL_SECTION
    if section == FUTURE:
        return FUTURE_SECTION
    if (follow_up := find_follow_up(plan, section)) is not None:
        return follow_up_section_fields(is_later_follow_up(plan, follow_up))
    return None


def current_values(plan: Plan, section: str) -> dict[str, str | None]:
    """What the plan says now in a section's fields."""
    fields = section_fields(plan, section) or ()
    if (follow_up := find_follow_up(plan, section)) is not None:
        return {f.name: to_value(getattr(follow_up, f.name)) for f in fields}
    values = {}
    for f in fields:
        source = plan.course.goal_attainment if f.name == "goal_attainment" else getattr(plan, f.name)
        values[f.name] = to_value(source)
    return values


def snapshot(plan: Plan) -> dict:
    """The whole plan as JSON: what PlanVersion keeps and the documents are printed from."""
    data = {name: to_value(getattr(plan, name)) for name in PLAN_COLUMNS}
    data["goal_attainment"] = to_value(plan.course.goal_attainment)
    data["follow_ups"] = [
        {"id": fu.id, "meeting_id": fu.meeting_id, **{name: to_value(getattr(fu, name)) for name in FOLLOW_UP_COLUMNS}}
        for fu in follow_ups(plan)
    ]
    return data


def _values_in(data: dict, plan: Plan, section: str) -> dict[str, str | None] | None:
    """A section's values in a snapshot; None when the section did not exist then."""
    fields = section_fields(plan, section) or ()
    if section.startswith(FOLLOW_UP_PREFIX):
        follow_up = find_follow_up(plan, section)
        row = next((fu for fu in data.get("follow_ups", ()) if follow_up and fu.get("id") == follow_up.id), None)
        if row is None:
            return None
        return {f.name: row.get(f.name) for f in fields}
    return {f.name: data.get(f.name) for f in fields}


def base_values(plan: Plan, version: int, section: str) -> dict[str, str | None] | None:
    """A section as it was in `version`, or None if that is not known."""
    kept = db.session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.version == version))
    if kept is not None:
        return _values_in(kept.data, plan, section)
    if version == 1 and not section.startswith(FOLLOW_UP_PREFIX):
        # A plan starts empty (get_or_create_plan) and version 1 is not kept as a snapshot.
        return {f.name: None for f in section_fields(plan, section) or ()}
    return None


def _apply(plan: Plan, section: str, values: dict[str, str | None]) -> None:
    fields = {f.name: f for f in section_fields(plan, section) or ()}
    target = find_follow_up(plan, section) or plan
    for name, value in values.items():
        f = fields[name]
        typed = _from_value(f.kind, value)
        if name == "goal_attainment":
            plan.course.goal_attainment = typed
        else:
            setattr(target, name, typed)


def _new_version(plan: Plan, user: User | None, note: str) -> PlanVersion:
    plan.version = (plan.version or 1) + 1
    plan.updated_at = utcnow()
    plan.updated_by_id = user.id if user else None
    db.session.flush()
    kept = PlanVersion(
        plan_id=plan.id,
        version=plan.version,
        data=snapshot(plan),
        saved_at=plan.updated_at,
        saved_by_id=plan.updated_by_id,
        note=note[:200],
    )
    db.session.add(kept)
    db.session.flush()
    return kept


def section_title(plan: Plan, section: str) -> str:
    if (follow_up := find_follow_up(plan, section)) is not None:
        return f"{FOLLOW_UP_TITLE} {format_date(follow_up.follow_up_date)}"
    return SECTION_TITLES.get(section, section)


def add_follow_up(
    plan: Plan,
    on_date: date,
    user: User | None,
    meeting_id: int | None = None,
    values: dict[str, str | None] | None = None,
) -> PlanFollowUp:
    """Add an Opfølgning dated `on_date` (inside the course, else PlanError). With a meeting_id,
    the follow-up of that meeting is returned if it already exists (calling twice adds one).
    `values` may fill its text fields (the "Ny opfølgning" form). Saves a new plan version."""
    if meeting_id is not None:
        existing = next((fu for fu in plan.follow_ups if fu.meeting_id == meeting_id), None)
        if existing is not None:
            return existing
    course = plan.course
    if on_date is None:
        raise PlanError(MSG_FOLLOW_UP_DATE_MISSING, "follow_up_date")
    if (message := validate_follow_up_date(course.start_date, course.end_date, on_date)) is not None:
        raise PlanError(message, "follow_up_date")
    follow_up = PlanFollowUp(follow_up_date=on_date, meeting_id=meeting_id)
    texts = set(FOLLOW_UP_FIELDS) | set(LATER_FOLLOW_UP_FIELDS)
    for name, value in (values or {}).items():
        if name in texts:
            setattr(follow_up, name, normalize_text(value))
        elif name == "next_follow_up":
            follow_up.next_follow_up = _from_value(DATE, value)
    plan.follow_ups.append(follow_up)
    db.session.flush()
    _new_version(plan, user, f"Ny opfølgning {format_date(on_date)}")
    return follow_up
