"""Benchmark figures for the reminders' outbox (`flask bench`): a batch of 1,000 due messages sent to
loopback providers started here (an SMTP server and an SMS gateway), and the plan of the sender's
"what is due" query at the bench's data size (it must stay a range of ix_outbox_message_due)."""

import time
from datetime import UTC, datetime, timedelta

import click
from sqlalchemy import insert, select, text

BATCH = 1000
HISTORY_PER_CITIZEN = 3  # ten years of sent reminders: a few per citizen


def _row(i: int, citizen_id: int, at: datetime, status: str, key_prefix: str) -> dict:
    sms = i % 2 == 0
    return {
        "idempotency_key": f"{key_prefix}:{i}", "citizen_id": citizen_id, "channel": "sms" if sms else "email",
        "recipient": "4520112233" if sms else "borger@example.dk", "subject": "Påmindelse: din aftale",
        "body": "Hej\nHusk din aftale.\nVenlig hilsen Din Indgang", "source": "guide", "source_id": i,
        "offset": "dagen_foer", "event_at": at + timedelta(hours=17), "due_at": at, "next_attempt_at": at,
        "status": status, "attempts": 1 if status == "sendt" else 0, "created_at": at,
        "sent_at": at if status == "sendt" else None, "provider_id": str(i) if status == "sendt" else None,
    }


def seed(ctx) -> None:
    """Sent reminders over the years, and the coming week's waiting ones."""
    from webapp.extensions import db
    from webapp.messages.models import OutboxMessage

    if not ctx.n_citizens:
        return
    n = ctx.n_citizens * HISTORY_PER_CITIZEN
    start = datetime.combine(ctx.today, datetime.min.time(), tzinfo=UTC) - timedelta(days=3650)
    rows = []
    for i in range(n):
        rows.append(_row(i, 1 + i % ctx.n_citizens, start + timedelta(minutes=(i * 5256000) // n), "sendt", "h"))
        if len(rows) == 20000:
            db.session.execute(insert(OutboxMessage), rows)
            rows = []
    soon = datetime.combine(ctx.today, datetime.min.time(), tzinfo=UTC)
    rows += [_row(i, 1 + i % ctx.n_citizens, soon + timedelta(days=1 + i % 7, minutes=i), "venter", "w")
             for i in range(2000)]
    db.session.execute(insert(OutboxMessage), rows)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE outbox_message"))


def due_plan() -> str:
    """EXPLAIN of the sender's "what is due" query, one line."""
    from webapp.extensions import db
    from webapp.messages.sender import due_query
    from webapp.timeutil import utcnow

    sql = str(due_query(utcnow(), {"sms", "email"}, 50).compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "postgresql":
        return " | ".join(db.session.scalars(text(f"EXPLAIN {sql}")))
    return " | ".join(str(r[-1]) for r in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))


def measure(app, visitor, runs: int) -> dict:
    from webapp.citizens.models import Citizen
    from webapp.extensions import db
    from webapp.messages import sender
    from webapp.messages.models import OutboxMessage
    from webapp.timeutil import utcnow
    from webapp.tools.loopback import LoopbackGateway, LoopbackSmtp

    del visitor, runs  # one batch of 1,000 is the measurement
    figures: dict = {}
    with app.app_context():
        plan = due_plan()
        uses_index = "ix_outbox_message_due" in plan and "Seq Scan" not in plan and "SCAN outbox_message" not in plan
        click.echo(f"[messages] due query plan: {plan}")
        if not uses_index:
            click.echo("[messages] WARNING: the due query does not read ix_outbox_message_due")
        figures["messages_due_index_scan"] = 1.0 if uses_index else 0.0
        start = time.perf_counter()
        db.session.scalars(sender.due_query(utcnow(), {"sms", "email"}, 50)).all()
        figures["messages_due_query_ms"] = round((time.perf_counter() - start) * 1000, 2)

        citizen_id = db.session.scalar(select(Citizen.id).limit(1))
        if citizen_id is None:
            citizen = Citizen(first_name="Bench", last_name="", first_name_lower="bench")
            db.session.add(citizen)
            db.session.flush()
            citizen_id = citizen.id
        now = utcnow() - timedelta(seconds=1)
        batch_key = f"b{time.time_ns()}"
        db.session.execute(insert(OutboxMessage), [
            {**_row(i, citizen_id, now, "venter", batch_key), "event_at": now + timedelta(days=1)}
            for i in range(BATCH)])
        db.session.commit()
        smtp, gateway = LoopbackSmtp().start(), LoopbackGateway().start()
        saved = {k: app.config.get(k) for k in ("SMTP_URL", "SMS_URL", "SMS_TOKEN")}
        app.config.update(SMTP_URL=smtp.url, SMS_URL=gateway.url, SMS_TOKEN=gateway.token)
        try:
            start = time.perf_counter()
            outcome = sender.send_due(limit=BATCH)
            figures["messages_send_batch_ms"] = round((time.perf_counter() - start) * 1000, 1)
        finally:
            app.config.update(saved)
            smtp.stop()
            gateway.stop()
        delivered = len(smtp.messages) + len(gateway.delivered)
        click.echo(f"[messages] batch: {outcome.as_text()}; arrived: {len(smtp.messages)} e-mails, "
                   f"{len(gateway.delivered)} SMS")
        if outcome.sent != BATCH or delivered != BATCH:
            click.echo(f"[messages] WARNING: {outcome.sent} sent, {delivered} arrived, {BATCH} expected")
        db.session.remove()
    return figures
