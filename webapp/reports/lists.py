"""The citizens behind a key figure's row: one list per `Row.list_key`, built from the very conditions
figures.py counts with, so a list is exactly as long as its figure (tests/reports/test_lists.py).

Each list's source is a SELECT of (citizen_id, on) – one row per counted item: one per citizen for
the figures that count persons, one per course, proposal or handover for those that count them. `on`
is the date shown beside the name (when the citizen first counted, or the course's date)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from ..citizens.models import Citizen, Course
from ..citizens.vocab import DISABILITY_CATEGORIES, STOP_REASONS
from ..extensions import db
from ..handover.models import DirectAuthorityProposal, Handover
from ..timeutil import local
from ..welcome.models import Contact
from . import figures as f

CAP = 500  # rows shown; the count above the list is always the whole figure


@dataclass(frozen=True)
class FigureList:
    code: str
    title: str
    date_label: str
    source: Callable  # (start, end) -> a SELECT of (citizen_id, on)
    figure_key: str
    restricted: bool = False  # the disability lists: ECONOMICS_READERS only


@dataclass(frozen=True)
class ListRow:
    citizen_id: int
    name: str
    on: date | None


def _labelled(citizen_id, on):
    return citizen_id.label("citizen_id"), on.label("on")


def _per_citizen(citizen_id, on, *where):
    return select(*_labelled(citizen_id, func.min(on))).where(*where).group_by(citizen_id)


def _in_course(start, end):
    return _per_citizen(Course.citizen_id, Course.start_date, f.course_overlaps(start, end))


def _still_in_course(start, end):
    return _per_citizen(Course.citizen_id, Course.start_date, f.course_overlaps(start, end),
                        f.course_still_open(end))


def _ad_hoc(start, end):
    return _per_citizen(Contact.citizen_id, Contact.local_date, f.ad_hoc_contacts(start, end))


def _groups(start, end):
    attended = f.group_attendance(start, end).subquery()
    return select(*_labelled(attended.c.citizen_id, func.min(attended.c.at))).group_by(attended.c.citizen_id)


def _new_courses(returns: bool):
    def source(start, end):
        kind = Course.is_return.is_(True) if returns else Course.is_return.is_not(True)
        return select(*_labelled(Course.citizen_id, Course.start_date)).where(f.course_started_in(start, end), kind)
    return source


def _new_citizens(start, end):
    firsts = f.first_guide_conversations(start, end).subquery()
    return select(*_labelled(firsts.c.citizen_id, firsts.c.first_at))


def _direct(start, end):
    return select(*_labelled(DirectAuthorityProposal.citizen_id, DirectAuthorityProposal.decided_on)).where(
        f.direct_proposals(start, end))


def _early(start, end):
    return (select(*_labelled(Course.citizen_id, Handover.sent_at))
            .join(Course, Course.id == Handover.course_id).where(f.early_handovers(start, end)))


def _stopped(code: str | None):
    def source(start, end):
        reason = Course.stop_reason.is_(None) if code is None else Course.stop_reason == code
        return select(*_labelled(Course.citizen_id, Course.end_date)).where(f.course_closed_in(start, end), reason)
    return source


def _goal(step: int | None):
    def source(start, end):
        reached = Course.goal_attainment.is_(None) if step is None else f.goal_step() == step
        return select(*_labelled(Course.citizen_id, Course.end_date)).where(f.course_closed_in(start, end), reached)
    return source


def _fit(code: str):
    def source(start, end):
        courses = f.fit_courses(start, end)
        return select(*_labelled(courses.c.citizen_id, courses.c.end_date)).where(f.fit_condition(code, courses))
    return source


def _disability(category: str | None):
    def source(start, end):
        persons = f.citizens_in_course(start, end).subquery()
        kind = Citizen.disability_category.is_(None) if category is None else Citizen.disability_category == category
        return (select(*_labelled(persons.c.citizen_id, persons.c.first_start))
                .join(Citizen, Citizen.id == persons.c.citizen_id).where(kind))
    return source


def _catalogue() -> dict[str, FigureList]:
    lists = [
        FigureList("i-forloeb", "Borgere i forløb i perioden", "Forløbets start", _in_course, "persons_in_course"),
        FigureList("stadig-i-forloeb", "Borgere stadig i forløb ved periodens slutning", "Forløbets start",
                   _still_in_course, "persons_in_course"),
        FigureList("ad-hoc", "Borgere, der har fået ad hoc-hjælp", "Første ad hoc-hjælp i perioden", _ad_hoc,
                   "persons_with_ad_hoc_help"),
        FigureList("grupper", "Borgere i grupper", "Første gruppemøde i perioden", _groups, "persons_in_groups"),
        FigureList("nye-forloeb", "Nye forløb (første gang)", "Forløbets start", _new_courses(False), "new_courses"),
        FigureList("genindskrivninger", "Genindskrivninger", "Forløbets start", _new_courses(True), "new_courses"),
        FigureList("nye-borgere", "Nye borgere", "Første guidesamtale", _new_citizens, "new_citizens"),
        FigureList("direkte", "Direkte til myndighedsafdelingen", "Godkendt", _direct, "led_around"),
        FigureList("tidlig-overdragelse", "Overdraget under fire uger efter start", "Overdragelsen sendt", _early,
                   "led_around"),
    ]
    for code, label in [*STOP_REASONS.items(), (None, f.NOT_GIVEN)]:
        title = f"Afsluttede forløb: {label}" + (f" ({code})" if code and code != "anden" else "")
        lists.append(FigureList(f.stop_list_key(code), title, "Forløbets slutdato", _stopped(code), "closed_courses"))
    for step in (1, 2, 3, 4, None):
        title = f"Målopfyldelse {step}" if step else f"Målopfyldelse: {f.NOT_GIVEN.lower()}"
        lists.append(FigureList(f"maal-{step or 'ikke-angivet'}", title, "Forløbets slutdato", _goal(step),
                                "goal_attainment"))
    for code, title in (("fit-maalt", "FIT: forløb målt med ORS"), ("fit-forbedret", "FIT: pålidelig forbedring"),
                        ("fit-under-start", "FIT: under grænsen ved start"),
                        ("fit-under-slut", "FIT: under grænsen ved slut")):
        lists.append(FigureList(code, title, "Forløbets slutdato", _fit(code), "fit_outcomes"))
    for category in [*DISABILITY_CATEGORIES, None]:
        lists.append(FigureList(f.disability_list_key(category), f"Handicapkategori: {category or f.NOT_GIVEN}",
                                "Forløbets start", _disability(category), "disability_categories", restricted=True))
    return {entry.code: entry for entry in lists}


LISTS = _catalogue()


def is_restricted(code: str) -> bool:
    entry = LISTS.get(code)
    return entry is not None and entry.restricted


def count(code: str, start: date, end: date) -> int:
    rows = LISTS[code].source(start, end).subquery()
    return db.session.scalar(select(func.count()).select_from(rows)) or 0


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return local(value).date()
    if isinstance(value, str):  # SQLite hands back MIN() over a datetime as text
        return local(datetime.fromisoformat(value)).date() if "T" in value or " " in value else date.fromisoformat(value)
    return value


def rows(code: str, start: date, end: date, cap: int = CAP) -> list[ListRow]:
    """The first `cap` rows of a list, by name: (citizen, date)."""
    source = LISTS[code].source(start, end).subquery()
    found = db.session.execute(
        select(source.c.citizen_id, source.c.on, Citizen.first_name, Citizen.last_name)
        .join(Citizen, Citizen.id == source.c.citizen_id)
        .order_by(Citizen.last_name, Citizen.first_name, Citizen.id, source.c.on).limit(cap)
    ).all()
    return [ListRow(citizen_id, f"{first} {last}".strip(), _day(on)) for citizen_id, on, first, last in found]
