"""The citizen's insight package (GDPR art. 15): a plain-Danish PDF and a machine-readable ZIP.

The PDF: a cover letter (what this is, the request's date, what the citizen may do next), then
every registered section (webapp/privacy/registry.py), an empty one saying so. The ZIP:
indsigt.json (every item with ISO dates and codes beside the labels), indsigt.pdf and the
citizen's generated documents (Min Plan per course, closing letters, handovers, Bilag 6).
File names never carry the citizen's name or CPR number."""

import json
import zipfile
from io import BytesIO

from flask import current_app

from ..pdf import render_pdf
from ..timeutil import format_date, today_local, utcnow
from .deadlines import deadline
from .registry import collect_all, display, to_json

EMPTY = "Ingen oplysninger registreret"
PDF_NAME = "indsigt.pdf"
JSON_NAME = "indsigt.json"


def download_name(request, extension: str) -> str:
    """indsigt-<request id>-<date>.pdf: never the citizen's name or CPR number."""
    return f"indsigt-{request.id}-{today_local().isoformat()}.{extension}"


def insight_pdf(request, collected=None) -> bytes:
    citizen = request.citizen
    collected = collected if collected is not None else collect_all(citizen)
    sections = [{
        "title": section.title,
        "intro": section.intro,
        "items": [[(label, display(value)) for label, value in item.items()] for item in section.items],
    } for _reg, section in collected]
    config = current_app.config
    return render_pdf(
        "pdf/insight.html",
        title="Indsigt i dine oplysninger",
        header=f"Indsigt i dine oplysninger · {citizen.full_name}",
        printed_at=utcnow(),
        request=request,
        citizen=citizen,
        sections=sections,
        empty=EMPTY,
        deadline=deadline(request.received_on),
        unit_address=config["UNIT_ADDRESS"],
        unit_phone=config["UNIT_PHONE"],
        format_date=format_date,
        today=today_local(),
    )


def insight_json(request, collected) -> dict:
    return {
        "format": "Din Indgang indsigt, version 1",
        "dannet": utcnow().isoformat(),
        "anmodning": {"id": request.id, "modtaget": request.received_on.isoformat(),
                      "art": {"kode": request.kind, "tekst": request.kind_label}},
        "afsnit": [{
            "noegle": reg.key,
            "titel": section.title,
            "beskrivelse": section.intro,
            "poster": [{label: to_json(value) for label, value in item.items()} for item in section.items],
            "dokumenter": [name for name, _data in section.documents],
        } for reg, section in collected],
    }


def insight_zip(request) -> bytes:
    collected = collect_all(request.citizen, documents=True)
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(insight_json(request, collected), ensure_ascii=False, indent=2))
        archive.writestr(PDF_NAME, insight_pdf(request, collected))
        for _reg, section in collected:
            for name, data in section.documents:
                archive.writestr(f"dokumenter/{name}", data)
    return buffer.getvalue()
