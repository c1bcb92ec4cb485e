"""Danish CPR numbers (personnummer): parsing, validation, masking and an exact-match search key.

Rules follow the CPR office (CPR-kontoret):
- ten digits DDMMYY-SSSS; the first six are the birth date, the seventh digit together with YY
  gives the century (see `_century`);
- no modulus-11 check: since 2007 numbers that fail it are issued, so such numbers are valid.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import date

from ..timeutil import today_local

# Six digits, an optional separator (hyphen, a typographic dash pasted from a letter, or a space),
# four digits. ASCII digits only: str.isdigit() would also accept e.g. Arabic-Indic digits.
_CPR_RE = re.compile(r"([0-9]{6})[-‐–\s]?([0-9]{4})")

MSG_FORMAT = "CPR-nummeret skal have 10 cifre, fx 010190-1234."
MSG_DATE = "CPR-nummeret indeholder ikke en gyldig dato."
MSG_FUTURE = "CPR-nummerets fødselsdato ligger i fremtiden."


class CprError(ValueError):
    """The text is not a valid CPR number; str(error) is a Danish message for the user."""


@dataclass(frozen=True)
class Cpr:
    """A valid CPR number. Build it with `parse_cpr`. Its repr is masked so that a CPR number
    never ends up in a log line or a traceback by accident."""

    digits: str = field(repr=False)
    birth_date: date = field(repr=False)

    def __repr__(self) -> str:
        return f"Cpr({self.masked!r})"

    def __str__(self) -> str:
        return self.masked

    @property
    def formatted(self) -> str:
        return f"{self.digits[:6]}-{self.digits[6:]}"

    @property
    def masked(self) -> str:
        return f"{self.digits[:6]}-xxxx"

    @property
    def sex_digit_is_even(self) -> bool:
        """The last digit is even for people registered as women. Shown nowhere by default; kept
        for statistics that ask for it."""
        return int(self.digits[9]) % 2 == 0


def _digits(text: str) -> str | None:
    """The ten digits of a well-formed CPR text, or None. No date check."""
    if not isinstance(text, str):
        return None
    found = _CPR_RE.fullmatch(text.strip())
    return found.group(1) + found.group(2) if found else None


def _century(seventh: int, yy: int) -> int:
    """The CPR office's table: the seventh digit together with the two-digit year."""
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if yy <= 36 else 1900
    # 5-8
    return 2000 if yy <= 57 else 1800


def birth_date_of(digits: str) -> date:
    """The birth date encoded in ten CPR digits; raises CprError if it is not a real date."""
    day, month, yy, seventh = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    try:
        return date(_century(seventh, yy) + yy, month, day)
    except ValueError:
        raise CprError(MSG_DATE) from None


def parse_cpr(text: str, today: date | None = None) -> Cpr:
    """Accepts "DDMMYY-SSSS", "DDMMYYSSSS" or "DDMMYY SSSS", with surrounding spaces.

    Raises CprError with a Danish message for a wrong format, an impossible date or a birth date
    after `today` (Copenhagen's today when left out).
    """
    digits = _digits(text)
    if digits is None:
        raise CprError(MSG_FORMAT)
    birth_date = birth_date_of(digits)
    if birth_date > (today or today_local()):
        raise CprError(MSG_FUTURE)
    return Cpr(digits=digits, birth_date=birth_date)


def looks_like_cpr(text: str) -> bool:
    """Whether a search term has the shape of a whole CPR number (then search by CPR, and let
    `parse_cpr` explain what is wrong with it); names and partial numbers are not."""
    return _digits(text) is not None


_CPR_PART_RE = re.compile(r"[0-9]{6}[-‐–\s]?[0-9]{4}")


def contains_cpr(text: str) -> bool:
    """Whether the text holds something shaped like a CPR number anywhere (whole or in part of a
    longer query): such text must never go into a URL."""
    return isinstance(text, str) and _CPR_PART_RE.search(text) is not None


def mask_cpr(digits_or_none: str | None) -> str:
    """ "DDMMYY-xxxx" for display; "" for None or ""; something unreadable ("xxxxxx-xxxx") for a
    malformed value so that a bad row never shows more than a good one."""
    if not digits_or_none:
        return ""
    digits = _digits(digits_or_none)
    return f"{digits[:6]}-xxxx" if digits else "xxxxxx-xxxx"


# Exact search without a second clear copy: the CPR column itself cannot be indexed for equality
# if it is stored encrypted (or may be left out of indexes and dumps), and a plain SHA-256 of a CPR
# number is no protection — there are only a few hundred million possible numbers, so a table dump
# would be reversed in minutes. A keyed HMAC is deterministic (indexable, exact match) but useless
# without the app's key. Changing SECRET_KEY changes every search key: re-index after rotating it.
SEARCH_KEY_CONTEXT = b"dinindgang/cpr-search-key/v1"


def derive_search_key(secret_key: str | bytes) -> bytes:
    """A key for `cpr_search_key` derived from the app's SECRET_KEY, so that the secret itself is
    used for one purpose only (sessions/CSRF) and the CPR key can be told apart by its context."""
    secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return hmac.new(secret, SEARCH_KEY_CONTEXT, hashlib.sha256).digest()


def cpr_search_key(digits: str | Cpr, key: bytes) -> str:
    """Hex HMAC-SHA256 of the ten digits (any accepted spelling gives the same key)."""
    if isinstance(digits, Cpr):
        normalized = digits.digits
    else:
        normalized = _digits(digits)
        if normalized is None:
            raise CprError(MSG_FORMAT)
    if not key:
        raise ValueError("cpr_search_key needs a non-empty key")
    return hmac.new(key, normalized.encode("ascii"), hashlib.sha256).hexdigest()
