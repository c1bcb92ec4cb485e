"""Server-rendered SVG charts for FIT: the course chart (forløbsskema), per-item lines and a group
run's GSRS per meeting.

Plain string building, no JavaScript, no `style=` attributes (the CSP forbids inline styles) and
no CSS variables or foreignObject (WeasyPrint draws the same markup into PDFs). Meaning is carried
by marker shape, line dash and text labels, never by colour alone; lines are thick and labels
large so the chart reads on a projector across the room. Every text is escaped.
"""

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import NamedTuple

from .scales import ORS, ScaleDefinition
from .scoring import DEFAULT_THRESHOLDS, Number, format_score

FONT_FAMILY = "DejaVu Sans, Segoe UI, Arial, sans-serif"
INK = "#1a1a1a"
MUTED = "#4d4d4d"
GRID = "#d6d6d6"
CUTOFF_COLOUR = "#8b1a1a"
# Dark enough for 4.5:1 against white; they differ in lightness too, so they survive greyscale.
SERIES_STYLES = (  # (colour, marker, dash)
    ("#1f4e79", "circle", None),
    ("#a14a00", "square", "10 6"),
    ("#2e6b30", "triangle", "4 5"),
    ("#6a3d9a", "diamond", "14 5 3 5"),
)

FONT = 17  # axis and x labels
SMALL = 14  # axis title, "sprunget over"
NOTE_FONT = 13  # session kind or number of answers under the x labels
VALUE_FONT = 16  # value labels at the markers
REF_FONT = 15  # the cut-off label
# Average advance per character in DejaVu Sans (measured: ≤ 0.59 regular, ≤ 0.67 bold), used to
# keep labels apart; narrower fallback fonts only leave more room.
CHAR_WIDTH = 0.6
BOLD_CHAR_WIDTH = 0.67
MARKER = 7.5


class ChartPoint(NamedTuple):
    label: str  # e.g. "2. feb"
    total: Number | None  # None: the form was skipped
    kind: str = ""  # e.g. "Samtale", "Gruppe"; shown under the label when there is room


@dataclass(frozen=True)
class _Series:
    name: str
    values: tuple[Decimal | None, ...]
    colour: str
    marker: str
    dash: str | None
    stroke_width: float = 4
    value_labels: bool = True


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _text_width(text: str, size: float, *, bold: bool = False) -> float:
    return len(text) * size * (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH)


def _decimal_or_none(value: Number | None) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _thinned(count: int, step: int) -> set[int]:
    """Indices to label when there is room for only every `step`-th; the latest is always kept."""
    if count == 0:
        return set()
    shown = list(range(0, count, step))
    if shown[-1] != count - 1:
        if count - 1 - shown[-1] < step:
            shown.pop()
        shown.append(count - 1)
    return set(shown)


def _marker(shape: str, x: float, y: float, colour: str, tooltip: str, css_class: str = "") -> str:
    r = MARKER
    tip = f"<title>{escape(tooltip)}</title>"
    cls = f' class="{css_class}"' if css_class else ""
    if shape == "circle":
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="{colour}"{cls}>{tip}</circle>'
    if shape == "square":
        s = r * 0.9
        return (f'<rect x="{_num(x - s)}" y="{_num(y - s)}" width="{_num(2 * s)}" height="{_num(2 * s)}" '
                f'fill="#ffffff" stroke="{colour}" stroke-width="3.5"{cls}>{tip}</rect>')
    if shape == "triangle":
        t = r * 1.25
        points = f"{_num(x)},{_num(y - t)} {_num(x + t)},{_num(y + t * 0.8)} {_num(x - t)},{_num(y + t * 0.8)}"
        return f'<polygon points="{points}" fill="{colour}"{cls}>{tip}</polygon>'
    d = r * 1.3  # diamond
    points = f"{_num(x)},{_num(y - d)} {_num(x + d)},{_num(y)} {_num(x)},{_num(y + d)} {_num(x - d)},{_num(y)}"
    return f'<polygon points="{points}" fill="#ffffff" stroke="{colour}" stroke-width="3.5"{cls}>{tip}</polygon>'


