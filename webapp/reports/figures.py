"""Key figures for a period, one plain function per figure. Every figure is counted in the
database (GROUP BY, COUNT DISTINCT): no rows are loaded into Python, and no citizen is named.

A period is [start, end], both Copenhagen calendar days, both included."""

from dataclasses import dataclass, field
from datetime import date

from flask import g, has_request_context
from sqlalchemy import and_, case, exists, func, or_, select, union
from sqlalchemy.orm import aliased

from ..citizens.models import Citizen, Course, GuideConversation
from ..citizens.vocab import DISABILITY_CATEGORIES, STOP_REASONS
from ..extensions import db
from ..groups.models import GroupAttendance, GroupMeeting
from ..groups.vocab import ATTENDED
from ..handover.models import DirectAuthorityProposal, Handover
from ..outcomes.models import FitScore
from ..timeutil import LOCAL_TZ, day_bounds
from ..welcome import vocab as welcome_vocab
from ..welcome.models import Contact, ContactDayCount, ad_hoc_help

NOT_GIVEN = "Ikke angivet"


def number(value) -> str:
    """Danish: whole numbers as they are, others with one decimal and a decimal comma (»12,5«)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return f"{float(value):.1f}".replace(".", ",")


@dataclass(frozen=True)
class Row:
    label: str
    count: int | float  # a count, or hours / an average with one decimal
    share: float | None = None  # percent of the figure's total, or None when a share makes no sense
    list_key: str | None = None  # the list of citizens behind the row (lists.py), None when not listable
    note: str | None = None  # a one-line definition of this row when it differs from the figure's

    @property
    def shown(self) -> str:
        return number(self.count)


@dataclass
class Figure:
    key: str
    title: str
    definition: str  # one line of plain Danish: what is counted
    rows: list[Row] = field(default_factory=list)
    total: int | float | None = None  # shown as »I alt« when the rows split a total
    after: list[Row] = field(default_factory=list)  # shown below »I alt«, e.g. an average

    @property
    def total_shown(self) -> str:
        return number(self.total)


def _share(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0


def _split(key, title, definition, counts: dict, labels: dict, list_keys: dict | None = None) -> Figure:
    """Rows in the vocabulary's order (zeros too), then unknown codes, then the unset ones.
    `list_keys` maps a code (None for the unset) to the list behind its row."""
    list_keys = list_keys or {}
    total = sum(counts.values())
    ordered = [(labels[code], counts.get(code, 0), list_keys.get(code)) for code in labels]
    ordered += [(str(code), n, None) for code, n in counts.items() if code is not None and code not in labels]
    if counts.get(None):
        ordered.append((NOT_GIVEN, counts[None], list_keys.get(None)))
    return Figure(key, title, definition,
                  [Row(label, n, _share(n, total), list_key) for label, n, list_key in ordered], total)


def _live_contacts(start: date, end: date):
    return and_(Contact.local_date >= start, Contact.local_date <= end, Contact.deleted_at.is_(None))


@dataclass(frozen=True)
class ContactCell:
    """Contacts (and their minutes) of one kind in a period, from the day counts."""

    from_type: str | None
    channel: str | None
    partner: str | None
    ad_hoc: bool
    with_citizen: bool
    contacts: int
    minutes: int


def contact_cells(start: date, end: date) -> list[ContactCell]:
    """The period's contacts by sender, channel, partner, ad hoc and known citizen: ONE pass over the
    day counts (welcome/daycounts.py), shared by every contact figure, the hours and the chart of a
    request; '' is stored for »not given«."""
    memo = g.setdefault("_contact_cells", {}) if has_request_context() else {}
    if (start, end) not in memo:
        c = ContactDayCount
        memo[(start, end)] = [
            ContactCell(f or None, ch or None, p or None, bool(a), bool(w), int(n or 0), int(m or 0))
            for f, ch, p, a, w, n, m in db.session.execute(
                select(c.from_type, c.channel, c.partner, c.ad_hoc, c.with_citizen, func.sum(c.contacts),
                       func.sum(c.minutes))
                .where(c.local_date >= start, c.local_date <= end)
                .group_by(c.from_type, c.channel, c.partner, c.ad_hoc, c.with_citizen))
            if n
        ]
    return memo[(start, end)]


def _contact_counts(attribute: str, start: date, end: date, only=lambda cell: True) -> dict:
    counts: dict = {}
    for cell in contact_cells(start, end):
        if only(cell):
            code = getattr(cell, attribute)
            counts[code] = counts.get(code, 0) + cell.contacts
    return counts


def contacts_by_sender(start: date, end: date) -> Figure:
    return _split(
        "contacts_by_sender", "Henvendelser i alt, fordelt på afsender",
        "Alle registrerede henvendelser (besøg, opkald og ad hoc-hjælp) med dato i perioden, fordelt på "
        "hvem der henvendte sig.",
        _contact_counts("from_type", start, end), welcome_vocab.FROM_TYPES,
    )


def contacts_by_channel(start: date, end: date) -> Figure:
    return _split(
        "contacts_by_channel", "Henvendelser fordelt på kanal",
        "De samme henvendelser fordelt på, hvordan de kom: fremmøde, telefon, mail eller udekørende.",
        _contact_counts("channel", start, end), welcome_vocab.CHANNELS,
    )


def contacts_by_partner(start: date, end: date) -> Figure:
    return _split(
        "contacts_by_partner", "Henvendelser fra samarbejdspartnere",
        "Henvendelser i perioden fra en samarbejdspartner, fordelt på hvilken samarbejdspartner.",
        _contact_counts("partner", start, end, lambda cell: cell.from_type == "samarbejdspartner"),
        welcome_vocab.PARTNERS,
    )


# --- the definitions the figures and the lists behind them share (lists.py) ----------------------

def course_overlaps(start: date, end: date):
    """A course in progress on at least one day of the period."""
    return and_(Course.start_date <= end, or_(Course.end_date.is_(None), Course.end_date >= start))


def course_still_open(end: date):
    """A course not closed at the period's end."""
    return or_(Course.end_date.is_(None), Course.end_date > end)


