"""Group pages that name citizens write one row per citizen named, and the citizen's access page
lists them in Danish."""

from datetime import date

import pytest
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.extensions import db

from ..factories import make_citizen, refresh
from ..outcomes.factories import enrol, make_run, run_meetings

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def staff(login):
    return login("staff", username="mads")


@pytest.fixture
def run_with_people():
    run = make_run(start=date(2026, 3, 3))
    anna, bo, carl = make_citizen("Anna", "Ahl"), make_citizen("Bo", "Berg"), make_citizen("Carl", "Cort")
    enrol(run, anna)
    enrol(run, bo)
    enrol(run, carl, waiting=True)
    outsider = make_citizen("Olga", "Olsen")
    return run, [anna, bo, carl], outsider


def named(action: str) -> list[int]:
    refresh()
    return sorted(db.session.scalars(select(AuditEvent.citizen_id).where(AuditEvent.action == action)))


def test_the_run_page_names_everyone_enrolled_and_waiting(staff, run_with_people):
    run, people, outsider = run_with_people
    page = staff.get(f"/grupper/hold/{run.id}").get_data(as_text=True)
    assert "Carl Cort" in page
    assert named("group_run_viewed") == sorted(c.id for c in people)
    html = staff.get(f"/borgere/{people[2].id}/adgang").get_data(as_text=True)
    assert "Så holdets deltagerliste" in html and "Gruppeforløb" in html
    assert "Så holdets deltagerliste" not in staff.get(f"/borgere/{outsider.id}/adgang").get_data(as_text=True)


def test_the_meeting_page_names_everyone_on_the_attendance_list(staff, run_with_people):
    run, (anna, bo, _), _ = run_with_people
    meeting = run_meetings(run)[0]
    assert staff.get(f"/grupper/moede/{meeting.id}").status_code == 200
    assert named("group_meeting_viewed") == sorted([anna.id, bo.id])


def test_the_enrolment_search_is_audited_one_row_per_hit(staff, run_with_people):
    run, (anna, *_), _ = run_with_people
    second_anna = make_citizen("Annette", "Ahl")
    response = staff.post(f"/grupper/hold/{run.id}/borgere", {"q": "Ann"})
    assert "Annette" in response.get_data(as_text=True)
    assert named("citizen_search") == sorted([anna.id, second_anna.id])
    refresh()
    details = set(db.session.scalars(select(AuditEvent.details).where(AuditEvent.action == "citizen_search")))
    assert details == {"søgning Ann"}
