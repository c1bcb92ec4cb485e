"""The data key: encryption at rest for single secret values (CPR numbers, TOTP secrets).

`DININDGANG_DATA_KEY` is 32 random bytes, written as 64 hex characters or urlsafe base64
(make one with `python -c "import secrets; print(secrets.token_hex(32))"`). It is required in
production; in development and testing it is derived from SECRET_KEY with HKDF and a fixed
context, so `make run` and the tests need nothing. During a rotation the previous key is in
`DININDGANG_DATA_KEY_OLD`: reading accepts either key, chosen by the key id stored with every value.

A value is stored as text `v1.<keyid>.<urlsafe-b64(nonce || ciphertext+tag)>`: AES-256-GCM with
a random 96-bit nonce per write and associated data naming the column (b"citizen.cpr"), so a
value copied into another column does not decrypt. The key id is the first 8 hex digits of
SHA-256 over the key: it tells keys apart, it does not reveal them.

Exact lookups (search, unique constraints) cannot use the ciphertext, which differs per write:
`keyed_hash` gives a deterministic HMAC-SHA256 under a key derived from the data key with its own
context per use.
"""

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

from .config import ConfigError

KEY_BYTES = 32
NONCE_BYTES = 12
VERSION = "v1"
DEV_KEY_CONTEXT = b"dinindgang/data-key/from-secret-key/v1"
HOW_TO_MAKE = 'make one with: python -c "import secrets; print(secrets.token_hex(32))"'


class DecryptionError(RuntimeError):
    """A stored value cannot be decrypted: unknown key id, wrong key, or changed bytes. Never
    carries the value itself."""


def parse_key(text, name: str = "DATA_KEY") -> bytes:
    """32 bytes from 64 hex characters or urlsafe base64 (padded or not); ConfigError otherwise,
    naming the setting."""
    value = str(text).strip()  # str(): a key from instance/config.py may be anything
    raw = None
    if len(value) == 2 * KEY_BYTES:
        try:
            raw = bytes.fromhex(value)
        except ValueError:
            raw = None
    if raw is None:
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        except (binascii.Error, ValueError):
            raw = None
    if raw is None or len(raw) != KEY_BYTES:
        raise ConfigError(
            f"DININDGANG_{name} must be {KEY_BYTES} random bytes written as {2 * KEY_BYTES} hex "
            f"characters or urlsafe base64; {HOW_TO_MAKE}"
        )
    return raw


def derive_from_secret(secret_key: str | bytes) -> bytes:
    """Development and testing only: a data key from SECRET_KEY."""
    secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=DEV_KEY_CONTEXT).derive(secret)


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def check(config) -> None:
    """Called from config.check: refuse to start without a usable data key in production, or with
    a malformed key anywhere."""
    if config.get("DATA_KEY") in (None, ""):
        if config.get("APP_ENV") == "production":
            raise ConfigError(
                "Refusing to start: set DININDGANG_DATA_KEY (the key that encrypts data at rest; "
                f"keep it outside the database backup); {HOW_TO_MAKE}"
            )
    else:
        parse_key(config["DATA_KEY"], "DATA_KEY")
    if config.get("DATA_KEY_OLD") not in (None, ""):
        if config.get("DATA_KEY") in (None, ""):
            raise ConfigError("DININDGANG_DATA_KEY_OLD is set but DININDGANG_DATA_KEY is not")
        parse_key(config["DATA_KEY_OLD"], "DATA_KEY_OLD")


def current_key(config) -> bytes:
    """The key new values are written with."""
    if config.get("DATA_KEY") not in (None, ""):
        return parse_key(config["DATA_KEY"], "DATA_KEY")
    if config.get("APP_ENV") in ("development", "testing") and config.get("SECRET_KEY"):
        return derive_from_secret(config["SECRET_KEY"])
    raise ConfigError(f"DININDGANG_DATA_KEY is not set; {HOW_TO_MAKE}")


def reading_keys(config) -> dict[str, bytes]:
    """Every key a stored value may be under, by key id: the current one and, during a rotation,
    the old one."""
    keys = [current_key(config)]
    if config.get("DATA_KEY_OLD") not in (None, ""):
        keys.append(parse_key(config["DATA_KEY_OLD"], "DATA_KEY_OLD"))
    return {key_id(key): key for key in keys}


def encrypt(plain: str, key: bytes, context: bytes) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plain.encode("utf-8"), context)
    body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")
    return f"{VERSION}.{key_id(key)}.{body}"


def stored_key_id(token: str) -> str | None:
    """The key id of a stored value, or None for something that is not one (e.g. clear text)."""
    parts = token.split(".") if isinstance(token, str) else []
    return parts[1] if len(parts) == 3 and parts[0] == VERSION else None


def decrypt(token: str, keys: dict[str, bytes], context: bytes) -> str:
    kid = stored_key_id(token)
    if kid is None:
        raise DecryptionError(f"not an encrypted value for {context.decode()} (expected {VERSION}.<keyid>.<data>)")
    key = keys.get(kid)
    if key is None:
        raise DecryptionError(
            f"{context.decode()} is encrypted under key id {kid}, which is neither DININDGANG_DATA_KEY "
            f"({', '.join(keys) or 'none'}) nor DININDGANG_DATA_KEY_OLD"
        )
    body = token.split(".")[2]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise DecryptionError(f"{context.decode()}: the stored value is damaged") from None
    if len(raw) < NONCE_BYTES + 16:
        raise DecryptionError(f"{context.decode()}: the stored value is damaged")
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context).decode("utf-8")
    except InvalidTag:
        raise DecryptionError(
            f"{context.decode()}: the stored value does not decrypt with key {kid} (changed data or wrong key)"
        ) from None


def derive_hash_key(data_key: bytes, context: bytes) -> bytes:
    """A key for `keyed_hash`, one per use (context), from the data key."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"dinindgang/keyed-hash/" + context).derive(data_key)


def keyed_hash(value: str, data_key: bytes, context: bytes) -> str:
    """Hex HMAC-SHA256 of the value: deterministic, so it can be indexed and compared, but useless
    without the data key."""
    return hmac.new(derive_hash_key(data_key, context), value.encode("utf-8"), hashlib.sha256).hexdigest()


def stored_length(plain_chars: int) -> int:
    """The column width a value of up to `plain_chars` ASCII characters needs when encrypted."""
    raw = NONCE_BYTES + plain_chars + 16
    return len(VERSION) + 1 + 8 + 1 + (4 * raw + 2) // 3


class EncryptedString(TypeDecorator):
    """A text column that Python reads and writes in clear while the database holds
    `v1.<keyid>.<data>`. The keys come from the current Flask app's config.

    `EncryptedString(10, b"citizen.cpr")`: the clear length (for the column width) and the
    associated data naming the column. None stays None (NULL). Never compare such a column in SQL
    (`column == value` encrypts the value with a fresh nonce and matches nothing): look up through a
    separate `keyed_hash` column instead."""

    impl = String
    cache_ok = True

    def __init__(self, plain_length: int, context: bytes, **kwargs):
        self.plain_length = plain_length
        self.context = context
        super().__init__(stored_length(plain_length), **kwargs)

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        from flask import current_app

        return encrypt(str(value), current_key(current_app.config), self.context)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        from flask import current_app

        return decrypt(value, reading_keys(current_app.config), self.context)
