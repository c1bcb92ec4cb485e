"""`flask --app wsgi rotate-data-key` (#13 item 5): every CPR number and second-factor secret is
re-encrypted under the new key in one transaction, search still finds the citizen, and a missing
or wrong old key changes nothing and exits non-zero."""

import pytest
from sqlalchemy import select, text

from webapp.citizens.models import Citizen
from webapp.datakey import derive_from_secret, key_id
from webapp.extensions import db

from ..factories import make_citizen, refresh

NEW = "ab" * 32
WRONG = "cd" * 32


@pytest.fixture
def keys(app):
    saved = {k: app.config.get(k) for k in ("DATA_KEY", "DATA_KEY_OLD")}
    yield app.config
    app.config.update(saved)


def _citizen_with_cpr():
    citizen = make_citizen()
    citizen.cpr = "0101801234"
    db.session.commit()
    return citizen.id


def _stored() -> str:
    return db.session.scalar(text("SELECT cpr FROM citizen"))


def test_rotation_re_encrypts_and_search_still_finds(app, runner, keys):
    citizen_id = _citizen_with_cpr()
    old = derive_from_secret(app.config["SECRET_KEY"])
    assert _stored().split(".")[1] == key_id(old)
    keys.update(DATA_KEY=NEW, DATA_KEY_OLD=old.hex())
    result = runner.invoke(args=["rotate-data-key"])
    assert result.exit_code == 0, result.output
    assert "citizen.cpr: 1 re-encrypted" in result.output
    refresh()
    assert _stored().split(".")[1] == key_id(bytes.fromhex(NEW))
    keys.update(DATA_KEY_OLD=None)  # the old key is gone: everything opens with the new one
    refresh()
    assert db.session.scalars(select(Citizen.id).where(Citizen.cpr_is("0101801234"))).all() == [citizen_id]
    assert db.session.get(Citizen, citizen_id).cpr == "0101801234"


@pytest.mark.parametrize("old", [None, WRONG])
def test_a_missing_or_wrong_old_key_changes_nothing(app, runner, keys, old):
    _citizen_with_cpr()
    before = _stored()
    keys.update(DATA_KEY=NEW, DATA_KEY_OLD=old)
    result = runner.invoke(args=["rotate-data-key"])
    assert result.exit_code != 0
    assert "DININDGANG_DATA_KEY_OLD" in result.output or "Nothing was changed" in result.output
    refresh()
    assert _stored() == before
