"""The day board and the contact note name citizens: each render that sends names writes one row
per citizen, at most once per hour per user and citizen (screens poll every few seconds), and a
"nothing changed" answer writes nothing."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from webapp.audit import AuditEvent
from webapp.extensions import db

from ..citizens.factories import make_course
from ..factories import make_citizen, make_contact, refresh
from ..handover.factories import at, make_handover, make_meeting, make_outreach
from ..handover.factories import make_course as make_course_on
from .test_contacts import HX

TODAY = date(2026, 11, 24)  # a Tuesday
BG = {"HX-Request": "true", "X-Background": "1"}


@pytest.fixture
def clock(time_machine):
    time_machine.move_to("2026-11-24 08:30:00+01:00", tick=False)
    return time_machine


@pytest.fixture
def host(login, clock):
    return login("staff", username="vera")


@pytest.fixture
def named_on_board(clock):
    """One citizen in each place the board names people, and one it does not show."""
    from webapp.citizens.models import GuideConversation

    on_timeline = make_citizen("Tine", "Tidslinje")
    make_contact(citizen_id=on_timeline.id)
    booked = make_citizen("Bent", "Booket")
    db.session.add(GuideConversation(scheduled_at=at(TODAY, 13), status="booket", citizen_id=booked.id))
    db.session.commit()
    coached = make_citizen("Conni", "Coaching")
    make_meeting(coached, at(TODAY, 11), status="planlagt")
    outreach = make_citizen("Ulla", "Udekørende")
    make_outreach(TODAY - timedelta(days=1), citizen_id=outreach.id)
    waiting = make_citizen("Hans", "Handover")
    make_handover(make_course_on(waiting, TODAY - timedelta(days=90)), status="sendt", sent_at=at(TODAY - timedelta(days=2)))
    ending = make_citizen("Eva", "Ending")
    make_course(ending, start=TODAY - timedelta(weeks=19))
    not_shown = make_citizen("Nina", "Nobody")
    return [on_timeline, booked, coached, outreach, waiting, ending], not_shown


def board_rows() -> list[tuple[int, int]]:
    refresh()
    return sorted(db.session.execute(
        select(AuditEvent.user_id, AuditEvent.citizen_id).where(AuditEvent.action == "day_board_viewed")).all())


@pytest.mark.parametrize("url, headers", [("/", {}), ("/dagstavle", {}), ("/dagstavle?visning=tablet", BG)])
def test_a_board_render_names_every_citizen_it_shows(host, named_on_board, url, headers):
    shown, not_shown = named_on_board
    response = host.get(url, headers=headers)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "T.T." in html and "B.B." in html and "Ulla" in html and "Eva" in html
    cited = [citizen_id for _, citizen_id in board_rows()]
    assert sorted(cited) == sorted(c.id for c in shown)
    assert not_shown.id not in cited


def test_polling_writes_a_row_per_citizen_once_an_hour_and_nothing_for_no_change(host, named_on_board, clock):
    shown, _ = named_on_board
    page = host.get("/dagstavle").get_data(as_text=True)
    assert len(board_rows()) == len(shown)
    since = re.search(r'id="board"[^>]*data-hx-get="([^"]+)"', page, re.S).group(1).replace("&amp;", "&")
    assert host.get(since, headers=BG).status_code == 204
    host.get("/dagstavle?visning=tablet", headers=BG)
    host.get("/")
    assert len(board_rows()) == len(shown)  # the same hour: nothing new
    late = make_citizen("Lars", "Later")
    make_contact(citizen_id=late.id)
    host.get("/dagstavle?visning=tablet", headers=BG)
    assert [c for _, c in board_rows()].count(late.id) == 1  # only the newcomer
    clock.move_to("2026-11-24 09:31:00+01:00", tick=False)
    host.login("vera")
    host.get("/dagstavle")
    assert len(board_rows()) == 2 * len(shown) + 2


def test_each_user_has_their_own_window(host, login, named_on_board):
    shown, _ = named_on_board
    host.get("/dagstavle")
    login("secretariat", username="sif").get("/dagstavle")
    assert len(board_rows()) == 2 * len(shown)


def test_the_citizens_access_page_lists_the_board_in_danish(host, named_on_board):
    shown, _ = named_on_board
    host.get("/")
    html = host.get(f"/borgere/{shown[0].id}/adgang").get_data(as_text=True)
    assert "Så borgeren på dagstavlen" in html and "Dagens overblik (dagstavlen)" in html


def test_reading_a_contact_note_names_its_citizen(host, clock):
    anna = make_citizen("Anna", "Ahl")
    contact = make_contact(note="Ringer igen i morgen", citizen_id=anna.id)
    assert host.get(f"/henvendelser/{contact.id}/note", headers=HX).status_code == 200
    refresh()
    (row,) = db.session.execute(select(AuditEvent.citizen_id, AuditEvent.details)
                                .where(AuditEvent.action == "contact_note_viewed")).all()
    assert row == (anna.id, None)
    assert "Læste noten til en henvendelse" in host.get(f"/borgere/{anna.id}/adgang").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.details.like("%Ringer%"))) == 0
