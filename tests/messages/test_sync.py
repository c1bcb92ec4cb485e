"""Reminders follow their bookings in the booking's own transaction (webapp/messages/sync.py).
The clock stands at Wednesday 2 December 2026, 13:00 in Copenhagen."""

from datetime import UTC, date, datetime

from webapp.extensions import db
from webapp.messages import schedule
from webapp.messages.models import OutboxMessage

from .factories import book_guide, book_meeting, enrol, local_at, make_group, make_reminded_citizen, outbox

TUE_10 = local_at(2026, 12, 8, 10)  # Tuesday 8 December 10:00
MON_17 = datetime(2026, 12, 7, 16, 0, tzinfo=UTC)  # the day before at 17:00 CET


def test_a_booked_guide_conversation_gets_its_reminder_in_the_same_transaction(clock):
    anna = make_reminded_citizen()
    gc = book_guide(anna, TUE_10)
    [row] = outbox(anna.id)
    assert (row.status, row.channel, row.recipient, row.source, row.source_id, row.offset) == (
        "venter", "sms", "4520112233", "guide", gc.id, "dagen_foer")
    assert row.idempotency_key == f"r:guide:{gc.id}:{anna.id}:dagen_foer"
    assert row.due_at == row.next_attempt_at == MON_17
    assert row.event_at == TUE_10
    assert "tirsdag 8. december kl. 10.00" in row.body and row.body.startswith("Hej Anna")


def test_a_rolled_back_booking_leaves_no_reminder(clock):
    from webapp.citizens.models import GuideConversation

    anna = make_reminded_citizen()
    db.session.add(GuideConversation(citizen_id=anna.id, scheduled_at=TUE_10, status="booket"))
    db.session.flush()
    db.session.rollback()
    assert outbox() == []


def test_two_hours_before_as_well_when_set(app, clock, monkeypatch):
    monkeypatch.setitem(app.config, "REMINDER_TWO_HOURS_BEFORE", True)
    anna = make_reminded_citizen()
    book_meeting(anna, TUE_10, kind="coaching")
    assert [(r.offset, r.due_at) for r in outbox(anna.id)] == [
        ("dagen_foer", MON_17), ("to_timer_foer", datetime(2026, 12, 8, 7, 0, tzinfo=UTC))]


def test_a_moved_meeting_gets_a_new_time_and_text_on_the_same_row(clock):
    anna = make_reminded_citizen()
    meeting = book_meeting(anna, TUE_10)
    [before] = outbox(anna.id)
    meeting.starts_at = local_at(2026, 12, 11, 9, 30)  # Friday 11 December 9:30
    db.session.commit()
    [after] = outbox(anna.id)
    assert after.id == before.id and after.status == "venter"
    assert after.due_at == after.next_attempt_at == datetime(2026, 12, 10, 16, 0, tzinfo=UTC)
    assert "fredag 11. december kl. 09.30" in after.body and "tirsdag" not in after.body


def test_a_cancelled_meeting_cancels_its_reminder_and_reinstating_revives_it(clock):
    anna = make_reminded_citizen()
    meeting = book_meeting(anna, TUE_10)
    meeting.status = "aflyst"
    db.session.commit()
    [row] = outbox(anna.id)
    assert (row.status, row.cancel_reason) == ("annulleret", schedule.EVENT_GONE)
    meeting.status = "planlagt"
    db.session.commit()
    [row] = outbox(anna.id)
    assert (row.status, row.cancel_reason, row.due_at) == ("venter", None, MON_17)


def test_a_deleted_guide_conversation_cancels_its_reminder(clock):
    anna = make_reminded_citizen()
    gc = book_guide(anna, TUE_10)
    db.session.delete(gc)
    db.session.commit()
    assert [(r.status, r.cancel_reason) for r in outbox(anna.id)] == [("annulleret", "aflyst")]


def test_only_the_meeting_kinds_reminded_of(clock):
    anna = make_reminded_citizen()
    book_meeting(anna, TUE_10, kind="paaroerende")
    book_meeting(anna, TUE_10, kind="netvaerksmoede")
    assert outbox(anna.id) == []
    kickoff = book_meeting(anna, TUE_10, kind="kickoff")
    assert [r.source_id for r in outbox(anna.id)] == [kickoff.id]


def test_no_reminder_without_a_channel_or_consent(clock):
    for i, (preference, consent, phone, email) in enumerate([
        ("telefon", True, "20112233", "a@b.dk"), ("ikke", True, "20112233", "a@b.dk"),
        ("sms", True, None, "a@b.dk"), ("email", True, "20112233", None), ("sms", False, "20112233", None),
    ]):
        citizen = make_reminded_citizen(f"Borger{i}", preference=preference, consent=consent, phone=phone,
                                        email=email)
        book_guide(citizen, TUE_10)
    assert outbox() == []


