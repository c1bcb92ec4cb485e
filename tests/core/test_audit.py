import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from webapp import audit
from webapp.extensions import db


def test_audit_rows_cannot_be_changed_through_the_orm():
    event = audit.record("citizen_viewed", "thing", 1, username="cli")
    db.session.commit()
    event.action = "tampered"
    with pytest.raises(audit.AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()


def test_the_database_refuses_updates_to_audit_rows():
    audit.record("citizen_viewed", "thing", 1, username="cli")
    db.session.commit()
    with pytest.raises(DBAPIError):
        db.session.execute(text("UPDATE audit_event SET action = 'x'"))
        db.session.commit()
    db.session.rollback()
