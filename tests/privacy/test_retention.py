"""Retention rules (#13 item 3): each removes exactly what is past its cutoff, in one transaction,
with one audit summary row per rule; the dry run counts what a run removes; bad settings refuse to
start; the leader sees the next run's counts."""

import os
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from webapp.audit import AuditEvent
from webapp.citizens.models import Citizen, Course
from webapp.config import ConfigError, check
from webapp.extensions import db
from webapp.messages.models import SENT, OutboxMessage
from webapp.privacy import retention
from webapp.privacy.models import PrivacyRequest
from webapp.timeutil import utcnow
from webapp.welcome.models import Contact

from ..factories import make_citizen, make_contact, make_user, refresh


def _message(citizen, sent_days_ago: int, status=SENT) -> OutboxMessage:
    at = utcnow() - timedelta(days=sent_days_ago)
    message = OutboxMessage(idempotency_key=f"k{citizen.id}-{sent_days_ago}-{status}", citizen_id=citizen.id,
                            channel="sms", recipient="4520304050", subject="", body="Husk din aftale",
                            source="meeting", source_id=1, offset="dagen_foer", event_at=at, due_at=at,
                            status=status, next_attempt_at=at, sent_at=at if status == SENT else None)
    db.session.add(message)
    return message


def _seed():
    user = make_user("vaert", roles=["staff"])
    citizen = make_citizen()
    old, new = utcnow() - timedelta(days=200), utcnow() - timedelta(days=10)
    make_contact(user, when=old, note="Spurgte efter Hans fra opgangen")  # unlinked, old: note goes
    make_contact(user, when=new, note="Ny note")  # unlinked, recent: stays
    make_contact(user, when=old, note="Borgerens note", citizen_id=citizen.id)  # linked: stays
    _message(citizen, 60)  # sent long ago: text goes
    _message(citizen, 5)  # sent recently: stays
    _message(citizen, 60, status="annulleret")  # never sent: not this rule
    db.session.commit()
    return citizen


def _by_key(counts):
    return {c.rule.key: c.count for c in counts}


def test_the_dry_run_counts_what_the_run_removes(app):
    _seed()
    now = utcnow()
    planned = _by_key(retention.plan(now))
    assert planned["unlinked_contact_notes"] == 1 and planned["message_bodies"] == 1
    assert db.session.scalar(select(func.count()).select_from(Contact).where(Contact.note.is_(None))) == 0
    done = _by_key(retention.run(now))
    db.session.commit()
    assert done == planned
    refresh()
    notes = sorted(n or "" for n in db.session.scalars(select(Contact.note)))
    assert notes == ["", "Borgerens note", "Ny note"]
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 3  # the rows still count
    bodies = sorted(m.body for m in db.session.scalars(select(OutboxMessage)))
    assert bodies == ["", "Husk din aftale", "Husk din aftale"]
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention_run")).all()
    assert len(rows) == len(retention.RULES)
    assert all("Hans" not in (r.details or "") for r in rows)
    assert _by_key(retention.plan(now))["unlinked_contact_notes"] == 0  # nothing left to do


def test_the_command_dry_run_changes_nothing_and_the_run_does(app, runner):
    _seed()
    result = runner.invoke(args=["retention", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "unlinked_contact_notes: 1" in result.output and "Dry run" in result.output
    refresh()
    assert db.session.scalar(select(func.count()).select_from(Contact).where(Contact.note.is_(None))) == 0
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    refresh()
    assert db.session.scalar(select(func.count()).select_from(Contact).where(Contact.note.is_(None))) == 1


def test_old_backups_go_after_the_commit(app, tmp_path):
    app.config["BACKUP_DIR"] = str(tmp_path)
    try:
        old, new = tmp_path / "dinindgang-old.sqlite", tmp_path / "dinindgang-new.sqlite"
        old.write_bytes(b"x")
        new.write_bytes(b"y")
        stamp = (utcnow() - timedelta(days=100)).timestamp()
        os.utime(old, (stamp, stamp))
        now = utcnow()
        assert _by_key(retention.plan(now))["backups"] == 1
        retention.run(now)
        db.session.commit()
        assert retention.remove_backups(now) == 1
        assert not old.exists() and new.exists()
    finally:
        app.config["BACKUP_DIR"] = os.path.join(app.instance_path, "backups")


def _course(citizen, start, end):
    course = Course(citizen_id=citizen.id, start_date=start, end_date=end)
    db.session.add(course)
    return course


def test_citizens_with_no_activity_for_years_after_their_last_course_are_erased(app):
    long_ago = utcnow() - timedelta(days=6 * 365)
    today = utcnow().date()
    people = {}
    for name in ("Gammel", "Kontakt", "Aaben", "Anmodning", "Ny"):
        people[name] = make_citizen(first_name=name)
        people[name].created_at = long_ago
    people["Ny"].created_at = utcnow() - timedelta(days=30)  # a new record: nothing to judge by yet
    for name in ("Gammel", "Kontakt", "Anmodning"):
        _course(people[name], long_ago.date(), long_ago.date() + timedelta(days=140))
    _course(people["Aaben"], long_ago.date(), None)  # still open after six years: not inactive
    make_contact(None, when=utcnow() - timedelta(days=400), citizen_id=people["Kontakt"].id)  # came by last year
    db.session.add(PrivacyRequest(citizen_id=people["Anmodning"].id, kind="indsigt", received_on=today,
                                  requested_by="Borgeren selv", identified_by="Pas"))
    db.session.commit()
    now = utcnow()
    assert _by_key(retention.plan(now))["inactive_citizens"] == 1
    assert _by_key(retention.run(now))["inactive_citizens"] == 1
    db.session.commit()
    refresh()
    names = {name: db.session.get(Citizen, c.id).full_name for name, c in people.items()}
    assert names == {"Gammel": "Slettet borger", "Kontakt": "Kontakt Andersen", "Aaben": "Aaben Andersen",
                     "Anmodning": "Anmodning Andersen", "Ny": "Ny Andersen"}
    erased = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "citizen_erased")).all()
    assert [(e.citizen_id, e.details) for e in erased] == [(people["Gammel"].id, "sletteregel: ingen aktivitet")]
    assert db.session.scalar(select(func.count()).select_from(Course)) == 4  # the courses still count
    assert _by_key(retention.plan(now))["inactive_citizens"] == 0


@pytest.mark.parametrize("name", ["RETENTION_PLAN_DRAFT_DAYS", "RETENTION_AUDIT_LOG_YEARS", "RETENTION_BACKUP_DAYS",
                                  "RETENTION_INACTIVE_CITIZEN_YEARS"])
@pytest.mark.parametrize("value", [0, -3, "30"])
def test_a_retention_setting_of_zero_or_negative_is_refused(app, name, value):
    config = dict(app.config, **{name: value})
    with pytest.raises(ConfigError, match=f"DININDGANG_{name}"):
        check(config)


def test_the_leader_sees_the_next_runs_counts(app, login):
    _seed()
    page = login("leader").get("/databeskyttelse/sletteregler")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Noter på henvendelser" in html and "DININDGANG_RETENTION_PLAN_DRAFT_DAYS" in html
    assert "Hans" not in html
