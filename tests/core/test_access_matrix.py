"""The access matrix, generated from `app.url_map` and checked against tests/core/access_matrix.toml.

Every endpoint × method × role (and anonymous) is requested over HTTP with ids that name nothing:
a role the table allows must get past the gate (any answer but 403, a login redirect or a 5xx – a
missing object is a 404 *after* the gate), every other role gets 403, and anonymous visitors are
sent to the login page unless the row says public."""

import tomllib
from pathlib import Path

import pytest
from werkzeug.routing import IntegerConverter

from webapp.auth.roles import ALL_ROLES
from webapp.urls import DbIdConverter

from ..conftest import Visitor

TABLE = tomllib.loads((Path(__file__).parent / "access_matrix.toml").read_text(encoding="utf-8"))["access"]
SPECIAL = {"public", "anyone"}
ABSENT_ID = 2_147_483_000  # a valid id that names nothing
VALUES = {"section": "maal", "kind": "coaching", "scale": "ORS", "code": "ORS", "filename": "css/app.css",
          "date_text": "2026-12-04"}


def _endpoints(app) -> dict[str, object]:
    found = {}
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found[f"{rule.endpoint} {method}"] = rule
    return found


def _url(rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        values[name] = ABSENT_ID if isinstance(converter, IntegerConverter) else VALUES[name]
    _domain, path = rule.build(values, append_unknown=False)
    return path


def _allowed(who: str, role: str | None) -> str:
    if who == "public":
        return "through"
    if role is None:
        return "login"
    if who == "anyone" or role in who.split():
        return "through"
    return "denied"


def _outcome(response) -> str:
    if response.status_code >= 500:
        return f"error {response.status_code}"
    if response.status_code == 403:
        return "denied"
    location = response.headers.get("Location", "") or response.headers.get("HX-Redirect", "")
    if response.status_code in (302, 303) and location.startswith("/login"):
        return "login"
    return "through"


def test_every_endpoint_has_a_row(app):
    endpoints = _endpoints(app)
    missing = sorted(set(endpoints) - set(TABLE))
    stale = sorted(set(TABLE) - set(endpoints))
    assert not missing, "add these rows to tests/core/access_matrix.toml: " + ", ".join(missing)
    assert not stale, "rows for endpoints that no longer exist: " + ", ".join(stale)
    for key, who in TABLE.items():
        assert who in SPECIAL or set(who.split()) <= set(ALL_ROLES), f"unknown role in row {key!r}: {who}"


def test_every_integer_in_a_url_uses_the_one_id_converter(app):
    plain = [rule.rule for rule in app.url_map.iter_rules()
             if any(type(c) is IntegerConverter for c in rule._converters.values())]
    assert plain == [], "use <db_id:…> (webapp/urls.py), not <int:…>"
    assert any(isinstance(c, DbIdConverter) for r in app.url_map.iter_rules() for c in r._converters.values())


CELLS: dict[str, int] = {}


@pytest.mark.parametrize("role", [*ALL_ROLES, None], ids=[*ALL_ROLES, "anonymous"])
def test_access_matrix(app, login, role):
    if role is None:
        visitor = Visitor(app.test_client())
        visitor.get("/login")
    else:
        visitor = login(role)
    endpoints = _endpoints(app)
    # Leaving the session comes last.
    order = sorted(endpoints, key=lambda key: (key.startswith("auth.logout"), key))
    wrong = []
    for key in order:
        if key not in TABLE:
            continue
        _endpoint, method = key.rsplit(" ", 1)
        url = _url(endpoints[key])
        if method == "GET":
            response = visitor.client.get(url)
        else:
            response = visitor.client.open(url, method=method, data={"csrf_token": visitor.token})
        expected, got = _allowed(TABLE[key], role), _outcome(response)
        if key == "auth.logout POST" and role and got == "login":
            got = "through"  # logging out ends on the login page
        response.close()
        if expected != got:
            wrong.append(f"{key} {url}: expected {expected}, got {got} ({response.status_code})")
    CELLS[role or "anonymous"] = len(order)
    assert not wrong, "\n".join(wrong)


def test_matrix_size(capsys):
    with capsys.disabled():
        print(f"\naccess matrix: {sum(CELLS.values())} endpoint × method × role cells", CELLS)