def _text(x: float, y: float, text: str, *, size: float = FONT, anchor: str = "middle", fill: str = INK,
          bold: bool = False, extra: str = "") -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}" text-anchor="{anchor}" '
            f'fill="{fill}"{weight}{extra}>{escape(text)}</text>')


def _chart_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:10]
    return f"{prefix}-{digest}"


def _render(
    *,
    title: str,
    desc: str,
    chart_id: str,
    width: int,
    height: int,
    y_max: int,
    y_grid: int,
    y_label_step: int,
    y_axis_title: str,
    x_labels: Sequence[str],
    x_notes: Sequence[str],
    series: Sequence[_Series],
    reference: tuple[Decimal, str] | None,
    skipped: Sequence[bool],
    skipped_text: str,
    show_title: bool,
    empty_text: str = "Ingen målinger endnu",
) -> str:
    out: list[str] = []
    add = out.append
    pad = 12
    labelled_by = f"{chart_id}-title {chart_id}-desc"
    add(f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{labelled_by}" class="fit-chart" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}">')
    add(f'<title id="{chart_id}-title">{escape(title)}</title>')
    add(f'<desc id="{chart_id}-desc">{escape(desc)}</desc>')
    add(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>')

    top = pad
    if show_title:
        add(_text(pad, top + 22, title, size=21, anchor="start", bold=True))
        top += 36

    # Legend: sample line with the marker shape, then the name; wraps onto more rows if needed.
    legend_x, row_height, sample = pad, 30, 46
    legend_y = top + 15
    for s in series:
        item_width = sample + 10 + _text_width(s.name, FONT) + 24
        if legend_x > pad and legend_x + item_width > width - pad:
            legend_x, legend_y = pad, legend_y + row_height
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        add(f'<line x1="{_num(legend_x)}" y1="{_num(legend_y)}" x2="{_num(legend_x + sample)}" y2="{_num(legend_y)}" '
            f'stroke="{s.colour}" stroke-width="{_num(s.stroke_width)}"{dash}/>')
        add(_marker(s.marker, legend_x + sample / 2, legend_y, s.colour, s.name))
        add(_text(legend_x + sample + 10, legend_y + 6, s.name, anchor="start"))
        legend_x += item_width
    top = legend_y + 15 if series else top

    # The reference label sits right of the plot on two lines ("Klinisk " / "grænse 25").
    ref_lines: list[str] = []
    if reference is not None:
        first, _, rest = reference[1].partition(" ")
        ref_lines = [f"{first} ", rest] if rest else [first]
    ref_margin = max((_text_width(line, REF_FONT, bold=True) for line in ref_lines), default=0)
    left, right = 74, width - (ref_margin + 18 if ref_lines else 20)
    count = len(x_labels)
    spacing = (right - left) / max(count, 1)
    # The notes under the x labels (session kind, number of answers) only when every one fits.
    show_notes = any(x_notes) and all(_text_width(note, NOTE_FONT) + 6 <= spacing for note in x_notes)
    plot_top = top + 26  # room for a value label above a top score
    plot_bottom = height - (62 if show_notes else 40)
    plot_h = plot_bottom - plot_top

    def y_of(value: Decimal | float) -> float:
        return plot_bottom - float(value) / y_max * plot_h

    # Grid, y labels and axis title.
    for tick in range(0, y_max + 1, y_grid):
        y = y_of(tick)
        major = tick % y_label_step == 0
        add(f'<line x1="{left}" y1="{_num(y)}" x2="{right}" y2="{_num(y)}" stroke="{GRID}" '
            f'stroke-width="{1.5 if major else 1}"/>')
        if major:
            add(_text(left - 10, y + 6, str(tick), anchor="end"))
    axis_mid = (plot_top + plot_bottom) / 2
    add(_text(22, axis_mid, y_axis_title, size=SMALL, fill=MUTED,
              extra=f' transform="rotate(-90 22 {_num(axis_mid)})"'))
    add(f'<line x1="{left}" y1="{_num(plot_bottom)}" x2="{right}" y2="{_num(plot_bottom)}" stroke="{INK}" '
        f'stroke-width="2"/>')
    add(f'<line x1="{left}" y1="{_num(plot_top)}" x2="{left}" y2="{_num(plot_bottom)}" stroke="{INK}" '
        f'stroke-width="2"/>')

    if count == 0:
        add(_text((left + right) / 2, (plot_top + plot_bottom) / 2, empty_text, fill=MUTED))
        add("</svg>")
        return "".join(out)

    def x_of(index: int) -> float:
        return left + (index + 0.5) * spacing

    # X labels, thinned so they never collide.
    label_width = max(_text_width(label, FONT) for label in x_labels) + 12
    for index in sorted(_thinned(count, max(1, math.ceil(label_width / spacing)))):
        half = _text_width(x_labels[index], FONT) / 2
        x = min(max(x_of(index), left + half - 30), width - 4 - half)  # keep the edge labels on the canvas
        add(_text(x, plot_bottom + 24, x_labels[index]))
        if show_notes and x_notes[index]:
            add(_text(x, plot_bottom + 45, x_notes[index], size=NOTE_FONT, fill=MUTED))

    # Reference (cut-off) line, labelled in the right margin where no data point can cover it.
    if reference is not None:
        y_ref = y_of(reference[0])
        add(f'<line x1="{left}" y1="{_num(y_ref)}" x2="{right}" y2="{_num(y_ref)}" stroke="{CUTOFF_COLOUR}" '
            f'stroke-width="3" stroke-dasharray="12 8" class="cutoff"/>')
        x_text = right + 8
        tspans = "".join(
            f'<tspan x="{_num(x_text)}" y="{_num(y_ref + (-4 if n == 0 else 14))}">{escape(line)}</tspan>'
            for n, line in enumerate(ref_lines)
        )
        add(f'<text font-size="{REF_FONT}" font-weight="bold" fill="{CUTOFF_COLOUR}" class="cutoff-label">'
            f"{tspans}</text>")

    # Skipped forms: a gap in the line and a small tick with the words, read bottom-up.
    for index, was_skipped in enumerate(skipped):
        if not was_skipped:
            continue
        x = x_of(index)
        add(f'<line x1="{_num(x)}" y1="{_num(plot_bottom)}" x2="{_num(x)}" y2="{_num(plot_bottom - 14)}" '
            f'stroke="{MUTED}" stroke-width="3" class="skipped"/>')
        add(_text(x + 5, plot_bottom - 20, skipped_text, size=SMALL, anchor="start", fill=MUTED,
                  extra=f' class="skipped-label" transform="rotate(-90 {_num(x + 5)} {_num(plot_bottom - 20)})"'))

    # Lines (broken at every missing value), then markers on top of all lines.
    markers: list[str] = []
    for number, s in enumerate(series):
        run: list[str] = []
        for index, value in enumerate((*s.values, None)):
            if value is not None:
                run.append(f"{_num(x_of(index))},{_num(y_of(value))}")
                continue
            if len(run) > 1:
                dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
                add(f'<polyline points="{" ".join(run)}" fill="none" stroke="{s.colour}" '
                    f'stroke-width="{_num(s.stroke_width)}" stroke-linejoin="round"{dash} '
                    f'class="line series-{number}"/>')
            run = []
        for index, value in enumerate(s.values):
            if value is not None:
                tooltip = f"{x_labels[index]}: {s.name} {format_score(value)}"
                css_class = f"marker series-{number}"
                markers.append(_marker(s.marker, x_of(index), y_of(value), s.colour, tooltip, css_class))
    out.extend(markers)

    # Value labels on every marker when there is room; otherwise only on the first and the latest
    # scored value, the two that change is measured between. At one x, the higher series' label
    # goes above its marker and the lower one's below.
    crowded = spacing < _text_width("00,0", VALUE_FONT, bold=True) + 6
    labelled: dict[int, list[tuple[Decimal, _Series]]] = {}
    for s in series:
        if not s.value_labels:
            continue
        scored = [index for index, value in enumerate(s.values) if value is not None]
        for index in ({scored[0], scored[-1]} if crowded and scored else scored):
            labelled.setdefault(index, []).append((s.values[index], s))
    for index, at_index in sorted(labelled.items()):
        at_index.sort(key=lambda pair: -pair[0])
        for rank, (value, s) in enumerate(at_index):
            y = y_of(value)
            below = rank > 0 and y + 27 < plot_bottom - 2
            text = format_score(value)
            half = _text_width(text, VALUE_FONT, bold=True) / 2
            x = min(max(x_of(index), left + half + 3), width - half - 2)  # clear of the y-axis numbers
            add(_text(x, y + 27 if below else y - 13, text, size=VALUE_FONT, fill=s.colour, bold=True,
                      extra=' class="value"'))
    add("</svg>")
    return "".join(out)


def _values_text(labels: Sequence[str], values: Sequence[Decimal | None], skipped_text: str) -> str:
    return "; ".join(
        f"{label} {format_score(value) if value is not None else skipped_text}"
        for label, value in zip(labels, values, strict=True)
    )


def ors_chart_svg(
    points: Sequence[ChartPoint | tuple],
    *,
    title: str,
    cutoff: Number | None = DEFAULT_THRESHOLDS.ors_cutoff,
    companion: Sequence[Number | None] | None = None,
    series_label: str = "ORS (før samtalen)",
    companion_label: str = "SRS/GSRS (efter)",
    width: int = 800,
    height: int = 420,
    chart_id: str | None = None,
    show_title: bool = False,
) -> str:
    """The course chart: ORS totals (0–40) with the clinical cut-off, and optionally the matching
    SRS/GSRS totals. `points` are (label, ORS total or None when skipped, session kind)."""
    rows = [ChartPoint(*point) for point in points]
    labels = [row.label for row in rows]
    values = tuple(_decimal_or_none(row.total) for row in rows)
    if companion is not None and len(companion) != len(rows):
        raise ValueError("companion must have one value per point")
    series = [_Series(series_label, values, *SERIES_STYLES[0])]
    if companion is not None:
        series.append(_Series(companion_label, tuple(map(_decimal_or_none, companion)), *SERIES_STYLES[1],
                              stroke_width=3.5))
    reference = None
    if cutoff is not None:
        cutoff = _decimal_or_none(cutoff)
        reference = (cutoff, f"Klinisk grænse {format_score(cutoff, empty='').removesuffix(',0')}")

    scored = [value for value in values if value is not None]
    parts = [f"{title}."]
    if rows:
        parts.append(f"{series_label}: {len(rows)} målinger fra {labels[0]} til {labels[-1]}"
                     + (f", første {format_score(scored[0])}, seneste {format_score(scored[-1])}." if scored else "."))
        parts.append(f"Værdier: {_values_text(labels, values, 'sprunget over')}.")
        if companion is not None:
            parts.append(f"{companion_label}: {_values_text(labels, series[1].values, 'ikke udfyldt')}.")
    else:
        parts.append("Ingen målinger endnu.")
    if reference:
        parts.append(f"Stiplet linje: {reference[1]}.")
    return _render(
        title=title,
        desc=" ".join(parts),
        chart_id=chart_id or _chart_id("ors-chart", title, rows, companion),
        width=width,
        height=height,
        y_max=40,
        y_grid=5,
        y_label_step=10,
        y_axis_title="Samlet score (0–40)",
        x_labels=labels,
        x_notes=[row.kind for row in rows],
        series=series,
        reference=reference,
        skipped=[value is None for value in values],
        skipped_text="sprunget over",
        show_title=show_title,
    )


def items_chart_svg(
    points: Sequence[tuple[str, Mapping[str, Number | None]]],
    *,
    title: str,
    scale: ScaleDefinition = ORS,
    reference: Number | None = None,
    reference_label: str | None = None,
    width: int = 800,
    height: int = 420,
    chart_id: str | None = None,
    show_title: bool = False,
) -> str:
    """One line per item (0–10) of `scale`. `points` are (label, {item key: score or None}); a form
    with no scores at all is marked "sprunget over". `reference` draws e.g. the SRS item cut-off 9."""
    labels = [point[0] for point in points]
    series = [
        _Series(item.label, tuple(_decimal_or_none(point[1].get(item.key)) for point in points), *style,
                stroke_width=3.5, value_labels=False)
        for item, style in zip(scale.items, SERIES_STYLES, strict=False)
    ]
    ref = None
    if reference is not None:
        ref_value = _decimal_or_none(reference)
        ref = (ref_value, reference_label or f"Grænse {format_score(ref_value).removesuffix(',0')}")
    skipped = [all(s.values[index] is None for s in series) for index in range(len(points))]
    parts = [f"{title}.", f"{scale.name}, punkt for punkt (0–{scale.max})."]
    parts += [f"{s.name}: {_values_text(labels, s.values, 'ikke udfyldt')}." for s in series if points]
    if ref:
        parts.append(f"Stiplet linje: {ref[1]}.")
    return _render(
        title=title,
        desc=" ".join(parts),
        chart_id=chart_id or _chart_id("items-chart", title, scale.code, labels, [s.values for s in series]),
        width=width,
        height=height,
        y_max=scale.max,
        y_grid=1,
        y_label_step=2,
        y_axis_title=f"Score (0–{scale.max})",
        x_labels=labels,
        x_notes=["" for _ in points],
        series=series,
        reference=ref,
        skipped=skipped,
        skipped_text="sprunget over",
        show_title=show_title,
    )


def group_gsrs_chart_svg(
    meetings: Sequence[tuple],
    *,
    title: str = "Gruppens vurdering (GSRS) pr. møde",
    cutoff: Number | None = DEFAULT_THRESHOLDS.session_total_cutoff,
    width: int = 800,
    height: int = 420,
    chart_id: str | None = None,
    show_title: bool = False,
) -> str:
    """A group run's average GSRS total per meeting. `meetings` are (label, average or None,
    number of answers); the average comes from `scoring.average`."""
    labels = [meeting[0] for meeting in meetings]
    values = tuple(_decimal_or_none(meeting[1]) for meeting in meetings)
    answers = [meeting[2] if len(meeting) > 2 else None for meeting in meetings]
    notes = ["" if n is None else ("1 svar" if n == 1 else f"{n} svar") for n in answers]
    series = [_Series("GSRS, gennemsnit", values, *SERIES_STYLES[0])]
    reference = None
    if cutoff is not None:
        cutoff = _decimal_or_none(cutoff)
        reference = (cutoff, f"Grænse {format_score(cutoff).removesuffix(',0')}")
    parts = [f"{title}."]
    if meetings:
        parts.append(f"Gennemsnit pr. møde: {_values_text(labels, values, 'ingen svar')}.")
    if reference:
        parts.append(f"Stiplet linje: {reference[1]}.")
    return _render(
        title=title,
        desc=" ".join(parts),
        chart_id=chart_id or _chart_id("gsrs-chart", title, labels, values, answers),
        width=width,
        height=height,
        y_max=40,
        y_grid=5,
        y_label_step=10,
        y_axis_title="Gennemsnit (0–40)",
        x_labels=labels,
        x_notes=notes,
        series=series,
        reference=reference,
        skipped=[value is None for value in values],
        skipped_text="ingen svar",
        show_title=show_title,
        empty_text="Ingen møder endnu",
    )
