"""The XLSX and the committee PDF of the key figures."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.reports import exports

from ..factories import make_contact, refresh
from .fixtures import at, disability_people, fit_people

PERIOD = "periode=valgt&fra=2017-01-01&til=2017-03-31"


@pytest.fixture
def data(app):
    fit_people()
    disability_people()
    make_contact(when=at(date(2017, 2, 1)), kind="visit")
    make_contact(when=at(date(2017, 2, 2)), kind="visit")
    make_contact(when=at(date(2017, 2, 3)), kind="phone", from_type="paaroerende")


def workbook(visitor):
    response = visitor.client.get(f"/noegletal.xlsx?{PERIOD}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="noegletal-2017-01-01_2017-03-31.xlsx"' in response.headers["Content-Disposition"]
    return load_workbook(io.BytesIO(response.get_data()))


def test_the_workbook_has_an_about_sheet_and_one_sheet_per_table(login, data):
    book = workbook(login("secretariat"))
    assert book.sheetnames[0] == "Om tallene"
    about = book["Om tallene"]
    assert about["B2"].value == "1. jan 2017 – 31. mar 2017"
    definitions = {row[0]: row[1] for row in about.iter_rows(min_row=5, values_only=True)}
    assert definitions["Udbytte målt med FIT (ORS)"].startswith("Forløb med slutdato i perioden")
    assert "Sidste ORS-score er under 25 point." in definitions.values()
    for name in book.sheetnames:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    assert len({n.lower() for n in book.sheetnames}) == len(book.sheetnames)

    sender = book["Henvendelser pr. afsender"]
    assert [c.value for c in sender[1]] == ["Henvendelser i alt, fordelt på afsender", "Antal", "Andel"]
    assert all(c.font.b for c in sender[1])
    rows = {r[0].value: r for r in sender.iter_rows(min_row=2)}
    assert rows["Borger"][1].value == 2 and rows["Borger"][1].data_type == "n"
    assert rows["Borger"][2].value == pytest.approx(0.667) and rows["Borger"][2].number_format == "0.0%"
    assert rows["I alt"][1].value == 3

    fit = book["FIT (ORS)"]
    fit_rows = {r[0].value: r for r in fit.iter_rows(min_row=2)}
    assert fit_rows["Pålidelig forbedring"][1].value == 2
    assert fit_rows["Pålidelig forbedring"][2].value == pytest.approx(0.5)
    assert "Handicapkategorier" in book.sheetnames and "Timer med borgerne" in book.sheetnames


def test_staff_get_the_workbook_without_the_disability_counts(login, data):
    book = workbook(login("staff"))
    assert not any("handicap" in name.lower() for name in book.sheetnames)
    about = " ".join(str(c) for row in book["Om tallene"].iter_rows(values_only=True) for c in row)
    assert "handicap" not in about.lower()
    csv = login("staff", username="other").get(f"/noegletal.csv?{PERIOD}").get_data().decode("utf-8-sig")
    assert "handicap" not in csv.lower() and "ADHD" not in csv


def test_sheet_names_are_made_valid_and_unique():
    taken: set[str] = set()
    assert exports.sheet_name("Timer [a/b]: *?\\ x", taken) == "Timer a b x"
    long = "Afsluttede forløb fordelt på stopkode og meget mere"
    first, second = exports.sheet_name(long, taken), exports.sheet_name(long, taken)
    assert first == long[:31] and second == long[:27].rstrip() + " (2)" and len(second) <= 31
    assert exports.sheet_name("'''", taken) == "Ark"


def test_a_stored_label_that_looks_like_a_formula_stays_text(app):
    from webapp.reports.figures import Figure, Row

    body = exports.to_xlsx("p", [Figure("k", "T", "D", [Row("=HYPERLINK(\"x\")", 1, 100.0)], 1)])
    cell = load_workbook(io.BytesIO(body))["T"]["A2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")'


def pdf_text(visitor) -> tuple[str, PdfReader]:
    response = visitor.client.get(f"/noegletal.pdf?{PERIOD}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_the_committee_pdf_has_the_period_the_figures_the_definitions_and_the_charts(login, data):
    text, reader = pdf_text(login("leader"))
    first = reader.pages[0].extract_text()
    assert "Nøgletal for Din Indgang" in first and "1. jan 2017 – 31. mar 2017" in first
    assert "Udbytte målt med FIT (ORS)" in text and "Pålidelig forbedring" in text and "50,0 %" in text
    assert "Forløb med slutdato i perioden og mindst to udfyldte ORS-målinger" in " ".join(text.split())
    assert "Henvendelser pr. måned fordelt på afsender" in text and "Forløb i gang pr. uge" in text
    assert "Timer pr. aktivitet" in text
    assert "handicapkategori" in text
    for name in ("Anna", "Handi", "Fit"):
        assert name not in text
    refresh()
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("key_figures_%"))).all()
    assert actions.count("key_figures_printed") == 1


def test_staff_get_the_pdf_without_the_disability_counts(login, data):
    text, _ = pdf_text(login("staff"))
    assert "handicapkategori" not in text.lower() and "Udbytte målt med FIT" in text


def test_exports_are_audited_without_naming_anyone(login, data):
    visitor = login("secretariat", username="sek")
    visitor.client.get(f"/noegletal.xlsx?{PERIOD}")
    refresh()
    events = db.session.execute(select(AuditEvent.action, AuditEvent.citizen_id, AuditEvent.details)
                                .where(AuditEvent.username == "sek", AuditEvent.action == "key_figures_exported")).all()
    assert [tuple(e) for e in events] == [("key_figures_exported", None, "xlsx")]


@pytest.mark.parametrize("url", ["/noegletal.xlsx", "/noegletal.pdf"])
def test_a_bad_period_is_refused_in_danish(login, url):
    response = login("leader").get(url + "?periode=valgt&fra=2017-03-01&til=2017-01-01")
    assert response.status_code == 422
    assert "Slutdatoen ligger før startdatoen" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["peer", "authority", "admin"])
def test_other_roles_get_no_export(login, role):
    visitor = login(role)
    assert visitor.client.get("/noegletal.xlsx").status_code == 403
    assert visitor.client.get("/noegletal.pdf").status_code == 403
