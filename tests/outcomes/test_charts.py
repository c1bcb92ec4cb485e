import io
import logging
import re
import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pypdf
import pytest
import weasyprint

from webapp.outcomes.charts import ChartPoint, group_gsrs_chart_svg, items_chart_svg, ors_chart_svg
from webapp.outcomes.scales import ORS, SRS

NS = "{http://www.w3.org/2000/svg}"

POINTS = [
    ("2. feb", D("18.5"), "Guidesamtale"),
    ("9. feb", D("21"), "Samtale"),
    ("16. feb", None, "Gruppe"),
    ("23. feb", D("24.9"), "Samtale"),
    ("2. mar", D("27.5"), "Gruppe"),
    ("9. mar", D("31.2"), "Samtale"),
]
COMPANION = [None, D("35.5"), D("38"), D("33"), D("37.5"), D("39.2")]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own markup, parsed to prove it is well-formed


def with_class(root: ET.Element, css_class: str) -> list[ET.Element]:
    return [el for el in root.iter() if css_class in (el.get("class") or "").split()]


def texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(f"{NS}text")]


def x_of(marker: ET.Element) -> float:
    if marker.tag == f"{NS}circle":
        return float(marker.get("cx"))
    if marker.tag == f"{NS}rect":
        return float(marker.get("x")) + float(marker.get("width")) / 2
    return float(marker.get("points").split()[0].split(",")[0])  # polygons start at their top vertex


def polyline_xs(line: ET.Element) -> list[float]:
    return [float(pair.split(",")[0]) for pair in line.get("points").split()]


@pytest.fixture
def chart():
    return ors_chart_svg(POINTS, companion=COMPANION, title="Forløb")


# --- structure and accessibility -----------------------------------------------------------------


def test_the_chart_is_well_formed_accessible_svg(chart):
    root = parse(chart)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root[0].tag == f"{NS}title" and root[0].get("id") == title_id and root[0].text == "Forløb"
    assert root[1].tag == f"{NS}desc" and root[1].get("id") == desc_id
    assert root.get("viewBox") == "0 0 800 420"


@pytest.mark.parametrize(
    "svg",
    [
        ors_chart_svg(POINTS, companion=COMPANION, title="t"),
        items_chart_svg([("1. feb", {"individual": D("4")})], title="t"),
        group_gsrs_chart_svg([("Møde 1", D("35"), 4)]),
        ors_chart_svg([], title="t"),
    ],
)
def test_no_inline_styles_scripts_or_features_weasyprint_lacks(svg):
    for forbidden in ("style=", "<style", "<script", "foreignObject", "var(", "javascript:", "onload", "href"):
        assert forbidden not in svg
    parse(svg)


def test_the_cutoff_line_and_its_label(chart):
    root = parse(chart)
    (line,) = with_class(root, "cutoff")
    assert line.get("stroke-dasharray")
    assert float(line.get("stroke-width")) >= 2
    (label,) = with_class(root, "cutoff-label")
    assert "".join(label.itertext()) == "Klinisk grænse 25"
    # The line sits 25/40 up the axis: between the gridlines of 20 and 30.
    grid_y = {text: float(el.get("y")) for el, text in ((el, "".join(el.itertext())) for el in root.iter(f"{NS}text"))
              if text in {"20", "30"}}
    assert grid_y["30"] < float(line.get("y1")) < grid_y["20"]


@pytest.mark.parametrize(("cutoff", "label"), [(28, "Klinisk grænse 28"), (D("32.5"), "Klinisk grænse 32,5")])
def test_the_cutoff_can_be_changed(cutoff, label):
    root = parse(ors_chart_svg(POINTS, title="t", cutoff=cutoff))
    assert "".join(with_class(root, "cutoff-label")[0].itertext()) == label


def test_no_cutoff_line_when_switched_off():
    root = parse(ors_chart_svg(POINTS, title="t", cutoff=None))
    assert with_class(root, "cutoff") == [] and with_class(root, "cutoff-label") == []


def test_one_marker_per_scored_form_with_a_different_shape_for_the_companion(chart):
    root = parse(chart)
    ors_markers = [el for el in with_class(root, "marker") if "series-0" in el.get("class")]
    companion_markers = [el for el in with_class(root, "marker") if "series-1" in el.get("class")]
    assert len(ors_markers) == 5  # six sessions, one skipped
    assert len(companion_markers) == 5  # the first session had no SRS
    assert {el.tag for el in ors_markers} == {f"{NS}circle"}
    assert {el.tag for el in companion_markers} == {f"{NS}rect"}
    lines = with_class(root, "line")
    assert all(el.get("stroke-dasharray") is None for el in lines if "series-0" in el.get("class"))
    assert all(el.get("stroke-dasharray") for el in lines if "series-1" in el.get("class"))


