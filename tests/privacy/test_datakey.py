"""The data key and AES-GCM values at rest (webapp/datakey.py), #13 item 5: the building blocks.
Real cryptography, a real database column through SQLAlchemy."""

import base64
import secrets

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text

from webapp import datakey
from webapp.config import ConfigError, check, defaults

CPR = b"citizen.cpr"


def _config(env="testing", **overrides):
    return defaults(env, "/nonexistent") | {"SECRET_KEY": "s" * 40} | overrides


def test_round_trip_and_a_fresh_nonce_per_write():
    key = secrets.token_bytes(32)
    one, two = datakey.encrypt("0101901234", key, CPR), datakey.encrypt("0101901234", key, CPR)
    assert one != two
    assert "0101901234" not in one
    assert one.startswith(f"v1.{datakey.key_id(key)}.")
    assert datakey.decrypt(one, {datakey.key_id(key): key}, CPR) == "0101901234"
    assert len(one) <= datakey.stored_length(10)


def test_changed_data_another_column_and_a_wrong_key_are_refused():
    key = secrets.token_bytes(32)
    keys = {datakey.key_id(key): key}
    token = datakey.encrypt("0101901234", key, CPR)
    version, kid, body = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[-1] ^= 1
    tampered = f"{version}.{kid}.{base64.urlsafe_b64encode(bytes(raw)).decode().rstrip('=')}"
    with pytest.raises(datakey.DecryptionError, match="does not decrypt"):
        datakey.decrypt(tampered, keys, CPR)
    with pytest.raises(datakey.DecryptionError):
        datakey.decrypt(token, keys, b"user.totp_secret")
    other = secrets.token_bytes(32)
    with pytest.raises(datakey.DecryptionError, match="key id"):
        datakey.decrypt(token, {datakey.key_id(other): other}, CPR)
    # the right id but the wrong bytes: refused, never garbage
    with pytest.raises(datakey.DecryptionError, match="does not decrypt"):
        datakey.decrypt(token, {kid: other}, CPR)
    for junk in ("0101901234", "v1.abc", f"v1.{kid}.!!!", f"v1.{kid}.AAAA"):
        with pytest.raises(datakey.DecryptionError):
            datakey.decrypt(junk, keys, CPR)


def test_keys_are_read_from_hex_or_base64_and_a_wrong_length_is_a_config_error():
    raw = secrets.token_bytes(32)
    assert datakey.parse_key(raw.hex()) == raw
    assert datakey.parse_key(base64.urlsafe_b64encode(raw).decode()) == raw
    assert datakey.parse_key(base64.urlsafe_b64encode(raw).decode().rstrip("=")) == raw
    for bad in ("ab" * 31, "ab" * 33, "not a key", "", base64.urlsafe_b64encode(raw[:16]).decode()):
        with pytest.raises(ConfigError, match="DININDGANG_DATA_KEY"):
            datakey.parse_key(bad)
    with pytest.raises(ConfigError, match=r"DININDGANG_DATA_KEY .*token_hex"):
        check(_config(DATA_KEY="ab" * 16))
    with pytest.raises(ConfigError, match="DININDGANG_DATA_KEY_OLD"):
        check(_config(DATA_KEY="ab" * 32, DATA_KEY_OLD="xyz"))
    with pytest.raises(ConfigError, match="DATA_KEY_OLD is set but"):
        check(_config(DATA_KEY_OLD="ab" * 32))


def test_production_requires_a_data_key_and_development_derives_one():
    with pytest.raises(ConfigError, match="set DININDGANG_DATA_KEY"):
        check(_config("production"))
    check(_config("production", DATA_KEY="ab" * 32))
    derived = datakey.current_key(_config())
    assert len(derived) == 32 and derived == datakey.current_key(_config())
    assert derived != datakey.current_key(_config(SECRET_KEY="t" * 40))
    assert datakey.current_key(_config(DATA_KEY="ab" * 32)) == bytes.fromhex("ab" * 32)


def test_reading_accepts_the_old_key_during_a_rotation():
    old, new = secrets.token_bytes(32), secrets.token_bytes(32)
    token = datakey.encrypt("0101901234", old, CPR)
    keys = datakey.reading_keys(_config(DATA_KEY=new.hex(), DATA_KEY_OLD=old.hex()))
    assert set(keys) == {datakey.key_id(old), datakey.key_id(new)}
    assert datakey.decrypt(token, keys, CPR) == "0101901234"


def test_keyed_hash_is_deterministic_per_key_and_context():
    key = secrets.token_bytes(32)
    first = datakey.keyed_hash("0101901234", key, b"citizen.cpr")
    assert first == datakey.keyed_hash("0101901234", key, b"citizen.cpr")
    assert first != datakey.keyed_hash("0101901234", key, b"other")
    assert first != datakey.keyed_hash("0101901234", secrets.token_bytes(32), b"citizen.cpr")
    assert len(first) == 64


def test_the_column_type_writes_ciphertext_and_reads_clear_text(app):
    from webapp.extensions import db

    table = Table("datakey_probe", MetaData(), Column("id", Integer, primary_key=True),
                  Column("secret", datakey.EncryptedString(10, CPR), nullable=True))
    with app.app_context():
        table.create(db.engine)
        try:
            with db.engine.begin() as conn:
                conn.execute(insert(table), [{"id": 1, "secret": "0101901234"}, {"id": 2, "secret": None}])
                stored = dict(conn.execute(text("SELECT id, secret FROM datakey_probe")).all())
                assert stored[1].startswith("v1.") and "0101901234" not in stored[1]
                assert stored[2] is None
                assert dict(conn.execute(select(table.c.id, table.c.secret)).all()) == {1: "0101901234", 2: None}
        finally:
            table.drop(db.engine)
