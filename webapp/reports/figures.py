"""Key figures for a period, one plain function per figure. Every figure is counted in the
database (GROUP BY, COUNT DISTINCT): no rows are loaded into Python, and no citizen is named.

A period is [start, end], both Copenhagen calendar days, both included."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, exists, func, or_, select, union
from sqlalchemy.orm import aliased

from ..citizens.models import Course, GuideConversation
from ..citizens.vocab import STOP_REASONS
from ..extensions import db
from ..groups.models import GroupAttendance, GroupMeeting
from ..groups.vocab import ATTENDED
from ..handover.models import DirectAuthorityProposal, Handover
from ..timeutil import LOCAL_TZ, day_bounds
from ..welcome import vocab as welcome_vocab
from ..welcome.models import Contact, ContactDayCount

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


def _split(key, title, definition, counts: dict, labels: dict) -> Figure:
    """Rows in the vocabulary's order (zeros too), then unknown codes, then the unset ones."""
    total = sum(counts.values())
    ordered = [(labels[code], counts.get(code, 0)) for code in labels]
    ordered += [(str(code), n) for code, n in counts.items() if code is not None and code not in labels]
    if counts.get(None):
        ordered.append((NOT_GIVEN, counts[None]))
    return Figure(key, title, definition, [Row(label, n, _share(n, total)) for label, n in ordered], total)


def _live_contacts(start: date, end: date):
    return and_(Contact.local_date >= start, Contact.local_date <= end, Contact.deleted_at.is_(None))


def _contact_counts(column, start: date, end: date, *extra) -> dict:
    """Contacts per code, summed from the day counts (welcome/daycounts.py); '' is »not given«."""
    rows = db.session.execute(
        select(column, func.sum(ContactDayCount.contacts))
        .where(ContactDayCount.local_date >= start, ContactDayCount.local_date <= end, *extra).group_by(column)
    ).all()
    return {code or None: int(n or 0) for code, n in rows if n}


def contacts_by_sender(start: date, end: date) -> Figure:
    return _split(
        "contacts_by_sender", "Henvendelser i alt, fordelt på afsender",
        "Alle registrerede henvendelser (besøg, opkald og ad hoc-hjælp) med dato i perioden, fordelt på "
        "hvem der henvendte sig.",
        _contact_counts(ContactDayCount.from_type, start, end), welcome_vocab.FROM_TYPES,
    )


def contacts_by_channel(start: date, end: date) -> Figure:
    return _split(
        "contacts_by_channel", "Henvendelser fordelt på kanal",
        "De samme henvendelser fordelt på, hvordan de kom: fremmøde, telefon, mail eller udekørende.",
        _contact_counts(ContactDayCount.channel, start, end), welcome_vocab.CHANNELS,
    )


def contacts_by_partner(start: date, end: date) -> Figure:
    return _split(
        "contacts_by_partner", "Henvendelser fra samarbejdspartnere",
        "Henvendelser i perioden fra en samarbejdspartner, fordelt på hvilken samarbejdspartner.",
        _contact_counts(ContactDayCount.partner, start, end, ContactDayCount.from_type == "samarbejdspartner"),
        welcome_vocab.PARTNERS,
    )


def persons_in_course(start: date, end: date) -> Figure:
    overlaps = and_(Course.start_date <= end, or_(Course.end_date.is_(None), Course.end_date >= start))
    still_open = or_(Course.end_date.is_(None), Course.end_date > end)
    everyone, active = db.session.execute(
        select(func.count(Course.citizen_id.distinct()),
               func.count(case((still_open, Course.citizen_id)).distinct())).where(overlaps)
    ).one()
    return Figure(
        "persons_in_course", "Borgere i forløb",
        "Forskellige borgere med et forløb, der var i gang på mindst én dag i perioden; heraf dem, hvis "
        "forløb ikke var afsluttet ved periodens slutning.",
        [Row("Borgere i forløb i perioden", everyone or 0),
         Row("Heraf stadig i forløb ved periodens slutning", active or 0)],
    )


def ad_hoc_citizens(start: date, end: date):
    """The citizens with ad hoc help in the period, as a UNION of two index ranges (the flag, and the
    outcome »Ad hoc-hjælp givet« on another kind of contact)."""
    known = and_(_live_contacts(start, end), Contact.citizen_id.is_not(None))
    return union(
        select(Contact.citizen_id).where(Contact.is_ad_hoc.is_(True), known),
        select(Contact.citizen_id).where(Contact.outcome == "ad_hoc_givet", known),
    ).subquery()


def persons_with_ad_hoc_help(start: date, end: date) -> Figure:
    persons = db.session.scalar(select(func.count()).select_from(ad_hoc_citizens(start, end)))
    return Figure(
        "persons_with_ad_hoc_help", "Borgere, der har fået ad hoc-hjælp",
        "Forskellige borgere med mindst én henvendelse i perioden registreret som ad hoc-hjælp (eller med "
        "udfaldet »Ad hoc-hjælp givet«); henvendelser uden en kendt borger tælles ikke med.",
        [Row("Borgere med ad hoc-hjælp", persons or 0)],
    )


def persons_in_groups(start: date, end: date) -> Figure:
    first, _ = day_bounds(start)
    _, after = day_bounds(end)
    persons = db.session.scalar(
        select(func.count(GroupAttendance.citizen_id.distinct()))
        .join(GroupMeeting, GroupMeeting.id == GroupAttendance.meeting_id)
        .where(GroupMeeting.starts_at >= first, GroupMeeting.starts_at < after,
               GroupMeeting.cancelled.is_(False), GroupAttendance.status.in_(ATTENDED))
    )
    return Figure(
        "persons_in_groups", "Borgere i grupper",
        "Forskellige borgere, der er mødt op til (eller gik undervejs fra) mindst ét gruppemøde i perioden.",
        [Row("Borgere i grupper", persons or 0)],
    )