def test_withdrawn_consent_cancels_everything_pending_but_never_what_was_sent(clock):
    anna = make_reminded_citizen()
    book_guide(anna, TUE_10)
    book_meeting(anna, local_at(2026, 12, 9, 13))
    run, _meeting = make_group(local_at(2026, 12, 10, 14))
    enrol(run, anna, date(2026, 11, 20))
    sent = book_meeting(anna, local_at(2026, 12, 3, 10))  # tomorrow: its reminder is due today 17:00
    db.session.execute(db.update(OutboxMessage).where(OutboxMessage.source_id == sent.id,
                                                      OutboxMessage.source == "meeting").values(status="sendt"))
    db.session.commit()
    assert len(outbox(anna.id, "venter")) == 3
    anna.contact_consent = False
    db.session.commit()
    rows = outbox(anna.id)
    assert sorted((r.source, r.status, r.cancel_reason) for r in rows) == [
        ("group_meeting", "annulleret", "samtykke"), ("guide", "annulleret", "samtykke"),
        ("meeting", "annulleret", "samtykke"), ("meeting", "sendt", None)]


def test_opt_out_and_back_in(clock):
    anna = make_reminded_citizen()
    book_guide(anna, TUE_10)
    anna.reminders_off = True
    db.session.commit()
    assert [(r.status, r.cancel_reason) for r in outbox(anna.id)] == [("annulleret", "fravalgt")]
    anna.reminders_off = False
    db.session.commit()
    assert [(r.status, r.due_at) for r in outbox(anna.id)] == [("venter", MON_17)]


def test_a_new_preference_or_address_follows_into_the_pending_reminder(clock):
    anna = make_reminded_citizen()
    book_guide(anna, TUE_10)
    anna.contact_preference = "email"
    db.session.commit()
    [row] = outbox(anna.id)
    assert (row.channel, row.recipient, row.status) == ("email", "anna@example.dk", "venter")
    anna.email = "anna.a@example.dk"
    db.session.commit()
    assert outbox(anna.id)[0].recipient == "anna.a@example.dk"
    anna.contact_preference = "telefon"
    db.session.commit()
    assert [(r.status, r.cancel_reason) for r in outbox(anna.id)] == [("annulleret", "ingen_kanal")]


def test_a_group_meeting_reminds_its_participants_on_the_day(clock):
    at = local_at(2026, 12, 10, 14)  # Thursday
    run, meeting = make_group(at, place="frivilligcenter")
    anna, bo, carl, dorte = (make_reminded_citizen(n, email=f"{n.lower()}@example.dk")
                             for n in ("Anna", "Bo", "Carl", "Dorte"))
    enrol(run, anna, date(2026, 11, 20))
    enrol(run, bo, date(2026, 11, 20), waiting=True)  # on the waiting list
    enrol(run, carl, date(2026, 12, 11))  # starts after the meeting
    stopped = enrol(run, dorte, date(2026, 11, 20))
    assert sorted(r.citizen_id for r in outbox(status="venter")) == [anna.id, dorte.id]
    assert "Sted: Frivilligcenteret." in outbox(anna.id)[0].body
    stopped.stop_date = date(2026, 12, 9)  # stopped the day before the meeting
    db.session.commit()
    assert [(r.status, r.cancel_reason) for r in outbox(dorte.id)] == [("annulleret", "ikke_deltager")]
    meeting.cancelled = True
    db.session.commit()
    assert [(r.status, r.cancel_reason) for r in outbox(anna.id)] == [("annulleret", "aflyst")]


def test_moved_after_the_reminder_was_sent_gets_a_new_reminder(clock):
    anna = make_reminded_citizen()
    meeting = book_meeting(anna, TUE_10)
    [first] = outbox(anna.id)
    first.status = "sendt"
    db.session.commit()
    meeting.starts_at = local_at(2026, 12, 11, 10)
    db.session.commit()
    rows = outbox(anna.id)
    assert [(r.status, r.event_at) for r in rows] == [("sendt", TUE_10), ("venter", local_at(2026, 12, 11, 10))]
    assert rows[1].idempotency_key == f"{first.idempotency_key}:202612111000"
    # Moved back to the time already reminded of: nothing new, the waiting one goes.
    meeting.starts_at = TUE_10
    db.session.commit()
    assert [(r.status, r.cancel_reason) for r in outbox(anna.id)] == [("sendt", None), ("annulleret", "allerede_sendt")]


def test_booked_within_the_hour_gets_nothing_and_past_meetings_are_left_alone(clock):
    anna = make_reminded_citizen()
    book_guide(anna, datetime(2026, 12, 2, 12, 45, tzinfo=UTC))  # 45 minutes from now
    book_meeting(anna, datetime(2026, 12, 1, 9, tzinfo=UTC))  # yesterday
    assert outbox(anna.id) == []
    soon = book_guide(anna, datetime(2026, 12, 2, 15, tzinfo=UTC))  # in three hours: due now
    assert [(r.source_id, r.due_at) for r in outbox(anna.id)] == [(soon.id, datetime(2026, 12, 2, 12, tzinfo=UTC))]


def test_only_touched_bookings_are_reconciled(clock, monkeypatch):
    from webapp.messages import sync

    anna = make_reminded_citizen()
    for day in range(7, 12):
        book_meeting(anna, local_at(2026, 12, day, 10))
    looked_at = []
    real = sync.reconcile
    monkeypatch.setattr(sync, "reconcile", lambda s, source, source_id, *a: (looked_at.append(source_id),
                                                                             real(s, source, source_id, *a)))
    meeting = book_meeting(anna, local_at(2026, 12, 14, 10))
    assert looked_at == [meeting.id]
    anna.last_name = "Andersen-Berg"  # not a field reminders depend on
    db.session.commit()
    assert looked_at == [meeting.id]
