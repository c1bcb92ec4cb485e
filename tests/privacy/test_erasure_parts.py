"""Erasure in parts and its reminders (webapp/privacy/erasure.py) on a small data set: what a
partial approval overwrites and keeps, and how waiting and sent reminders are treated."""

from datetime import UTC, datetime

import pytest
import time_machine

from webapp.citizens.models import Relative
from webapp.extensions import db
from webapp.messages.schedule import ERASED
from webapp.privacy import erasure
from webapp.welcome.models import Contact

from ..factories import make_contact, refresh
from ..messages.factories import book_guide, book_meeting, local_at, make_reminded_citizen, outbox

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # Wednesday 2 December 2026, 13:00 in Copenhagen


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def anna(app, clock):
    """Anna with a relative, a contact note, a reminder sent yesterday and one waiting."""
    citizen = make_reminded_citizen(cpr="0101901234")
    db.session.add(Relative(citizen_id=citizen.id, name="Bo Andersen", relation="Bror", phone="20304050"))
    make_contact(citizen_id=citizen.id, note="Spurgte til boligstøtte")
    sent = book_meeting(citizen, local_at(2026, 12, 3, 10))
    book_guide(citizen, local_at(2026, 12, 8, 10))
    [row] = [r for r in outbox(citizen.id) if r.source_id == sent.id and r.source == "meeting"]
    row.status = "sendt"
    db.session.commit()
    return citizen


def _statuses(citizen_id):
    refresh()
    return sorted((r.source, r.status, r.cancel_reason, bool(r.body), bool(r.recipient)) for r in outbox(citizen_id))


def test_everything_cancels_what_waits_and_blanks_every_message(anna):
    result = erasure.erase_citizen(anna)
    db.session.commit()
    assert result.parts == erasure.ALL_PARTS and result.total > 0
    assert _statuses(anna.id) == [("guide", "annulleret", ERASED, False, False),
                                  ("meeting", "sendt", None, False, False)]
    assert anna.full_name == "Slettet borger" and anna.cpr is None and anna.cpr_key is None
    assert [(r.name, r.relation, r.phone) for r in anna.relatives] == [("Pårørende", None, None)]


def test_messages_alone_blank_what_was_sent_and_keep_the_coming_reminder(anna):
    erasure.erase_citizen(anna, {erasure.MESSAGES})
    db.session.commit()
    assert _statuses(anna.id) == [("guide", "venter", None, True, True), ("meeting", "sendt", None, False, False)]
    assert anna.erased_at is None and anna.full_name == "Anna Andersen"


def test_contact_details_alone_cancel_the_reminders_and_keep_the_notes(anna):
    erasure.erase_citizen(anna, {erasure.CONTACT})
    db.session.commit()
    refresh()
    assert (anna.phone, anna.email, anna.contact_consent, anna.reminders_off) == (None, None, False, True)
    assert [r.name for r in anna.relatives] == ["Pårørende"]
    assert [c.note for c in db.session.scalars(db.select(Contact).where(Contact.citizen_id == anna.id))] == [
        "Spurgte til boligstøtte"]
    assert [s[:3] for s in _statuses(anna.id)] == [("guide", "annulleret", ERASED), ("meeting", "sendt", None)]
    assert anna.erased_at is None and anna.restricted_at is None and anna.cpr == "0101901234"


def test_notes_alone_keep_the_name_and_the_contact_details(anna):
    erasure.erase_citizen(anna, {erasure.NOTES})
    db.session.commit()
    refresh()
    assert [c.note for c in db.session.scalars(db.select(Contact).where(Contact.citizen_id == anna.id))] == [None]
    assert anna.full_name == "Anna Andersen" and anna.phone == "20 11 22 33"
    assert [r.name for r in anna.relatives] == ["Bo Andersen"]


def test_a_version_check_sees_the_erasure(anna):
    version = anna.version
    erasure.erase_citizen(anna, {erasure.CONTACT})
    db.session.commit()
    assert anna.version == version + 1  # an edit form opened before cannot write the old values back


def test_an_erasure_that_fails_half_way_leaves_everything_as_it_was(anna, monkeypatch):
    rows = erasure._rows

    def failing_rows(table_name, citizen_id):
        if table_name == "outbox_message":  # after the citizen, relatives and contacts were overwritten
            raise RuntimeError("the disk is full")
        return rows(table_name, citizen_id)

    monkeypatch.setattr(erasure, "_rows", failing_rows)
    with pytest.raises(RuntimeError):
        erasure.erase_citizen(anna)
    db.session.rollback()
    refresh()
    assert anna.full_name == "Anna Andersen" and anna.erased_at is None and anna.cpr == "0101901234"
    assert [r.name for r in anna.relatives] == ["Bo Andersen"]
    assert [c.note for c in db.session.scalars(db.select(Contact).where(Contact.citizen_id == anna.id))] == [
        "Spurgte til boligstøtte"]
    assert [s[:2] for s in _statuses(anna.id)] == [("guide", "venter"), ("meeting", "sendt")]
