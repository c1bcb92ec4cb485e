"""Fictitious Min Plan texts for demo courses (`flask demo-data`; loaded after the citizens' demo
data, see webapp.tools.demo.feature_demos). Every text here is made up."""

from datetime import timedelta

from sqlalchemy import select

from webapp.citizens.milestones import latest_end
from webapp.citizens.models import Course
from webapp.extensions import db
from webapp.plans import services
from webapp.plans.models import Plan
from webapp.timeutil import today_local
from webapp.tools.bench.plans import FOLLOW_UP, GOAL


def load(rng) -> dict:
    """Fill a plan for courses that have none yet: the goal, and follow-ups every 4-5 weeks so far."""
    today = today_local()
    courses = db.session.scalars(
        select(Course).outerjoin(Plan, Plan.course_id == Course.id).where(Plan.id.is_(None)).order_by(Course.id)
    ).all()
    follow_ups = 0
    for course in courses:
        plan = services.get_or_create_plan(course, None)
        for name in ("reasons", "goal", "sub_goals", "my_effort", "tasks_next"):
            setattr(plan, name, GOAL[name])
        plan.goal_date = course.start_date
        last = min(course.end_date or today, latest_end(course.start_date))
        on = course.start_date + timedelta(weeks=4)
        if on <= last:
            plan.next_follow_up = on
        services._new_version(plan, None, "Demo")
        while on <= last:
            services.add_follow_up(plan, on, None, values=dict(FOLLOW_UP))
            follow_ups += 1
            on += timedelta(weeks=rng.choice((4, 5)))
        if course.end_date is not None:
            plan.achieved, plan.future_plan, plan.future_date = GOAL["achieved"], GOAL["future_plan"], course.end_date
            services._new_version(plan, None, "Demo")
    db.session.flush()
    return {"plans": len(courses), "plan follow-ups": follow_ups}
