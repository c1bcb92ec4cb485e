"""Factories that build real rows (committed, so requests in other sessions see them)."""

from functools import cache

from webapp.auth.models import User
from webapp.auth.passwords import hash_password
from webapp.extensions import db

PASSWORD = "rolig-kaffe-ved-havnen"


@cache
def _password_hash(password: str) -> str:
    return hash_password(password)


def make_user(
    username="ulla",
    roles=("staff",),
    full_name=None,
    initials=None,
    password=PASSWORD,
    active=True,
    has_authority_experience=False,
) -> User:
    user = User(
        username=username,
        full_name=full_name or f"{username.capitalize()} Testesen",
        initials=initials or username[:2].upper(),
        password_hash=_password_hash(password),
        active=active,
        has_authority_experience=has_authority_experience,
    )
    user.roles = roles
    db.session.add(user)
    db.session.commit()
    return user


def make_citizen(first_name="Anna", last_name="Andersen", phone=None, birth_date=None):
    from webapp.citizens.models import Citizen

    citizen = Citizen(
        first_name=first_name,
        last_name=last_name,
        first_name_lower=first_name.lower(),
        phone=phone,
        birth_date=birth_date,
    )
    db.session.add(citizen)
    db.session.commit()
    return citizen


def make_contact(user=None, when=None, kind="visit", **fields):
    from webapp.timeutil import local, utcnow
    from webapp.welcome.models import Contact
    from webapp.welcome.vocab import KIND_CHANNEL

    when = when or utcnow()
    contact = Contact(
        occurred_at=when,
        created_at=when,
        local_date=local(when).date(),
        kind=kind,
        channel=fields.pop("channel", KIND_CHANNEL[kind]),
        from_type=fields.pop("from_type", "borger"),
        logged_by_id=user.id if user else None,
        is_ad_hoc=kind == "ad_hoc",
        **fields,
    )
    db.session.add(contact)
    db.session.commit()
    return contact


def refresh() -> None:
    """See what requests committed: end the test's snapshot and forget loaded objects (a rollback
    alone does nothing when no transaction is open, and objects outlive commits here)."""
    db.session.rollback()
    db.session.expire_all()
