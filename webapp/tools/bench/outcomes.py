"""Benchmark figures for FIT and groups (see webapp/bench.py):

- fit_chart_p95_ms: the course chart of a citizen with 40 scored sessions, as SVG over HTTP;
- group_attendance_post_p95_ms: one tap of attendance at a group meeting.

On the large database the tables around them are filled too (courses with coaching, FIT scores,
group runs with attendance and GSRS), so the figures show whether the queries stay indexed."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

from webapp.citizens.models import Citizen, Course, Meeting
from webapp.extensions import db
from webapp.groups.models import GroupAttendance, GroupEnrolment, GroupMeeting, GroupRun, GroupTheme
from webapp.outcomes.models import FitScore
from webapp.timeutil import LOCAL_TZ, as_utc
from webapp.tools.bench import SeedContext, p95, timed

BENCH_FIRST_NAME = "Fitbench"
BENCH_TEAM = "BENCH-1"
SESSIONS = 40
BATCH = 20_000


def _at(day: date, hour: int = 10) -> datetime:
    return as_utc(datetime.combine(day, time(hour), tzinfo=LOCAL_TZ))


def _insert_ids(model, rows: list[dict]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        ids += db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True),
                                  rows[start:start + BATCH]).all()
    return ids


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start:start + BATCH])


def _score_rows(citizen_id, course_id, meeting_ids_and_times, rng, scale_pairs=("ORS", "SRS")) -> list[dict]:
    rows = []
    for n, (meeting_id, at) in enumerate(meeting_ids_and_times):
        for scale in scale_pairs:
            items = [rng.randint(20, 95) for _ in range(4)]
            rows.append({"citizen_id": citizen_id, "course_id": course_id, "scale": scale, "meeting_id": meeting_id,
                         "session_at": at, "period": "siden_sidst" if scale == "ORS" else None,
                         "skipped": n % 17 == 5, "item1": items[0], "item2": items[1], "item3": items[2],
                         "item4": items[3], "total_tenths": None if n % 17 == 5 else sum(items), "on_paper": False,
                         "recorded_at": at})
    return rows


def seed(ctx: SeedContext) -> None:
    rng, today = ctx.rng, ctx.today
    staff = ctx.staff_ids
    # The citizen whose chart is measured: an open course with 40 rated coaching conversations.
    citizen = Citizen(first_name=BENCH_FIRST_NAME, last_name="Benchsen", first_name_lower=BENCH_FIRST_NAME.lower())
    db.session.add(citizen)
    db.session.flush()
    course = Course(citizen_id=citizen.id, start_date=today - timedelta(weeks=19))
    db.session.add(course)
    db.session.flush()
    sessions = [(_at(course.start_date + timedelta(days=1 + n * 3)), n) for n in range(SESSIONS)]
    meeting_ids = _insert_ids(Meeting, [
        {"citizen_id": citizen.id, "course_id": course.id, "kind": "coaching", "starts_at": at,
         "duration_minutes": 60, "status": "afholdt", "staff1_id": staff[n % len(staff)], "created_at": at}
        for at, n in sessions])
    _insert(FitScore, _score_rows(citizen.id, course.id, list(zip(meeting_ids, [at for at, _ in sessions],
                                                                  strict=True)), rng))

    # The group meeting whose attendance is measured: today, eight enrolled.
    theme = db.session.scalar(select(GroupTheme).order_by(GroupTheme.id).limit(1))
    run = GroupRun(theme_id=theme.id, team_number=BENCH_TEAM, start_date=today - timedelta(weeks=1),
                   end_date=today + timedelta(weeks=4), capacity=8, facilitator1_id=staff[0],
                   facilitator2_id=staff[1])
    db.session.add(run)
    db.session.flush()
    db.session.add_all(GroupMeeting(run_id=run.id, starts_at=_at(run.start_date + timedelta(weeks=w)),
                                    duration_minutes=120) for w in range(5))
    members = [Citizen(first_name=f"Gruppebench{i}", last_name="Benchsen", first_name_lower=f"gruppebench{i}")
               for i in range(8)]
    db.session.add_all(members)
    db.session.flush()
    db.session.add_all(GroupEnrolment(run_id=run.id, citizen_id=m.id, start_date=run.start_date) for m in members)
    db.session.commit()

    if ctx.large:
        _seed_history(ctx)


def _seed_history(ctx: SeedContext) -> None:
    """Ten years of courses with rated coaching and of group runs with attendance and GSRS."""
    rng, today, staff = ctx.rng, ctx.today, ctx.staff_ids
    n_courses = min(12_000, max(ctx.n_citizens // 8, 100))
    citizen_ids = rng.sample(range(1, ctx.n_citizens + 1), n_courses) if ctx.n_citizens >= n_courses else \
        [1 + n % max(ctx.n_citizens, 1) for n in range(n_courses)]
    starts = [today - timedelta(days=rng.randint(30, 3650)) for _ in range(n_courses)]
    course_ids = _insert_ids(Course, [
        {"citizen_id": cid, "start_date": start, "end_date": start + timedelta(weeks=rng.randint(4, 19)),
         "is_return": False, "created_at": _at(start)} for cid, start in zip(citizen_ids, starts, strict=True)])
    meeting_rows, owners = [], []
    for course_id, cid, start in zip(course_ids, citizen_ids, starts, strict=True):
        for n in range(8):
            at = _at(start + timedelta(days=3 + 9 * n))
            meeting_rows.append({"citizen_id": cid, "course_id": course_id, "kind": "coaching", "starts_at": at,
                                 "duration_minutes": 60, "status": "afholdt", "staff1_id": rng.choice(staff),
                                 "created_at": at})
            owners.append((cid, course_id, at))
    meeting_ids = _insert_ids(Meeting, meeting_rows)
    score_rows = []
    for meeting_id, (cid, course_id, at) in zip(meeting_ids, owners, strict=True):
        score_rows += _score_rows(cid, course_id, [(meeting_id, at)], rng)
    _insert(FitScore, score_rows)
    db.session.commit()

    themes = db.session.scalars(select(GroupTheme.id)).all()
    run_rows = []
    for n in range(1500):
        start = today - timedelta(days=rng.randint(60, 3650))
        run_rows.append({"theme_id": themes[n % len(themes)], "team_number": f"H{n:05d}", "start_date": start,
                         "end_date": start + timedelta(weeks=7), "place": "din_indgang", "capacity": 8,
                         "facilitator1_id": rng.choice(staff), "facilitator2_id": rng.choice(staff),
                         "created_at": _at(start)})
    run_ids = _insert_ids(GroupRun, run_rows)
    meeting_rows = [{"run_id": run_id, "starts_at": _at(row["start_date"] + timedelta(weeks=w)),
                     "duration_minutes": 120, "cancelled": False}
                    for run_id, row in zip(run_ids, run_rows, strict=True) for w in range(8)]
    group_meeting_ids = _insert_ids(GroupMeeting, meeting_rows)
    enrol_rows, attendance_rows, gsrs_rows = [], [], []
    for index, (run_id, row) in enumerate(zip(run_ids, run_rows, strict=True)):
        members = rng.sample(citizen_ids, 8)
        for cid in members:
            enrol_rows.append({"run_id": run_id, "citizen_id": cid, "start_date": row["start_date"],
                               "waiting": False, "created_at": _at(row["start_date"])})
        for w in range(8):
            meeting_id = group_meeting_ids[index * 8 + w]
            at = meeting_rows[index * 8 + w]["starts_at"]
            for cid in members:
                status = rng.choice(("moedt", "moedt", "moedt", "ikke_moedt", "gik_undervejs"))
                attendance_rows.append({"meeting_id": meeting_id, "citizen_id": cid, "status": status,
                                        "recorded_at": at})
                if status != "ikke_moedt":
                    items = [rng.randint(70, 100) for _ in range(4)]
                    gsrs_rows.append({"citizen_id": cid, "scale": "GSRS", "group_meeting_id": meeting_id,
                                      "session_at": at, "skipped": False, "item1": items[0], "item2": items[1],
                                      "item3": items[2], "item4": items[3], "total_tenths": sum(items),
                                      "on_paper": False, "recorded_at": at})
    _insert(GroupEnrolment, enrol_rows)
    _insert(GroupAttendance, attendance_rows)
    _insert(FitScore, gsrs_rows)
    db.session.commit()


STATUSES = ("moedt", "ikke_moedt", "gik_undervejs")


def measure(app, visitor, runs: int) -> dict:
    with app.app_context():
        course_id = db.session.scalar(select(Course.id).join(Citizen, Citizen.id == Course.citizen_id).where(
            Citizen.first_name == BENCH_FIRST_NAME))
        run_id = db.session.scalar(select(GroupRun.id).where(GroupRun.team_number == BENCH_TEAM))
        meeting_id = db.session.scalar(select(GroupMeeting.id).where(GroupMeeting.run_id == run_id)
                                       .order_by(GroupMeeting.starts_at).offset(1).limit(1))
        member_ids = db.session.scalars(select(GroupEnrolment.citizen_id).where(GroupEnrolment.run_id == run_id)
                                        .order_by(GroupEnrolment.citizen_id)).all()
        db.session.remove()
    figures = {}

    def chart():
        response = visitor.client.get(f"/fit/forloeb/{course_id}/graf.svg")
        assert response.status_code == 200, response.status_code
        assert response.get_data().count(b'class="marker series-0"') >= SESSIONS - 5

    figures["fit_chart_p95_ms"] = p95(timed(chart, runs))

    taps = iter(range(10**9))
    hx = {"HX-Request": "true"}

    def attendance():
        n = next(taps)
        # Each citizen's status changes from one tap to their next, so no tap clears a mark.
        data = {"citizen_id": str(member_ids[n % len(member_ids)]), "status": STATUSES[(n // len(member_ids)) % 3]}
        response = visitor.post(f"/grupper/moede/{meeting_id}/fremmoede", data, headers=hx)
        assert response.status_code == 200, response.status_code

    figures["group_attendance_post_p95_ms"] = p95(timed(attendance, runs))
    return figures