def new_courses(start: date, end: date) -> Figure:
    total, returns = db.session.execute(
        select(func.count(Course.id), func.count(case((Course.is_return.is_(True), Course.id))))
        .where(Course.start_date >= start, Course.start_date <= end)
    ).one()
    total, returns = total or 0, returns or 0
    return Figure(
        "new_courses", "Nye forløb og genindskrivninger",
        "Forløb med startdato i perioden; en genindskrivning er et nyt forløb for en borger, der før har "
        "haft et afsluttet forløb.",
        [Row("Nye forløb (første gang)", total - returns, _share(total - returns, total)),
         Row("Genindskrivninger", returns, _share(returns, total))],
        total,
    )


def closed_courses(start: date, end: date) -> Figure:
    rows = db.session.execute(
        select(Course.stop_reason, func.count())
        .where(Course.end_date >= start, Course.end_date <= end).group_by(Course.stop_reason)
    ).all()
    labels = {code: f"{label} ({code})" if code != "anden" else label for code, label in STOP_REASONS.items()}
    return _split(
        "closed_courses", "Afsluttede forløb fordelt på stopkode",
        "Forløb med slutdato i perioden, fordelt på årsagen til at forløbet stoppede (stopkoden).",
        {code: n for code, n in rows}, labels,
    )


def _count_new_citizens(start: date, end: date) -> int:
    """Citizens whose first held guide conversation lies in the period: one held in the period and
    none held before it (an index range, and a probe per citizen – not a scan of all history)."""
    first, _ = day_bounds(start)
    _, after = day_bounds(end)
    earlier = aliased(GuideConversation)
    return db.session.scalar(
        select(func.count(GuideConversation.citizen_id.distinct())).where(
            GuideConversation.scheduled_at >= first, GuideConversation.scheduled_at < after,
            GuideConversation.status == "afholdt", GuideConversation.citizen_id.is_not(None),
            ~exists().where(earlier.citizen_id == GuideConversation.citizen_id, earlier.status == "afholdt",
                            earlier.scheduled_at < first))
    ) or 0


def new_citizens(start: date, end: date) -> Figure:
    return Figure(
        "new_citizens", "Nye borgere",
        "Forskellige borgere, hvis første afholdte guidesamtale lå i perioden.",
        [Row("Nye borgere", _count_new_citizens(start, end))],
    )


def _days_from_course_start_to_sending():
    """Whole calendar days from the course's start date to the day the handover was sent (local day
    on PostgreSQL; SQLite keeps no zone, so there the UTC day – at most an hour or two apart)."""
    if db.engine.dialect.name == "postgresql":
        return func.date(func.timezone(str(LOCAL_TZ), Handover.sent_at)) - Course.start_date
    return func.julianday(func.date(Handover.sent_at)) - func.julianday(Course.start_date)


def led_around(start: date, end: date) -> Figure:
    first, _ = day_bounds(start)
    _, after = day_bounds(end)
    direct = db.session.scalar(
        select(func.count(DirectAuthorityProposal.id)).where(
            DirectAuthorityProposal.decision == "godkendt",
            DirectAuthorityProposal.decided_on >= start, DirectAuthorityProposal.decided_on <= end)
    ) or 0
    early = db.session.scalar(
        select(func.count(Handover.id)).join(Course, Course.id == Handover.course_id).where(
            Handover.status.in_(("sendt", "modtaget")), Handover.sent_at >= first, Handover.sent_at < after,
            _days_from_course_start_to_sending() < 28)
    ) or 0
    citizens = _count_new_citizens(start, end)
    courses = db.session.scalar(
        select(func.count(Course.id)).where(Course.start_date >= start, Course.start_date <= end)) or 0
    return Figure(
        "led_around", "Ledt »uden om« Din Indgang",
        "Forslag om direkte overgang til myndighedsafdelingen godkendt i perioden (andel af nye borgere), "
        "og overdragelser sendt i perioden under fire uger (28 dage) efter forløbets start (andel af nye "
        "forløb i perioden).",
        [Row("Direkte til myndighedsafdelingen", direct, _share(direct, citizens)),
         Row("Overdraget under fire uger efter start", early, _share(early, courses))],
    )


def goal_attainment(start: date, end: date) -> Figure:
    score = Course.goal_attainment
    step = case((score >= 4, 4), (score >= 3, 3), (score >= 2, 2), (score.is_not(None), 1))
    closed = and_(Course.end_date >= start, Course.end_date <= end)
    counts = {code: n for code, n in db.session.execute(
        select(step.label("step"), func.count()).where(closed).group_by("step")).all()}
    average = db.session.scalar(select(func.avg(score)).where(closed))
    figure = _split(
        "goal_attainment", "Målopfyldelse (1–4) for afsluttede forløb",
        "Forløb med slutdato i perioden fordelt på målopfyldelse i hele trin (2,5 tælles som 2); "
        "gennemsnittet er af de forløb, hvor målopfyldelsen er angivet.",
        counts, {1: "1", 2: "2", 3: "3", 4: "4"},
    )
    figure.after = [Row("Gennemsnit", round(float(average), 1) if average is not None else None)]
    return figure


FIGURES = (
    contacts_by_sender, contacts_by_channel, contacts_by_partner, persons_in_course,
    persons_with_ad_hoc_help, persons_in_groups, new_courses, closed_courses, new_citizens, led_around,
    goal_attainment,
)


def key_figures(start: date, end: date) -> list[Figure]:
    from .hours import hours_figures  # hours.py builds on this module's Figure and Row

    return [figure(start, end) for figure in FIGURES] + hours_figures(start, end)


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
