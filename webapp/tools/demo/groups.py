"""Fictitious groups: the catalogue, a dozen runs over the demo period (one meeting today, one run
starting soon), demo citizens with courses enrolled, attendance and GSRS. Idempotent, flush only."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select

from webapp.auth import services as auth_services
from webapp.citizens.models import Course
from webapp.extensions import db
from webapp.groups import services
from webapp.groups.models import GroupAttendance, GroupEnrolment, GroupMeeting, GroupRun, GroupTheme
from webapp.timeutil import LOCAL_TZ, as_utc, local, today_local, utcnow

RUNS = 12


def _monday_to_thursday(day: date) -> date:
    while day.weekday() > 3:
        day += timedelta(days=1)
    return day


def load(rng: random.Random) -> dict:
    from webapp.outcomes.models import FitScore, to_tenths

    added_themes = services.ensure_default_themes()
    summary = {"group themes added": added_themes} if added_themes else {}
    if db.session.scalar(select(func.count()).select_from(GroupRun)):
        return summary
    courses = list(db.session.scalars(select(Course).order_by(Course.start_date)))
    if not courses:
        return summary
    peer = auth_services.find_user("peer")
    staff = [u for u in (auth_services.find_user(n) for n in ("medarbejder", "vaert", "leder")) if u]
    if not staff:
        return summary
    themes = list(db.session.scalars(select(GroupTheme).where(GroupTheme.active).order_by(GroupTheme.id)))
    today = today_local()
    now = utcnow()
    first = max(min(c.start_date for c in courses), today - timedelta(days=430))
    span = (today - first).days
    # Ten runs spread over the period, one with a meeting today, one starting in two weeks.
    starts = [_monday_to_thursday(first + timedelta(days=span * n // 10)) for n in range(10)]
    if today.weekday() < 5:
        starts.append(today - timedelta(weeks=2))
    starts.append(_monday_to_thursday(today + timedelta(weeks=2)))
    runs = meetings_made = enrolled = attended = gsrs = 0
    for n, start in enumerate(starts[:RUNS]):
        theme = themes[n % len(themes)]
        at = time(rng.choice((10, 13)), 0)
        run = GroupRun(
            theme_id=theme.id, team_number=services.next_team_number(start), start_date=start,
            end_date=start + timedelta(weeks=theme.usual_meetings - 1), place=theme.place,
            capacity=theme.max_participants, facilitator1_id=rng.choice(staff).id,
            facilitator2_id=peer.id if peer and rng.random() < 0.75 else None,
        )
        db.session.add(run)
        db.session.flush()
        meetings = []
        for week in range(theme.usual_meetings):
            meeting = GroupMeeting(run_id=run.id, duration_minutes=theme.meeting_minutes,
                                   starts_at=as_utc(datetime.combine(start + timedelta(weeks=week), at,
                                                                     tzinfo=LOCAL_TZ)))
            db.session.add(meeting)
            meetings.append(meeting)
        db.session.flush()
        runs += 1
        meetings_made += len(meetings)

        # Citizens whose course is running when the run starts (relatives never join groups).
        candidates = [c for c in db.session.scalars(select(Course).where(
            Course.start_date <= start, or_(Course.end_date.is_(None), Course.end_date >= start)))]
        rng.shuffle(candidates)
        seen: set[int] = set()
        chosen = []
        for course in candidates:
            if course.citizen_id not in seen:
                seen.add(course.citizen_id)
                chosen.append(course)
        places = min(theme.max_participants, rng.randint(4, theme.max_participants + 2))
        for number, course in enumerate(chosen[:places + 1]):
            waiting = number >= places  # one on the waiting list when the run is full
            if waiting and places < theme.max_participants:
                break
            stop = None
            if not waiting and rng.random() < 0.12 and len(meetings) > 2:
                stop = start + timedelta(weeks=rng.randint(1, len(meetings) - 1))
            enrolment = GroupEnrolment(run_id=run.id, citizen_id=course.citizen_id, course_id=course.id,
                                       start_date=start, stop_date=stop, waiting=waiting)
            db.session.add(enrolment)
            enrolled += not waiting
            if waiting:
                continue
            level = rng.uniform(31, 39)
            for meeting in meetings:
                if meeting.starts_at > now or (stop and local(meeting.starts_at).date() > stop):
                    continue
                status = rng.choices(("moedt", "ikke_moedt", "gik_undervejs"), weights=(78, 12, 10))[0]
                db.session.add(GroupAttendance(meeting_id=meeting.id, citizen_id=course.citizen_id, status=status,
                                               recorded_by_id=run.facilitator1_id))
                attended += status != "ikke_moedt"
                if status != "ikke_moedt" and rng.random() < 0.88:
                    values = [Decimal(str(round(min(10.0, max(0.0, level / 4 + rng.uniform(-0.8, 0.8))), 1)))
                              for _ in range(4)]
                    db.session.add(FitScore(
                        citizen_id=course.citizen_id, course_id=course.id, scale="GSRS",
                        group_meeting_id=meeting.id, session_at=meeting.starts_at, skipped=False,
                        item1=to_tenths(values[0]), item2=to_tenths(values[1]), item3=to_tenths(values[2]),
                        item4=to_tenths(values[3]), total_tenths=to_tenths(sum(values)),
                        recorded_by_id=run.facilitator1_id))
                    gsrs += 1
        db.session.flush()
    summary.update({"group runs created": runs, "group meetings": meetings_made, "group enrolments": enrolled,
                    "attendances": attended, "GSRS scores": gsrs})
    return summary
