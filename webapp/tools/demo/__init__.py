"""Fictitious demo data. Every person here is made up."""

import random
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from webapp.auth import roles as r
from webapp.auth import services as auth_services
from webapp.extensions import db
from webapp.timeutil import LOCAL_TZ, as_utc, today_local

DEMO_PASSWORD = "dinindgang"  # noqa: S105 - documented demo login, development only

DEMO_USERS = [
    ("vaert", "Vera Vært", "VV", [r.STAFF], False),
    ("medarbejder", "Mads Medarbejder", "MM", [r.STAFF], True),
    ("peer", "Pia Peer", "PP", [r.PEER], False),
    ("skp", "Søren Skp", "SS", [r.SKP], False),
    ("frivillig", "Frida Frivillig", "FF", [r.VOLUNTEER_COORDINATOR], False),
    ("leder", "Lene Leder", "LL", [r.LEADER], True),
    ("myndighed", "Morten Myndighed", "MY", [r.AUTHORITY], True),
    ("sekretariat", "Sanne Sekretariat", "SA", [r.SECRETARIAT], False),
    ("admin", "Anders Admin", "AA", [r.ADMIN], False),
]

# Fictitious first and last names for demo citizens.
FIRST_NAMES = [
    "Anna", "Bo", "Camilla", "Dennis", "Emma", "Frederik", "Gitte", "Henrik", "Ida", "Jonas", "Karina",
    "Lars", "Maja", "Nikolaj", "Oliver", "Pernille", "Rasmus", "Sofie", "Thomas", "Ulla", "Vibeke",
    "William", "Yasmin", "Ahmed", "Bettina", "Carsten", "Dorthe", "Emil", "Fatima", "Gustav",
]
LAST_NAMES = [
    "Andersen", "Berg", "Christensen", "Dahl", "Eriksen", "Frost", "Gregersen", "Holm", "Iversen",
    "Juhl", "Kragh", "Lund", "Mikkelsen", "Nygaard", "Olsen", "Pedersen", "Qvist", "Riis", "Skov",
    "Thomsen",
]

# Ad hoc help always comes from citizens, so the rest is weighted to give the report's overall
# mix of about 50 % citizens, 9 % relatives and 41 % partners.
FROM_WEIGHTS = {"borger": 41, "paaroerende": 11, "samarbejdspartner": 48}
PARTNER_WEIGHTS = {
    "jobcenter": 30, "lokalpsykiatri": 18, "hospitalspsykiatri": 8, "borgerservice": 10,
    "praktiserende_laege": 8, "udskrivningskoordinator": 4, "myndighedsafdelingen": 10,
    "vaeresteder_skp": 5, "frivillig_organisation": 4, "anden": 3,
}
TOPIC_WEIGHTS = {
    "skattekort": 8, "ansoegning": 14, "mitid": 14, "su": 4, "digital_post": 14, "rykker": 9,
    "boligsikring": 10, "rki": 3, "brev": 16, "computer": 6, "andet": 4,
}


def load_demo_users() -> int:
    created = 0
    for username, name, initials, roles, authority in DEMO_USERS:
        if auth_services.find_user(username) is None:
            auth_services.create_user(
                username=username,
                full_name=name,
                initials=initials,
                password=DEMO_PASSWORD,
                roles=roles,
                has_authority_experience=authority,
                check_policy=False,
            )
            created += 1
    return created


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def load_demo_citizens(rng: random.Random, count: int = 24) -> list:
    from webapp.citizens.models import Citizen

    existing = list(db.session.scalars(select(Citizen).order_by(Citizen.id)))
    if existing:
        return existing
    citizens = []
    for i in range(count):
        first = FIRST_NAMES[i % len(FIRST_NAMES)]
        last = LAST_NAMES[(i * 7) % len(LAST_NAMES)]
        born = today_local().replace(day=1) - timedelta(days=rng.randint(19 * 365, 64 * 365))
        citizen = Citizen(
            first_name=first,
            last_name=last,
            first_name_lower=first.lower(),
            phone=f"2{rng.randint(0, 9999999):07d}",
            birth_date=born,
        )
        db.session.add(citizen)
        citizens.append(citizen)
    db.session.flush()
    return citizens