def test_markers_carry_a_tooltip_with_date_and_score(chart):
    root = parse(chart)
    first = next(el for el in with_class(root, "marker") if "series-0" in el.get("class"))
    assert first.find(f"{NS}title").text == "2. feb: ORS (før samtalen) 18,5"


def test_a_legend_names_both_series(chart):
    labels = texts(parse(chart))
    assert "ORS (før samtalen)" in labels
    assert "SRS/GSRS (efter)" in labels


def test_values_are_labelled_with_danish_commas(chart):
    values = [text for text in texts(parse(chart)) if re.fullmatch(r"\d+,\d", text)]
    assert sorted(values) == sorted(["18,5", "21,0", "24,9", "27,5", "31,2", "35,5", "38,0", "33,0", "37,5", "39,2"])


def test_session_kinds_are_shown_under_the_dates(chart):
    labels = texts(parse(chart))
    assert labels.count("Samtale") == 3 and "Guidesamtale" in labels and "9. mar" in labels


# --- escaping ------------------------------------------------------------------------------------


def test_text_is_escaped_everywhere():
    nasty = '<script>alert("x")</script> & \'quote\''
    svg = ors_chart_svg(
        [(nasty, D("20"), nasty), ("b", D("22"), "")],
        companion=[D("30"), D("31")],
        title=nasty,
        series_label=nasty,
        companion_label=nasty,
    )
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)
    assert root.find(f"{NS}title").text == nasty
    assert nasty in root.find(f"{NS}desc").text
    assert nasty in texts(root)


def test_chart_ids_are_stable_distinct_and_overridable():
    assert ors_chart_svg(POINTS, title="a") == ors_chart_svg(POINTS, title="a")
    first = parse(ors_chart_svg(POINTS, title="a")).get("aria-labelledby")
    second = parse(ors_chart_svg(POINTS, title="b")).get("aria-labelledby")
    assert first != second
    assert parse(ors_chart_svg(POINTS, title="a", chart_id="mette-ors")).get("aria-labelledby") == (
        "mette-ors-title mette-ors-desc"
    )


# --- skipped forms and gaps ----------------------------------------------------------------------


def test_a_skipped_form_is_a_gap_with_a_tick_not_a_zero(chart):
    root = parse(chart)
    ors_lines = [el for el in with_class(root, "line") if "series-0" in el.get("class")]
    assert len(ors_lines) == 2  # 2.–9. feb, then 23. feb–9. mar
    (tick,) = with_class(root, "skipped")
    assert ["".join(el.itertext()) for el in with_class(root, "skipped-label")] == ["sprunget over"]
    skipped_x = float(tick.get("x1"))
    for line in ors_lines:
        assert all(abs(x - skipped_x) > 50 for x in polyline_xs(line))
    ors_xs = [x_of(el) for el in with_class(root, "marker") if "series-0" in el.get("class")]
    assert all(abs(x - skipped_x) > 50 for x in ors_xs)
    # the companion was filled in that day and keeps its marker there
    companion_xs = [x_of(el) for el in with_class(root, "marker") if "series-1" in el.get("class")]
    assert any(abs(x - skipped_x) < 1 for x in companion_xs)
    assert "16. feb sprunget over" in root.find(f"{NS}desc").text


@pytest.mark.parametrize(
    ("values", "lines", "markers", "ticks"),
    [
        ([D("20")], 0, 1, 0),  # one score only: a marker, no line
        ([None], 0, 0, 1),
        ([D("20"), None, D("22")], 0, 2, 1),  # two isolated points, no line across the gap
        ([None, D("20"), D("22"), None], 1, 2, 2),
        ([D("20"), D("21"), D("22")], 1, 3, 0),
    ],
)
def test_gaps_markers_and_ticks(values, lines, markers, ticks):
    points = [ChartPoint(f"{n}. jan", value) for n, value in enumerate(values, start=1)]
    root = parse(ors_chart_svg(points, title="t"))
    assert len(with_class(root, "line")) == lines
    assert len(with_class(root, "marker")) == markers
    assert len(with_class(root, "skipped")) == ticks


def test_no_points_yet():
    root = parse(ors_chart_svg([], title="t"))
    assert "Ingen målinger endnu" in texts(root)
    assert with_class(root, "marker") == []


def test_companion_must_match_the_points():
    with pytest.raises(ValueError, match="one value per point"):
        ors_chart_svg(POINTS, companion=[D("30")], title="t")


