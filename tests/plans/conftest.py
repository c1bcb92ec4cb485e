from datetime import datetime

import pytest
import time_machine
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.timeutil import LOCAL_TZ

from .factories import make_course

# Monday of course week 5 of a course that started on Monday 4 January 2027.
NOW = datetime(2027, 2, 1, 10, 42, tzinfo=LOCAL_TZ)
HX = {"HX-Request": "true"}


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def course(clock):
    return make_course()


@pytest.fixture
def staff(clock, login):
    return login("staff", username="ulla", full_name="Ulla Hansen")


@pytest.fixture
def mads(clock, login):
    return login("staff", username="mads", full_name="Mads Medarbejder")


class AuditWatch:
    """The audit events written since the watch was (re)started."""

    def __init__(self):
        self.start()

    def start(self):
        db.session.rollback()
        self.since = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0

    def events(self) -> list[AuditEvent]:
        db.session.rollback()
        return db.session.scalars(select(AuditEvent).where(AuditEvent.id > self.since).order_by(AuditEvent.id)).all()

    def one(self, action: str, citizen_id: int) -> AuditEvent:
        events = self.events()
        assert [(e.action, e.object_type, e.object_id) for e in events] == [(action, "citizen", str(citizen_id))]
        self.start()
        return events[0]


@pytest.fixture
def audit_watch(clock):
    return AuditWatch()
