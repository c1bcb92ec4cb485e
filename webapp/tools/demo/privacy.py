"""Fictitious demo data: requests under the GDPR, so the leader's Databeskyttelse page is not
empty: an insight request near its deadline, a delivered one, a fresh erasure request, a request for
restriction waiting for the leader's decision, and an erasure refused on the duty to keep records."""

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from webapp.auth import services as auth_services
from webapp.citizens.models import Citizen
from webapp.extensions import db
from webapp.privacy.models import ERASURE, INSIGHT, REFUSED, RESTRICTION, PrivacyRequest
from webapp.privacy.requests import DELIVERY_WAYS
from webapp.timeutil import LOCAL_TZ, as_utc, today_local, utcnow


def load(rng) -> dict:
    if db.session.scalar(select(func.count()).select_from(PrivacyRequest)):
        return {}
    leader = auth_services.find_user("leder")
    citizens = list(db.session.scalars(select(Citizen).where(Citizen.erased_at.is_(None))
                                       .order_by(Citizen.id).limit(5)))
    if leader is None or len(citizens) < 5:
        return {}
    today = today_local()
    near, delivered, erasure, restriction, refused = citizens
    decided = utcnow() - timedelta(days=30)
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
        PrivacyRequest(citizen_id=restriction.id, kind=RESTRICTION, received_on=today - timedelta(days=6),
                       requested_by="Borgeren selv", identified_by="Sundhedskort vist i receptionen",
                       scope="Mener, at oplysningerne om forløbet er forkerte; begræns dem, til det er undersøgt.",
                       registered_by_id=leader.id),
        PrivacyRequest(citizen_id=refused.id, kind=ERASURE, received_on=today - timedelta(days=45),
                       requested_by="Borgeren selv", identified_by="Sundhedskort vist i receptionen",
                       scope="Alt om mig.", registered_by_id=leader.id, decision=REFUSED,
                       decision_reason="Forløbet blev overdraget til myndighedsafdelingen; oplysningerne indgår i "
                                       "sagen og skal opbevares efter journalpligten.",
                       legal_basis="Databeskyttelsesforordningens artikel 17, stk. 3, litra b; offentlighedslovens § 15",
                       decided_by_id=leader.id, decided_at=decided, closed_at=decided),
    ]
    for row in rows:  # registered the day it came in
        row.registered_at = as_utc(datetime.combine(row.received_on, time(10), LOCAL_TZ))
    db.session.add_all(rows)
    db.session.flush()
    return {"privacy requests": len(rows)}
