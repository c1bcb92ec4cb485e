"""Benchmark figures for the Friday meeting (`flask bench`): the agenda for this week's meeting
(repeated, as during the meeting, and the first view after a change) and one projector item,
against the data the handover bench seeded (courses, guide conversations, meetings, outreach,
handovers), plus a few years of recorded decisions."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert, text

from webapp.tools.bench import p95, timed, timed_after_change


def seed(ctx) -> None:
    """Ten years of Friday meetings with three decisions each; the last two weeks' still open."""
    from webapp.extensions import db
    from webapp.meeting.models import MeetingDecision
    from webapp.meeting.rules import meeting_date_for

    if not ctx.n_citizens:
        return
    friday = meeting_date_for(ctx.today)
    rows = []
    for week in range(1, 52 * 10):
        day = friday - timedelta(days=7 * week)
        held = datetime.combine(day, time(10), tzinfo=UTC)
        for k in range(3):
            rows.append({
                "meeting_date": day, "section": "new_citizens", "item_key": f"gc:{week * 10 + k}",
                "item_label": "Anna A. – Nye borgere siden sidst", "text": "Mads ringer",
                "responsible_id": ctx.staff_ids[k], "deadline": day + timedelta(days=7), "created_at": held,
                "done_at": None if week <= 2 and k == 0 else held + timedelta(days=3),
            })
    db.session.execute(insert(MeetingDecision), rows)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # A production database has planner statistics (autovacuum); fresh bulk inserts do not.
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def measure(app, visitor, runs: int) -> dict:
    from webapp import live
    from webapp.extensions import db
    from webapp.meeting.rules import meeting_date_for
    from webapp.timeutil import today_local

    friday = meeting_date_for(today_local()).isoformat()

    def agenda():
        response = visitor.client.get(f"/fredagsmoede?dato={friday}")
        assert response.status_code == 200, response.status_code

    def projector():
        response = visitor.client.get(f"/fredagsmoede/{friday}/projektor?punkt=3")
        assert response.status_code == 200, response.status_code

    def change():
        """Any change to the data (a decision recorded, a course closed …): the agenda is assembled anew."""
        with app.app_context():
            live.bump()
            db.session.commit()

    return {
        "meeting_agenda_p95_ms": p95(timed(agenda, runs)),
        "meeting_agenda_after_change_p95_ms": p95(timed_after_change(change, agenda, runs)),
        "meeting_projector_p95_ms": p95(timed(projector, runs)),
    }
