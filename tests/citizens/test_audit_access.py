"""»Hvem har set …«: search hits name each citizen found, and the citizen's access page says in
Danish when, what kind of access, who, in which role, why, and to whom data was given."""

import re

import pytest
from sqlalchemy import select

from webapp import audit
from webapp.audit import AuditEvent
from webapp.extensions import db

from ..factories import make_citizen, make_user, refresh
from .factories import make_citizen_with_cpr


@pytest.fixture
def staff(login):
    return login("staff", username="mads", full_name="Mads Madsen")


def rows(action: str) -> list[AuditEvent]:
    refresh()
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def cells(html: str) -> list[list[str]]:
    """The access table's body rows as lists of cell texts."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_a_search_writes_one_row_per_citizen_found(staff):
    found = [make_citizen("Nancy", "Berg"), make_citizen("Nanna", "Bo"), make_citizen("Nanni", "Bak")]
    make_citizen("Olga", "Olsen")
    assert staff.get("/borgere?q=Nan").status_code == 200
    events = rows("citizen_search")
    assert sorted(e.citizen_id for e in events) == sorted(c.id for c in found)
    assert {(e.details, e.roles, e.username) for e in events} == {("søgning Nan", "staff", "mads")}


def test_a_search_without_hits_still_leaves_one_row(staff):
    staff.get("/borgere?q=Zelda")
    (event,) = rows("citizen_search")
    assert event.citizen_id is None and event.details == "søgning Zelda"


def test_the_cpr_search_names_the_citizen_found_and_keeps_the_number_masked(staff):
    nancy = make_citizen_with_cpr()
    staff.get("/borgere")
    assert staff.post("/borgere/cpr-soeg", {"cpr": "251248-9996"}).status_code == 200
    (event,) = rows("citizen_search")
    assert (event.citizen_id, event.details) == (nancy.id, "cpr 251248-xxxx")


def test_the_access_page_says_when_what_who_role_and_why_in_danish(staff, login):
    nancy = make_citizen_with_cpr()
    peer = login("peer", username="pia", full_name="Pia Peersen")
    peer.get("/borgere?q=Nancy")
    staff.get(f"/borgere/{nancy.id}")
    html = staff.get(f"/borgere/{nancy.id}/adgang").get_data(as_text=True)
    assert "<th scope=\"col\">Formål</th>" in html and "<th scope=\"col\">Rolle</th>" in html
    table = cells(html)
    assert table[0][1:] == ["Opslag", "Så borgersiden", "Mads Madsen (mads)", "Medarbejder", "Borgerens forløb", "–"]
    assert table[1][1:] == ["Søgning", "Fandt borgeren i en søgning (søgning Nancy)", "Pia Peersen (pia)",
                            "Peer-medarbejder", "At finde borgeren", "–"]
    assert re.fullmatch(r"\d+\. \w+ \d{4}.*\d{2}[.:]\d{2}", table[0][0])
    assert "_" not in "".join(cell for row in table for cell in row)  # no raw codes
    assert "9996" not in html


def test_the_access_page_shows_no_other_citizens_events(staff, login):
    nancy = make_citizen_with_cpr()
    olga = make_citizen_with_cpr("Olga", "Olsen", "0101801234")
    snoop = login("staff", username="sofus", full_name="Sofus Snus")
    snoop.get(f"/borgere/{olga.id}")
    snoop.get("/borgere?q=Olga")
    html = staff.get(f"/borgere/{nancy.id}/adgang").get_data(as_text=True)
    assert "Sofus" not in html and "sofus" not in html
    assert cells(html) == [["Ingen registreringer."]]


def test_the_access_page_names_the_recipient_of_a_disclosure(staff):
    nancy = make_citizen_with_cpr()
    audit.record("handover_disclosed", "handover", 3, citizen_id=nancy.id, details="til myndighedsafdelingen, samtykke 9",
                 user=make_user("lis", full_name="Lis Lund"))
    db.session.commit()
    (row,) = cells(staff.get(f"/borgere/{nancy.id}/adgang").get_data(as_text=True))
    assert row[1:] == ["Videregivelse", "Sendte overdragelsen til myndighedsafdelingen", "Lis Lund (lis)",
                       "Medarbejder", "Overdragelse til myndighedsafdelingen", "myndighedsafdelingen, samtykke 9"]


def test_the_access_page_is_bounded_with_a_link_to_older_rows(staff):
    nancy = make_citizen_with_cpr()
    viewer = make_user("vibeke")
    for _ in range(audit.ACCESS_PAGE_SIZE + 5):
        audit.record("citizen_viewed", "citizen", nancy.id, user=viewer)
    db.session.commit()
    first = staff.get(f"/borgere/{nancy.id}/adgang").get_data(as_text=True)
    assert len(cells(first)) == audit.ACCESS_PAGE_SIZE
    assert "Vis flere" in first and "side=2" in first
    second = staff.get(f"/borgere/{nancy.id}/adgang?side=2").get_data(as_text=True)
    assert len(cells(second)) == 6  # the five left and the first page's own view, newest first
    assert "Vis flere" not in second and "Vis nyere" in second
    assert staff.get(f"/borgere/{nancy.id}/adgang?side=99999999999999999999").status_code == 200
