"""The secretariat opens the key figures for the report's period, and downloads the Excel workbook and
the committee PDF – read back with openpyxl and pypdf."""

from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from webapp.timeutil import LOCAL_TZ

from ..factories import make_citizen, make_contact, make_user
from ..handover.factories import make_course
from ..outcomes.factories import make_meeting, make_score
from .helpers import log_in

pytestmark = pytest.mark.e2e


def at(day: date):
    return datetime(day.year, day.month, day.day, 10, tzinfo=LOCAL_TZ)


def small_report_period():
    """Inside 9 Sep 2016 – 3 Dec 2017: four contacts (three citizens' own), two citizens in a course,
    one closed course measured with ORS 20 → 27 (a reliable improvement). One contact after it."""
    for day in (date(2016, 10, 3), date(2017, 2, 1), date(2017, 11, 30)):
        make_contact(when=at(day), kind="visit")
    make_contact(when=at(date(2017, 5, 5)), kind="phone", from_type="paaroerende")
    make_contact(when=at(date(2017, 12, 4)), kind="visit")  # the day after the period
    anna, bo = make_citizen("Anna", "Andersen"), make_citizen("Bo", "Berg")
    course = make_course(anna, date(2016, 10, 1), date(2017, 6, 30), stop_reason="ILB")
    for day, items in ((date(2016, 10, 5), (5, 5, 5, 5)), (date(2017, 6, 1), (7, 7, 6.5, 6.5))):
        make_score(anna, meeting=make_meeting(anna, course, when=at(day)), course=course, items=items)
    make_course(bo, date(2017, 11, 1))


def test_the_secretariat_opens_the_report_period_and_downloads_excel_and_pdf(live_server, page, tmp_path):
    make_user("sekretær", roles=("secretariat",))
    small_report_period()

    log_in(page, live_server, "sekretær")
    page.wait_for_url(f"{live_server}/noegletal")  # the secretariat's home
    page.get_by_role("combobox", name="Periode").select_option(label="Rapportens periode")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("heading", name="Nøgletal")).to_contain_text("9. sep 2016 – 3. dec 2017")
    sender = page.locator("#contacts_by_sender")
    expect(sender.get_by_role("row", name="Borger")).to_contain_text("75,0 %")
    expect(page.locator("#fit_outcomes").get_by_role("row", name="Pålidelig forbedring")).to_contain_text("100,0 %")
    expect(page.get_by_role("img", name="Forløb i gang pr. uge")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Hent Excel (XLSX)").click()
    assert download.value.suggested_filename == "noegletal-2016-09-09_2017-12-03.xlsx"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    book = load_workbook(saved)
    assert book.sheetnames[0] == "Om tallene"
    rows = {row[0]: row[1:] for row in book["Henvendelser pr. afsender"].iter_rows(min_row=2, values_only=True)}
    assert rows["Borger"] == (3, 0.75) and rows["I alt"][0] == 4

    with page.expect_download() as download:
        page.get_by_role("link", name="Hent PDF til udvalget").click()
    reader = PdfReader(download.value.path())
    first = reader.pages[0].extract_text()
    assert "Nøgletal for Din Indgang" in first and "9. sep 2016 – 3. dec 2017" in first
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Pålidelig forbedring" in text and "Borgere i forløb i perioden 2" in " ".join(text.split())
    assert "Andersen" not in text
