"""The ordinary demo (`flask demo-data`) has the volunteer world: five organisations and their
activities, one paused, so the coordinator's page is never empty; loading it twice adds nothing."""

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.tools.demo import volunteers
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
