"""Two people edit the same group run: the later save never silently overwrites the earlier."""

from datetime import date
from html import unescape

import pytest
from sqlalchemy import select

from webapp.auth.models import User
from webapp.extensions import db
from webapp.groups.models import GroupRun

from ..forms_in_pages import form_data
from ..outcomes.factories import fresh, make_run

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def two(login):
    return (login("staff", username="mads", full_name="Mads Madsen", initials="MM"),
            login("peer", username="ulla", full_name="Ulla Hansen", initials="UH"))


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def url(run) -> str:
    return f"/grupper/hold/{run.id}/rediger"


def loaded(visitor, run) -> dict:
    return form_data(visitor.get(url(run)).get_data(as_text=True), "")


def test_a_stale_save_is_refused_with_both_values_and_overwrites_nothing(two):
    mads, ulla = two
    run = make_run(start=date(2026, 3, 2), meetings=4, capacity=8, facilitators=(user("mads"),))
    mads_form, ulla_form = loaded(mads, run), loaded(ulla, run)
    assert mads_form["version"] == ulla_form["version"] == "1"

    assert mads.post(url(run), mads_form | {"capacity": "10"}).status_code == 302
    stale = ulla.post(url(run), ulla_form | {"capacity": "6", "facilitator2": str(user("ulla").id)})
    assert stale.status_code == 409
    html = unescape(stale.get_data(as_text=True))
    assert "Mads har gemt ændringer kl." in html and "mens du skrev" in html
    assert "Mads' valg" in html and '<p class="their-text">10</p>' in html
    assert html.count('name="konflikt"') == 1
    fresh()
    row = db.session.get(GroupRun, run.id)
    assert (row.capacity, row.facilitator2_id, row.version) == (10, None, 2)

    resolve = form_data(stale.get_data(as_text=True), "")
    assert resolve["version"] == "2" and resolve["capacity"] == "6"  # her values, kept
    assert resolve["facilitator2"] == str(user("ulla").id)
    assert ulla.post(url(run), resolve | {"konflikt": "capacity", "valg_capacity": "theirs"}).status_code == 302
    fresh()
    row = db.session.get(GroupRun, run.id)
    assert (row.capacity, row.facilitator2_id, row.version) == (10, user("ulla").id, 3)
