"""The citizen's insight package (GDPR art. 15) from the demo data's richest citizen, given data
in every feature: the PDF (read back with pypdf) has every section and sample values, the ZIP has
indsigt.json with every section (ISO dates, codes beside labels), indsigt.pdf and the citizen's
documents; downloads are audited and never cached; the access log leaves staff names out unless
the setting says otherwise."""

import json
import re
import zipfile
from io import BytesIO

import pypdf
import pytest
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.citizens.models import Citizen
from webapp.extensions import db
from webapp.privacy.models import PrivacyRequest
from webapp.privacy.registry import collect_all, registrations
from webapp.tools.demo import DEMO_PASSWORD

from ..conftest import Visitor
from ..factories import refresh
from .conftest import BODY, NOTE, leader_registers

pytestmark = pytest.mark.demo_data


@pytest.fixture(scope="module")
def rich(app, rich_citizen_id):
    citizen_id = rich_citizen_id
    # A colleague looks the citizen up (the access log), then the leader registers the request.
    staff = Visitor(app.test_client())
    staff.login("medarbejder", DEMO_PASSWORD)
    assert staff.get(f"/borgere/{citizen_id}").status_code == 200
    leader, _page = leader_registers(app, citizen_id, "indsigt")
    with app.app_context():
        request_id = db.session.scalar(select(PrivacyRequest.id).where(PrivacyRequest.citizen_id == citizen_id))
    return {"citizen_id": citizen_id, "request_id": request_id, "leader": leader}


def _text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


def _events(action: str, citizen_id: int) -> list[AuditEvent]:
    refresh()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action,
                                                            AuditEvent.citizen_id == citizen_id)))


def test_every_section_has_data_for_the_rich_citizen(app, rich):
    with app.test_request_context():
        citizen = db.session.get(Citizen, rich["citizen_id"])
        empty = [reg.key for reg, section in collect_all(citizen) if not section.items]
    assert empty == []


def test_the_pdf_has_every_section_and_sample_values(app, rich):
    response = rich["leader"].client.get(f"/databeskyttelse/anmodninger/{rich['request_id']}/indsigt.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    disposition = response.headers["Content-Disposition"]
    citizen = db.session.get(Citizen, rich["citizen_id"])
    assert f"indsigt-{rich['request_id']}-" in disposition
    assert citizen.first_name not in disposition and citizen.cpr not in disposition
    text = _text(response.data)
    assert "Indsigt i dine oplysninger" in text and "Datatilsynet" in text and "20. nov 2026" in text
    for reg in registrations():
        assert re.sub(r"\s+", " ", reg.title) in text, reg.title
    assert f"{citizen.cpr[:6]}-{citizen.cpr[6:]}" in text  # the citizen's own CPR number, in full
    assert NOTE in text and BODY in text
    assert "Borgeren selv" in text  # the request itself
    assert len(_events("insight_printed", citizen.id)) == 1


def test_the_access_log_leaves_staff_names_out_unless_the_setting_says_so(app, rich):
    url = f"/databeskyttelse/anmodninger/{rich['request_id']}/indsigt.pdf"
    text = _text(rich["leader"].client.get(url).data)
    assert "Hvem har set dine oplysninger" in text and "Opslag" in text and "Medarbejder" in text  # kind, role
    assert "Mads Medarbejder" not in text and "Lene Leder" not in text
    assert "Medarbejdernes navne er udeladt" in text
    app.config["INSIGHT_STAFF_NAMES"] = True
    try:
        named = _text(rich["leader"].client.get(url).data)
    finally:
        app.config["INSIGHT_STAFF_NAMES"] = False
    assert "Mads Medarbejder" in named


def test_the_zip_has_json_the_pdf_and_the_documents(app, rich):
    response = rich["leader"].client.get(f"/databeskyttelse/anmodninger/{rich['request_id']}/indsigt.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "no-store" in response.headers["Cache-Control"]
    citizen = db.session.get(Citizen, rich["citizen_id"])
    assert citizen.first_name not in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(BytesIO(response.data))
    names = archive.namelist()
    assert {"indsigt.json", "indsigt.pdf"} <= set(names)
    documents = [n for n in names if n.startswith("dokumenter/")]
    assert any("min-plan-" in n for n in documents)
    assert any("overdragelse-" in n for n in documents)
    assert any("dokumentationsskema-" in n for n in documents)
    for name in [*documents, "indsigt.pdf"]:
        assert len(pypdf.PdfReader(BytesIO(archive.read(name))).pages) >= 1, name
        assert citizen.first_name.lower() not in name.lower()
    data = json.loads(archive.read("indsigt.json"))
    keys = [s["noegle"] for s in data["afsnit"]]
    assert keys == [reg.key for reg in registrations()]
    assert all(s["poster"] for s in data["afsnit"])
    entry = data["afsnit"][0]["poster"][0]
    assert entry["CPR-nummer"] == f"{citizen.cpr[:6]}-{citizen.cpr[6:]}"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T.*", entry["Oprettet"])
    contacts = next(s for s in data["afsnit"] if s["noegle"] == "contacts")["poster"]
    assert any(p["Notat"] == NOTE for p in contacts)
    assert all(isinstance(p["Kanal"], dict) and {"kode", "tekst"} <= set(p["Kanal"]) for p in contacts)
    assert len(_events("insight_exported", citizen.id)) == 1


def test_the_cpr_number_is_in_no_url_or_audit_detail(app, rich):
    citizen = db.session.get(Citizen, rich["citizen_id"])
    refresh()
    details = db.session.scalars(select(AuditEvent.details).where(AuditEvent.citizen_id == citizen.id)).all()
    assert not any(citizen.cpr in (d or "") for d in details)
    page = rich["leader"].get(f"/databeskyttelse/anmodninger/{rich['request_id']}").get_data(as_text=True)
    assert citizen.cpr not in page
