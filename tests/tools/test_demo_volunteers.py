"""The ordinary demo (`flask demo-data`) has the volunteer world: five organisations and their
activities, one paused, so the coordinator's page is never empty; a kick-off booked this week with
the coordinator, one held, and courses still proposed for one on the Friday agenda; loading it twice
adds nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from webapp.auth.models import User
from webapp.citizens.models import Meeting
from webapp.extensions import db
from webapp.meeting.rules import meeting_date_for
from webapp.meeting.sections import kickoff_items
from webapp.timeutil import local, today_local
from webapp.tools.demo import kickoff, volunteers
from webapp.volunteers.models import VolunteerActivity, VolunteerOrganisation

pytestmark = pytest.mark.demo_data


def test_five_organisations_and_their_activities_one_paused_loaded_once(demo):
    assert demo["volunteer organisations"] == 5
    assert db.session.scalar(select(func.count(VolunteerOrganisation.id))) == 5
    activities = db.session.scalars(select(VolunteerActivity)).all()
    assert 8 <= len(activities) <= 10
    assert [activity.title for activity in activities if not activity.active] == ["Madlavning for mænd"]
    again = volunteers.load(None)
    assert [again[key] for key in ("volunteer organisations", "volunteer activities", "volunteer requests",
                                   "volunteer matches")] == [0, 0, 0, 0]
    assert db.session.scalar(select(func.count(VolunteerActivity.id))) == len(activities)


def test_a_kickoff_this_week_one_held_and_proposals_left(demo):
    assert demo["kick-off meetings"] == 2
    coordinator = db.session.scalar(select(User).where(User.username == "frivillig"))
    meetings = db.session.scalars(select(Meeting).where(Meeting.kind == "kickoff")).all()
    assert {m.status for m in meetings} == {"planlagt", "afholdt"}
    assert all(m.staff2_id == coordinator.id for m in meetings)
    planned = next(m for m in meetings if m.status == "planlagt")
    today = today_local()
    monday = today - timedelta(days=today.weekday())
    assert monday <= local(planned.starts_at).date() <= monday + timedelta(days=6)
    items = kickoff_items(meeting_date_for(today))
    assert items, "courses at week 16 or later without a kick-off stay on the agenda"
    assert {m.course_id for m in meetings}.isdisjoint({i.kickoff_course_id for i in items})
    assert kickoff.load(None) == {"kick-off meetings": 0}