# --- many points ---------------------------------------------------------------------------------


def forty_points():
    points = [(f"{n}. mar", None if n % 9 == 4 else D(10 + n % 25), "Samtale") for n in range(1, 41)]
    companion = [D(30 + n % 10) for n in range(1, 41)]
    return points, companion


def test_forty_points_thin_the_labels_but_keep_every_marker():
    points, companion = forty_points()
    root = parse(ors_chart_svg(points, companion=companion, title="t"))
    assert len([el for el in with_class(root, "marker") if "series-0" in el.get("class")]) == 35  # 5 skipped
    assert len([el for el in with_class(root, "marker") if "series-1" in el.get("class")]) == 40
    dates = [text for text in texts(root) if text.endswith(". mar")]
    assert 4 <= len(dates) < 40 and dates[0] == "1. mar" and dates[-1] == "40. mar"
    # crowded: value labels only on the first and the latest scored value of each series
    assert len(with_class(root, "value")) == 4
    assert "Samtale" not in texts(root)  # the kinds do not fit under 40 dates


# --- items and group charts ----------------------------------------------------------------------


def test_items_chart_has_one_line_per_item_with_distinct_shapes_and_dashes():
    points = [
        ("2. feb", {"relationship": D("9.5"), "goals_topics": D("7"), "approach_method": D("8.5"), "overall": D("9")}),
        ("9. feb", {"relationship": D("9.8"), "goals_topics": D("8.8"), "approach_method": None, "overall": D("9.4")}),
        ("16. feb", {}),
        ("23. feb", {"relationship": D("10"), "goals_topics": D("9.2"), "approach_method": D("9.1"),
                     "overall": D("9.7")}),
    ]
    root = parse(items_chart_svg(points, scale=SRS, title="SRS", reference=9))
    labels = texts(root)
    for item in SRS.items:
        assert item.label in labels
    markers = with_class(root, "marker")
    assert len(markers) == 4 + 3 + 4
    shapes = {}
    for el in markers:
        series = el.get("class").split()[1]
        shapes.setdefault(series, set()).add((el.tag, el.get("fill")))
    assert len({frozenset(shape) for shape in shapes.values()}) == 4
    dashes = {el.get("class").split()[1]: el.get("stroke-dasharray") for el in with_class(root, "line")}
    assert len(set(dashes.values())) == len(dashes)
    assert len(with_class(root, "skipped")) == 1  # 16. feb: nothing filled in
    assert "".join(with_class(root, "cutoff-label")[0].itertext()) == "Grænse 9"
    assert "10" in labels and "40" not in labels  # a 0–10 axis


def test_items_chart_defaults_to_ors_items():
    root = parse(items_chart_svg([("1. feb", {"individual": D("4"), "social": D("6")})], title="t"))
    assert {"Individuelt", "Nære relationer", "Socialt", "Generelt"} <= set(texts(root))
    assert len(with_class(root, "marker")) == 2
    assert ORS.name in root.find(f"{NS}desc").text


def test_group_chart_shows_the_average_per_meeting_and_the_number_of_answers():
    meetings = [("Møde 1", D("34.2"), 6), ("Møde 2", D("36.8"), 1), ("Møde 3", None, 0), ("Møde 4", D("38.1"), 5)]
    root = parse(group_gsrs_chart_svg(meetings))
    labels = texts(root)
    assert {"6 svar", "1 svar", "0 svar", "34,2", "36,8", "38,1"} <= set(labels)
    assert len(with_class(root, "marker")) == 3
    assert ["".join(el.itertext()) for el in with_class(root, "skipped-label")] == ["ingen svar"]
    assert "".join(with_class(root, "cutoff-label")[0].itertext()) == "Grænse 36"
    assert root.find(f"{NS}title").text == "Gruppens vurdering (GSRS) pr. møde"


def test_group_chart_without_meetings():
    assert "Ingen møder endnu" in texts(parse(group_gsrs_chart_svg([])))


# --- PDF -----------------------------------------------------------------------------------------


def test_the_chart_renders_in_a_weasyprint_pdf_without_complaints(caplog):
    svg = ors_chart_svg(POINTS, companion=COMPANION, title="Forløb <b>", width=640, height=340, show_title=True)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = weasyprint.HTML(string=f"<html><body>{svg}</body></html>").write_pdf()
    assert [record for record in caplog.records if record.name.startswith("weasyprint")] == []
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for expected in ("Forløb <b>", "Klinisk", "grænse 25", "sprunget over", "18,5", "39,2", "ORS (før samtalen)"):
        assert expected in text
