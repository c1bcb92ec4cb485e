"""Server-rendered bar charts for the key figures: the numbers come from the database (GROUP BY), and
one pure function (`bar_chart`) turns numbers into SVG geometry that templates/reports/_chart.html
draws – on the page and in the committee PDF alike. No script, no inline style: colours are classes
(`series-0`, `series-1` …) styled in app.css and in the PDF's stylesheet.

Charts:
- contacts per month by sender type (stacked; per year when the period is longer than three years),
- courses active per week (a course counts in every week it is in progress on at least one day),
- hours per activity, with the citizens beside the staff hours (grouped)."""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from ..citizens.models import Course
from ..extensions import db
from ..timeutil import MONTHS_DA
from ..welcome import vocab as welcome_vocab
from ..welcome.models import ContactDayCount
from .figures import NOT_GIVEN, Figure, number

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 96, 12, 12, 84  # room for the slanted category labels below and to the left
# The print's colours: WeasyPrint does not apply the document's stylesheet inside an inline <svg>, so
# the PDF draws with presentation attributes in these colours (app.css has the same for the page).
PRINT_COLOURS = ("#2f5d50", "#b8742a", "#4f7fa8", "#8a8a8a")
PRINT_INK = "#4f5d58"
PRINT_GRID = "#e4ded3"
MAX_X_LABELS = 12
MAX_MONTHS = 36  # longer periods are shown per year
MAX_WEEKS = 106  # longer periods show every n-th week


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int  # index into Chart.series: the CSS class series-<n>
    category: str
    value: float
    series_name: str = ""

    @property
    def title(self) -> str:
        who = f", {self.series_name}" if self.series_name else ""
        return f"{self.category}{who}: {number(self.value)}"


@dataclass(frozen=True)
class Tick:
    position: float  # y for the value axis, x (the category's middle) for the category axis
    text: str


@dataclass
class Chart:
    key: str
    title: str
    description: str  # the text alternative's first line
    categories: list[str]
    series: list[tuple[str, list[float]]]  # (name, one value per category)
    stacked: bool
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    top: float = TOP
    bottom: float = HEIGHT - BOTTOM  # the baseline's y
    left: float = LEFT
    right: float = WIDTH - RIGHT

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """The numbers as a table (the text alternative): one row per category."""
        return [(category, [number(values[i]) for _name, values in self.series])
                for i, category in enumerate(self.categories)]


def tick_step(value: float) -> float:
    """The gridline step for a largest value: the smallest of 1, 2, 2,5 (from 25 up), 5 × 10^k whose
    four steps reach `value` – whole numbers only, at least 1."""
    quarter = value / 4
    if quarter <= 1:
        return 1
    power = 10 ** math.floor(math.log10(quarter))
    for step in (1, 2, 2.5, 5, 10):
        if float(step * power).is_integer() and step * power >= quarter - 1e-9:
            return step * power
    return 10 * power  # pragma: no cover


def bar_chart(key: str, title: str, description: str, categories: list[str],
              series: list[tuple[str, list[float]]], *, stacked: bool) -> Chart:
    """Geometry for a bar chart in a WIDTH × HEIGHT box: bars (stacked or side by side per category),
    four gridlines with their values, and at most MAX_X_LABELS category labels."""
    chart = Chart(key, title, description, categories, series, stacked)
    plot_width, plot_height = chart.right - chart.left, chart.bottom - chart.top
    sums = [sum(values[i] for _n, values in series) for i in range(len(categories))] if stacked else \
        [max((values[i] for _n, values in series), default=0) for i in range(len(categories))]
    step = tick_step(max(sums, default=0))
    scale = 4 * step
    chart.y_ticks = [Tick(round(chart.bottom - plot_height * k / 4, 2), number(_tidy(step * k))) for k in range(5)]
    if not categories:
        return chart
    slot = plot_width / len(categories)
    group = slot * 0.8
    every = math.ceil(len(categories) / MAX_X_LABELS)
    for i, category in enumerate(categories):
        left = chart.left + i * slot + (slot - group) / 2
        if i % every == 0:
            chart.x_ticks.append(Tick(round(left + group / 2, 2), category))
        base = chart.bottom
        for s, (name, values) in enumerate(series):
            height = plot_height * values[i] / scale
            if stacked:
                x, width, y = left, group, base - height
                base = y
            else:
                width = group / len(series)
                x, y = left + s * width, chart.bottom - height
            if values[i]:
                chart.bars.append(Bar(round(x, 2), round(y, 2), round(width, 2), round(height, 2), s, category,
                                      values[i], name if len(series) > 1 else ""))
    return chart


def _tidy(value: float):
    return int(value) if float(value).is_integer() else round(value, 1)


