"""The key figures as an Excel workbook (openpyxl): a first sheet »Om tallene« with the period and
every definition, then one sheet per figure – a bold header row, counts as numbers, shares as
percent cells. No citizen is named."""

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .figures import Figure

SHEET_NAME_MAX = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
PERCENT = "0.0%"
# Short sheet names for the figures whose titles are longer than Excel's 31 characters; any other
# figure's sheet is its title, cut to fit.
SHEET_NAMES = {
    "contacts_by_sender": "Henvendelser pr. afsender",
    "contacts_by_channel": "Henvendelser pr. kanal",
    "contacts_by_partner": "Henvendelser pr. partner",
    "persons_with_ad_hoc_help": "Ad hoc-hjælp",
    "new_courses": "Nye forløb og genindskrivninger",
    "closed_courses": "Afsluttede forløb pr. stopkode",
    "led_around": "Ledt uden om",
    "goal_attainment": "Målopfyldelse",
    "fit_outcomes": "FIT (ORS)",
    "disability_categories": "Handicapkategorier",
    "hours_with_citizens": "Timer med borgerne",
    "staff_hours": "Medarbejdertimer",
}
ONE_DECIMAL = "0.0"


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, not starting or ending with
    an apostrophe, and unique in the workbook (case-insensitively) – »… (2)« when it is not."""
    name = _NOT_IN_SHEET_NAMES.sub(" ", title).strip().strip("'").strip() or "Ark"
    name = re.sub(r"\s+", " ", name)[:SHEET_NAME_MAX].strip()
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = name[:SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
    taken.add(candidate.lower())
    return candidate


def _as_text(sheet) -> None:
    """Labels that come from stored values stay text: openpyxl would take »=…« for a formula."""
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _about(sheet, period_label: str, figures: list[Figure]) -> None:
    bold = Font(bold=True)
    sheet.append(["Nøgletal for Din Indgang"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Periode", period_label])
    sheet["A2"].font = bold
    sheet.append([])
    sheet.append(["Tal", "Definition"])
    for cell in sheet[4]:
        cell.font = bold
    for figure in figures:
        sheet.append([figure.title, figure.definition])
        for row in figure.rows:
            if row.note:
                sheet.append([f"{figure.title}: {row.label}", row.note])
                _as_text(sheet)
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 110
    for row in sheet.iter_rows(min_row=5):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")


def _figure_sheet(sheet, figure: Figure) -> None:
    with_share = figure.total is not None or any(row.share is not None for row in figure.rows)
    sheet.append([figure.title, "Antal", "Andel"] if with_share else [figure.title, "Antal"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)

    def add(label, count, share, bold=False):
        sheet.append([label, count, None if share is None else share / 100] if with_share else [label, count])
        _as_text(sheet)
        line = sheet.max_row
        if isinstance(count, float):
            sheet.cell(line, 2).number_format = ONE_DECIMAL
        if with_share and share is not None:
            sheet.cell(line, 3).number_format = PERCENT
        if bold:
            for cell in sheet[line]:
                cell.font = Font(bold=True)

    for row in figure.rows:
        add(row.label, row.count, row.share)
    if figure.total is not None:
        add("I alt", figure.total, 100.0 if figure.total else None, bold=True)
    for row in figure.after:
        add(row.label, row.count, row.share)
    sheet.append([])
    sheet.append([figure.definition])
    sheet.column_dimensions["A"].width = 52
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 12


def to_xlsx(period_label: str, figures: list[Figure]) -> bytes:
    book = Workbook()
    about = book.active
    taken: set[str] = set()
    about.title = sheet_name("Om tallene", taken)
    _about(about, period_label, figures)
    for figure in figures:
        _figure_sheet(book.create_sheet(sheet_name(SHEET_NAMES.get(figure.key, figure.title), taken)), figure)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
