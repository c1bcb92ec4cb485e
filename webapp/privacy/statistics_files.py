"""The statistics export as files: CSV for Danish Excel (UTF-8 with BOM, semicolons, decimal comma,
like the key figures' CSV) with a short »Om udtrækket« header of lines starting with »#«, and XLSX
(openpyxl, like the key figures' workbook) with an »Om udtrækket« sheet explaining every column.
Neither holds the export key, a name, a CPR number, an address, a date of birth or free text."""

import io
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .. import csvsafe
from ..timeutil import format_datetime
from .statistics import COLUMNS, MIN_CELL, SUPPRESSED, Export

TITLE = "Pseudonymiseret statistik fra Din Indgang"


def _as_text(sheet) -> None:
    """Stored codes stay text: openpyxl would take a value starting with »=« for a formula."""
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def suppression_text() -> str:
    return (f"»{SUPPRESSED}« betyder skjult: værdien findes i færre end {MIN_CELL} rækker i sin kolonne. For at "
            "den skjulte værdi ikke kan findes ved udelukkelse, skjules også den næstmindste værdi, når kun én "
            "værdi er skjult, og aldersgruppe og handicapkategori skjules i alle borgerens rækker, når de er "
            "skjult i én. Timer og FIT-scorer er målinger og skjules ikke. Rækkerne står i pseudonymernes "
            "rækkefølge, så deres orden intet siger om en skjult måned, og forløbets varighed er ikke med, så en "
            "skjult startmåned ikke kan regnes ud fra slutmåneden.")


def facts(export: Export, made_at: datetime) -> list[tuple[str, str]]:
    """The header lines: what, when, how many, and how to read it."""
    counted = ", ".join(f"{column.title.lower()} {export.suppression.by_column[column.key]}"
                        for column in COLUMNS if column.key in export.suppression.by_column)
    lines = [
        ("Periode", f"{export.period.label} (forløb, der var i gang på mindst én dag i perioden)"),
        ("Lavet", format_datetime(made_at)),
        ("Rækker (forløb)", str(len(export.rows))),
        ("Borgere", str(export.citizens)),
        ("Skjulte celler", str(export.suppression.cells) + (f" ({counted})" if counted else "")),
        ("Nøglens kontrolværdi", f"{export.key_check} (ens i udtræk lavet med samme eksportnøgle; nøglen selv "
                                 "står ikke i filen)"),
        ("Skjulte celler betyder", suppression_text()),
        ("Databeskyttelse", "Udtrækket er pseudonymiseret, ikke anonymt: det er stadig personoplysninger og må "
                            "kun bruges til forskning og evaluering efter aftale med Din Indgang. Forsøg ikke at "
                            "genkende borgerne."),
    ]
    if export.left_out_restricted:
        lines.append(("Udeladt", f"{export.left_out_restricted} forløb for borgere, hvis behandling er begrænset "
                                 "(databeskyttelsesforordningens artikel 18)."))
    return lines


def danish(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")  # hours keep their two decimals, FIT points their one
    return str(value)


def to_csv(export: Export, made_at: datetime) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csvsafe.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([f"# {TITLE}"])
    for label, text in facts(export, made_at):
        writer.writerow([f"# {label}", text])
    writer.writerow(["# Kolonnerne", "forklares i Excel-udgaven (arket »Om udtrækket«); linjer, der begynder med "
                                     "#, er forklaring og ikke data"])
    writer.writerow([])
    writer.writerow([column.key for column in COLUMNS])
    for row in export.rows:
        writer.writerow([danish(row[column.key]) for column in COLUMNS])
    return out.getvalue().encode("utf-8")


def _points_or_hours(value) -> float | None:
    return None if value is None else float(value)


def to_xlsx(export: Export, made_at: datetime) -> bytes:
    book = Workbook()
    bold = Font(bold=True)
    about = book.active
    about.title = "Om udtrækket"
    about.append([TITLE])
    about["A1"].font = Font(bold=True, size=14)
    for label, text in facts(export, made_at):
        about.append([label, text])
        _as_text(about)
        about.cell(about.max_row, 1).font = bold
    about.append([])
    about.append(["Kolonne", "Overskrift", "Indhold"])
    for cell in about[about.max_row]:
        cell.font = bold
    for column in COLUMNS:
        about.append([column.key, column.title,
                      column.about + (f" Skjules ({SUPPRESSED}) ved færre end {MIN_CELL} rækker."
                                      if column.categorical else "")])
    about.column_dimensions["A"].width = 26
    about.column_dimensions["B"].width = 30
    about.column_dimensions["C"].width = 110
    for row in about.iter_rows(min_row=2):
        for cell in row[1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    data = book.create_sheet("Forløb")
    data.append([column.key for column in COLUMNS])
    for cell in data[1]:
        cell.font = bold
    for row in export.rows:
        values = []
        for column in COLUMNS:
            value = row[column.key]
            values.append(_points_or_hours(value) if isinstance(value, Decimal) else value)
        data.append(values)
        _as_text(data)
        for index, value in enumerate(values, start=1):
            if isinstance(value, float):
                data.cell(data.max_row, index).number_format = "0.00" if COLUMNS[index - 1].key.startswith(
                    "timer_") else "0.0"
    data.freeze_panes = "B2"
    for index, column in enumerate(COLUMNS, start=1):
        data.column_dimensions[data.cell(1, index).column_letter].width = max(10, len(column.key) + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
