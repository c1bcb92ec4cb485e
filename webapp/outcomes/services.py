"""Outcome rules with the database: sessions that can be rated, recording FIT scores, the course
chart, the day board slot and the citizen page sections. The scoring rules live in scoring.py,
the scales in use and the thresholds in definitions.py, coaching conversations and hours in
coaching.py (their names stay importable from here); no request in here."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from markupsafe import Markup
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from ..board import Slot, SlotItem, board_slot
from ..citizens.hooks import citizen_section
from ..citizens.models import Citizen, Course, GuideConversation, Meeting
from ..extensions import db
from ..timeutil import MONTHS_DA, day_bounds, format_date, local, today_local, utcnow
from ..urls import parse_id
from . import charts, scoring
from .coaching import (  # noqa: F401
    ACTIVITY_LABELS,
    COACHING_GUIDELINE,
    COURSE_MEETING_KINDS,
    HOUR,
    HUNDREDTH,
    MAX_MINUTES,
    MEETING_KIND_ACTIVITY,
    MEETING_STATUSES,
    MUNICIPAL_ACTIVITIES_GUIDELINE,
    ActivityHours,
    Guideline,
    check_in_course,
    course_guideline,
    course_meetings,
    course_window,
    format_hours,
    hours_by_activity,
    save_course_meeting,
    set_meeting_status,
)
from .definitions import (  # noqa: F401
    SCALE_CODES,
    FitError,
    active_definition,
    active_definitions,
    reset_wording,
    save_wording,
    thresholds,
    wordings,
)
from .models import FitScore, from_tenths, to_tenths
from .scales import ORS_PERIODS, SHIPPED_DEFINITIONS, ScaleDefinition

# --- sessions --------------------------------------------------------------------------------------

SESSION_KINDS = ("samtale", "guidesamtale", "gruppemoede")
SESSION_COLUMN = {"samtale": "meeting_id", "guidesamtale": "guide_conversation_id", "gruppemoede": "group_meeting_id"}
MEETING_KIND_LABELS = {
    "coaching": "Coachende samtale",
    "opfoelgning": "Opfølgning",
    "paaroerende": "Pårørendesamtale",
    "netvaerksmoede": "Netværksmøde",
    "nada": "NADA",
}
# Under the x labels of the course chart (short, so they fit).
CHART_KIND = {"coaching": "Coaching", "opfoelgning": "Opfølgning", "guidesamtale": "Guide", "gruppemoede": "Gruppe"}
UNRATEABLE_MEETING_STATUS = {"aflyst": "aflyst", "udeblevet": "registreret som udeblevet"}


@dataclass
class Session:
    """Something a citizen can rate: a meeting, a guide conversation or a group meeting."""

    kind: str  # samtale, guidesamtale, gruppemoede
    id: int
    starts_at: datetime
    title: str
    chart_kind: str
    meeting: Meeting | None = None
    guide: GuideConversation | None = None
    group_meeting: object | None = None  # groups.models.GroupMeeting

    @property
    def individual(self) -> bool:
        return self.kind != "gruppemoede"

    @property
    def after_scale(self) -> str:
        return "SRS" if self.individual else "GSRS"

    @property
    def scales(self) -> tuple[str, str]:
        return ("ORS", self.after_scale)

    @property
    def local_date(self) -> date:
        return local(self.starts_at).date()

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


def meeting_session(meeting: Meeting) -> Session:
    return Session("samtale", meeting.id, meeting.starts_at, MEETING_KIND_LABELS.get(meeting.kind, "Samtale"),
                   CHART_KIND.get(meeting.kind, "Samtale"), meeting=meeting)


def guide_session(guide: GuideConversation) -> Session:
    return Session("guidesamtale", guide.id, guide.scheduled_at, "Guidesamtale", CHART_KIND["guidesamtale"],
                   guide=guide)


def group_session(group_meeting) -> Session:
    return Session("gruppemoede", group_meeting.id, group_meeting.starts_at,
                   f"Gruppe: {group_meeting.run.theme.name}", CHART_KIND["gruppemoede"], group_meeting=group_meeting)


def load_session(kind: str, session_id: int) -> Session | None:
    from ..groups.models import GroupMeeting

    if kind == "samtale":
        meeting = db.session.get(Meeting, session_id)
        return meeting_session(meeting) if meeting else None
    if kind == "guidesamtale":
        guide = db.session.get(GuideConversation, session_id)
        return guide_session(guide) if guide else None
    if kind == "gruppemoede":
        group_meeting = db.session.get(GroupMeeting, session_id)
        return group_session(group_meeting) if group_meeting else None
    return None


def small_int(text: str | None) -> int | None:
    """A database id from user input, or None: digits only and small enough for any integer column."""
    return parse_id(text)


def parse_session_key(key: str) -> Session | None:
    kind, _, number = (key or "").partition(":")
    session_id = small_int(number)
    return load_session(kind, session_id) if kind in SESSION_KINDS and session_id is not None else None


def check_session(session: Session, citizen_id: int, scale: str, today: date | None = None) -> None:
    """The citizen may rate this session with this scale, or FitError says why (in Danish)."""
    today = today or today_local()
    if scale not in SCALE_CODES:
        raise FitError("Ukendt skema – vælg ORS, SRS eller GSRS.")
    if scale == "SRS" and not session.individual:
        raise FitError("SRS bruges efter en individuel samtale; efter et gruppemøde bruges GSRS.")
    if scale == "GSRS" and session.individual:
        raise FitError("GSRS bruges efter et gruppemøde; efter en individuel samtale bruges SRS.")
    if session.meeting is not None:
        meeting = session.meeting
        if meeting.citizen_id != citizen_id:
            raise FitError("Samtalen hører til en anden borger. Vælg en af borgerens egne samtaler.")
        if meeting.kind == "paaroerende":
            raise FitError("FIT udfyldes af borgeren – ikke ved pårørendes egne samtaler.")
        if meeting.status in UNRATEABLE_MEETING_STATUS:
            raise FitError(f"Samtalen er {UNRATEABLE_MEETING_STATUS[meeting.status]}. Ret status, hvis den blev "
                           "holdt.")
    elif session.guide is not None:
        guide = session.guide
        if guide.citizen_id != citizen_id:
            raise FitError("Guidesamtalen hører til en anden borger. Vælg en af borgerens egne samtaler.")
        if guide.status in UNRATEABLE_MEETING_STATUS:
            raise FitError(f"Guidesamtalen er {UNRATEABLE_MEETING_STATUS[guide.status]}.")
    else:
        from ..groups.models import GroupEnrolment

        group_meeting = session.group_meeting
        if group_meeting.cancelled:
            raise FitError("Gruppemødet er aflyst.")
        enrolment = db.session.scalar(select(GroupEnrolment).where(
            GroupEnrolment.run_id == group_meeting.run_id, GroupEnrolment.citizen_id == citizen_id))
        if enrolment is None or not enrolment.active_on(session.local_date):
            raise FitError("Borgeren er ikke tilmeldt holdet på mødets dato. Vælg et af borgerens egne møder.")
    if session.local_date > today:
        raise FitError(f"{session.title} er først {format_date(session.local_date)} – FIT udfyldes på dagen "
                       "eller bagefter.")


def course_for_session(session: Session, citizen_id: int) -> Course | None:
    if session.meeting is not None and session.meeting.course_id is not None:
        return db.session.get(Course, session.meeting.course_id)
    if session.guide is not None:
        course = db.session.scalar(select(Course).where(
            Course.citizen_id == citizen_id, Course.guide_conversation_id == session.guide.id).limit(1))
        if course is not None:
            return course
    if session.group_meeting is not None:
        from ..groups.models import GroupEnrolment

        course_id = db.session.scalar(select(GroupEnrolment.course_id).where(
            GroupEnrolment.run_id == session.group_meeting.run_id, GroupEnrolment.citizen_id == citizen_id))
        if course_id is not None:
            return db.session.get(Course, course_id)
    return course_on(citizen_id, session.local_date)


def course_on(citizen_id: int, day: date) -> Course | None:
    return db.session.scalar(
        select(Course).where(Course.citizen_id == citizen_id, Course.start_date <= day,
                             or_(Course.end_date.is_(None), Course.end_date >= day))
        .order_by(Course.start_date.desc()).limit(1))


def current_course(citizen_id: int) -> Course | None:
    """The open course, or else the latest one."""
    return db.session.scalar(
        select(Course).where(Course.citizen_id == citizen_id)
        .order_by(Course.end_date.is_(None).desc(), Course.start_date.desc(), Course.id.desc()).limit(1))


def sessions_for_citizen(citizen_id: int, since: date | None = None) -> list[Session]:
    """The sessions a paper form can belong to: the citizen's own meetings (not relatives' own
    conversations, not cancelled), guide conversations and the group meetings of their runs that
    they did not miss."""
    from ..groups.models import GroupAttendance, GroupEnrolment, GroupMeeting, GroupRun

    until = day_bounds(today_local())[1]
    start = day_bounds(since)[0] if since else None
    meetings = select(Meeting).where(
        Meeting.citizen_id == citizen_id, Meeting.kind != "paaroerende",
        Meeting.status.not_in(UNRATEABLE_MEETING_STATUS), Meeting.starts_at < until)
    guides = select(GuideConversation).where(
        GuideConversation.citizen_id == citizen_id, GuideConversation.status.not_in(UNRATEABLE_MEETING_STATUS),
        GuideConversation.scheduled_at < until)
    not_there = select(GroupAttendance.meeting_id).where(GroupAttendance.citizen_id == citizen_id,
                                                          GroupAttendance.status == "ikke_moedt")
    groups = (select(GroupMeeting).options(selectinload(GroupMeeting.run).joinedload(GroupRun.theme))
              .join(GroupEnrolment, and_(GroupEnrolment.run_id == GroupMeeting.run_id,
                                         GroupEnrolment.citizen_id == citizen_id, GroupEnrolment.waiting.is_(False)))
              .where(GroupMeeting.cancelled.is_(False), GroupMeeting.starts_at < until,
                     GroupMeeting.id.not_in(not_there)))
    if start is not None:
        meetings = meetings.where(Meeting.starts_at >= start)
        guides = guides.where(GuideConversation.scheduled_at >= start)
        groups = groups.where(GroupMeeting.starts_at >= start)
    found = [meeting_session(m) for m in db.session.scalars(meetings)]
    found += [guide_session(g) for g in db.session.scalars(guides)]
    found += [group_session(g) for g in db.session.scalars(groups)]
    found.sort(key=lambda s: s.starts_at, reverse=True)
    return found


# --- recording scores ------------------------------------------------------------------------------


def parse_items(definition: ScaleDefinition, values: dict[str, str]) -> tuple[dict[str, Decimal], dict[str, str]]:
    """Every item must be 0–10 with at most one decimal. Returns (scores, errors by item key)."""
    scores: dict[str, Decimal] = {}
    errors: dict[str, str] = {}
    for item in definition.items:
        raw = (values.get(item.key) or "").strip()
        if not raw:
            errors[item.key] = "Udfyld linjen – eller spring hele skemaet over."
            continue
        try:
            scores[item.key] = scoring.parse_score(raw)
        except scoring.ScoreError as error:
            errors[item.key] = str(error)
    return scores, errors


def existing_score(citizen_id: int, session: Session, scale: str) -> FitScore | None:
    column = getattr(FitScore, SESSION_COLUMN[session.kind])
    return db.session.scalar(select(FitScore).where(
        FitScore.citizen_id == citizen_id, FitScore.scale == scale, column == session.id))


def record_score(citizen_id: int, session: Session, scale: str, items: dict[str, Decimal] | None, user, *,
                 period: str | None = None, on_paper: bool = False, today: date | None = None) -> FitScore:
    """Store one form for the session (again: the latest answer replaces the earlier one, so a
    double tap never stores twice). `items` None means the form was skipped – never 0."""
    check_session(session, citizen_id, scale, today)
    definition = SHIPPED_DEFINITIONS[scale]
    if items is not None and set(items) != set(definition.item_keys):
        raise FitError("Udfyld alle fire linjer – eller spring hele skemaet over.")
    if scale == "ORS" and period not in ORS_PERIODS:
        raise FitError("Vælg, om du vurderer tiden siden sidst eller i dag.")
    if scale != "ORS":
        period = None
    course = course_for_session(session, citizen_id)
    score = existing_score(citizen_id, session, scale)
    if score is None:
        score = FitScore(citizen_id=citizen_id, scale=scale)
        setattr(score, SESSION_COLUMN[session.kind], session.id)
    score.course_id = course.id if course else None
    score.session_at = session.starts_at
    score.period = period
    score.skipped = items is None
    values = [None] * 4 if items is None else [to_tenths(items[key]) for key in definition.item_keys]
    score.item1, score.item2, score.item3, score.item4 = values
    score.total_tenths = None if items is None else to_tenths(scoring.total(items))
    score.on_paper = on_paper
    score.recorded_at = utcnow()
    score.recorded_by_id = user.id
    db.session.add(score)
    # Rating a coaching conversation means it took place (its hours then count).
    if session.meeting is not None and session.meeting.kind == "coaching" and session.meeting.status == "planlagt":
        session.meeting.status = "afholdt"
    db.session.flush()
    return score


# --- charts ----------------------------------------------------------------------------------------


def short_date(day: date) -> str:
    return f"{day.day}. {MONTHS_DA[day.month - 1]}"


@dataclass
class SessionScores:
    key: str
    starts_at: datetime
    kind: str  # chart note
    ors: FitScore | None = None
    after: FitScore | None = None  # SRS or GSRS

    @property
    def label(self) -> str:
        return short_date(local(self.starts_at).date())


def _chart_kind(score: FitScore, meeting_kinds: dict[int, str]) -> str:
    if score.meeting_id is not None:
        return CHART_KIND.get(meeting_kinds.get(score.meeting_id, ""), "Samtale")
    return CHART_KIND["guidesamtale" if score.guide_conversation_id is not None else "gruppemoede"]


def scores_for_course(course: Course) -> list[FitScore]:
    condition = FitScore.course_id == course.id
    if course.guide_conversation_id is not None:  # the ORS at the guide conversation opens the chart
        condition = or_(condition, and_(FitScore.citizen_id == course.citizen_id,
                                        FitScore.guide_conversation_id == course.guide_conversation_id))
    return list(db.session.scalars(select(FitScore).where(condition).order_by(FitScore.session_at, FitScore.id)))


def scores_without_course(citizen_id: int) -> list[FitScore]:
    return list(db.session.scalars(select(FitScore).where(
        FitScore.citizen_id == citizen_id, FitScore.course_id.is_(None)).order_by(FitScore.session_at, FitScore.id)))


def sessions_scored(scores: list[FitScore]) -> list[SessionScores]:
    """The rated sessions in time order with their ORS and SRS/GSRS (one more query for kinds)."""
    meeting_ids = {s.meeting_id for s in scores if s.meeting_id is not None}
    meeting_kinds = dict(db.session.execute(
        select(Meeting.id, Meeting.kind).where(Meeting.id.in_(meeting_ids))).all()) if meeting_ids else {}
    by_key: dict[str, SessionScores] = {}
    for score in scores:
        key = f"{score.session_kind}:{score.session_id}"
        row = by_key.get(key)
        if row is None:
            row = by_key[key] = SessionScores(key, score.session_at, _chart_kind(score, meeting_kinds))
        if score.scale == "ORS":
            row.ors = score
        else:
            row.after = score
    return sorted(by_key.values(), key=lambda r: (r.starts_at, r.key))


def ors_chart(rows: list[SessionScores], *, width: int = 800, title: str = "Forløbsskema (FIT)",
              chart_id: str | None = None) -> Markup:
    """ORS per session (a skipped ORS shows as such) and the matching SRS/GSRS. Sessions rated
    only afterwards (no ORS at all) are in the per-item charts, not here: a missing ORS is not a
    skipped one."""
    with_ors = [row for row in rows if row.ors is not None]
    points = [charts.ChartPoint(row.label, row.ors.total, row.kind) for row in with_ors]
    companion = [row.after.total if row.after else None for row in with_ors]
    has_companion = any(value is not None for value in companion)
    svg = charts.ors_chart_svg(
        points, title=title, cutoff=thresholds().ors_cutoff, companion=companion if has_companion else None,
        width=width, height=max(300, round(width * 0.52)), chart_id=chart_id,
    )
    return Markup(svg)  # noqa: S704 - charts.py escapes every text it draws


def items_chart(rows: list[SessionScores], definition: ScaleDefinition, *, width: int = 800) -> Markup:
    points = []
    for row in rows:
        score = row.ors if definition.code == "ORS" else row.after
        if score is None or (definition.code != "ORS" and score.scale != definition.code):
            continue
        points.append((row.label, score.item_scores(definition.item_keys)))
    reference = None if definition.code == "ORS" else thresholds().session_item_cutoff
    svg = charts.items_chart_svg(
        points, title=f"{definition.name} punkt for punkt", scale=definition, reference=reference, width=width,
        height=max(300, round(width * 0.52)),
    )
    return Markup(svg)  # noqa: S704 - charts.py escapes every text it draws


def gsrs_by_group_meeting(meeting_ids: list[int]) -> dict[int, list[Decimal]]:
    """GSRS totals per group meeting (skipped forms left out), in one query."""
    found: dict[int, list[Decimal]] = defaultdict(list)
    if meeting_ids:
        for meeting_id, tenths in db.session.execute(
            select(FitScore.group_meeting_id, FitScore.total_tenths).where(
                FitScore.group_meeting_id.in_(meeting_ids), FitScore.scale == "GSRS",
                FitScore.total_tenths.is_not(None))
        ):
            found[meeting_id].append(from_tenths(tenths))
    return found


def group_run_chart(meetings: list, today: date, *, width: int = 720) -> Markup | None:
    """A run's average GSRS per meeting held so far, with the number of answers."""
    held = [m for m in meetings if not m.cancelled and local(m.starts_at).date() <= today]
    if not held:
        return None
    totals = gsrs_by_group_meeting([m.id for m in held])
    rows = [(short_date(local(m.starts_at).date()), scoring.average(totals.get(m.id, [])), len(totals.get(m.id, [])))
            for m in held]
    svg = charts.group_gsrs_chart_svg(rows, cutoff=thresholds().session_total_cutoff, width=width,
                                      height=max(300, round(width * 0.5)), chart_id=f"gsrs-run-{held[0].run_id}")
    return Markup(svg)  # noqa: S704 - charts.py escapes every text it draws