def course_closed_in(start: date, end: date):
    return and_(Course.end_date >= start, Course.end_date <= end)


def course_started_in(start: date, end: date):
    return and_(Course.start_date >= start, Course.start_date <= end)


def ad_hoc_contacts(start: date, end: date):
    """Live contacts in the period marked as ad hoc help, with a known citizen."""
    return and_(_live_contacts(start, end), ad_hoc_help(),
                Contact.citizen_id.is_not(None))


def ad_hoc_citizens(start: date, end: date):
    """The same citizens as `ad_hoc_contacts`, as a UNION of two index ranges (the flag, and the outcome
    »Ad hoc-hjælp givet« on another kind of contact): an OR would read every contact of the period."""
    known = and_(_live_contacts(start, end), Contact.citizen_id.is_not(None))
    return union(
        select(Contact.citizen_id).where(Contact.is_ad_hoc.is_(True), known),
        select(Contact.citizen_id).where(Contact.outcome == welcome_vocab.AD_HOC_OUTCOME, known),
    ).subquery()


def group_attendance(start: date, end: date):
    """(citizen_id, meeting start) of every attendance at a group meeting in the period."""
    first, _ = day_bounds(start)
    _, after = day_bounds(end)
    return (
        select(GroupAttendance.citizen_id.label("citizen_id"), GroupMeeting.starts_at.label("at"))
        .join(GroupMeeting, GroupMeeting.id == GroupAttendance.meeting_id)
        .where(GroupMeeting.starts_at >= first, GroupMeeting.starts_at < after,
               GroupMeeting.cancelled.is_(False), GroupAttendance.status.in_(ATTENDED))
    )


def first_guide_conversations(start: date, end: date):
    """(citizen_id, first_at) of the citizens whose first held guide conversation lay in the period:
    held in the period and none held before it (an index range and a probe per citizen, not a scan of
    all history)."""
    first, _ = day_bounds(start)
    _, after = day_bounds(end)
    earlier = aliased(GuideConversation)
    return (
        select(GuideConversation.citizen_id.label("citizen_id"),
               func.min(GuideConversation.scheduled_at).label("first_at"))
        .where(GuideConversation.scheduled_at >= first, GuideConversation.scheduled_at < after,
               GuideConversation.status == "afholdt", GuideConversation.citizen_id.is_not(None),
               ~exists().where(earlier.citizen_id == GuideConversation.citizen_id, earlier.status == "afholdt",
                               earlier.scheduled_at < first))
        .group_by(GuideConversation.citizen_id)
    )


def direct_proposals(start: date, end: date):
    return and_(DirectAuthorityProposal.decision == "godkendt",
                DirectAuthorityProposal.decided_on >= start, DirectAuthorityProposal.decided_on <= end)


def early_handovers(start: date, end: date):
    """Handovers sent in the period less than 28 days after their course started (join Course)."""
    first, _ = day_bounds(start)
    _, after = day_bounds(end)
    return and_(Handover.status.in_(("sendt", "modtaget")), Handover.sent_at >= first, Handover.sent_at < after,
                _days_from_course_start_to_sending() < 28)


