"""Demo data for coaching, FIT and groups: only for citizens with courses, varied, idempotent."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from webapp.citizens.models import Course, Meeting
from webapp.extensions import db
from webapp.groups.models import GroupAttendance, GroupRun, GroupTheme
from webapp.outcomes import services
from webapp.outcomes.models import FitScore
from webapp.outcomes.scoring import ChangeStatus
from webapp.tools.demo import groups as groups_demo
from webapp.tools.demo import load_demo_citizens, load_demo_users
from webapp.tools.demo import outcomes as outcomes_demo

from .factories import TODAY

pytestmark = pytest.mark.usefixtures("clock")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_without_courses_nothing_is_created_but_the_catalogue():
    load_demo_users()
    load_demo_citizens(random.Random(1))
    assert outcomes_demo.load(random.Random(1)) == {}
    groups_demo.load(random.Random(1))
    assert count(FitScore) == count(GroupRun) == count(Meeting) == 0
    assert count(GroupTheme) >= 9


def test_demo_series_runs_and_attendance(login):
    load_demo_users()
    citizens = load_demo_citizens(random.Random(1), count=40)
    rng = random.Random(7)
    for n, citizen in enumerate(citizens):
        start = TODAY - timedelta(days=rng.randint(20, 420))
        end = None if n % 3 else min(TODAY - timedelta(days=1), start + timedelta(weeks=rng.randint(6, 19)))
        db.session.add(Course(citizen_id=citizen.id, start_date=start, end_date=end))
    db.session.flush()

    summary = outcomes_demo.load(random.Random(2016))
    summary.update(groups_demo.load(random.Random(2016)))
    db.session.commit()
    assert summary["FIT scores created"] > 100 and summary["group runs created"] == 12
    assert summary["attendances"] > 50 and summary["GSRS scores"] > 30

    changes = set()
    for course in db.session.scalars(select(Course)):
        rows = services.sessions_scored(services.scores_for_course(course))
        changes.add(services.course_outcome(rows).change.status)
    assert {ChangeStatus.RELIABLY_IMPROVED, ChangeStatus.NO_RELIABLE_CHANGE,
            ChangeStatus.RELIABLY_DETERIORATED} <= changes
    assert db.session.scalar(select(func.count()).select_from(FitScore).where(FitScore.skipped)) > 0
    assert db.session.scalar(select(func.count()).select_from(GroupAttendance).where(
        GroupAttendance.status == "ikke_moedt")) > 0

    # Idempotent: a second load adds nothing.
    assert outcomes_demo.load(random.Random(1)) == {}
    assert "group runs created" not in groups_demo.load(random.Random(1))

    # The pages work on the demo data.
    staff = login("staff")
    assert "Grupper i dag" in staff.get("/dagstavle").get_data(as_text=True)
    assert staff.get("/grupper").status_code == 200
    run = db.session.scalars(select(GroupRun).order_by(GroupRun.start_date)).first()
    assert "<svg" in staff.get(f"/grupper/hold/{run.id}").get_data(as_text=True)
    course = db.session.scalars(select(Course).join(FitScore, FitScore.course_id == Course.id)).first()
    assert "<svg" in staff.get(f"/fit/borger/{course.citizen_id}").get_data(as_text=True)
