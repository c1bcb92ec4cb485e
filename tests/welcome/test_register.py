"""The contact register (Bilag 5): week view, filters, split, chart and Excel-friendly CSV."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest

from webapp.timeutil import LOCAL_TZ
from webapp.welcome import register

from ..factories import make_citizen, make_contact

MONDAY = date(2026, 11, 16)  # ISO week 2026-W47


def at(day: date, hour=10, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


@pytest.fixture
def week_of_contacts(login):
    staff = login("staff", username="vera")
    for i in range(10):
        make_contact(when=at(MONDAY + timedelta(days=i % 5), 9 + i % 6), kind="visit", from_type="borger")
    for _ in range(2):
        make_contact(when=at(MONDAY + timedelta(days=1), 11), kind="phone", from_type="paaroerende")
    for i in range(8):
        make_contact(when=at(MONDAY + timedelta(days=2), 12), kind="phone", from_type="samarbejdspartner",
                     partner="jobcenter" if i < 5 else "lokalpsykiatri", duration_minutes=10)
    make_contact(when=at(MONDAY + timedelta(days=7)), kind="visit")  # next week
    make_contact(when=at(MONDAY - timedelta(days=1), 23, 30), kind="visit")  # Sunday before
    return staff


def test_parse_week():
    today = date(2026, 11, 23)
    assert register.parse_week("2026-W47", today) == MONDAY
    assert register.parse_week(None, today) == date(2026, 11, 23)
    assert register.parse_week("2026-W01", today) == date(2025, 12, 29)
    for bad, message in [("uge 47", "fx 2026-W48"), ("2026-W54", "findes ikke"), ("1999-W10", "uden for"),
                         ("2040-W10", "uden for")]:
        with pytest.raises(register.WeekError, match=message):
            register.parse_week(bad, today)


def test_week_totals_split_and_per_day(week_of_contacts):
    html = week_of_contacts.get("/henvendelser/uge?uge=2026-W47").get_data(as_text=True)
    assert "I alt: 20 henvendelser" in html
    assert "<th scope=\"row\">Borger</th><td>10</td><td>50,0 %</td>" in html
    assert "<th scope=\"row\">Pårørende</th><td>2</td><td>10,0 %</td>" in html
    assert "<th scope=\"row\">Samarbejdspartner</th><td>8</td><td>40,0 %</td>" in html
    assert "<svg" in html and "10 (50,0 %)" in html  # chart bars carry their numbers
    assert "Mandag 16/11" in html


def test_week_filters(week_of_contacts):
    html = week_of_contacts.get("/henvendelser/uge?uge=2026-W47&fra=samarbejdspartner&partner=jobcenter")
    assert "I alt: 5 henvendelser" in html.get_data(as_text=True)
    html = week_of_contacts.get("/henvendelser/uge?uge=2026-W47&kanal=telefon").get_data(as_text=True)
    assert "I alt: 10 henvendelser" in html


def test_unknown_filters_and_bad_weeks_get_a_message_not_an_error(week_of_contacts):
    response = week_of_contacts.get("/henvendelser/uge?uge=2026-W47&kanal=brevdue")
    assert response.status_code == 200
    assert "Ukendt kanal »brevdue« er ignoreret." in response.get_data(as_text=True)
    response = week_of_contacts.get("/henvendelser/uge?uge=nonsens")
    assert response.status_code == 200
    assert "fx 2026-W48" in response.get_data(as_text=True)
    response = week_of_contacts.get("/henvendelser/uge?uge=1990-W01")
    assert "uden for registrets data" in response.get_data(as_text=True)


def test_empty_week(week_of_contacts):
    html = week_of_contacts.get("/henvendelser/uge?uge=2026-W30").get_data(as_text=True)
    assert "Ingen henvendelser i denne uge" in html


def test_paging(login):
    staff = login("staff")
    for i in range(register.PAGE_SIZE + 3):
        make_contact(when=at(MONDAY, 9) + timedelta(minutes=i))
    html = staff.get("/henvendelser/uge?uge=2026-W47&side=2").get_data(as_text=True)
    assert "Side 2 af 2" in html
    assert html.count("<tr>\n        <td>") == 3


def test_csv_opens_in_danish_excel(week_of_contacts):
    anna = make_citizen("Anna", "Andersen")
    make_contact(when=at(MONDAY + timedelta(days=4), 14, 5), kind="ad_hoc", topics="mitid,brev", citizen_id=anna.id,
                 note="MÅ IKKE MED")
    response = week_of_contacts.get("/henvendelser/uge.csv?uge=2026-W47")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="henvendelser-2026-W47.csv"' in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Dato", "Tid", "Type"]
    assert len(rows) == 1 + 21
    last = rows[-1]
    assert last[:3] == ["20-11-2026", "14:05", "Ad hoc-hjælp"]
    assert last[6] == "MitID, Brev" and last[-1] == "A.A."
    assert "MÅ IKKE MED" not in text  # notes never leave in exports


def test_register_access(login):
    assert login("authority").get("/henvendelser/uge").status_code == 403
    assert login("secretariat").get("/henvendelser/uge").status_code == 200