def load_demo_contacts(rng: random.Random, citizens: list, months: int = 15, per_week: float = 23.5) -> int:
    """About 15 months of contacts (≈1,400) with the report's mix, plus a few from today."""
    from webapp.welcome.models import Contact, HostDuty

    if db.session.scalar(select(func.count()).select_from(Contact)):
        return 0
    users = [auth_services.find_user(u) for u in ("vaert", "medarbejder", "peer", "skp", "leder")]
    today = today_local()
    first_day = today - timedelta(days=int(months * 30.4))
    rows = []
    day = first_day
    while day <= today:
        if day.weekday() < 5:
            n = rng.randint(max(0, int(per_week / 5) - 3), int(per_week / 5) + 3)
            if day == today:
                n = 6
            for _ in range(n):
                rows.append(_demo_contact(rng, day, users, citizens, today))
        day += timedelta(days=1)
    db.session.add_all(rows)
    for user in users[:2]:
        if not db.session.scalar(select(HostDuty).where(HostDuty.duty_date == today, HostDuty.user_id == user.id)):
            db.session.add(HostDuty(duty_date=today, user_id=user.id))
    db.session.flush()
    return len(rows)


def _demo_contact(rng, day, users, citizens, today):
    from webapp.welcome.models import Contact

    kind = rng.choices(["visit", "phone", "ad_hoc"], weights=[42, 43, 15])[0]
    from_type = "borger" if kind == "ad_hoc" else _pick(rng, FROM_WEIGHTS)
    now_local = datetime.now(LOCAL_TZ)
    latest = now_local.hour * 60 + now_local.minute - 5 if day == today else 15 * 60 + 30
    minute = rng.randint(9 * 60, max(9 * 60, latest))
    at = as_utc(datetime.combine(day, time(minute // 60, minute % 60), tzinfo=LOCAL_TZ))
    contact = Contact(
        occurred_at=at,
        created_at=at,
        local_date=day,
        kind=kind,
        channel="telefon" if kind == "phone" else "fremmoede",
        from_type=from_type,
        partner=_pick(rng, PARTNER_WEIGHTS) if from_type == "samarbejdspartner" else None,
        is_ad_hoc=kind == "ad_hoc",
        topics=_demo_topics(rng) if kind == "ad_hoc" else "",
        outcome="ad_hoc_givet" if kind == "ad_hoc" else rng.choice([None, "information", "information"]),
        duration_minutes=rng.choice([5, 10, 15, 15, 20, 30, 45]) if kind != "phone" else rng.choice([5, 5, 10, 15]),
        logged_by_id=rng.choice(users).id,
        citizen_id=rng.choice(citizens).id if from_type == "borger" and rng.random() < 0.35 else None,
    )
    return contact


def _demo_topics(rng) -> str:
    return ",".join(sorted({_pick(rng, TOPIC_WEIGHTS) for _ in range(rng.randint(1, 2))}))


def feature_demos() -> tuple:
    """The features' demo data, loaded in this order after the core data. Each module has
    `load(rng) -> dict` (a summary); it must be idempotent and only flush."""
    from . import (
        citizens,
        documentation,
        groups,
        handover,
        kickoff,
        meeting,
        messages,
        outcomes,
        plans,
        privacy,
        volunteers,
    )

    return (citizens, plans, outcomes, groups, handover, meeting, documentation, volunteers, kickoff, messages,
            privacy)


def load_demo_data() -> dict:
    rng = random.Random(2016)  # noqa: S311 - repeatable fictitious data, not security
    users = load_demo_users()
    db.session.flush()
    citizens = load_demo_citizens(rng)
    contacts = load_demo_contacts(rng, citizens)
    summary = {"users created": users, "citizens": len(citizens), "contacts created": contacts}
    for module in feature_demos():
        summary.update(module.load(rng))
        db.session.flush()
    return summary
