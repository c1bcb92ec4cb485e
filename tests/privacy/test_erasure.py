"""Erasure (GDPR art. 17) end to end, on the demo data's richest citizen: every free text, name and
contact detail of theirs is first marked with a word found nowhere else; the citizen asks for insight
(the PDF has every section and the marked texts); then the leader registers the erasure request,
reads what the erasure goes through, and approves it; then the database (the SQLite file
itself, or a pg_dump) holds the word nowhere, the rows are still there, the key figures of past
periods are the same, the audit row says nothing erased, and the audit chain verifies."""

import dataclasses
import glob
import os
import re
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
import pytest
from sqlalchemy import JSON, String, Text, func, select

from webapp.audit import AuditEvent
from webapp.auth.models import User
from webapp.citizens.models import Citizen, Relative
from webapp.extensions import db
from webapp.messages.models import OutboxMessage
from webapp.plans.models import Plan, PlanDraft, PlanVersion
from webapp.privacy import erasure
from webapp.privacy.decision_forms import TABLE_LABELS
from webapp.privacy.models import PrivacyRequest
from webapp.privacy.ownership import citizen_tables, owned_by
from webapp.privacy.registry import registrations
from webapp.reports.figures import key_figures

from ..factories import refresh
from .conftest import leader_registers

pytestmark = pytest.mark.demo_data

MARK = "Zwrbq"  # in no demo text, name or address
SKIP = {"cpr", "cpr_key"}  # ciphertext and a keyed hash: checked on their own


# --- the plan itself ---------------------------------------------------------------------------------


def test_every_text_column_of_a_citizens_table_is_erased_or_kept_with_a_reason(app):
    assert erasure.uncovered_text_columns() == []


def test_the_check_notices_a_text_column_nobody_decided_on(app, monkeypatch):
    contact = erasure.PLAN["contact"]
    keep = {k: v for k, v in contact.keep.items() if k != "partner"}
    monkeypatch.setitem(erasure.PLAN, "contact", dataclasses.replace(contact, keep=keep))
    monkeypatch.delitem(erasure.PLAN, "relative")
    assert erasure.uncovered_text_columns() == ["contact.partner", "relative (no plan)"]


def test_the_plan_names_real_tables_and_columns_and_says_why(app):
    assert set(erasure.PLAN) == set(citizen_tables())
    assert set(TABLE_LABELS) == set(erasure.PLAN)
    for name, plan in erasure.PLAN.items():
        columns = db.metadata.tables[name].columns
        for part, values in plan.erase.items():
            assert part in erasure.PARTS
            assert set(values) <= set(columns.keys()), name
        assert set(plan.keep) <= set(columns.keys()), name
        assert all(len(reason) > 10 for reason in plan.keep.values())
        assert not set(plan.keep) & {c for values in plan.erase.values() for c in values}, name


@pytest.mark.parametrize(("parts", "message"), [
    ((), erasure.MSG_NO_PARTS),
    (("noget",), erasure.MSG_NO_PARTS),
    ((erasure.IDENTITY, erasure.NOTES), erasure.MSG_IDENTITY_ALONE),
])
def test_parts_that_cannot_be_chosen(parts, message):
    with pytest.raises(erasure.ErasureError, match=message[:20]):
        erasure.check_parts(parts)


def test_everything_or_any_part_but_the_identity_can_be_chosen():
    assert erasure.check_parts(erasure.ALL_PARTS) == erasure.ALL_PARTS
    assert erasure.check_parts([erasure.NOTES, erasure.MESSAGES]) == {erasure.NOTES, erasure.MESSAGES}


# --- end to end ----------------------------------------------------------------------------------------


def _owned(table_name: str, citizen_id: int) -> list:
    return erasure._rows(table_name, citizen_id)


def _mark_everything(citizen_id: int) -> dict[str, int]:
    """Put MARK into every column the erasure overwrites, in every row of the citizen's; returns
    how many rows of each table the citizen has."""
    counts = {}
    for name, plan in erasure.PLAN.items():
        table = db.metadata.tables[name]
        rows = _owned(name, citizen_id)
        counts[name] = len(rows)
        for row in rows:
            for columns in plan.erase.values():
                for column in columns:
                    kind = table.c[column].type
                    if column in SKIP:
                        continue
                    if isinstance(kind, JSON):
                        setattr(row, column, {"tekst": f"{MARK} {name}"})
                    elif isinstance(kind, (String, Text)):
                        setattr(row, column, f"{MARK} {name}.{column}"[:kind.length or 200])
            if name == "plan_draft":
                row.data = {"tekst": f"{MARK} kladde"}
    db.session.commit()
    return counts


