"""The reminder rules, with answers worked out by hand (Copenhagen: UTC+1 in winter, UTC+2 in summer)."""

from datetime import UTC, datetime, timedelta

import pytest

from webapp.messages import schedule
from webapp.messages.schedule import DAY_BEFORE, TWO_HOURS_BEFORE, Recipient

# Tuesday 8 December 2026 10:00 in Copenhagen (CET) = 09:00 UTC.
EVENT = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_the_day_before_at_five():
    # Monday 7 December 17:00 CET = 16:00 UTC.
    assert schedule.due_times(EVENT, utc(2026, 12, 2, 12), 17, False) == {DAY_BEFORE: utc(2026, 12, 7, 16)}


def test_also_two_hours_before_when_set():
    assert schedule.due_times(EVENT, utc(2026, 12, 2, 12), 17, True) == {
        DAY_BEFORE: utc(2026, 12, 7, 16), TWO_HOURS_BEFORE: utc(2026, 12, 8, 7)}


def test_booked_after_the_day_befores_hour_is_reminded_at_once():
    # Booked Monday 7 December 18:00 CET (17:00 UTC): 16 hours to go, so due now.
    now = utc(2026, 12, 7, 17)
    assert schedule.due_times(EVENT, now, 17, False) == {DAY_BEFORE: now}
    # With two hours before as well, that one still lies ahead (08:00 CET).
    assert schedule.due_times(EVENT, now, 17, True) == {DAY_BEFORE: now, TWO_HOURS_BEFORE: utc(2026, 12, 8, 7)}


def test_two_passed_reminders_become_one():
    # Booked 08:30 CET the same morning: both times have passed, 1½ hours to go: one message, now.
    now = utc(2026, 12, 8, 7, 30)
    assert schedule.due_times(EVENT, now, 17, True) == {TWO_HOURS_BEFORE: now}


def test_an_hour_or_less_before_nothing_is_sent():
    assert schedule.due_times(EVENT, utc(2026, 12, 8, 8, 15), 17, False) == {}  # 45 minutes
    assert schedule.due_times(EVENT, utc(2026, 12, 8, 8, 0), 17, False) == {}  # exactly an hour
    assert schedule.due_times(EVENT, utc(2026, 12, 8, 7, 59), 17, False) == {DAY_BEFORE: utc(2026, 12, 8, 7, 59)}
    assert schedule.due_times(EVENT, utc(2026, 12, 9), 17, True) == {}  # over


@pytest.mark.parametrize(("event", "due"), [
    # Monday 29 March 2027 10:00 CEST (08:00 UTC): the day before is the Sunday summer time began:
    # 17:00 CEST = 15:00 UTC.
    (utc(2027, 3, 29, 8), utc(2027, 3, 28, 15)),
    # Sunday 28 March 2027 10:00 CEST: the day before is still winter time: 17:00 CET = 16:00 UTC.
    (utc(2027, 3, 28, 8), utc(2027, 3, 27, 16)),
    # Monday 1 November 2027 10:00 CET (09:00 UTC): the Sunday winter time began: 17:00 CET = 16:00 UTC.
    (utc(2027, 11, 1, 9), utc(2027, 10, 31, 16)),
    # Sunday 31 October 2027 10:00 CET: the Saturday is summer time: 17:00 CEST = 15:00 UTC.
    (utc(2027, 10, 31, 9), utc(2027, 10, 30, 15)),
])
def test_the_day_before_keeps_the_wall_clock_hour_across_summer_time(event, due):
    assert schedule.due_times(event, utc(2027, 1, 1), 17, False) == {DAY_BEFORE: due}


def test_an_early_hour_before_midnight_events():
    # An event at 00:30 Wednesday 9 December CET (23:30 UTC on the 8th) with the hour 8: Tuesday 08:00 CET.
    assert schedule.due_times(utc(2026, 12, 8, 23, 30), utc(2026, 12, 2), 8, False) == {DAY_BEFORE: utc(2026, 12, 8, 7)}


def test_backoff_doubles_up_to_an_hour():
    assert [schedule.backoff(n).total_seconds() for n in (1, 2, 3, 4, 6, 7, 20)] == [
        60, 120, 240, 480, 1920, 3600, 3600]
    assert schedule.backoff(0) == timedelta(minutes=1)


@pytest.mark.parametrize(("typed", "msisdn"), [
    ("20 11 22 33", "4520112233"),
    ("+45 20 11 22 33", "4520112233"),
    ("0045-20-11-22-33", "4520112233"),
    ("4520112233", "4520112233"),
    ("(+45) 20.11.22.33", "4520112233"),
    ("2011223", None),  # seven digits
    ("08 11 22 33", None),  # Danish numbers do not start with 0
    ("+46 70 123 45 67", None),  # Swedish
    ("20 11 22 33 ring efter 12", None),
    ("", None),
    (None, None),
])
def test_danish_numbers_become_msisdn(typed, msisdn):
    assert schedule.msisdn(typed) == msisdn


def test_who_gets_a_reminder_and_how():
    r = schedule.recipient_for
    assert r("sms", True, False, "20112233", "a@b.dk") == Recipient("sms", "4520112233")
    assert r("email", True, False, "20112233", " a@b.dk ") == Recipient("email", "a@b.dk")
    assert r("sms", False, False, "20112233", None) == schedule.NO_CONSENT
    assert r("sms", True, True, "20112233", None) == schedule.OPTED_OUT
    assert r("sms", True, False, None, "a@b.dk") == schedule.NO_CHANNEL  # SMS wanted, no number
    assert r("email", True, False, "20112233", "ikke en adresse") == schedule.NO_CHANNEL
    assert r("telefon", True, False, "20112233", "a@b.dk") == schedule.NO_CHANNEL
    assert r("ikke", True, False, "20112233", "a@b.dk") == schedule.NO_CHANNEL
    assert r(None, True, False, "20112233", "a@b.dk") == schedule.NO_CHANNEL


def test_the_text_is_plain_danish_with_time_place_and_whom_to_call():
    text = schedule.reminder_text("Anna Marie", EVENT, "Din Indgang, Havnegade 12, 7000 Fredericia", "72 10 60 00",
                                  "Din Indgang")
    assert text.subject == "Påmindelse: din aftale tirsdag 8. december kl. 10.00"
    assert text.body == (
        "Hej Anna\n"
        "Husk din aftale tirsdag 8. december kl. 10.00.\n"
        "Sted: Din Indgang, Havnegade 12, 7000 Fredericia.\n"
        "Kan du ikke komme, så ring til os på 72 10 60 00.\n"
        "Venlig hilsen Din Indgang"
    )
    # Summer time: Monday 29 March 2027 08:00 UTC is 10.00 in Copenhagen.
    assert schedule.when_text(utc(2027, 3, 29, 8)) == "mandag 29. marts kl. 10.00"
