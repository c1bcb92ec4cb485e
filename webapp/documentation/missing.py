"""The list »mangler skyggevisitation«: closed courses whose documentation form (Bilag 6) has no
shadow assessment yet – no documentation row at all, or one without `shadow_assessed_on`. Counted
and paged in SQL, newest stop first. A restricted citizen's course (GDPR art. 18) is left out: the
form cannot be filled in until the restriction is lifted."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select

from ..auth.models import User
from ..citizens.models import Citizen, Course, GuideConversation, citizen_in_use
from ..extensions import db
from .models import CourseDocumentation

PAGE_SIZE = 50


@dataclass(frozen=True)
class MissingRow:
    course_id: int
    citizen_id: int
    citizen_name: str
    start_date: date
    end_date: date
    stop_reason: str | None
    enrolled_by: str | None  # who started the course, else who held the guide conversation it came from


@dataclass(frozen=True)
class MissingPage:
    rows: list[MissingRow]
    total: int
    page: int
    pages: int
    size: int

    @property
    def first_number(self) -> int:
        """The number of the first row shown (1-based), for »Viser 51–100 af 123«."""
        return (self.page - 1) * self.size + 1 if self.rows else 0

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.rows) - 1 if self.rows else 0


def _where(query: Select, start: date | None, end: date | None) -> Select:
    """Closed courses (stopped within start–end when given) without a saved shadow assessment."""
    query = query.outerjoin(CourseDocumentation, CourseDocumentation.course_id == Course.id).where(
        Course.end_date.is_not(None), CourseDocumentation.shadow_assessed_on.is_(None),
        citizen_in_use(Course.citizen_id))  # a restricted citizen's form cannot be filled in (GDPR art. 18)
    if start is not None:
        query = query.where(Course.end_date >= start)
    if end is not None:
        query = query.where(Course.end_date <= end)
    return query


def count_missing(start: date | None = None, end: date | None = None) -> int:
    return db.session.scalar(_where(select(func.count(Course.id)).select_from(Course), start, end)) or 0


def missing_shadow(start: date | None = None, end: date | None = None, *, page: int = 1,
                   size: int = PAGE_SIZE) -> MissingPage:
    """One page of the list; a page past the last shows the last page."""
    total = count_missing(start, end)
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    query = _where(
        select(Course.id, Citizen.id, Citizen.first_name, Citizen.last_name, Course.start_date, Course.end_date,
               Course.stop_reason, User.full_name)
        .select_from(Course)
        .join(Citizen, Citizen.id == Course.citizen_id)
        .outerjoin(GuideConversation, GuideConversation.id == Course.guide_conversation_id)
        .outerjoin(User, User.id == func.coalesce(Course.created_by_id, GuideConversation.staff1_id)),
        start, end,
    ).order_by(Course.end_date.desc(), Course.id.desc()).limit(size).offset((page - 1) * size)
    rows = [
        MissingRow(course_id, citizen_id, f"{first} {last or ''}".strip(), started, ended, stop_reason, enrolled_by)
        for course_id, citizen_id, first, last, started, ended, stop_reason, enrolled_by in db.session.execute(query)
    ]
    return MissingPage(rows, total, page, pages, size)
