"""Password hashing (argon2id) and the password policy (NIST SP 800-63B style)."""

import gzip
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's argon2id minimum: 19 MiB memory, 2 iterations, 1 lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

MIN_LENGTH = 8
MAX_LENGTH = 256
# A hash to verify against when the username is unknown, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("not-a-real-password-just-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@cache
def _common_passwords() -> frozenset[str]:
    # Django's list of 20,000 common passwords (BSD licence), bundled as it ships.
    data = resources.files("webapp.auth").joinpath("common-passwords.txt.gz").read_bytes()
    words = gzip.decompress(data).decode().split()
    danish = {"dinindgang", "fredericia", "kodeord1", "adgangskode", "sommer2026", "vinter2026"}
    return frozenset(w.strip().lower() for w in words) | danish


def password_problem(password: str) -> str | None:
    """A Danish explanation of why the password is refused, or None when it is fine.

    Spaces count inside a passphrase, but not around it: eight spaces are no password."""
    core = password.strip()
    if not core:
        return "Adgangskoden må ikke være tom eller kun mellemrum."
    if len(core) < MIN_LENGTH:
        return f"Adgangskoden skal være mindst {MIN_LENGTH} tegn."
    if len(password) > MAX_LENGTH:
        return f"Adgangskoden må højst være {MAX_LENGTH} tegn."
    if core.lower() in _common_passwords():
        return "Adgangskoden er for almindelig og let at gætte. Vælg en anden."
    return None
