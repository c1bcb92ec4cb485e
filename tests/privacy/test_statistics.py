"""#13 item 7: the pseudonymised statistics export – its rules (pseudonym, age bands, suppression)
and, on a small hand-built data set, its rows: hours that add up to the key figures' hours, FIT at
start and end, erased citizens kept and restricted ones left out, the files and the audit rows.
The demo-data checks (no name, CPR, address, birth date or note in the files) are in
test_statistics_demo.py."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.citizens.models import Citizen
from webapp.extensions import db
from webapp.outcomes.coaching import ACTIVITY_LABELS
from webapp.privacy import statistics as st
from webapp.reports.hours import minutes_with_citizens
from webapp.reports.periods import Period

from ..factories import make_citizen, make_contact, refresh
from ..outcomes.factories import at_local, make_course, make_guide, make_meeting, make_score

START, END = date(2017, 1, 1), date(2017, 3, 31)
PERIOD = Period("valgt", START, END)
KEY = "forskerens-hemmelige-noegle-2017"
FORM = {"periode": "valgt", "fra": START.isoformat(), "til": END.isoformat(), "noegle": KEY}


# --- the rules ---------------------------------------------------------------------------------------

def test_the_pseudonym_is_stable_for_one_key_and_different_for_another():
    first = st.pseudonym(KEY, 17)
    assert first == st.pseudonym(KEY, 17)
    assert len(first) == 12 and int(first, 16) >= 0
    assert st.pseudonym(KEY + "x", 17) != first
    assert st.pseudonym(KEY, 18) != first
    assert len({st.pseudonym(KEY, n) for n in range(1, 2001)}) == 2000
    assert all(st.pseudonym(KEY, n) not in (str(n), f"{n:012d}", f"{n:012x}") for n in range(1, 2001))
    assert st.key_check(KEY) != st.key_check(KEY + "x") and KEY not in st.key_check(KEY)


@pytest.mark.parametrize("text, message", [
    ("", "Skriv en eksportnøgle"), ("   ", "Skriv en eksportnøgle"), ("for-kort-15tegn", "mindst 16 tegn"),
    ("x" * 201, "højst være på 200 tegn"),
])
def test_a_key_too_short_or_too_long_is_refused_in_danish(text, message):
    with pytest.raises(st.ExportKeyError, match=message):
        st.check_key(text)


def test_a_key_is_used_as_typed_apart_from_surrounding_spaces():
    assert st.check_key(f"  {KEY} ") == KEY
    key = st.random_key()
    assert st.check_key(key) == key and len(key) == 39 and key != st.random_key()


@pytest.mark.parametrize("birth, day, band", [
    (date(2000, 3, 15), date(2018, 3, 14), "under 18"),
    (date(2000, 3, 15), date(2018, 3, 15), "18–24"),
    (date(2000, 3, 15), date(2025, 3, 14), "18–24"),
    (date(2000, 3, 15), date(2025, 3, 15), "25–34"),
    (date(1960, 1, 1), date(2004, 12, 31), "35–44"),
    (date(1960, 1, 1), date(2005, 1, 1), "45–54"),
    (date(1960, 1, 1), date(2025, 1, 1), "65+"),
    (date(1960, 1, 2), date(2025, 1, 1), "55–64"),
    (date(2000, 2, 29), date(2018, 2, 28), "under 18"),  # born on a leap day: 18 on 1 March
    (date(2000, 2, 29), date(2018, 3, 1), "18–24"),
    (None, date(2018, 3, 1), None),
])
def test_age_bands_at_their_boundaries(birth, day, band):
    assert st.age_band(birth, day) == band


def _rows(column: str, values, owners=None) -> list[dict]:
    owners = owners or [f"p{i}" for i in range(len(values))]
    return [{"pseudonym": owner, column: value, "timer_coaching": Decimal("1.00")}
            for owner, value in zip(owners, values, strict=True)]


def test_values_held_by_fewer_than_five_rows_are_suppressed_and_counted():
    rows = _rows("handicapkategori", ["ADHD"] * 6 + ["Autist"] * 2 + ["Asperger"] + [None] * 3)
    result = st.suppress(rows)
    assert [r["handicapkategori"] for r in rows] == ["ADHD"] * 6 + ["*"] * 3 + [None] * 3  # blanks stay blank
    assert result.cells == 3 and result.by_column == {"handicapkategori": 3}
    assert all(r["timer_coaching"] == Decimal("1.00") for r in rows)  # numbers are never suppressed


def test_one_hidden_value_hides_the_next_smallest_too_so_it_cannot_be_named_by_elimination():
    rows = _rows("stopkode", ["ILB"] * 8 + ["EE"] * 5 + ["FFK"] * 2)
    result = st.suppress(rows)
    assert [r["stopkode"] for r in rows] == ["ILB"] * 8 + ["*"] * 7
    assert result.cells == 7
    flags = _rows("genindskrivning", ["Ja"] * 3 + ["Nej"] * 20)
    assert st.suppress(flags).cells == 23  # a Ja/Nej column cannot hide its small value alone
    assert {r["genindskrivning"] for r in flags} == {"*"}


def test_exactly_five_rows_are_shown():
    rows = _rows("startmaaned", ["2017-01"] * 5 + ["2017-02"] * 5)
    assert st.suppress(rows).cells == 0


def test_a_citizen_trait_hidden_in_one_row_is_hidden_in_all_the_citizens_rows():
    # p0 has two courses: 24 at the first (a rare band), 25 at the second (a common one).
    owners = ["p0", "p0"] + [f"q{i}" for i in range(10)] + ["r0", "r1"]
    bands = ["18–24", "25–34"] + ["25–34"] * 5 + ["35–44"] * 5 + ["18–24", "65+"]
    rows = _rows("aldersgruppe", bands, owners)
    result = st.suppress(rows)
    assert rows[0]["aldersgruppe"] == rows[1]["aldersgruppe"] == "*"
    assert [r["aldersgruppe"] for r in rows[2:12]] == ["25–34"] * 5 + ["35–44"] * 5
    assert result.cells == 4


# --- the rows on a hand-built data set ---------------------------------------------------------------

@pytest.fixture
def people(app):
    """Anna: a closed course (Dec–Feb) with coaching, a follow-up, a relatives' and a network meeting,
    FIT; Bo: an open course from February with his guide conversation and ad hoc help; Carl: a course
    before the period (not in it); Dora: erased, kept; Eva: restricted, left out."""
    anna = make_citizen("Anna", "Kvistgaard", birth_date=date(1990, 6, 1))
    bo = make_citizen("Bo", "Kvistgaard", birth_date=date(1957, 2, 1))
    carl = make_citizen("Carl", "Kvistgaard", birth_date=date(1980, 1, 1))
    dora = make_citizen("Dora", "Kvistgaard", birth_date=date(2000, 1, 1))
    eva = make_citizen("Eva", "Kvistgaard", birth_date=date(1970, 1, 1))
    anna.disability_category = "ADHD"
    course = make_course(anna, date(2016, 12, 1), date(2017, 2, 15))
    course.stop_reason, course.goal_attainment = "ILB", Decimal("2.5")
    make_meeting(anna, course, when=at_local(date(2016, 12, 10)))  # before the period: not counted
    first = make_meeting(anna, course, when=at_local(date(2017, 1, 10)), minutes=60)
    make_meeting(anna, course, when=at_local(date(2017, 2, 1)), kind="opfoelgning", minutes=45)
    make_meeting(anna, course, when=at_local(date(2017, 2, 10)), kind="paaroerende", minutes=30)
    last = make_meeting(anna, course, when=at_local(date(2017, 2, 14)), kind="netvaerksmoede", minutes=90)
    make_meeting(anna, course, when=at_local(date(2017, 2, 12)), status="aflyst")
    make_score(anna, meeting=first, course=course, items=(5, 5, 5, 5))  # ORS 20
    make_score(anna, meeting=first, course=course, scale="SRS", items=(9, 9, 9, 8.5))  # SRS 35,5, only one
    middle = make_meeting(anna, course, when=at_local(date(2017, 1, 20)), minutes=60)
    make_score(anna, meeting=middle, course=course, items=(6, 6, 6, 6))
    make_score(anna, meeting=last, course=course, items=(6.5, 6.5, 6.5, 6.5))  # ORS 26: the last
    skipped = make_meeting(anna, course, when=at_local(date(2017, 2, 15)), minutes=60)
    make_score(anna, meeting=skipped, course=course, items=None)  # skipped: never the last total
    bo_course = make_course(bo, date(2017, 2, 1))
    bo_course.is_return = True
    make_guide(bo, at_local(date(2017, 2, 1), 9), minutes=60)
    make_contact(when=at_local(date(2017, 2, 20)), kind="ad_hoc", citizen_id=bo.id, duration_minutes=15)
    make_course(carl, date(2016, 6, 1), date(2016, 12, 31))
    make_course(dora, date(2017, 3, 1), date(2017, 3, 20))
    make_course(eva, date(2017, 1, 5))
    dora.first_name, dora.last_name, dora.first_name_lower = "Slettet", "", "slettet"
    dora.erased_at = datetime(2025, 1, 1, tzinfo=UTC)
    eva.restricted_at = datetime(2025, 1, 1, tzinfo=UTC)
    db.session.commit()
    return {"anna": anna.id, "bo": bo.id, "carl": carl.id, "dora": dora.id, "eva": eva.id}


def by_citizen(export, people) -> dict:
    rows = {row["pseudonym"]: row for row in export.rows}
    return {name: rows.get(st.pseudonym(KEY, citizen_id)) for name, citizen_id in people.items()}


def test_one_row_per_course_in_the_period_with_bands_months_codes_and_fit(people):
    export = st.course_rows(PERIOD, KEY, date(2026, 12, 2))
    rows = by_citizen(export, people)
    assert rows["carl"] is None  # his course ended before the period
    assert rows["eva"] is None and export.left_out_restricted == 1  # restricted (art. 18): left out
    assert rows["dora"] is not None  # erased: kept, pseudonymised
    assert len(export.rows) == 3 and export.citizens == 3
    # Three rows: every categorical value is held by fewer than five, so every filled one is hidden.
    anna = rows["anna"]
    assert {anna[k] for k in ("genindskrivning", "aldersgruppe", "startmaaned", "slutmaaned", "stopkode",
                              "maalopfyldelse", "handicapkategori")} == {"*"}
    assert rows["bo"]["slutmaaned"] is None and rows["bo"]["stopkode"] is None  # open: blank, not hidden
    assert (anna["ors_start"], anna["ors_slut"]) == (Decimal(20), Decimal(26))
    assert (anna["srs_start"], anna["srs_slut"]) == (Decimal("35.5"), None)  # one SRS: no end value
    assert rows["bo"]["ors_start"] is None
    assert export.suppression.cells == sum(export.suppression.by_column.values()) == 3 + 3 + 3 + 2 + 1 + 1 + 1


def test_without_suppression_the_values_are_the_courses_own(people):
    rows = by_citizen(st.course_rows(PERIOD, KEY, date(2026, 12, 2), threshold=1), people)
    assert {k: rows["anna"][k] for k in ("genindskrivning", "aldersgruppe", "startmaaned", "slutmaaned",
                                         "stopkode", "maalopfyldelse", "handicapkategori")} == {
        "genindskrivning": "Nej", "aldersgruppe": "25–34", "startmaaned": "2016-12", "slutmaaned": "2017-02",
        "stopkode": "ILB", "maalopfyldelse": "2,5", "handicapkategori": "ADHD"}
    assert rows["bo"]["aldersgruppe"] == "55–64" and rows["bo"]["genindskrivning"] == "Ja"
    assert rows["dora"]["aldersgruppe"] == "under 18"  # 17 at the start of her course


def test_hours_by_type_add_up_to_the_key_figures_hours_for_the_same_period(people):
    export = st.course_rows(PERIOD, KEY, date(2026, 12, 2))
    minutes = minutes_with_citizens(START, END)
    for code in ACTIVITY_LABELS:
        total = sum((row[st.HOURS_COLUMNS[code]] for row in export.rows), Decimal(0))
        assert total == Decimal(minutes[code]) / 60, code
    anna = by_citizen(export, people)["anna"]
    assert (anna["timer_coaching"], anna["timer_follow_up"], anna["timer_relative"],
            anna["timer_network_meeting"]) == (Decimal("3.00"), Decimal("0.75"), Decimal("0.50"), Decimal("1.50"))
    bo = by_citizen(export, people)["bo"]
    assert (bo["timer_guide_conversation"], bo["timer_ad_hoc"], bo["timer_i_alt"]) == (
        Decimal("1.00"), Decimal("0.25"), Decimal("1.25"))
    assert sum((row["timer_i_alt"] for row in export.rows), Decimal(0)) == Decimal(sum(minutes.values())) / 60


def test_hours_outside_every_course_are_in_the_key_figures_but_not_in_a_course_row(people):
    anna = db.session.get(Citizen, people["anna"])
    make_meeting(anna, None, when=at_local(date(2017, 3, 10)), minutes=60)  # after her course ended
    export = st.course_rows(PERIOD, KEY, date(2026, 12, 2))
    in_rows = sum((row["timer_coaching"] for row in export.rows), Decimal(0))
    assert Decimal(minutes_with_citizens(START, END)["coaching"]) / 60 == in_rows + 1


# --- the page and the files --------------------------------------------------------------------------

def test_the_page_previews_the_rows_and_shows_the_counts(people, login):
    visitor = login("secretariat")
    page = visitor.client.get("/databeskyttelse/statistik")
    assert page.status_code == 200 and 'name="noegle"' in page.get_data(as_text=True)
    answer = visitor.post("/databeskyttelse/statistik", data={**FORM, "handling": "vis"})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    assert '<dd id="statistics-rows">3</dd>' in body and '<dd id="statistics-suppressed">14</dd>' in body
    assert st.pseudonym(KEY, people["anna"]) in body
    assert "Kvistgaard" not in body.split("<main", 1)[-1].replace("Pseudonymiseret statistik", "")
    # A preview writes nothing to the log: only a download leaves the house.
    refresh()
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "statistics_exported")).all()


def test_a_random_key_is_offered_once_and_never_stored(people, login):
    visitor = login("leader")
    answer = visitor.post("/databeskyttelse/statistik", data={"periode": "sidste-aar", "handling": "ny-noegle"})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Din nye eksportnøgle" in body
    key = body.split("<code>", 1)[1].split("</code>", 1)[0]
    assert st.check_key(key) == key and f'value="{key}"' in body
    again = visitor.post("/databeskyttelse/statistik", data={"periode": "sidste-aar", "handling": "ny-noegle"})
    assert key not in again.get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({**FORM, "noegle": "kort"}, "mindst 16 tegn"),
    ({**FORM, "noegle": ""}, "Skriv en eksportnøgle"),
    ({**FORM, "til": "2016-01-01"}, "Slutdatoen ligger før startdatoen"),
    ({**FORM, "periode": "nogen"}, "Ukendt periode"),
    ({**FORM, "fra": "31-02-2017"}, "kan ikke læses"),
])
def test_bad_input_is_refused_in_danish_and_kept(login, data, message):
    visitor = login("leader")
    answer = visitor.post("/databeskyttelse/statistik", data={**data, "handling": "csv"})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422 and answer.mimetype == "text/html"
    assert message in body
    if data["noegle"]:
        assert f'value="{data["noegle"]}"' in body


def test_the_csv_is_for_danish_excel_with_the_counts_and_no_key(people, login):
    visitor = login("leader")
    answer = visitor.post("/databeskyttelse/statistik", data={**FORM, "handling": "csv"})
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert 'filename="statistik-2017-01-01_2017-03-31.csv"' in answer.headers["Content-Disposition"]
    raw = answer.get_data()
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert "# Skjulte celler;14 (" in text and "# Rækker (forløb);3" in text
    header = lines.index(";".join(st.COLUMN_KEYS))
    data = [line.split(";") for line in lines[header + 1:] if line]
    assert len(data) == 3
    anna = next(cells for cells in data if cells[0] == st.pseudonym(KEY, people["anna"]))
    assert anna[st.COLUMN_KEYS.index("timer_coaching")] == "3,00"
    assert anna[st.COLUMN_KEYS.index("ors_slut")] == "26"
    assert KEY not in text and "Kvistgaard" not in text and "Anna" not in text and "1990" not in text


def test_the_workbook_explains_every_column_and_the_download_is_logged_per_citizen(people, login):
    visitor = login("secretariat")
    answer = visitor.post("/databeskyttelse/statistik", data={**FORM, "handling": "xlsx"})
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.get_data()))
    assert book.sheetnames == ["Om udtrækket", "Forløb"]
    about = {row[0]: row[1:] for row in book["Om udtrækket"].iter_rows(values_only=True) if row[0]}
    assert about["Skjulte celler"][0].startswith("14 (")
    assert about["Rækker (forløb)"][0] == "3"
    for key in st.COLUMN_KEYS:
        assert key in about and about[key][1], key
    sheet = list(book["Forløb"].iter_rows(values_only=True))
    assert sheet[0] == st.COLUMN_KEYS and len(sheet) == 4
    anna = next(row for row in sheet if row[0] == st.pseudonym(KEY, people["anna"]))
    assert anna[st.COLUMN_KEYS.index("timer_follow_up")] == 0.75
    refresh()
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "statistics_exported")).all()
    assert sorted(r.citizen_id for r in rows) == sorted([people["anna"], people["bo"], people["dora"]])
    assert {r.details for r in rows} == {"periode 2017-01-01_2017-03-31, 3 rækker, xlsx"}
    assert not any(KEY in (r.details or "") or KEY in (r.object_id or "") for r in rows)