# --- the numbers, counted in the database ---------------------------------------------------------

def _months(start: date, end: date) -> list[tuple[int, int]]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def contacts_per_month(start: date, end: date) -> Chart:
    months = _months(start, end)
    by_year = len(months) > MAX_MONTHS
    buckets = sorted({f"{y}" if by_year else f"{y}-{m:02d}" for y, m in months})
    # Grouped by day in the day counts' own key order (no sort), bucketed here: a few rows a day.
    counts: dict = {}
    for day, sender, n in db.session.execute(
            select(ContactDayCount.local_date, ContactDayCount.from_type, func.sum(ContactDayCount.contacts))
            .where(ContactDayCount.local_date >= start, ContactDayCount.local_date <= end)
            .group_by(ContactDayCount.local_date, ContactDayCount.from_type)):
        if n:
            when = f"{day.year}" if by_year else f"{day.year}-{day.month:02d}"
            counts[(when, sender or None)] = counts.get((when, sender or None), 0) + int(n)
    senders = dict(welcome_vocab.FROM_TYPES)
    if any(sender is None or sender not in senders for _when, sender in counts):
        senders[None] = NOT_GIVEN
    known = set(welcome_vocab.FROM_TYPES)
    series = [(label, [sum(n for (when, sender), n in counts.items() if when == b and
                           (sender == code if code is not None else sender not in known)) for b in buckets])
              for code, label in senders.items()]
    labels = buckets if by_year else [f"{MONTHS_DA[int(b[5:]) - 1]} {b[:4]}" for b in buckets]
    return bar_chart(
        "contacts_per_month", "Henvendelser pr. " + ("år" if by_year else "måned") + " fordelt på afsender",
        "Søjlediagram: antal henvendelser pr. " + ("år" if by_year else "måned")
        + ", stablet efter afsender (borger, pårørende, samarbejdspartner).",
        labels, series, stacked=True)


def courses_active_per_week(start: date, end: date) -> Chart:
    """Active in a week = started on or before its Sunday and not closed before its Monday. The first
    week is counted directly; each next week adds the courses started in it and drops those closed in
    the week before – a count and two GROUP BY day queries over the period, whatever the number of
    courses (at most one row per day comes back)."""
    monday = start - timedelta(days=start.weekday())
    weeks = (end - monday).days // 7 + 1
    last_sunday = monday + timedelta(days=7 * weeks - 1)
    first = db.session.scalar(select(func.count(Course.id)).where(
        Course.start_date <= monday + timedelta(days=6),
        or_(Course.end_date.is_(None), Course.end_date >= monday))) or 0
    starts, ends = Counter(), Counter()
    for day, n in db.session.execute(
        select(Course.start_date, func.count()).where(
            and_(Course.start_date >= monday + timedelta(days=7), Course.start_date <= last_sunday))
        .group_by(Course.start_date)):
        starts[(day - monday).days // 7] += n
    for day, n in db.session.execute(
        select(Course.end_date, func.count()).where(Course.end_date >= monday, Course.end_date <= last_sunday)
        .group_by(Course.end_date)):
        ends[(day - monday).days // 7] += n
    active, counts = first, []
    for week in range(weeks):
        if week:
            active += starts.get(week, 0) - ends.get(week - 1, 0)
        counts.append(active)
    mondays = [monday + timedelta(days=7 * w) for w in range(weeks)]
    step = math.ceil(weeks / MAX_WEEKS)
    shown = list(range(0, weeks, step))
    labels = [f"uge {mondays[w].isocalendar().week} {mondays[w].isocalendar().year}" for w in shown]
    note = "" if step == 1 else f" Hver {step}. uge er vist."
    return bar_chart(
        "courses_per_week", "Forløb i gang pr. uge",
        "Søjlediagram: antal forløb, der var i gang på mindst én dag i ugen." + note,
        labels, [("Forløb i gang", [counts[w] for w in shown])], stacked=False)


def hours_per_activity(hours: list[Figure]) -> Chart:
    """From the two hours figures (hours.py): with the citizens, and the staff hours."""
    with_citizens, staff = hours
    return bar_chart(
        "hours_per_activity", "Timer pr. aktivitet",
        "Søjlediagram: timer med borgerne og medarbejdertimer for hver aktivitetstype.",
        [row.label for row in with_citizens.rows],
        [("Timer med borgerne", [row.count for row in with_citizens.rows]),
         ("Medarbejdertimer", [row.count for row in staff.rows])],
        stacked=False)


def key_figure_charts(start: date, end: date, figures: list[Figure]) -> list[Chart]:
    hours = [f for f in figures if f.key in ("hours_with_citizens", "staff_hours")]
    return [contacts_per_month(start, end), courses_active_per_week(start, end), hours_per_activity(hours)]
