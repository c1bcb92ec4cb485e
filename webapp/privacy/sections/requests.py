"""The citizen's own requests under the GDPR."""

from sqlalchemy import select

from ..models import DECISIONS, REQUEST_KINDS, PrivacyRequest
from ..registry import Section, coded, insight_section
from .common import rows


@insight_section("requests", "Dine anmodninger om indsigt, sletning eller begrænsning", models=(PrivacyRequest,),
                 order=97)
def requests(citizen, **_) -> Section:
    statement = (select(PrivacyRequest).where(PrivacyRequest.citizen_id == citizen.id)
                 .order_by(PrivacyRequest.received_on, PrivacyRequest.id))
    items = [{
        "Anmodning": coded(r.kind, REQUEST_KINDS),
        "Modtaget": r.received_on,
        "Fra": r.requested_by,
        "Identificeret ved": r.identified_by,
        "Omfang": r.scope,
        "Afgørelse": coded(r.decision, DECISIONS),
        "Begrundelse": r.decision_reason,
        "Retsgrundlag": r.legal_basis,
        "Gennemført": r.carried_out_at,
        "Udleveret": r.delivered_how,
        "Afsluttet": r.closed_at,
    } for r in rows(statement)]
    return Section("Dine anmodninger om indsigt, sletning eller begrænsning", "", items)
