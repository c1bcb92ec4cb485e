"""The insight registry covers every model that refers to a citizen: a new feature cannot be
forgotten. Computed from db.metadata: a table refers to the citizen when it has a foreign key to
citizen.id, or to a table that does (course, plan, handover, group enrolment …)."""

from datetime import date, datetime

import pytest

import webapp.models  # noqa: F401  (every table in the metadata)
from webapp.audit import AuditEvent
from webapp.config import ConfigError, check
from webapp.extensions import db
from webapp.privacy.ownership import citizen_tables
from webapp.privacy.registry import (
    NOT_ABOUT_THE_CITIZEN,
    Coded,
    coded,
    covered_tables,
    display,
    registrations,
    to_json,
)
from webapp.timeutil import LOCAL_TZ


def tables_referring_to_the_citizen() -> set[str]:
    return set(citizen_tables())


def test_every_table_with_a_citizen_reference_is_covered(app):
    missing = tables_referring_to_the_citizen() - covered_tables() - set(NOT_ABOUT_THE_CITIZEN)
    assert not missing, (
        "these tables refer to a citizen but no insight section covers them: " + ", ".join(sorted(missing))
        + ". Register a section (webapp/privacy/sections/) or add them to NOT_ABOUT_THE_CITIZEN with a reason."
    )


def test_exclusions_give_a_reason_and_are_not_also_covered(app):
    for table, reason in NOT_ABOUT_THE_CITIZEN.items():
        assert table in db.metadata.tables and len(reason) > 10
    assert not set(NOT_ABOUT_THE_CITIZEN) & covered_tables()


def test_the_reference_walk_finds_the_indirect_tables(app):
    found = tables_referring_to_the_citizen()
    assert {"plan", "plan_version", "shadow_line", "volunteer_match_step", "outreach_visit"} <= found
    assert not {"user", "login_session", "group_theme", "municipal_offer"} & found


def test_the_audit_log_is_covered_by_the_access_section(app):
    # AuditEvent.citizen_id has no foreign key (rows outlive citizens): the walk cannot see it.
    access = [reg for reg in registrations() if AuditEvent in reg.models]
    assert [reg.key for reg in access] == ["access"]


def test_each_model_has_one_section(app):
    seen = {}
    for reg in registrations():
        for model in reg.models:
            assert model not in seen, f"{model.__name__} is in both {seen[model]} and {reg.key}"
            seen[model] = reg.key


def test_values_for_the_pdf_and_the_json():
    when = datetime(2026, 3, 1, 9, 30, tzinfo=LOCAL_TZ)
    assert display(None) == "–" and display(True) == "Ja" and display(False) == "Nej"
    assert display(date(2026, 3, 1)) == "1. mar 2026"
    assert display(when).startswith("1. mar 2026 kl. 09:30")
    assert display(coded("sms", {"sms": "SMS"})) == "SMS"
    assert to_json(coded("sms", {"sms": "SMS"})) == {"kode": "sms", "tekst": "SMS"}
    assert to_json(date(2026, 3, 1)) == "2026-03-01"
    assert to_json(when) == "2026-03-01T09:30:00+01:00"
    assert coded(None, {}) is None and isinstance(coded(3, {3: "I middel grad"}), Coded)


@pytest.mark.parametrize("value", ["ja", 1, None])
def test_the_staff_names_setting_must_be_a_boolean(app, value):
    config = dict(app.config, INSIGHT_STAFF_NAMES=value)
    with pytest.raises(ConfigError, match="DININDGANG_INSIGHT_STAFF_NAMES"):
        check(config)
