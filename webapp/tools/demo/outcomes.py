"""Fictitious coaching conversations and FIT series for the demo citizens who have courses: most
series improve, some stay flat, some get worse; now and then a form is skipped. Idempotent, flush only."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from webapp.auth import services as auth_services
from webapp.citizens.models import Course, GuideConversation, Meeting
from webapp.extensions import db
from webapp.outcomes.models import FitScore, to_tenths
from webapp.timeutil import LOCAL_TZ, as_utc, today_local

TRAJECTORIES = ("improving",) * 5 + ("flat",) * 3 + ("deteriorating",) * 2
TENTH = Decimal("0.1")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return as_utc(datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ))


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _items(rng: random.Random, total: float) -> list[Decimal]:
    """Four item scores (0–10, one decimal) around a wanted total."""
    base = total / 4
    values = [min(10.0, max(0.0, base + rng.uniform(-1.4, 1.4))) for _ in range(4)]
    return [Decimal(str(round(v, 1))) for v in values]


def _score(citizen_id, course_id, scale, session_at, rng, total, *, meeting=None, guide=None, skip_chance=0.06,
           user_id=None):
    skipped = rng.random() < skip_chance
    items = None if skipped else _items(rng, total)
    return FitScore(
        citizen_id=citizen_id, course_id=course_id, scale=scale, session_at=session_at,
        meeting_id=meeting.id if meeting else None, guide_conversation_id=guide.id if guide else None,
        period=rng.choice(("siden_sidst", "siden_sidst", "i_dag")) if scale == "ORS" else None,
        skipped=skipped, item1=None if skipped else to_tenths(items[0]), item2=None if skipped else to_tenths(items[1]),
        item3=None if skipped else to_tenths(items[2]), item4=None if skipped else to_tenths(items[3]),
        total_tenths=None if skipped else to_tenths(sum(items)), on_paper=rng.random() < 0.1,
        recorded_by_id=user_id,
    )


def load(rng: random.Random) -> dict:
    if db.session.scalar(select(func.count()).select_from(FitScore)):
        return {}
    courses = list(db.session.scalars(select(Course).order_by(Course.id)))
    if not courses:
        return {}
    staff = [u for u in (auth_services.find_user(n) for n in ("medarbejder", "vaert", "peer", "leder")) if u]
    if not staff:
        return {}
    today = today_local()
    coaching_made = scores_made = 0
    board_today = 0
    for course in courses:
        if rng.random() > 0.85:  # some courses have no FIT yet
            continue
        end = min(course.end_date or today, today, course.start_date + timedelta(days=139))
        existing = list(db.session.scalars(select(Meeting).where(
            Meeting.course_id == course.id, Meeting.kind == "coaching").order_by(Meeting.starts_at)))
        held = [m for m in existing if m.status == "afholdt"]
        if not existing:
            days = max((end - course.start_date).days, 1)
            count = max(1, min(rng.randint(3, 7), days // 7 + 1))
            for n in range(count):
                day = _weekday(course.start_date + timedelta(days=3 + n * days // count))
                if day > end:
                    break
                staff1 = rng.choice(staff)
                others = [s for s in staff if s.id != staff1.id]
                meeting = Meeting(
                    citizen_id=course.citizen_id, course_id=course.id, kind="coaching",
                    starts_at=_at(day, rng.choice((9, 10, 13, 14))), duration_minutes=rng.choice((45, 60, 60, 75)),
                    status="afholdt" if rng.random() > 0.07 else "udeblevet", staff1_id=staff1.id,
                    staff2_id=rng.choice(others).id if others and rng.random() < 0.3 else None,
                )
                relatives = course.citizen.relatives
                if relatives and rng.random() < 0.2:
                    meeting.relative_id = relatives[0].id
                db.session.add(meeting)
                coaching_made += 1
                if meeting.status == "afholdt":
                    held.append(meeting)
            if course.end_date is None:  # an open course has the next conversation booked
                # A few today, so the day board shows coaching conversations.
                if board_today < 3 and today.weekday() < 5 and rng.random() < 0.3:
                    upcoming_day = today
                    board_today += 1
                else:
                    upcoming_day = _weekday(today + timedelta(days=rng.randint(2, 9)))
                db.session.add(Meeting(
                    citizen_id=course.citizen_id, course_id=course.id, kind="coaching",
                    starts_at=_at(upcoming_day, rng.choice((13, 14, 15))), duration_minutes=60, status="planlagt",
                    staff1_id=rng.choice(staff).id))
                coaching_made += 1
            db.session.flush()

        trajectory = rng.choice(TRAJECTORIES)
        level = rng.uniform(13, 23)
        step = {"improving": rng.uniform(1.5, 3.2), "flat": 0.0, "deteriorating": -rng.uniform(0.8, 1.8)}[trajectory]
        guide = db.session.get(GuideConversation, course.guide_conversation_id) if course.guide_conversation_id \
            else None
        if guide is not None and guide.status == "afholdt" and guide.citizen_id == course.citizen_id:
            db.session.add(_score(course.citizen_id, course.id, "ORS", guide.scheduled_at, rng, level, guide=guide,
                                  skip_chance=0))
            scores_made += 1
        for n, meeting in enumerate(sorted(held, key=lambda m: m.starts_at)):
            total = min(39.0, max(2.0, level + step * (n + 1) + rng.uniform(-1.5, 1.5)))
            db.session.add(_score(course.citizen_id, course.id, "ORS", meeting.starts_at, rng, total, meeting=meeting,
                                  skip_chance=0.05 if n else 0, user_id=meeting.staff1_id))
            srs = min(40.0, rng.uniform(31, 39.5) - (3 if trajectory == "deteriorating" and n > 1 else 0))
            db.session.add(_score(course.citizen_id, course.id, "SRS", meeting.starts_at, rng, srs, meeting=meeting,
                                  user_id=meeting.staff1_id))
            scores_made += 2
        db.session.flush()
    return {"coaching conversations created": coaching_made, "FIT scores created": scores_made}