def goal_step():
    """Goal attainment in whole steps 1–4 (2,5 counts as 2); NULL when not given."""
    score = Course.goal_attainment
    return case((score >= 4, 4), (score >= 3, 3), (score >= 2, 2), (score.is_not(None), 1))


def persons_in_course(start: date, end: date) -> Figure:
    everyone, active = db.session.execute(
        select(func.count(Course.citizen_id.distinct()),
               func.count(case((course_still_open(end), Course.citizen_id)).distinct()))
        .where(course_overlaps(start, end))
    ).one()
    return Figure(
        "persons_in_course", "Borgere i forløb",
        "Forskellige borgere med et forløb, der var i gang på mindst én dag i perioden; heraf dem, hvis "
        "forløb ikke var afsluttet ved periodens slutning.",
        [Row("Borgere i forløb i perioden", everyone or 0, list_key="i-forloeb"),
         Row("Heraf stadig i forløb ved periodens slutning", active or 0, list_key="stadig-i-forloeb")],
    )


def persons_with_ad_hoc_help(start: date, end: date) -> Figure:
    persons = db.session.scalar(select(func.count()).select_from(ad_hoc_citizens(start, end)))
    return Figure(
        "persons_with_ad_hoc_help", "Borgere, der har fået ad hoc-hjælp",
        "Forskellige borgere med mindst én henvendelse i perioden registreret som ad hoc-hjælp (eller med "
        "udfaldet »Ad hoc-hjælp givet«); henvendelser uden en kendt borger tælles ikke med.",
        [Row("Borgere med ad hoc-hjælp", persons or 0, list_key="ad-hoc")],
    )


def persons_in_groups(start: date, end: date) -> Figure:
    attended = group_attendance(start, end).subquery()
    persons = db.session.scalar(select(func.count(attended.c.citizen_id.distinct())))
    return Figure(
        "persons_in_groups", "Borgere i grupper",
        "Forskellige borgere, der er mødt op til (eller gik undervejs fra) mindst ét gruppemøde i perioden.",
        [Row("Borgere i grupper", persons or 0, list_key="grupper")],
    )


def new_courses(start: date, end: date) -> Figure:
    total, returns = db.session.execute(
        select(func.count(Course.id), func.count(case((Course.is_return.is_(True), Course.id))))
        .where(course_started_in(start, end))
    ).one()
    total, returns = total or 0, returns or 0
    return Figure(
        "new_courses", "Nye forløb og genindskrivninger",
        "Forløb med startdato i perioden; en genindskrivning er et nyt forløb for en borger, der før har "
        "haft et afsluttet forløb.",
        [Row("Nye forløb (første gang)", total - returns, _share(total - returns, total), "nye-forloeb"),
         Row("Genindskrivninger", returns, _share(returns, total), "genindskrivninger")],
        total,
    )


def closed_courses(start: date, end: date) -> Figure:
    rows = db.session.execute(
        select(Course.stop_reason, func.count())
        .where(course_closed_in(start, end)).group_by(Course.stop_reason)
    ).all()
    labels = {code: f"{label} ({code})" if code != "anden" else label for code, label in STOP_REASONS.items()}
    return _split(
        "closed_courses", "Afsluttede forløb fordelt på stopkode",
        "Forløb med slutdato i perioden, fordelt på årsagen til at forløbet stoppede (stopkoden).",
        {code: n for code, n in rows}, labels, {code: stop_list_key(code) for code in [*STOP_REASONS, None]},
    )


def stop_list_key(code: str | None) -> str:
    return f"stop-{(code or 'ikke-angivet').lower()}"


def _count_new_citizens(start: date, end: date) -> int:
    return db.session.scalar(select(func.count()).select_from(first_guide_conversations(start, end).subquery())) or 0


def new_citizens(start: date, end: date) -> Figure:
    return Figure(
        "new_citizens", "Nye borgere",
        "Forskellige borgere, hvis første afholdte guidesamtale lå i perioden.",
        [Row("Nye borgere", _count_new_citizens(start, end), list_key="nye-borgere")],
    )


def _days_from_course_start_to_sending():
    """Whole calendar days from the course's start date to the day the handover was sent (local day
    on PostgreSQL; SQLite keeps no zone, so there the UTC day – at most an hour or two apart)."""
    if db.engine.dialect.name == "postgresql":
        return func.date(func.timezone(str(LOCAL_TZ), Handover.sent_at)) - Course.start_date
    return func.julianday(func.date(Handover.sent_at)) - func.julianday(Course.start_date)


