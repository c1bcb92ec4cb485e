"""The audit log: append-only, a registry of codes, one bulk insert per view, the board window."""

from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from webapp import audit
from webapp.audit import AuditEvent
from webapp.extensions import db

from ..factories import make_citizen, make_user, refresh


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


# --- the registry, record_many, roles, the board window --------------------------------------------


def audit_rows(**where):
    refresh()
    query = select(AuditEvent).order_by(AuditEvent.id)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return db.session.scalars(query).all()


def test_record_refuses_a_code_without_a_danish_label():
    with pytest.raises(audit.UnknownAuditAction):
        audit.record("fit_viewd", "citizen", 1, username="cli")


def test_in_production_an_unknown_code_is_logged_and_the_row_kept(app, caplog):
    app.config.update(APP_ENV="production", TESTING=False)
    try:
        audit.record("brand_new_code", "thing", 1, username="cli")
        db.session.commit()
    finally:
        app.config.update(APP_ENV="testing", TESTING=True)
    assert "brand_new_code" in caplog.text
    (row,) = audit_rows(action="brand_new_code")
    assert audit.action_label(row.action) == "Ukendt handling"


def test_every_action_has_a_danish_label_kind_and_purpose():
    for code, action in audit.ACTIONS.items():
        assert action.label and action.kind and action.purpose, code
        assert action.label[0].isupper() and "_" not in action.label, code
        assert action.kind in {audit.SEE, audit.CHANGE, audit.PRINT, audit.EXPORT, audit.SEARCH, audit.DISCLOSE,
                               audit.SYSTEM}, code
    assert audit.action_label("fit_viewed") == "Så FIT-målingerne"
    assert audit.ACTION_LABELS["plan_printed"] == "Udskrev Min Plan"


def test_record_many_writes_one_row_per_citizen_in_one_insert(app):
    user = make_user("mads", roles=("staff", "leader"))
    citizens = [make_citizen(f"Borger{i}", "Testesen") for i in range(25)]
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_EVENT"):
            statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        written = audit.record_many("group_run_viewed", [c.id for c in citizens] + [citizens[0].id, None],
                                    "group_run", 7, user=user)
        db.session.commit()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    assert written == 25
    assert len(statements) == 1
    rows = audit_rows(action="group_run_viewed")
    assert sorted(r.citizen_id for r in rows) == sorted(c.id for c in citizens)
    assert {(r.object_type, r.object_id, r.user_id, r.roles) for r in rows} == {("group_run", "7", user.id, "leader,staff")}


def test_record_many_for_a_view_that_names_nobody_leaves_one_row():
    assert audit.record_many("handovers_listed", [], "handover") == 1
    db.session.commit()
    (row,) = audit_rows(action="handovers_listed")
    assert row.citizen_id is None


def test_record_keeps_the_users_roles():
    user = make_user("pia", roles=("peer",))
    audit.record("citizen_viewed", "citizen", 5, user=user)
    db.session.commit()
    (row,) = audit_rows(action="citizen_viewed")
    assert (row.citizen_id, row.roles, row.username) == (5, "peer", "pia")


def test_board_views_are_recorded_once_per_window_per_user_and_citizen(app, time_machine):
    time_machine.move_to("2026-11-23 10:00:00+01:00", tick=False)
    mads, pia = make_user("mads"), make_user("pia")
    anna, bo = make_citizen("Anna"), make_citizen("Bo")
    assert audit.board_views_to_record("day_board_viewed", [anna.id, bo.id, anna.id], user=mads) == [anna.id, bo.id]
    audit.record_many("day_board_viewed", [anna.id], user=mads)
    db.session.commit()
    assert audit.board_views_to_record("day_board_viewed", [anna.id, bo.id], user=mads) == [bo.id]
    assert audit.board_views_to_record("day_board_viewed", [anna.id], user=pia) == [anna.id]
    time_machine.move_to("2026-11-23 10:59:00+01:00", tick=False)
    assert audit.board_views_to_record("day_board_viewed", [anna.id], user=mads) == []
    time_machine.move_to("2026-11-23 11:01:00+01:00", tick=False)
    assert audit.board_views_to_record("day_board_viewed", [anna.id], user=mads) == [anna.id]
    app.config["AUDIT_BOARD_WINDOW_MINUTES"] = 120
    try:
        assert audit.board_views_to_record("day_board_viewed", [anna.id], user=mads) == []
    finally:
        del app.config["AUDIT_BOARD_WINDOW_MINUTES"]
    assert audit.board_window() == timedelta(minutes=60)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1
