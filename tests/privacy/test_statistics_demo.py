"""#13 item 7 on the demo data: the statistics export's CSV and XLSX hold no name, CPR number, phone,
e-mail, address, date of birth or free text of any citizen (every Text column of every table, and
long String columns, are searched for), nor the export key; the page is the leader's and the
secretariat's, reached from the key figures, and nobody else's."""

import io
import re
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import String, Text, select

from webapp.audit import AuditEvent
from webapp.citizens.models import Citizen, Relative
from webapp.extensions import db
from webapp.privacy import statistics as st
from webapp.timeutil import format_date, today_local
from webapp.tools.demo import DEMO_PASSWORD

from ..conftest import Visitor

pytestmark = pytest.mark.demo_data

KEY = "en-noegle-kun-til-demo-testen-0001"
MONTHS = {"handling": "csv", "periode": "valgt", "fra": "2015-01-01", "noegle": KEY}
SHOWN_TO = ("leder", "sekretariat")
NOT_SHOWN_TO = ("vaert", "medarbejder", "peer", "skp", "frivillig", "myndighed", "admin")


def as_user(app, username: str) -> Visitor:
    visitor = Visitor(app.test_client())
    assert visitor.login(username, DEMO_PASSWORD).status_code == 302
    return visitor


@pytest.fixture(scope="module")
def secrets_of_citizens(app, demo) -> dict[str, set[str]]:
    """What must never be in a file: per kind, the demo data's own values."""
    with app.app_context():
        citizens = db.session.scalars(select(Citizen)).all()
        found = {
            "names": {f"{c.first_name} {c.last_name}".strip() for c in citizens} | {c.last_name for c in citizens
                                                                                   if len(c.last_name or "") >= 4},
            "first names": {c.first_name for c in citizens},
            "cpr": {c.cpr for c in citizens if c.cpr} | {f"{c.cpr[:6]}-{c.cpr[6:]}" for c in citizens if c.cpr},
            "contact": {v for c in citizens for v in (c.phone, c.email, c.address, c.bring_person) if v},
            "birth dates": {text for c in citizens if c.birth_date for text in (
                c.birth_date.isoformat(), c.birth_date.strftime("%d-%m-%Y"), c.birth_date.strftime("%d.%m.%Y"),
                format_date(c.birth_date))},
            "relatives": {v for r in db.session.scalars(select(Relative)) for v in (r.name, r.phone) if v},
            "free text": set(),
        }
        for table in db.metadata.sorted_tables:
            if table.name in ("audit_event", "alembic_version"):
                continue
            for column in table.columns:
                if isinstance(column.type, Text) or (isinstance(column.type, String) and (column.type.length or 0)
                                                     >= 150):
                    for value in db.session.scalars(select(column).where(column.is_not(None)).distinct()):
                        if isinstance(value, str) and len(value.strip()) >= 20:
                            found["free text"].add(value.strip())
        assert all(found[kind] for kind in ("names", "cpr", "contact", "birth dates", "free text")), found.keys()
        return found


def download(app, kind: str) -> str:
    visitor = as_user(app, "leder")
    answer = visitor.post("/databeskyttelse/statistik",
                          data={**MONTHS, "handling": kind, "til": today_local().isoformat()})
    assert answer.status_code == 200, answer.get_data(as_text=True)[:2000]
    raw = answer.get_data()
    if kind == "csv":
        return raw.decode("utf-8-sig")
    # Every XML part of the workbook, and the cells as openpyxl reads them.
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        parts = [archive.read(name).decode("utf-8") for name in archive.namelist()]
    book = load_workbook(io.BytesIO(raw))
    cells = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    return "\n".join(parts + cells)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_files_hold_no_name_cpr_address_birth_date_or_free_text(app, secrets_of_citizens, kind):
    text = download(app, kind)
    assert text.count(st.key_check(KEY)) >= 1  # the file is the one made with the key …
    assert KEY not in text  # … which is not in it
    rows = [line for line in text.splitlines() if re.match(r"^[0-9a-f]{12};", line)] if kind == "csv" else []
    if kind == "csv":
        assert len(rows) >= 20, "the demo data has courses in the period"
    for what, values in secrets_of_citizens.items():
        if what == "first names":
            leaked = sorted(v for v in values if re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", text))
        else:
            leaked = sorted(v for v in values if v in text)
        assert not leaked, f"{what} in the {kind}: {leaked[:5]}"


def test_each_download_is_logged_once_per_citizen_without_the_key(app, demo):
    with app.app_context():
        before = db.session.scalar(select(db.func.count()).select_from(AuditEvent)
                                   .where(AuditEvent.action == "statistics_exported"))
    text = download(app, "csv")
    pseudonyms = {line.split(";")[0] for line in text.splitlines() if re.match(r"^[0-9a-f]{12};", line)}
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "statistics_exported")
                                  .order_by(AuditEvent.id).offset(before)).all()
        assert len(rows) == len(pseudonyms)
        assert {st.pseudonym(KEY, r.citizen_id) for r in rows} == pseudonyms
        assert all(KEY not in (r.details or "") and r.details.endswith("rækker, csv") for r in rows)
        assert {r.roles for r in rows} == {"leader"}


@pytest.mark.parametrize("username", SHOWN_TO)
def test_the_leader_and_the_secretariat_reach_the_page_from_the_key_figures(app, demo, username):
    visitor = as_user(app, username)
    figures = visitor.client.get("/noegletal").get_data(as_text=True)
    assert 'href="/databeskyttelse/statistik"' in figures
    page = visitor.client.get("/databeskyttelse/statistik")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert '<option value="sidste-aar" selected>' in body  # the last full year by default
    shown = visitor.post("/databeskyttelse/statistik", data={"periode": "sidste-aar", "noegle": KEY})
    assert shown.status_code == 200 and "Skjulte celler" in shown.get_data(as_text=True)


@pytest.mark.parametrize("username", NOT_SHOWN_TO)
def test_nobody_else_may_export(app, demo, username):
    visitor = as_user(app, username)
    assert visitor.client.get("/databeskyttelse/statistik").status_code == 403
    assert visitor.post("/databeskyttelse/statistik", data={**MONTHS}).status_code == 403
    figures = visitor.client.get("/noegletal")
    assert 'href="/databeskyttelse/statistik"' not in figures.get_data(as_text=True)
