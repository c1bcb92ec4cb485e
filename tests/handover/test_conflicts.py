"""Two people edit the same handover draft: the later save never silently overwrites the earlier."""

from datetime import date
from html import unescape

import pytest
from sqlalchemy import select

from webapp.auth.models import User
from webapp.extensions import db
from webapp.handover.models import Handover

from ..factories import make_citizen
from ..forms_in_pages import form_data
from .factories import fresh, make_course, make_handover


@pytest.fixture
def draft():
    citizen = make_citizen("Anna", "Andersen")
    course = make_course(citizen, date(2026, 8, 24))
    return make_handover(course, reasons="Før", dream="Et job")


def two_staff(login):
    return (login("staff", username="mads", full_name="Mads Madsen"),
            login("staff", username="ulla", full_name="Ulla Hansen"))


def user_id(username: str) -> int:
    return db.session.scalar(select(User.id).where(User.username == username))


def url(handover) -> str:
    return f"/overdragelser/{handover.id}/rediger"


def test_a_stale_save_is_refused_with_both_texts_and_overwrites_nothing(login, draft):
    mads, ulla = two_staff(login)
    mads_form = form_data(mads.get(url(draft)).get_data(as_text=True), url(draft))
    ulla_form = form_data(ulla.get(url(draft)).get_data(as_text=True), url(draft))
    assert mads_form["version"] == ulla_form["version"] == "1"

    saved = mads.post(url(draft), mads_form | {"reasons": "Mads: brevene hober sig op"})
    assert saved.status_code == 302
    assert fresh(Handover, draft.id).version == 2

    stale = ulla.post(url(draft), ulla_form | {"reasons": "Ulla: jeg kunne ikke åbne min post",
                                               "fl_economy": "Gæld"})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Mads har gemt ændringer kl." in html and "mens du skrev" in html
    assert "Ulla: jeg kunne ikke åbne min post" in html  # her own text, still in the form
    assert "Mads: brevene hober sig op" in html  # his, beside it
    assert "Mads' tekst" in unescape(html) and 'name="konflikt" value="reasons"' in html
    assert html.count('name="konflikt"') == 1  # only the field both changed
    row = fresh(Handover, draft.id)
    assert (row.reasons, row.fl_economy, row.version) == ("Mads: brevene hober sig op", None, 2)

    # Sending the conflict screen without a choice is refused, and nothing is lost.
    resolve = form_data(html, url(draft))
    assert resolve["version"] == "2" and resolve["fl_economy"] == "Gæld"
    unanswered = ulla.post(url(draft), resolve | {"konflikt": "reasons"})
    assert unanswered.status_code == 422 and "Vælg, hvad der skal stå." in unanswered.get_data(as_text=True)
    assert fresh(Handover, draft.id).version == 2

    # Keeping both texts saves, with her other change too.
    done = ulla.post(url(draft), resolve | {"konflikt": "reasons", "valg_reasons": "both"})
    assert done.status_code == 302
    row = fresh(Handover, draft.id)
    assert row.reasons == "Ulla: jeg kunne ikke åbne min post\n\nMads: brevene hober sig op"
    assert (row.fl_economy, row.version, row.version_saved_by_id) == ("Gæld", 3, user_id("ulla"))


@pytest.mark.parametrize(("choice", "expected"), [("mine", "Ullas tekst"), ("theirs", "Mads' tekst")])
def test_the_conflict_can_be_resolved_either_way(login, draft, choice, expected):
    mads, ulla = two_staff(login)
    ulla_form = form_data(ulla.get(url(draft)).get_data(as_text=True), url(draft))
    mads.get(url(draft))
    mads.post(url(draft), form_data(mads.get(url(draft)).get_data(as_text=True), url(draft))
              | {"reasons": "Mads' tekst"})
    stale = ulla.post(url(draft), ulla_form | {"reasons": "Ullas tekst"})
    assert stale.status_code == 409
    resolve = form_data(stale.get_data(as_text=True), url(draft))
    assert ulla.post(url(draft), resolve | {"konflikt": "reasons", "valg_reasons": choice}).status_code == 302
    assert fresh(Handover, draft.id).reasons == expected


def test_changes_to_different_fields_are_merged_without_a_conflict(login, draft):
    mads, ulla = two_staff(login)
    mads_form = form_data(mads.get(url(draft)).get_data(as_text=True), url(draft))
    ulla_form = form_data(ulla.get(url(draft)).get_data(as_text=True), url(draft))
    assert mads.post(url(draft), mads_form | {"reasons": "Mads har rettet"}).status_code == 302
    response = ulla.post(url(draft), ulla_form | {"dream": "Ulla har rettet"}, follow_redirects=True)
    assert response.status_code == 200 and "Andres nyere ændringer" in response.get_data(as_text=True)
    row = fresh(Handover, draft.id)
    assert (row.reasons, row.dream, row.version) == ("Mads har rettet", "Ulla har rettet", 3)


def test_a_form_without_a_version_saves_as_before(login, draft):
    ulla = login("staff", username="ulla", full_name="Ulla Hansen")
    ulla.get(url(draft))
    assert ulla.post(url(draft), {"reasons": "Uden version"}).status_code == 302
    assert fresh(Handover, draft.id).reasons == "Uden version"
