"""Benchmark: courses, meetings and plans in proportion to the large data set; the citizen page."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert, select

from webapp.extensions import db

STATE: dict = {}


def seed(ctx) -> None:
    from webapp.citizens.models import Citizen, Course, Meeting
    from webapp.plans.models import Plan

    n_courses = 20_000 if ctx.large else 0
    courses, plans, meetings = [], [], []
    for i in range(n_courses):
        citizen_id = 1 + (i * 5) % max(1, ctx.n_citizens)
        start = ctx.today - timedelta(days=10 + (i * 3652) // max(1, n_courses))
        open_ = (ctx.today - start).days < 130 and i % 3 == 0
        end = None if open_ else start + timedelta(days=60 + i % 70)
        courses.append({"citizen_id": citizen_id, "start_date": start, "end_date": end, "is_return": i % 17 == 0,
                        "stop_reason": None if open_ else "ILB", "created_at": datetime(2020, 1, 1, tzinfo=UTC)})
    if courses:
        db.session.execute(insert(Course), courses)
        db.session.commit()
        ids = db.session.execute(select(Course.id, Course.citizen_id, Course.start_date)).all()
        for course_id, citizen_id, start in ids:
            plans.append({"course_id": course_id, "version": 1, "goal": "Mit mål er at få styr på min post.",
                          "reasons": "Jeg vil gerne have hjælp.", "updated_at": datetime(2020, 1, 1, tzinfo=UTC)})
            for k in range(8):
                day = start + timedelta(days=7 * k + 3)
                meetings.append({"citizen_id": citizen_id, "course_id": course_id,
                                 "kind": "opfoelgning" if k % 2 else "coaching",
                                 "starts_at": datetime.combine(day, time(10), tzinfo=UTC), "duration_minutes": 45,
                                 "status": "afholdt" if day < ctx.today else "planlagt",
                                 "created_at": datetime(2020, 1, 1, tzinfo=UTC)})
            if len(meetings) >= 50_000:
                db.session.execute(insert(Meeting), meetings)
                meetings = []
        db.session.execute(insert(Plan), plans)
        if meetings:
            db.session.execute(insert(Meeting), meetings)
        db.session.commit()
    # The citizen measured: many courses and a long history.
    STATE["citizen_id"] = db.session.scalar(select(Citizen.id).order_by(Citizen.id).limit(1))
    if STATE["citizen_id"] is None:
        citizen = Citizen(first_name="Bench", last_name="Borger", first_name_lower="bench", cpr="0101801234")
        db.session.add(citizen)
        db.session.commit()
        STATE["citizen_id"] = citizen.id


def measure(app, visitor, runs) -> dict:
    from webapp.tools.bench import p95, timed

    url = f"/borgere/{STATE['citizen_id']}"

    def citizen_page():
        response = visitor.client.get(url)
        assert response.status_code == 200, response.status_code

    return {"citizen_page_p95_ms": p95(timed(citizen_page, runs))}
