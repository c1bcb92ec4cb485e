"""Fictitious demo data. Every person here is made up."""

from .auth import roles as r
from .auth import services as auth_services

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


def load_demo_data() -> dict:
    return {"users created": load_demo_users()}
