"""Fictitious demo data: requests under the GDPR, so the leader's Databeskyttelse page is not
empty: an insight request near its deadline, a delivered one, and a fresh erasure request."""

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from webapp.auth import services as auth_services
from webapp.citizens.models import Citizen
from webapp.extensions import db
from webapp.privacy.models import ERASURE, INSIGHT, PrivacyRequest
from webapp.privacy.requests import DELIVERY_WAYS
from webapp.timeutil import LOCAL_TZ, as_utc, today_local, utcnow


def load(rng) -> dict:
    if db.session.scalar(select(func.count()).select_from(PrivacyRequest)):
        return {}
    leader = auth_services.find_user("leder")
    citizens = list(db.session.scalars(select(Citizen).where(Citizen.erased_at.is_(None))
                                       .order_by(Citizen.id).limit(3)))
    if leader is None or len(citizens) < 3:
        return {}
    today = today_local()
    near, delivered, erasure = citizens
    rows = [
        # received 27 days ago: a few days left, shown as soon due
        PrivacyRequest(citizen_id=near.id, kind=INSIGHT, received_on=today - timedelta(days=27),
                       requested_by="Borgeren selv", identified_by="Sundhedskort vist i receptionen",
                       scope="Alt, hvad I har registreret om mig, og hvem der har set det.",
                       registered_by_id=leader.id),
        PrivacyRequest(citizen_id=delivered.id, kind=INSIGHT, received_on=today - timedelta(days=40),
                       requested_by="Værge: Hanne Holm", identified_by="Brev via Digital Post (MitID)",
                       registered_by_id=leader.id, delivered_how=DELIVERY_WAYS["digital_post"],
                       carried_out_at=as_utc(datetime.combine(today - timedelta(days=20), time(12), LOCAL_TZ)),
                       closed_at=utcnow() - timedelta(days=20)),
        PrivacyRequest(citizen_id=erasure.id, kind=ERASURE, received_on=today - timedelta(days=3),
                       requested_by="Borgeren selv", identified_by="Telefonopkald, ringet tilbage på kendt nummer",
                       scope="Mine noter fra receptionen.", registered_by_id=leader.id),
    ]
    db.session.add_all(rows)
    db.session.flush()
    return {"privacy requests": len(rows)}
