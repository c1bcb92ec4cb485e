"""`safe_next`: the one check on a "go back to" address (login, lock, forms that return to a page)."""

from urllib.parse import quote

import pytest

from webapp.urls import safe_next

from ..factories import PASSWORD, make_user


@pytest.mark.parametrize(
    "value",
    [
        "//evil.example",
        "//evil.example/x",
        "https://evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r/evil.example",
        "/borgere\x00/1",
        "/borgere/\x7f",
        "evil.example",
        "borgere/1",
        "",
        None,
        42,
        ["/borgere/1"],
        "/" + "a" * 3000,
    ],
)
def test_refuses_anything_that_could_leave_the_site(value):
    assert safe_next(value) is None


@pytest.mark.parametrize("value", ["/", "/borgere/1", "/borgere/1?x=y", "/fredagsmoede?dato=2026-03-06#punkt-2"])
def test_keeps_a_local_path(value):
    assert safe_next(value) == value


@pytest.mark.parametrize("target", ["/\\evil.example/x", "/\t/evil.example", "https://evil.example"])
def test_login_does_not_follow_a_next_to_another_site(visitor, target):
    make_user("vera")
    visitor.get("/login")
    response = visitor.post(f"/login?next={quote(target, safe='')}", {"username": "vera", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_follows_a_local_next_with_its_query(visitor):
    make_user("vera", roles=("staff",))
    visitor.get("/login")
    response = visitor.post(f"/login?next={quote('/borgere?q=ab', safe='')}", {"username": "vera", "password": PASSWORD})
    assert response.headers["Location"] == "/borgere?q=ab"
