"""Benchmark seeding and figures for handover, consent, outreach – and the course data the
Friday meeting's agenda is built from, in proportion to the citizens seeded (`flask bench`).

Proportions per 100,000 citizens over ten years (the report's unit scaled up): 30 % get a course
(about 58 new courses a week), 40 % a guide conversation, six meetings per course, 6 % of courses
end in a handover, 2 % of citizens get an outreach request. Courses, guide conversations and
meetings are seeded only if no other feature bench made them already."""

import statistics
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select, update

YEARS = 10
COURSE_SHARE = 0.30
GUIDE_SHARE = 0.40
MEETINGS_PER_COURSE = 6
HANDOVER_SHARE = 0.06
OUTREACH_SHARE = 0.02
BATCH = 20_000


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def _flush(model, rows: list[dict]) -> None:
    from webapp.extensions import db

    if rows:
        db.session.execute(insert(model), rows)
        rows.clear()


def _seed_courses(ctx, n_citizens: int) -> None:
    """Guide conversations, courses (closed unless in the last 20 weeks) and their meetings."""
    from webapp.citizens.models import Course, GuideConversation, Meeting
    from webapp.extensions import db

    rng, today = ctx.rng, ctx.today
    days = YEARS * 365
    gcs, courses, meetings = [], [], []
    n_guides = int(n_citizens * GUIDE_SHARE)
    for i in range(n_guides):
        day = today - timedelta(days=int(days * i / max(n_guides, 1)))
        staff = rng.sample(ctx.staff_ids, 2)
        outcome = rng.choices(["forloeb", "ad_hoc", "direkte_myndighed", "frivilligt_tilbud"], [75, 15, 6, 4])[0]
        gcs.append({
            "scheduled_at": _at(day, 9 + i % 7), "status": "afholdt", "citizen_id": 1 + (i * 7) % n_citizens,
            "duration_minutes": 60, "staff1_id": staff[0], "staff2_id": staff[1], "outcome": outcome,
            "lacks_authority_experience": i % 10 == 0, "created_at": _at(day, 8),
            "direct_authority_reason": "Akut behov" if outcome == "direkte_myndighed" else None,
        })
        if len(gcs) == BATCH:
            _flush(GuideConversation, gcs)
    _flush(GuideConversation, gcs)

    n_courses = int(n_citizens * COURSE_SHARE)
    for i in range(n_courses):
        start = today - timedelta(days=int(days * i / max(n_courses, 1)))
        weeks = rng.randint(4, 20)
        end = start + timedelta(days=7 * weeks - 1)
        open_now = end >= today
        courses.append({
            "citizen_id": 1 + (i * 11) % n_citizens, "start_date": start, "end_date": None if open_now else end,
            "is_return": i % 20 == 0, "created_at": _at(start, 8),
            # most are assessed on time; one in ten is not (the agenda must show those)
            "assessment_date": start + timedelta(days=rng.randint(55, 69)) if i % 10 else None,
        })
        if len(courses) == BATCH:
            _flush(Course, courses)
    _flush(Course, courses)
    db.session.commit()

    rows = db.session.execute(select(Course.id, Course.citizen_id, Course.start_date, Course.end_date)).all()
    for course_id, citizen_id, start, end in rows:
        last = end or today
        for k in range(MEETINGS_PER_COURSE):
            day = start + timedelta(days=10 + 14 * k)
            if day > last:
                break
            meetings.append({
                "citizen_id": citizen_id, "course_id": course_id, "kind": "opfoelgning" if k % 3 == 0 else "coaching",
                "starts_at": _at(day, 13), "duration_minutes": 60, "created_at": _at(day, 8),
                "status": "udeblevet" if (course_id % 25 == 0 and k >= 2) else "afholdt",
            })
            if len(meetings) == BATCH:
                _flush(Meeting, meetings)
    _flush(Meeting, meetings)
    db.session.commit()