def led_around(start: date, end: date) -> Figure:
    direct = db.session.scalar(select(func.count(DirectAuthorityProposal.id)).where(direct_proposals(start, end))) or 0
    early = db.session.scalar(
        select(func.count(Handover.id)).join(Course, Course.id == Handover.course_id).where(early_handovers(start, end))
    ) or 0
    citizens = _count_new_citizens(start, end)
    courses = db.session.scalar(select(func.count(Course.id)).where(course_started_in(start, end))) or 0
    return Figure(
        "led_around", "Ledt »uden om« Din Indgang",
        "Forslag om direkte overgang til myndighedsafdelingen godkendt i perioden (andel af nye borgere), "
        "og overdragelser sendt i perioden under fire uger (28 dage) efter forløbets start (andel af nye "
        "forløb i perioden).",
        [Row("Direkte til myndighedsafdelingen", direct, _share(direct, citizens), "direkte"),
         Row("Overdraget under fire uger efter start", early, _share(early, courses), "tidlig-overdragelse")],
    )


def goal_attainment(start: date, end: date) -> Figure:
    closed = course_closed_in(start, end)
    counts = {code: n for code, n in db.session.execute(
        select(goal_step().label("step"), func.count()).where(closed).group_by("step")).all()}
    average = db.session.scalar(select(func.avg(Course.goal_attainment)).where(closed))
    figure = _split(
        "goal_attainment", "Målopfyldelse (1–4) for afsluttede forløb",
        "Forløb med slutdato i perioden fordelt på målopfyldelse i hele trin (2,5 tælles som 2); "
        "gennemsnittet er af de forløb, hvor målopfyldelsen er angivet.",
        counts, {1: "1", 2: "2", 3: "3", 4: "4"}, {**{n: f"maal-{n}" for n in (1, 2, 3, 4)}, None: "maal-ikke-angivet"},
    )
    figure.after = [Row("Gennemsnit", round(float(average), 1) if average is not None else None)]
    return figure


# --- FIT: the ORS scores of the courses closed in the period -------------------------------------

def _ors_tenths() -> tuple[int, int]:
    """(cut-off, reliable change) in tenths, from the product's FIT thresholds."""
    from ..outcomes.definitions import thresholds

    limits = thresholds()
    return int(limits.ors_cutoff * 10), int(limits.ors_reliable_change * 10)


def fit_courses(start: date, end: date):
    """One row per course closed in the period with at least two ORS scores (not skipped): course_id,
    citizen_id, end_date, first and last total in tenths (by session time), and how many. Three
    index probes per course (ix_fit_score_course_ors), not a sort of every score of the period."""
    ors = and_(FitScore.course_id == Course.id, FitScore.scale == "ORS", FitScore.skipped.is_(False),
               FitScore.total_tenths.is_not(None))
    first = (select(FitScore.total_tenths).where(ors)
             .order_by(FitScore.session_at, FitScore.id).limit(1).scalar_subquery())
    last = (select(FitScore.total_tenths).where(ors)
            .order_by(FitScore.session_at.desc(), FitScore.id.desc()).limit(1).scalar_subquery())
    measures = select(func.count()).where(ors).scalar_subquery()
    per_course = (
        select(Course.id.label("course_id"), Course.citizen_id.label("citizen_id"),
               Course.end_date.label("end_date"), first.label("first"), last.label("last"),
               measures.label("measures"))
        .where(course_closed_in(start, end))
        .subquery()
    )
    return select(per_course).where(per_course.c.measures >= 2).subquery()


def fit_condition(list_key: str, courses):
    """The condition on a row of `fit_courses` that each FIT row counts."""
    cutoff, change = _ors_tenths()
    return {
        "fit-maalt": courses.c.measures >= 2,
        "fit-forbedret": courses.c.last - courses.c.first >= change,
        "fit-under-start": courses.c.first < cutoff,
        "fit-under-slut": courses.c.last < cutoff,
    }[list_key]