def course_chart_svg(course_id: int, width: int = 640) -> Markup | None:
    """The course chart (forløbsskema) for Min Plan documents and pages: ORS totals per session with
    the cut-off line and the matching SRS/GSRS. None when the course has no FIT scores yet (or does
    not exist). Server-rendered SVG without scripts or inline styles, safe to embed as is."""
    course = db.session.get(Course, course_id)
    if course is None:
        return None
    rows = sessions_scored(scores_for_course(course))
    if not any(row.ors is not None for row in rows):
        return None
    return ors_chart(rows, width=width, chart_id=f"fit-course-{course_id}-{width}")


@dataclass
class CourseOutcome:
    """What the staff page and the citizen section show about a course's scores."""

    rows: list[SessionScores]
    change: scoring.ChangeResult
    feedback: scoring.SessionFeedback | None  # the latest SRS/GSRS, gently
    latest_ors: FitScore | None
    clinical_side: scoring.ClinicalSide | None


def course_outcome(rows: list[SessionScores], definitions: dict[str, ScaleDefinition] | None = None) -> CourseOutcome:
    limits = thresholds()
    ors_totals = [row.ors.total for row in rows if row.ors is not None]
    latest_ors = next((row.ors for row in reversed(rows) if row.ors is not None and not row.ors.skipped), None)
    feedback = None
    after = [row.after for row in rows if row.after is not None]
    if after and not after[-1].skipped:
        definitions = definitions or SHIPPED_DEFINITIONS
        last = after[-1]
        definition = definitions[last.scale]
        previous = next((s.total for s in reversed(after[:-1]) if s.scale == last.scale and s.total is not None), None)
        feedback = scoring.session_feedback_prompt(last.item_scores(definition.item_keys), previous, limits,
                                                   labels=definition.labels)
    return CourseOutcome(
        rows=rows,
        change=scoring.ors_change(ors_totals, limits),
        feedback=feedback,
        latest_ors=latest_ors,
        clinical_side=scoring.ors_clinical_side(latest_ors.total if latest_ors else None, limits),
    )


