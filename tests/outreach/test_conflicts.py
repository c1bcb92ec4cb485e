"""Two people change the same outreach request: the later change never silently overwrites the
earlier (who it is assigned to, which citizen it is linked to)."""

from datetime import date
from html import unescape

import pytest
from sqlalchemy import select

from webapp.auth.models import User
from webapp.outreach.models import OutreachRequest

from ..factories import make_citizen
from ..forms_in_pages import form_data
from ..handover.factories import fresh, make_outreach


@pytest.fixture
def two(login):
    return (login("staff", username="mads", full_name="Mads Madsen"),
            login("skp", username="ulla", full_name="Ulla Hansen"))


def user_id(username: str) -> int:
    from webapp.extensions import db

    return db.session.scalar(select(User.id).where(User.username == username))


def test_a_stale_assignment_is_refused_with_both_choices_and_overwrites_nothing(two):
    mads, ulla = two
    request = make_outreach(date(2026, 11, 23))
    show, assign = f"/udekoerende/{request.id}", f"/udekoerende/{request.id}/tildel"
    mads_form = form_data(mads.get(show).get_data(as_text=True), assign)
    ulla_form = form_data(ulla.get(show).get_data(as_text=True), assign)
    assert mads_form["version"] == ulla_form["version"] == "1"

    assert mads.post(assign, mads_form | {"staff_id": str(user_id("mads"))}).status_code == 302
    stale = ulla.post(assign, ulla_form | {"staff_id": str(user_id("ulla"))})
    assert stale.status_code == 409
    html = unescape(stale.get_data(as_text=True))
    assert "Mads har gemt ændringer kl." in html and "mens du skrev" in html
    assert "Mads' valg" in html and '<p class="their-text">Mads Madsen</p>' in html
    row = fresh(OutreachRequest, request.id)
    assert (row.assigned_to_id, row.version) == (user_id("mads"), 2)

    resolve = form_data(stale.get_data(as_text=True), assign)
    assert resolve["staff_id"] == str(user_id("ulla"))  # her choice, kept
    done = ulla.post(assign, resolve | {"konflikt": "staff_id", "valg_staff_id": "mine"})
    assert done.status_code == 302
    row = fresh(OutreachRequest, request.id)
    assert (row.assigned_to_id, row.version) == (user_id("ulla"), 3)


def test_a_stale_link_to_another_citizen_changes_nothing(two):
    mads, ulla = two
    anna, anne = make_citizen("Anna", "Andersen"), make_citizen("Anne", "Berg")
    request = make_outreach(date(2026, 11, 23), citizen_first_name="An")
    show, link = f"/udekoerende/{request.id}", f"/udekoerende/{request.id}/borger"
    mads.get(show + "?q=An")
    ulla.get(show + "?q=An")
    assert mads.post(link, {"citizen_id": str(anna.id)}).status_code == 302
    stale = ulla.post(link, {"citizen_id": str(anne.id)})
    assert stale.status_code == 409
    assert "En anden har koblet anmodningen til en borger" in stale.get_data(as_text=True)
    assert fresh(OutreachRequest, request.id).citizen_id == anna.id