def _seed_handovers_and_outreach(ctx, n_citizens: int) -> None:
    from webapp.citizens.models import Course
    from webapp.extensions import db
    from webapp.handover.models import Consent, DirectAuthorityProposal, Handover
    from webapp.outreach.models import OutreachRequest, OutreachVisit

    rng, today = ctx.rng, ctx.today
    courses = db.session.execute(
        select(Course.id, Course.citizen_id, Course.start_date, Course.end_date).order_by(Course.id)
    ).all()
    step = max(1, round(1 / HANDOVER_SHARE))
    consents, handovers = [], []
    for course_id, citizen_id, start, end in courses[::step]:
        last = end or today
        sent = _at(last, 12)
        status = "kladde" if end is None else ("modtaget" if last < today - timedelta(days=14) else "sendt")
        consents.append({"citizen_id": citizen_id, "basis": "samtykke", "purpose": "Overdragelse",
                         "recipient_code": "myndighedsafdelingen", "given_on": start, "recorded_at": _at(start, 9)})
        handovers.append({
            "citizen_id": citizen_id, "course_id": course_id, "status": status, "created_at": _at(last, 10),
            "reasons": "Jeg har brug for hjælp til min økonomi.", "worked_on": "Mit mål: styr på posten",
            "course_length": "Mit forløb varede 14 uger.", "fl_economy": "Gæld",
            "sent_at": None if status == "kladde" else sent,
            "received_at": sent + timedelta(days=2) if status == "modtaget" else None,
        })
    _flush(Consent, consents)
    _flush(Handover, handovers)

    n_requests = int(n_citizens * OUTREACH_SHARE)
    days = YEARS * 365
    requests = []
    for i in range(n_requests):
        received = today - timedelta(days=int(days * i / max(n_requests, 1)))
        closed = received < today - timedelta(days=21)
        requests.append({
            "received_on": received, "state": "afsluttet" if closed else ("tildelt" if i % 2 else "modtaget"),
            "partner_code": rng.choice(["jobcenter", "lokalpsykiatri", "praktiserende_laege"]),
            "contact_person": "Kontaktperson", "reason": "Kan ikke komme ud af døren.",
            "citizen_id": 1 + (i * 13) % n_citizens, "urgency": "almindelig",
            "assigned_to_id": ctx.staff_ids[i % len(ctx.staff_ids)] if (closed or i % 2) else None,
            "assigned_on": received + timedelta(days=1) if (closed or i % 2) else None,
            "last_action_on": received + timedelta(days=7 if closed else 1 if i % 2 else 0),
            "outcome": "kort_afklaring" if closed else None,
            "closed_on": received + timedelta(days=14) if closed else None,
            "created_at": _at(received, 9),
        })
    _flush(OutreachRequest, requests)
    db.session.commit()
    ids = db.session.scalars(select(OutreachRequest.id).where(OutreachRequest.state == "afsluttet")).all()
    visits = [{"request_id": rid, "visit_date": today - timedelta(days=30), "duration_minutes": 60,
               "created_at": _at(today, 9)} for rid in ids]
    _flush(OutreachVisit, visits)

    # Every guide conversation that proposed "direct" got its proposal, decided at the next
    # Friday meeting – except this week's, which wait for the coming meeting.
    from webapp.citizens.models import GuideConversation
    from webapp.timeutil import local

    direct = db.session.execute(
        select(GuideConversation.id, GuideConversation.citizen_id, GuideConversation.scheduled_at).where(
            GuideConversation.outcome == "direkte_myndighed"
        )
    ).all()
    proposals = []
    for gc_id, citizen_id, when in direct:
        day = local(when).date()
        friday = day + timedelta(days=(4 - day.weekday()) % 7 or 7)
        decided = friday < today
        proposals.append({"citizen_id": citizen_id, "guide_conversation_id": gc_id, "reason": "Akut behov",
                          "proposed_at": when, "decision": "godkendt" if decided else None,
                          "decided_on": friday if decided else None})
    _flush(DirectAuthorityProposal, proposals)
    db.session.commit()


def _pdf_handover(ctx) -> None:
    """One handover with full text, for the PDF timing (also on the empty database)."""
    from webapp.citizens.models import Citizen, Course
    from webapp.extensions import db
    from webapp.handover.models import FUNCTIONAL_THEMES, Handover

    citizen = Citizen(first_name="Bente", last_name="Benchmark", first_name_lower="bente")
    db.session.add(citizen)
    db.session.flush()
    course = Course(citizen_id=citizen.id, start_date=ctx.today - timedelta(days=100))
    db.session.add(course)
    db.session.flush()
    text = "Jeg har arbejdet med at åbne min post og lave et budget. " * 6
    db.session.add(Handover(citizen_id=citizen.id, course_id=course.id, status="kladde", reasons=text,
                            worked_on=text, how_worked=text, course_length="14 uger", future_agreements=text,
                            **dict.fromkeys(FUNCTIONAL_THEMES, "Oplysninger fra forløbet.")))
    db.session.commit()


def seed(ctx) -> None:
    from webapp.auth.models import User
    from webapp.citizens.models import Course
    from webapp.extensions import db

    # Half the staff have authority experience (myndighedserfaring), as in the unit.
    db.session.execute(update(User).where(User.id.in_(ctx.staff_ids[::2])).values(has_authority_experience=True))
    db.session.commit()
    if ctx.n_citizens:
        if not db.session.scalar(select(func.count()).select_from(Course)):
            _seed_courses(ctx, ctx.n_citizens)
        _seed_handovers_and_outreach(ctx, ctx.n_citizens)
    _pdf_handover(ctx)


def measure(app, visitor, runs: int) -> dict:
    from webapp.citizens.models import Citizen
    from webapp.extensions import db
    from webapp.handover.models import Handover

    with app.app_context():
        handover_id = db.session.scalar(
            select(Handover.id).join(Citizen, Handover.citizen_id == Citizen.id).where(Citizen.last_name == "Benchmark")
        )
        db.session.remove()
    url = f"/overdragelser/{handover_id}/overdragelse.pdf"
    assert visitor.client.get(url).status_code == 200  # warm fonts
    samples = []
    for _ in range(min(runs, 15)):
        started = time.perf_counter()
        response = visitor.client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return {"handover_pdf_ms": round(statistics.median(samples), 1)}