# --- day board and citizen page --------------------------------------------------------------------


@board_slot
def coaching_today(day: date):
    """Today's coaching conversations: time, the citizen's initials and the staff's initials."""
    from ..groups.services import staff_initials

    start, end = day_bounds(day)
    meetings = list(db.session.scalars(
        select(Meeting).options(selectinload(Meeting.citizen).load_only(Citizen.first_name, Citizen.last_name))
        .where(Meeting.kind == "coaching", Meeting.starts_at >= start, Meeting.starts_at < end,
               Meeting.status != "aflyst")
        .order_by(Meeting.starts_at)))
    initials = staff_initials(i for m in meetings for i in (m.staff1_id, m.staff2_id))
    items = []
    for meeting in meetings:
        staff = " og ".join(initials[i] for i in (meeting.staff1_id, meeting.staff2_id) if i in initials)
        relative = " · med pårørende" if meeting.relative_id else ""
        when = f"{local(meeting.starts_at):%H:%M}"
        items.append(SlotItem(f"{when} {meeting.citizen.initials}{' · ' + staff if staff else ''}{relative}",
                              citizen_id=meeting.citizen_id,
                              discreet=f"{when} {meeting.citizen.initials}{' · ' + staff if staff else ''}"))
    # Open on the tablet: the host greets whoever arrives; time and initials only.
    return Slot("Coachende samtaler i dag", items, folded=False, noun=("samtale", "samtaler"))


