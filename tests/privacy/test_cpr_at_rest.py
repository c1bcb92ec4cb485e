"""CPR numbers at rest (#13 item 5): the database holds only ciphertext and a keyed hash, so neither
the SQLite file nor a pg_dump of the demo data contains any demo citizen's CPR number; search and
the duplicate check still find the citizen through the keyed hash."""

import glob
import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, text

from webapp.citizens.models import Citizen, cpr_key_of
from webapp.extensions import db

pytestmark = pytest.mark.demo_data


def _numbers() -> list[bytes]:
    digits = [c.cpr for c in db.session.scalars(select(Citizen).where(Citizen.cpr_key.is_not(None)))]
    assert len(digits) >= 20, "the demo data has citizens with CPR numbers"
    return [v.encode() for d in digits for v in (d, f"{d[:6]}-{d[6:]}")]


def test_the_database_holds_no_clear_cpr_number(app, demo):
    numbers = _numbers()
    raw = db.session.scalars(text("SELECT cpr FROM citizen WHERE cpr IS NOT NULL")).all()
    assert raw and all(value.startswith("v1.") for value in raw)
    if db.engine.dialect.name == "sqlite":
        db.session.commit()
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        path = db.engine.url.database
        dump = b"".join(Path(p).read_bytes() for p in [path, path + "-wal"] if os.path.exists(p))
    else:
        pg_dump = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))[-1]
        url = urlsplit(str(db.engine.url.render_as_string(hide_password=False)).replace("+psycopg", ""))
        dump = subprocess.run([pg_dump, "--data-only", "-h", url.hostname, "-p", str(url.port), "-U", url.username,
                               url.path.lstrip("/")], capture_output=True, check=True).stdout
    assert len(dump) > 10_000
    leaked = [n for n in numbers if n in dump]
    assert leaked == []


def test_search_and_uniqueness_go_through_the_keyed_hash(app, demo):
    citizen = db.session.scalars(select(Citizen).where(Citizen.cpr_key.is_not(None)).limit(1)).one()
    assert citizen.cpr_key == cpr_key_of(citizen.cpr) and citizen.cpr not in citizen.cpr_key
    assert db.session.scalars(select(Citizen.id).where(Citizen.cpr_is(citizen.cpr))).all() == [citizen.id]