def _points(tenths: int) -> str:
    return number(tenths // 10 if tenths % 10 == 0 else tenths / 10)


def fit_outcomes(start: date, end: date) -> Figure:
    cutoff, change = _ors_tenths()
    courses = fit_courses(start, end)
    measured, improved, under_start, under_end = db.session.execute(
        select(func.count(), *(func.count(case((fit_condition(key, courses), 1)))
                               for key in ("fit-forbedret", "fit-under-start", "fit-under-slut")))
        .select_from(courses)
    ).one()
    cut, step = _points(cutoff), _points(change)
    return Figure(
        "fit_outcomes", "Udbytte målt med FIT (ORS)",
        f"Forløb med slutdato i perioden og mindst to udfyldte ORS-målinger; første og sidste måling i "
        f"forløbet sammenlignes. Andelene er af de målte forløb. Grænsen er {cut} point, en pålidelig "
        f"forbedring er mindst {step} point.",
        [Row("Forløb målt (grundlaget)", measured or 0, None, "fit-maalt",
             "Afsluttede forløb med mindst to ORS-målinger, der ikke er sprunget over."),
         Row("Pålidelig forbedring", improved or 0, _share(improved or 0, measured or 0), "fit-forbedret",
             f"Sidste ORS-score er mindst {step} point højere end den første."),
         Row(f"Under grænsen ({cut}) ved start", under_start or 0, _share(under_start or 0, measured or 0),
             "fit-under-start", f"Første ORS-score er under {cut} point."),
         Row(f"Under grænsen ({cut}) ved slut", under_end or 0, _share(under_end or 0, measured or 0),
             "fit-under-slut", f"Sidste ORS-score er under {cut} point.")],
    )


# --- disability categories (restricted: ECONOMICS_READERS) ----------------------------------------

def disability_list_key(category: str | None) -> str | None:
    if category is None:
        return "handicap-ikke-angivet"
    if category in DISABILITY_CATEGORIES:
        return f"handicap-{DISABILITY_CATEGORIES.index(category) + 1}"
    return None


def citizens_in_course(start: date, end: date):
    """(citizen_id, first_start) of every citizen with a course in progress in the period."""
    return (select(Course.citizen_id.label("citizen_id"), func.min(Course.start_date).label("first_start"))
            .where(course_overlaps(start, end)).group_by(Course.citizen_id))


def disability_categories(start: date, end: date) -> Figure:
    persons = citizens_in_course(start, end).subquery()
    counts = {category: n for category, n in db.session.execute(
        select(Citizen.disability_category, func.count()).select_from(persons)
        .join(Citizen, Citizen.id == persons.c.citizen_id).group_by(Citizen.disability_category))}
    total = sum(counts.values())
    ordered = [*DISABILITY_CATEGORIES, *sorted(c for c in counts if c is not None and c not in DISABILITY_CATEGORIES)]
    rows = [Row(category, counts.get(category, 0), _share(counts.get(category, 0), total),
                disability_list_key(category)) for category in ordered]
    rows.append(Row(NOT_GIVEN, counts.get(None, 0), _share(counts.get(None, 0), total), "handicap-ikke-angivet"))
    return Figure(
        "disability_categories", "Borgere i forløb fordelt på handicapkategori",
        "Forskellige borgere med et forløb i gang i perioden, fordelt på handicapkategorien fra "
        "dokumentationsskemaet (Bilag 6). Kun for leder og sekretariat.",
        rows, total,
    )


FIGURES = (
    contacts_by_sender, contacts_by_channel, contacts_by_partner, persons_in_course,
    persons_with_ad_hoc_help, persons_in_groups, new_courses, closed_courses, new_citizens, led_around,
    goal_attainment, fit_outcomes,
)
RESTRICTED_FIGURES = (disability_categories,)  # the leader's and the secretariat's only


def key_figures(start: date, end: date, *, restricted: bool = False) -> list[Figure]:
    """Every figure for the period; `restricted` adds the disability counts (ECONOMICS_READERS)."""
    from .hours import hours_figures  # hours.py builds on this module's Figure and Row

    extra = [figure(start, end) for figure in RESTRICTED_FIGURES] if restricted else []
    return [figure(start, end) for figure in FIGURES] + extra + hours_figures(start, end)


def percent(value: float | None) -> str:
    """Danish: one decimal, decimal comma (»12,5 %«); blank when there is no share."""
    return "" if value is None else f"{value:.1f}".replace(".", ",") + " %"


def to_csv(period_label: str, figures: list[Figure]) -> str:
    """The same tables for Danish Excel: UTF-8 with BOM, semicolons, decimal comma."""
    import io

    from .. import csvsafe

    out = io.StringIO()
    out.write("\ufeff")
    writer = csvsafe.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Nøgletal", period_label])
    for figure in figures:
        writer.writerow([])
        writer.writerow([figure.title])
        writer.writerow([figure.definition])
        writer.writerow(["", "Antal", "Andel"])
        for row in figure.rows:
            writer.writerow([row.label, row.shown, percent(row.share)])
        if figure.total is not None:
            writer.writerow(["I alt", figure.total_shown, percent(100.0) if figure.total else ""])
        for row in figure.after:
            writer.writerow([row.label, row.shown, percent(row.share)])
    return out.getvalue()
