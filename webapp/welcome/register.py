"""The contact register (Bilag 5, figure 5.1): a week of contacts with filters and totals."""

import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, select

from .. import csvsafe
from ..extensions import db
from ..timeutil import local
from ..urls import parse_id
from . import vocab
from .models import Contact
from .services import with_people

PAGE_SIZE = 30
WEEK_RE = re.compile(r"^(\d{4})-W(\d{1,2})$")
EARLIEST_YEAR = 2000


class WeekError(ValueError):
    pass


def parse_week(text: str | None, today: date) -> date:
    """'2026-W48' -> the Monday of that ISO week. Empty -> this week."""
    if not text:
        return today - timedelta(days=today.weekday())
    m = WEEK_RE.match(text.strip())
    if not m:
        raise WeekError("Ugen skal skrives som år og ugenummer, fx 2026-W48.")
    year, week = int(m.group(1)), int(m.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise WeekError(f"Uge {week} findes ikke i {year}.") from None
    if year < EARLIEST_YEAR or monday > today + timedelta(days=7 * 53):
        raise WeekError("Den uge ligger uden for registrets data.")
    return monday


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Filters:
    channel: str = ""
    from_type: str = ""
    partner: str = ""
    staff: int | None = None

    @classmethod
    def from_args(cls, args) -> tuple["Filters", list[str]]:
        """Unknown values are dropped with a Danish message, never an error page."""
        problems = []
        f = cls()
        for name, allowed, label in (
            ("kanal", vocab.CHANNELS, "kanal"),
            ("fra", vocab.FROM_TYPES, "afsender"),
            ("partner", vocab.PARTNERS, "samarbejdspartner"),
        ):
            value = args.get(name, "")
            if value and value not in allowed:
                problems.append(f"Ukendt {label} »{value[:30]}« er ignoreret.")
                value = ""
            setattr(f, {"kanal": "channel", "fra": "from_type", "partner": "partner"}[name], value)
        staff = args.get("medarbejder", "")
        if staff:
            if (staff_id := parse_id(staff)) is not None:
                f.staff = staff_id
            else:
                problems.append("Ukendt medarbejder er ignoreret.")
        return f, problems

    def conditions(self):
        conds = []
        if self.channel:
            conds.append(Contact.channel == self.channel)
        if self.from_type:
            conds.append(Contact.from_type == self.from_type)
        if self.partner:
            conds.append(Contact.partner == self.partner)
        if self.staff:
            conds.append(Contact.logged_by_id == self.staff)
        return conds

    def as_args(self) -> dict:
        args = {"kanal": self.channel, "fra": self.from_type, "partner": self.partner, "medarbejder": self.staff}
        return {k: v for k, v in args.items() if v}


@dataclass
class Split:
    code: str
    label: str
    count: int
    percent: float


@dataclass
class Week:
    monday: date
    total: int
    per_day: list[tuple[date, int]]
    by_channel: dict[str, int]
    split: list[Split]
    rows: list[Contact]
    page: int
    pages: int
    partners: dict[str, int] = field(default_factory=dict)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def _where(monday: date, filters: Filters):
    return and_(
        Contact.local_date >= monday,
        Contact.local_date <= monday + timedelta(days=6),
        Contact.deleted_at.is_(None),
        *filters.conditions(),
    )


def week(monday: date, filters: Filters, page: int = 1) -> Week:
    where = _where(monday, filters)
    grouped = db.session.execute(
        select(Contact.local_date, Contact.channel, Contact.from_type, Contact.partner, func.count())
        .where(where)
        .group_by(Contact.local_date, Contact.channel, Contact.from_type, Contact.partner)
    ).all()
    per_day = dict.fromkeys((monday + timedelta(days=i) for i in range(7)), 0)
    by_channel = dict.fromkeys(vocab.CHANNELS, 0)
    by_from = dict.fromkeys(vocab.FROM_TYPES, 0)
    partners: dict[str, int] = {}
    total = 0
    for day, channel, from_type, partner, n in grouped:
        total += n
        per_day[day] = per_day.get(day, 0) + n
        by_channel[channel] = by_channel.get(channel, 0) + n
        by_from[from_type] = by_from.get(from_type, 0) + n
        if partner:
            partners[partner] = partners.get(partner, 0) + n
    split = [
        Split(code, label, by_from[code], round(100 * by_from[code] / total, 1) if total else 0.0)
        for code, label in vocab.FROM_TYPES.items()
    ]
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = list(
        db.session.scalars(
            with_people(select(Contact))
            .where(where)
            .order_by(Contact.occurred_at, Contact.id)
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    return Week(monday, total, sorted(per_day.items()), by_channel, split, rows, page, pages, partners)


CSV_HEADER = [
    "Dato", "Tid", "Type", "Kanal", "Fra", "Samarbejdspartner", "Ad hoc-emner", "Resultat",
    "Varighed (min)", "Registreret af", "Borger (initialer)",
]


def week_csv(monday: date, filters: Filters) -> str:
    """UTF-8 with BOM, semicolons and Danish dates: opens correctly in Danish Excel."""
    from ..auth.models import User

    out = io.StringIO()
    out.write("\ufeff")
    writer = csvsafe.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    users = {u.id: u.initials for u in db.session.scalars(select(User))}
    rows = list(
        db.session.scalars(
            with_people(select(Contact)).where(_where(monday, filters)).order_by(Contact.occurred_at, Contact.id)
        )
    )
    for c in rows:
        at = local(c.occurred_at)
        writer.writerow([
            at.strftime("%d-%m-%Y"),
            at.strftime("%H:%M"),
            vocab.KINDS[c.kind],
            vocab.CHANNELS.get(c.channel, c.channel),
            vocab.FROM_TYPES.get(c.from_type, c.from_type),
            vocab.PARTNERS.get(c.partner, "") if c.partner else "",
            ", ".join(c.topic_labels),
            vocab.OUTCOMES.get(c.outcome, "") if c.outcome else "",
            "" if c.duration_minutes is None else str(c.duration_minutes),
            users.get(c.logged_by_id, ""),
            c.citizen.initials if c.citizen else "",
        ])
    return out.getvalue()


def week_citizens(monday: date, filters: Filters) -> list[int]:
    """The citizens the week's export names (by initials): for the audit log."""
    return list(db.session.scalars(
        select(Contact.citizen_id).where(_where(monday, filters), Contact.citizen_id.is_not(None)).distinct()
    ))


def split_chart_svg(split: list[Split], title: str = "Henvendelser fordelt på afsender"):
    """Horizontal bars with the label, count and percentage written out (not colour alone)."""
    from markupsafe import Markup, escape

    row_h, label_w, bar_w, width = 44, 190, 360, 700
    height = row_h * len(split) + 16
    peak = max((s.count for s in split), default=0) or 1
    patterns = ("#2f5d50", "#b5651d", "#3b5ba5")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="split-title" class="chart">',
        f'<title id="split-title">{escape(title)}</title>',
    ]
    for i, s in enumerate(split):
        y = 8 + i * row_h
        w = round(bar_w * s.count / peak) if s.count else 0
        percent = f"{s.percent:.1f}".replace(".", ",")
        parts.append(
            f'<text x="0" y="{y + 27}" font-size="20" fill="#1f2a27">{escape(s.label)}</text>'
            f'<rect x="{label_w}" y="{y + 6}" width="{w}" height="28" rx="4" fill="{patterns[i % 3]}"/>'
            f'<text x="{label_w + w + 10}" y="{y + 27}" font-size="20" font-weight="700" fill="#1f2a27">'
            f"{s.count} ({percent} %)</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text part above is escaped
