"""At most once, also when the sender dies between handing a message to the provider and recording
it, and when two senders run at once."""

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from webapp.extensions import db
from webapp.messages import sender
from webapp.messages.models import OutboxMessage

from .factories import book_guide, local_at, make_reminded_citizen, outbox

ROOT = Path(__file__).resolve().parents[2]
DUE = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)


def test_a_sender_killed_between_send_and_commit_leaves_the_message_uvis_never_resent(
        app, clock, gateway, providers, login):
    """`flask messages send` runs as its own process against the test database; the gateway kills
    it (SIGKILL) after taking the message and before answering."""
    providers(gateway=gateway)
    bo = make_reminded_citizen("Bo")
    bo_id = bo.id
    book_guide(bo, local_at(2026, 12, 3, 10))
    # Due now for the child process, which runs on the real clock.
    db.session.execute(db.update(OutboxMessage).values(due_at=datetime(2000, 1, 1, tzinfo=UTC),
                                                       next_attempt_at=datetime(2000, 1, 1, tzinfo=UTC),
                                                       event_at=datetime(2100, 1, 1, tzinfo=UTC)))
    db.session.commit()
    db.session.remove()
    gateway.faults = ["kill"]
    env = {**os.environ, "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
           "DININDGANG_ENV": "testing", "DININDGANG_SMS_URL": gateway.url, "DININDGANG_SMS_TOKEN": gateway.token}
    env.pop("DININDGANG_SMTP_URL", None)
    child = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "messages", "send"], cwd=ROOT,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    gateway.kill_pid = child.pid
    _out, err = child.communicate(timeout=60)
    assert child.returncode == -9, err.decode()[-2000:]
    assert len(gateway.requests) == 1 and len(gateway.delivered) == 1
    [row] = outbox(bo_id)
    assert (row.status, row.attempts, row.lease_token is not None) == ("sender", 1, True)
    # The next run, after the lease ran out: "uvis", and never sent again.
    clock.move_to(row.lease_until + timedelta(seconds=1))
    first = sender.send_due()
    assert (first.sent, first.uncertain) == (0, 1)
    assert sender.send_due().sent == 0
    [row] = outbox(bo_id)
    assert (row.status, row.last_error) == ("uvis", "LeaseExpired")
    assert len(gateway.requests) == 1
    page = login("staff").get(f"/borgere/{bo_id}").get_data(as_text=True)
    assert "Måske sendt – tjek med borgeren" in page


def test_a_running_senders_lease_is_left_alone(app, clock, gateway, providers):
    providers(gateway=gateway)
    bo = make_reminded_citizen("Bo")
    book_guide(bo, local_at(2026, 12, 3, 10))
    clock.move_to(DUE)
    _token, rows = sender.claim({"sms"}, 10, DUE, timedelta(minutes=5))
    assert len(rows) == 1
    clock.move_to(DUE + timedelta(minutes=4))
    outcome = sender.send_due()  # another run while the first still holds the row
    assert (outcome.sent, outcome.uncertain) == (0, 0)
    assert outbox(bo.id)[0].status == "sender"
    assert sender.claim({"sms"}, 10, DUE + timedelta(minutes=4), timedelta(minutes=5)) == ("", [])


def test_two_senders_at_once_send_each_message_once(app, clock, gateway, providers):
    providers(gateway=gateway)
    for i in range(24):
        citizen = make_reminded_citizen(f"Borger{i}", phone=f"2{i:07d}")
        book_guide(citizen, local_at(2026, 12, 3, 10))
    clock.move_to(DUE)
    db.session.remove()
    outcomes, errors = [], []
    start = threading.Barrier(2)

    def run():
        try:
            with app.app_context():
                start.wait()
                outcomes.append(sender.send_due(limit=100))
                db.session.remove()
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sum(o.sent for o in outcomes) == 24
    keys = [h["idempotency-key"] for h, _ in gateway.requests]
    assert len(keys) == len(set(keys)) == 24  # no message handed to the gateway twice
    assert {r.status for r in outbox()} == {"sendt"}


def test_the_due_query_is_an_index_range(app, clock):
    """The sender's "what is due" query reads ix_outbox_message_due, not the table, on both databases."""
    anna = make_reminded_citizen()
    rows = [{"idempotency_key": f"k{i}", "citizen_id": anna.id, "channel": "sms", "recipient": "4520112233",
             "subject": "", "body": "", "source": "guide", "source_id": i, "offset": "dagen_foer",
             "event_at": DUE, "due_at": DUE, "next_attempt_at": DUE - timedelta(minutes=i % 600),
             "status": "venter" if i % 100 == 0 else "sendt", "attempts": 1, "created_at": DUE}
            for i in range(5000)]
    db.session.execute(db.insert(OutboxMessage), rows)
    db.session.commit()
    query = sender.due_query(DUE, {"sms", "email"}, 50)
    sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE outbox_message"))
        plan = "\n".join(db.session.scalars(text(f"EXPLAIN {sql}")))
        assert "ix_outbox_message_due" in plan and "Seq Scan" not in plan, plan
    else:
        plan = " ".join(str(r[-1]) for r in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        assert "USING INDEX ix_outbox_message_due" in plan and "TEMP B-TREE" not in plan, plan
    assert len(db.session.scalars(query).all()) == 50