def _dump() -> bytes:
    """Everything in the database as bytes: the SQLite file (log included) or a pg_dump."""
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        path = db.engine.url.database
        return b"".join(Path(p).read_bytes() for p in [path, path + "-wal"] if os.path.exists(p))
    pg_dump = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))[-1]
    url = urlsplit(str(db.engine.url.render_as_string(hide_password=False)).replace("+psycopg", ""))
    return subprocess.run([pg_dump, "--data-only", "-h", url.hostname, "-p", str(url.port), "-U", url.username,
                           url.path.lstrip("/")], capture_output=True, check=True).stdout


PERIODS = [(date(2025, 1, 1), date(2025, 12, 31)), (date(2026, 1, 1), date(2026, 12, 31))] + [
    (date(2026, month, 1), date(2026, month + 1, 1)) for month in range(1, 12)]


def _figures() -> list:
    return [[dataclasses.asdict(f) for f in key_figures(start, end, restricted=True)] for start, end in PERIODS]


@pytest.fixture(scope="module")
def erased(app, rich_citizen_id):
    """The rich citizen, marked, with a plan draft and a waiting reminder, then erased by the leader."""
    citizen_id = rich_citizen_id
    with app.test_request_context():
        plan_id = db.session.scalar(select(Plan.id).where(owned_by(Plan.__table__, citizen_id)).limit(1))
        user_id = db.session.scalar(select(User.id).order_by(User.id).limit(1))
        db.session.add(PlanDraft(plan_id=plan_id, user_id=user_id, section="goal", base_version=1, data={}))
        if not db.session.scalar(select(PlanVersion.id).where(PlanVersion.plan_id == plan_id).limit(1)):
            db.session.add(PlanVersion(plan_id=plan_id, version=1, data={}, saved_by_id=user_id))
        db.session.add(Relative(citizen_id=citizen_id, name="Søster", relation="Søster", phone="12345678"))
        db.session.commit()
        counts = _mark_everything(citizen_id)
        before = _figures()
        dump_before = _dump().lower()
    # First the citizen asks for insight: the PDF has every section, the marked texts among them.
    leader, insight_page = leader_registers(app, citizen_id, "indsigt")
    insight_url = insight_page + "/indsigt.pdf"
    insight = leader.client.get(insight_url)
    assert insight.status_code == 200
    insight_text = " ".join(p.extract_text() for p in pypdf.PdfReader(BytesIO(insight.data)).pages)
    # Then for erasure.
    response = leader.post(f"/databeskyttelse/borgere/{citizen_id}/ny-anmodning", {
        "kind": "sletning", "received_on": "2026-11-25", "requested_by": f"Borgeren selv ({MARK})",
        "identified_by": f"Sundhedskort {MARK}", "scope": f"Alt om mig, {MARK}"})
    assert response.status_code == 303, response.get_data(as_text=True)
    page_url = response.headers["Location"]
    page = leader.get(page_url)
    assert page.status_code == 200
    before_page = page.get_data(as_text=True)
    response = leader.post(page_url + "/afgoerelse", {
        "decision": "godkendt", "legal_basis": "Databeskyttelsesforordningens artikel 17, stk. 1, litra a",
        "reason": ""})
    assert response.status_code == 303, response.get_data(as_text=True)
    after_page = leader.get(page_url).get_data(as_text=True)
    with app.app_context():
        refresh()
        request_id = db.session.scalar(select(PrivacyRequest.id).where(PrivacyRequest.citizen_id == citizen_id,
                                                                       PrivacyRequest.kind == "sletning"))
    return {"citizen_id": citizen_id, "insight_text": insight_text, "insight_url": insight_url, "counts": counts, "before": before, "dump_before": dump_before,
            "before_page": before_page, "after_page": after_page, "leader": leader, "request_id": request_id}


def test_the_marked_data_was_there_in_every_feature_before(app, erased):
    assert MARK.lower().encode() in erased["dump_before"]
    with_rows = {name for name, count in erased["counts"].items() if count} | {"privacy_request"}  # registered after
    assert with_rows == set(erasure.PLAN), f"the rich citizen has no rows in {set(erasure.PLAN) - with_rows}"


