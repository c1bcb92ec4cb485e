"""CSV exports cannot smuggle spreadsheet formulas (CSV injection)."""

import csv
import io
from datetime import datetime

import pytest

from webapp import csvsafe
from webapp.timeutil import LOCAL_TZ

from ..factories import make_citizen, make_contact, make_user


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+45 12 34", "'+45 12 34"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Anna = 1", "Anna = 1"),
        ("", ""),
        (None, ""),
        (15, "15"),
        (-5, "'-5"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert csvsafe.cell(value) == expected


def test_the_writer_makes_every_cell_safe():
    out = io.StringIO()
    csvsafe.writer(out, delimiter=";", lineterminator="\n").writerows([["=A", "b"], ["c", "@d"]])
    assert out.getvalue() == "'=A;b\nc;'@d\n"


def test_register_csv_neutralises_initials_and_names(login):
    staff = login("secretariat")
    sneaky = make_user("sneaky", initials="=1+1")
    citizen = make_citizen("@nna", "Andersen")
    make_contact(user=sneaky, when=datetime(2026, 11, 18, 10, tzinfo=LOCAL_TZ), citizen_id=citizen.id)
    response = staff.get("/henvendelser/uge.csv?uge=2026-W47")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    assert rows[1][-2:] == ["'=1+1", "'@.A."]
