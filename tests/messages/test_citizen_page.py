"""The citizen page's reminders section and the one-tap opt-out; what a reminder never says."""

import re
from datetime import UTC, date, datetime

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.messages import sync

from .factories import book_guide, book_meeting, enrol, local_at, make_group, make_reminded_citizen, outbox

CPR_LIKE = re.compile(r"\d{6}-?\d{4}")


def test_the_section_shows_time_channel_and_status_never_the_text(clock, login):
    anna = make_reminded_citizen()
    book_guide(anna, local_at(2026, 12, 8, 10))
    page = login("peer").get(f"/borgere/{anna.id}").get_data(as_text=True)
    assert 'id="paamindelser"' in page
    assert "Borgeren får påmindelser på SMS dagen før sine aftaler." in page
    assert "8. dec 2026 kl. 10:00" in page and "Venter" in page
    assert "Husk din aftale" not in page and "4520112233" not in page
    assert "Slå påmindelser fra" in page


def test_one_tap_opt_out_cancels_pending_and_is_audited(clock, login):
    anna = make_reminded_citizen()
    book_guide(anna, local_at(2026, 12, 8, 10))
    staff = login("staff")
    response = staff.post(f"/borgere/{anna.id}/paamindelser", {"slaa": "fra"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/borgere/{anna.id}#paamindelser")
    assert [(r.status, r.cancel_reason) for r in outbox(anna.id)] == [("annulleret", "fravalgt")]
    db.session.refresh(anna)
    assert anna.reminders_off is True
    page = staff.get(f"/borgere/{anna.id}").get_data(as_text=True)
    assert "Borgeren har fravalgt påmindelser." in page and "Slå påmindelser til" in page
    assert "Annulleret" in page
    staff.post(f"/borgere/{anna.id}/paamindelser", {"slaa": "til"})
    assert [r.status for r in outbox(anna.id)] == ["venter"]
    actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.citizen_id == anna.id)
                                 .where(AuditEvent.action.like("reminders_%")).order_by(AuditEvent.id)).all()
    assert actions == ["reminders_turned_off", "reminders_turned_on"]


def test_an_unknown_choice_changes_nothing_and_says_so_in_danish(clock, login):
    anna = make_reminded_citizen()
    staff = login("staff")
    response = staff.post(f"/borgere/{anna.id}/paamindelser", {"slaa": "måske"})
    assert response.status_code == 303
    page = staff.get(f"/borgere/{anna.id}").get_data(as_text=True)
    assert "Ukendt" in page or "Vælg" in page
    db.session.refresh(anna)
    assert anna.reminders_off is False


def test_no_reminder_text_names_a_cpr_number_a_kind_a_group_or_a_surname(app, clock):
    """Every source rendered for a citizen with a CPR number, a surname and a group theme that says
    something about her: subject and body give first name, time, place and phone only."""
    anna = make_reminded_citizen("Anna", cpr="0101901234", last_name="Særligsen")
    book_guide(anna, local_at(2026, 12, 8, 10))
    for kind in sorted(sync.REMINDED_MEETING_KINDS):
        book_meeting(anna, local_at(2026, 12, 9, 10), kind=kind)
    for place, theme in (("din_indgang", "Følelseshåndtering"), ("frivilligcenter", "At være sensitiv")):
        run, _meeting = make_group(local_at(2026, 12, 10, 14), place=place, theme_name=theme, team=f"T-{place}")
        enrol(run, anna, date(2026, 11, 1))
    rows = outbox(anna.id)
    assert {r.source for r in rows} == {"guide", "meeting", "group_meeting"} and len(rows) == 6
    forbidden = ["0101901234", "010190", "Særligsen", "Følelseshåndtering", "sensitiv", "T-din_indgang",
                 "T-frivilligcenter", "kickoff", "Kick", "oaching", "Coach", "pfølgning", "Guidesamtale", "gruppe",
                 "Gruppe", "psyk", "handicap", "diagnose", "note"]
    for row in rows:
        for text in (row.subject, row.body):
            assert not CPR_LIKE.search(text), text
            assert not re.search(r"\d{7,}", text), text
            for word in forbidden:
                assert word not in text, (word, text)
        assert row.body.startswith("Hej Anna\n")
        assert "ring til os på 72 10 60 00" in row.body
    places = {r.body.split("Sted: ")[1].split(".\n")[0] for r in rows}
    assert places == {"Din Indgang, Havnegade 12, 7000 Fredericia", "Frivilligcenteret"}


def test_an_uncertain_or_failed_reminder_is_shown_for_a_check(clock, login):
    anna = make_reminded_citizen()
    book_guide(anna, local_at(2026, 12, 8, 10))
    [row] = outbox(anna.id)
    row.status, row.sent_at = "fejlet", datetime(2026, 12, 2, 12, tzinfo=UTC)
    db.session.commit()
    page = login("leader").get(f"/borgere/{anna.id}").get_data(as_text=True)
    assert "Fejlet" in page