def test_the_insight_before_had_every_section_and_the_marked_texts(app, erased):
    text = re.sub(r"\s+", " ", erased["insight_text"])
    with app.app_context():
        titles = [reg.title for reg in registrations()]
    missing = [title for title in titles if title.split(" (")[0] not in text]
    assert missing == []
    assert MARK in text


def test_after_the_erasure_there_is_no_insight_to_print(erased):
    assert erased["leader"].client.get(erased["insight_url"]).status_code == 410


def test_the_leader_saw_what_the_erasure_goes_through(erased):
    page = erased["before_page"]
    assert "Det, sletningen gennemgår" in page and "Henvendelser i receptionen" in page
    assert "journalisere" in page  # the rich citizen has a handover: the duty to keep records is named
    assert "Slettet borger" not in page


def test_nothing_marked_is_left_anywhere_in_the_database(app, erased):
    with app.app_context():
        assert MARK.lower().encode() not in _dump().lower()


def test_the_citizen_is_pseudonymised_and_every_row_is_kept(app, erased):
    with app.app_context():
        refresh()
        citizen = db.session.get(Citizen, erased["citizen_id"])
        assert citizen.full_name == "Slettet borger"
        assert (citizen.cpr, citizen.cpr_key, citizen.phone, citizen.email, citizen.address, citizen.birth_date) == (
            None, None, None, None, None, None)
        assert citizen.erased_at is not None and citizen.restricted_at is not None
        assert citizen.contact_consent is False and citizen.reminders_off is True
        counts = {name: len(_owned(name, citizen.id)) for name in erasure.PLAN}
    expected = dict(erased["counts"], plan_draft=0, privacy_request=2)  # insight, then erasure
    assert counts == expected


def test_the_key_figures_of_past_periods_are_unchanged(app, erased):
    with app.test_request_context():
        assert _figures() == erased["before"]


def test_every_message_is_blanked(app, erased):
    with app.app_context():
        refresh()
        rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.citizen_id == erased["citizen_id"])).all()
        assert rows and all((r.body, r.recipient, r.subject) == ("", "", "") for r in rows)


def test_the_audit_rows_name_the_citizen_by_number_only(app, erased):
    with app.app_context():
        refresh()
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.citizen_id == erased["citizen_id"],
                                                           AuditEvent.action.in_(["citizen_erased",
                                                                                  "privacy_request_decided"]))
                                  .order_by(AuditEvent.id)).all()
    assert [r.action for r in rows] == ["privacy_request_decided", "citizen_erased"]
    assert rows[0].details == "sletning: godkendt"
    assert rows[1].details.startswith("dele: beskeder,identitet,kontakt,noter,planer; rækker: ")
    assert all(MARK not in (r.details or "") for r in rows)


def test_the_audit_chain_still_verifies(app, erased):
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_the_request_is_closed_with_the_decision_and_the_page_says_so(app, erased):
    with app.app_context():
        refresh()
        request = db.session.get(PrivacyRequest, erased["request_id"])
        assert request.closed_at is not None and request.carried_out_at is not None
        assert (request.decision, request.requested_by, request.identified_by, request.scope) == (
            "godkendt", "", "", None)
        assert request.legal_basis.startswith("Databeskyttelsesforordningens artikel 17")
    page = erased["after_page"]
    assert "Borgerens personoplysninger er slettet" in page and "blev slettet" in page
    assert "Registrér afgørelsen" not in page


def test_an_erased_citizen_takes_no_new_request_and_gives_no_insight(app, erased):
    leader = erased["leader"]
    response = leader.post(f"/databeskyttelse/borgere/{erased['citizen_id']}/ny-anmodning", {
        "kind": "indsigt", "received_on": "2026-11-30", "requested_by": "Borgeren selv", "identified_by": "Pas"})
    assert response.status_code == 422
    assert "Der kan ikke registreres en ny anmodning" in response.get_data(as_text=True)


def test_an_erasure_cannot_run_twice(app, erased):
    with app.test_request_context():
        citizen = db.session.get(Citizen, erased["citizen_id"])
        with pytest.raises(erasure.ErasureError, match="allerede slettet"):
            erasure.erase_citizen(citizen)
        db.session.rollback()


def test_the_count_of_citizens_is_the_same(app, erased):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Citizen).where(Citizen.id == erased["citizen_id"])) == 1
