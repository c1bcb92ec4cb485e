from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from webapp.meeting.rules import (
    AGENDA_SECTIONS,
    AgendaSection,
    meeting_date_for,
    missed_in_a_row,
    needs_reach_out,
    previous_meeting_date,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "meeting", "previous"),
    [
        ("2026-11-23", "2026-11-27", "2026-11-20"),  # Monday
        ("2026-11-25", "2026-11-27", "2026-11-20"),  # Wednesday
        ("2026-11-27", "2026-11-27", "2026-11-20"),  # the Friday itself
        ("2026-11-28", "2026-12-04", "2026-11-27"),  # Saturday -> next Friday
        ("2026-11-29", "2026-12-04", "2026-11-27"),  # Sunday -> next Friday
        ("2026-12-28", "2027-01-01", "2026-12-25"),  # across the new year; holidays are not moved
        ("2024-02-26", "2024-03-01", "2024-02-23"),  # across a leap day
    ],
)
def test_meeting_dates(day, meeting, previous):
    assert meeting_date_for(D(day)) == D(meeting)
    assert previous_meeting_date(D(day)) == D(previous)
    assert D(previous) < D(day) <= D(meeting)


def _attendance(*flags):
    return [(date(2026, 11, day), flag) for day, flag in zip(range(2, 30, 3), flags, strict=False)]


@pytest.mark.parametrize(
    ("flags", "missed"),
    [
        ((), 0),
        ((True,), 0),
        ((False,), 1),
        ((True, False), 1),
        ((True, False, False), 2),
        ((False, False, True), 0),  # came back: the count starts over
        ((False, True, False, False, False), 3),
        ((False, False, False), 3),
    ],
)
def test_missed_in_a_row(flags, missed):
    assert missed_in_a_row(_attendance(*flags)) == missed


def test_missed_in_a_row_does_not_depend_on_the_order_given():
    rows = _attendance(True, False, False)
    assert missed_in_a_row(list(reversed(rows))) == 2


@pytest.mark.parametrize(
    ("flags", "threshold", "expected"),
    [
        ((True, False), 2, False),
        ((True, False, False), 2, True),
        ((False, False, False), 2, True),
        ((True, False, False), 3, False),
        ((True, False), 1, True),
        ((), 2, False),
    ],
)
def test_needs_reach_out(flags, threshold, expected):
    assert needs_reach_out(_attendance(*flags), threshold) is expected


def test_agenda_sections_in_order():
    assert [section.heading for section in AGENDA_SECTIONS] == [
        "Nye borgere siden sidst",
        "Guidesamtaler uden myndighedserfaring",
        "Forløb ved eller efter uge 10-vurdering",
        "Forløb der slutter inden for to uger eller når 20 uger",
        "Kick-off-møde med frivilligkoordinatoren – book det sidste møde",
        "Forslag om overdragelse og direkte til myndighed",
        "Udekørende funktion – åbne og forsinkede",
        "Borgere med to eller flere udeblivelser i træk",
        "Tilbagevendte borgere",
        "Åbne beslutninger fra tidligere møder",
    ]
    assert len({section.key for section in AGENDA_SECTIONS}) == len(AGENDA_SECTIONS)


def test_agenda_section_is_immutable():
    with pytest.raises(FrozenInstanceError):
        AgendaSection("x", "X").heading = "Y"
