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