@citizen_section
def citizen_fit_section(citizen: Citizen, open_course: Course | None):
    """The course chart on the citizen page (discreet: scores only, no diagnosis)."""
    course = open_course or current_course(citizen.id)
    scores = scores_for_course(course) if course else scores_without_course(citizen.id)
    if course is None and not scores:
        return None
    definitions = active_definitions()
    rows = sessions_scored(scores)
    outcome = course_outcome(rows, definitions)
    chart = ors_chart(rows, width=640, chart_id=f"fit-citizen-{citizen.id}") if outcome.rows else None
    guideline = course_guideline(course) if course else None
    return "outcomes/_citizen_fit.html", {
        "citizen": citizen, "course": course, "outcome": outcome, "chart": chart, "guideline": guideline,
    }


@dataclass(frozen=True)
class CourseHours:
    course: Course
    hours: ActivityHours


def hours_per_course(citizen_id: int, today: date) -> tuple[list[CourseHours], ActivityHours]:
    """The citizen's hours per course (newest first; each counted within the course's days, as
    Bilag 6 does) and the hours outside every course."""
    courses = db.session.scalars(
        select(Course).where(Course.citizen_id == citizen_id).order_by(Course.start_date.desc(), Course.id.desc())
    ).all()
    windows = [course_window(course, today) for course in courses]
    per_course = [CourseHours(course, hours_by_activity(citizen_id, window))
                  for course, window in zip(courses, windows, strict=True)]
    return per_course, hours_by_activity(citizen_id, outside=windows)


@citizen_section
def citizen_hours_section(citizen: Citizen, open_course: Course | None):
    per_course, outside = hours_per_course(citizen.id, today_local())
    if not outside and not any(row.hours for row in per_course):
        return None
    return "outcomes/_citizen_hours.html", {
        "citizen": citizen, "courses": per_course, "outside": outside,
        "labels": ACTIVITY_LABELS, "format_hours": format_hours,
    }


def latest_scores_by_session(citizen_id: int, sessions: list[Session]) -> dict[str, dict[str, FitScore]]:
    """{session key: {scale: score}} for a list of sessions, in one query."""
    if not sessions:
        return {}
    conditions = []
    by_kind: dict[str, list[int]] = defaultdict(list)
    for session in sessions:
        by_kind[session.kind].append(session.id)
    for kind, ids in by_kind.items():
        conditions.append(getattr(FitScore, SESSION_COLUMN[kind]).in_(ids))
    found: dict[str, dict[str, FitScore]] = defaultdict(dict)
    for score in db.session.scalars(select(FitScore).where(FitScore.citizen_id == citizen_id, or_(*conditions))):
        found[f"{score.session_kind}:{score.session_id}"][score.scale] = score
    return found

