"""A CPR number typed into the ordinary search box never ends up in a URL."""

import re

import pytest
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.extensions import db

from ..factories import make_citizen, refresh
from .factories import make_citizen_with_cpr

DIGITS = re.compile(r"2512489996|251248.9996")


@pytest.fixture
def staff(login):
    return login("staff", username="mads")


def urls_in(response) -> list[str]:
    html = response.get_data(as_text=True)
    return [response.headers.get("Location", ""), *re.findall(r'(?:href|action|data-hx-get|data-hx-post)="([^"]*)"', html)]


def test_the_search_box_posts(staff):
    html = staff.get("/borgere").get_data(as_text=True)
    box = re.search(r'<form method="(\w+)" action="([^"]+)"[^>]*role="search"', html)
    assert box.groups() == ("post", "/borgere")


@pytest.mark.parametrize("typed", ["251248-9996", "2512489996", " 251248 9996 "])
def test_a_cpr_number_typed_in_the_box_is_answered_without_a_url(staff, typed):
    nancy = make_citizen_with_cpr("Nancy", "Berggren", "2512489996")
    staff.get("/borgere")
    response = staff.post("/borgere", {"q": typed})
    assert response.status_code == 200  # answered directly: no redirect
    assert "Location" not in response.headers
    assert not any(DIGITS.search(url) for url in urls_in(response))
    html = response.get_data(as_text=True)
    assert f'href="/borgere/{nancy.id}"' in html and "Nancy Berggren" in html
    assert not DIGITS.search(html)  # not echoed into the box either
    refresh()
    details = db.session.scalars(select(AuditEvent.details).where(AuditEvent.action == "citizen_search")).all()
    assert details == ["cpr 251248-xxxx"]


def test_a_name_is_redirected_to_the_ordinary_get_search(staff):
    make_citizen("Bo", "Berg")
    staff.get("/borgere")
    response = staff.post("/borgere", {"q": "Bo Berg"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/borgere?q=Bo+Berg"
    assert "Bo Berg" in staff.get(response.headers["Location"]).get_data(as_text=True)


def test_an_empty_box_goes_back_to_the_register(staff):
    staff.get("/borgere")
    response = staff.post("/borgere", {"q": "  "})
    assert (response.status_code, response.headers["Location"]) == (303, "/borgere")


@pytest.mark.parametrize("typed, message", [("310490-1234", "gyldig dato"),
                                             ("Nancy 251248-9996", "ikke begge dele")])
def test_a_wrong_or_mixed_cpr_gets_a_danish_message_and_stays_out_of_urls(staff, typed, message):
    make_citizen_with_cpr("Nancy", "Berggren", "2512489996")
    staff.get("/borgere")
    response = staff.post("/borgere", {"q": typed})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert "Location" not in response.headers
    assert not any(re.search(r"\d{6}.?\d{4}", url) for url in urls_in(response))


@pytest.mark.parametrize("q", ["2512489996", "251248-9996", "Nancy 251248-9996"])
def test_a_cpr_number_in_the_get_url_is_neither_searched_nor_echoed(staff, q):
    make_citizen_with_cpr("Nancy", "Berggren", "2512489996")
    response = staff.get("/borgere", query_string={"q": q})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Et CPR-nummer søges ikke via adresselinjen" in html
    assert "Nancy Berggren" not in html
    assert not DIGITS.search(html)
    refresh()
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "citizen_search")).all() == []


def test_the_other_citizen_searches_post_what_is_typed(login):
    """The relink search at the welcome table, the group's enrolment search and the outreach
    page's search send what is typed in the body, so a CPR number typed there never reaches a URL."""
    import re
    from pathlib import Path

    pages = [
        ("templates/welcome/_refine.html", "welcome.citizen_search"),
        ("templates/groups/_run.html", "groups.citizen_search"),
        ("templates/outreach/show.html", "outreach.request_search"),
    ]
    root = Path(__file__).resolve().parents[2]
    for template, endpoint in pages:
        text = (root / template).read_text(encoding="utf-8")
        assert re.search(r"data-hx-get=\"\{\{ url_for\('" + re.escape(endpoint), text) is None
        assert endpoint in text
    assert 'method="get"' not in (root / "templates/outreach/show.html").read_text(encoding="utf-8")
