"""The second factor's rules: TOTP codes (RFC 6238) and one-time recovery codes. Pure functions.

- A code is 6 digits for a 30-second time step, computed from the user's secret (pyotp). The step
  before and after the current one are accepted too (a phone's clock a little off, a code typed
  just as it changed), and each step at most once per user: the caller keeps the last step it
  accepted and passes it back, so a code seen over a shoulder cannot be used again.
- Recovery codes are 16 characters from a 31-symbol alphabet without look-alikes (about 79 bits
  of chance each). They are stored as SHA-256 hashes, not argon2: a guess at a code this random is
  hopeless even against a fast hash, and a plain hash lets the database find the code by its
  hash in one indexed look-up (argon2 would mean verifying every stored hash, with a random salt
  each, on every try) and mark it used with one conditional UPDATE.
"""

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno

ISSUER = "Din Indgang"
INTERVAL = 30
DIGITS = 6
# Steps either side of the current one that are still accepted.
TOLERANCE = 1
RECOVERY_CODE_COUNT = 10
# No look-alikes (i, l, o, 0, 1): 31 symbols, 16 of them make about 79 bits.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 16


def new_secret() -> str:
    """A random base32 secret of 160 bits (RFC 4226's recommendation)."""
    return pyotp.random_base32(length=32)


def grouped(secret: str) -> str:
    """The secret in groups of four for typing into an app by hand: 'ABCD EFGH …'."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(
        name=username, issuer_name=ISSUER
    )


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (paths with fill/stroke attributes, no style=,
    no script: valid under the strict CSP)."""
    qr = segno.make(uri, error="m")
    return qr.svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="qr", lineclass=None,
        title="QR-kode til godkendelsesappen",
    )


def step_at(moment: datetime) -> int:
    return int(moment.timestamp()) // INTERVAL


def normalise_code(text: str) -> str:
    """What the user typed, without spaces and dashes (apps show '123 456')."""
    return "".join(ch for ch in (text or "") if not ch.isspace() and ch != "-").lower()


def looks_like_totp(text: str) -> bool:
    code = normalise_code(text)
    return len(code) == DIGITS and code.isascii() and code.isdigit()


def matching_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step the code belongs to, if it is right for a step within the tolerance that is
    later than the last step accepted; None otherwise (wrong, too old, or already used)."""
    code = normalise_code(code)
    if not looks_like_totp(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)
    current = step_at(now)
    found = None
    for step in range(current - TOLERANCE, current + TOLERANCE + 1):
        # Compare every candidate (constant work whichever matches).
        if hmac.compare_digest(totp.generate_otp(step), code) and found is None:
            found = step
    if found is None or (last_step is not None and found <= last_step):
        return None
    return found


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Fresh codes, shown once as 'abcd-efgh-jkmn-pqrs'."""
    codes = set()
    while len(codes) < count:
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.add("-".join(raw[i:i + 4] for i in range(0, RECOVERY_LENGTH, 4)))
    return sorted(codes)


def looks_like_recovery_code(text: str) -> bool:
    code = normalise_code(text)
    return len(code) == RECOVERY_LENGTH and all(ch in RECOVERY_ALPHABET for ch in code)


def recovery_hash(text: str) -> str:
    """The stored form of a recovery code, however it was typed (case, spaces, dashes)."""
    return hashlib.sha256(normalise_code(text).encode()).hexdigest()
