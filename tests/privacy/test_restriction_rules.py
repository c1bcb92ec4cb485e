"""Restriction of processing (GDPR art. 18), the rules on an empty database: `restrict` and `lift`,
the SQL filter the lists use, the flush guard (every table that belongs to the citizen, also a new
row tied to its parent only by a relationship), `writes_allowed()`, `may()` and the calm 423 page.
The demo-data scenario (the leader's decision, the lists, the walk) is in test_restriction.py."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from webapp.citizens.models import Citizen, Course, Relative, citizen_in_use
from webapp.extensions import db
from webapp.messages.models import CANCELLED, WAITING, OutboxMessage
from webapp.messages.schedule import RESTRICTED
from webapp.permissions import may
from webapp.plans.models import Plan
from webapp.privacy.models import PrivacyRequest
from webapp.privacy.restriction import (
    OWNER_PARAMS,
    RecordRestricted,
    RestrictionError,
    is_restricted,
    lift,
    restrict,
    restricted_ids,
    writes,
    writes_allowed,
)
from webapp.timeutil import today_local, utcnow
from webapp.welcome.models import Contact

from ..factories import make_citizen, make_contact, make_user, refresh
from ..messages.factories import enrol, make_group, make_reminded_citizen, outbox

# URL values of writing endpoints that name nothing of a citizen's (or, in the privacy blueprint,
# are exempt). A new name on a writing route must be added to OWNER_PARAMS or here, with thought.
NOT_A_CITIZENS = {"user_id", "offer_id", "run_id", "theme_id", "activity_id", "organisation_id", "date_text",
                  "section", "code", "kind", "scale", "session_id", "version", ("groups", "meeting_id"),
                  ("privacy", "request_id")}


def _waiting(citizen_id: int, key: str) -> OutboxMessage:
    now = utcnow()
    message = OutboxMessage(idempotency_key=key, citizen_id=citizen_id, channel="sms", recipient="4520304050",
                            source="guide", source_id=9000 + citizen_id, offset="dagen_foer",
                            event_at=now + timedelta(days=3), due_at=now + timedelta(days=2),
                            next_attempt_at=now + timedelta(days=2), status=WAITING)
    db.session.add(message)
    return message


def _restricted_citizen(first_name: str = "Bente") -> Citizen:
    citizen = make_citizen(first_name)
    restrict(citizen)
    db.session.commit()
    return citizen


def _course(citizen: Citizen) -> Course:
    course = Course(citizen_id=citizen.id, start_date=today_local() - timedelta(days=30))
    db.session.add(course)
    db.session.commit()
    return course


def test_restrict_cancels_waiting_reminders_and_lift_leaves_them_cancelled(app):
    citizen = make_citizen("Bente")
    other = make_citizen("Carl")
    mine, theirs = _waiting(citizen.id, "k-mine"), _waiting(other.id, "k-theirs")
    db.session.commit()
    restrict(citizen)
    db.session.commit()
    refresh()
    assert db.session.get(Citizen, citizen.id).restricted_at is not None
    assert is_restricted(citizen.id) and not is_restricted(other.id) and not is_restricted(None)
    assert restricted_ids(db.session) == {citizen.id}
    mine, theirs = db.session.get(OutboxMessage, mine.id), db.session.get(OutboxMessage, theirs.id)
    assert (mine.status, mine.cancel_reason) == (CANCELLED, RESTRICTED)
    assert theirs.status == WAITING

    lift(db.session.get(Citizen, citizen.id))
    db.session.commit()
    refresh()
    assert not is_restricted(citizen.id) and restricted_ids(db.session) == set()
    assert db.session.get(OutboxMessage, mine.id).status == CANCELLED  # new ones come by the normal paths


def test_no_new_reminder_for_a_restricted_citizen_until_lifted(app):
    """A group meeting reminds its participants: not one whose processing is restricted."""
    at = utcnow() + timedelta(days=5)
    anna, bente = make_reminded_citizen("Anna"), make_reminded_citizen("Bente", phone="20 44 55 66")
    run, meeting = make_group(at)
    enrol(run, anna, at.date() - timedelta(days=7))
    enrol(run, bente, at.date() - timedelta(days=7))
    restrict(db.session.get(Citizen, bente.id))
    db.session.commit()
    meeting.starts_at = at + timedelta(hours=1)  # the meeting moves: its reminders are made again
    db.session.commit()
    assert {m.citizen_id for m in outbox(status=WAITING)} == {anna.id}
    lift(db.session.get(Citizen, bente.id))
    db.session.commit()
    meeting.starts_at = at + timedelta(hours=2)
    db.session.commit()
    assert {m.citizen_id for m in outbox(status=WAITING)} == {anna.id, bente.id}


def test_restrict_and_lift_refuse_what_makes_no_sense(app):
    citizen = _restricted_citizen()
    with pytest.raises(RestrictionError, match="allerede begrænset"):
        restrict(citizen)
    erased = make_citizen("Dorte")
    erased.erased_at = utcnow()
    db.session.commit()
    with pytest.raises(RestrictionError, match="slettet"):
        restrict(erased)
    with pytest.raises(RestrictionError, match="ikke begrænset"):
        lift(make_citizen("Erik"))


def test_lists_leave_out_restricted_citizens_and_keep_rows_without_one(app):
    restricted, other = make_citizen("Bente"), make_citizen("Carl")
    for citizen_id in (restricted.id, other.id, None):
        make_contact(None, citizen_id=citizen_id)
    restrict(restricted)
    db.session.commit()
    shown = db.session.scalars(select(Contact.citizen_id).where(citizen_in_use(Contact.citizen_id))).all()
    assert sorted(shown, key=str) == sorted([other.id, None], key=str)


def test_the_guard_refuses_every_row_of_the_citizen(app):
    citizen = make_citizen("Bente")
    course = _course(citizen)
    relative = Relative(citizen_id=citizen.id, name="Mor")
    db.session.add(relative)
    db.session.commit()
    restrict(citizen)
    db.session.commit()

    attempts = [
        lambda: setattr(citizen, "phone", "99999999"),  # the citizen row
        lambda: setattr(course, "stop_reason_text", "ændret"),  # a direct reference
        lambda: db.session.delete(relative),  # a delete
        lambda: db.session.add(Plan(course_id=course.id)),  # through a parent, by key
        lambda: db.session.add(Plan(course=course)),  # through a parent, by relationship only
        lambda: db.session.add(Relative(citizen=citizen, name="Far")),
    ]
    for attempt in attempts:
        attempt()
        with pytest.raises(RecordRestricted):
            db.session.flush()
        db.session.rollback()
    refresh()
    assert db.session.get(Citizen, citizen.id).phone is None
    assert db.session.scalar(select(Plan.id)) is None


def test_the_guard_lets_the_privacy_code_and_other_citizens_write(app):
    citizen = _restricted_citizen()
    other = make_citizen("Carl")
    db.session.add(PrivacyRequest(citizen_id=citizen.id, kind="indsigt", received_on=today_local(),
                                  requested_by="Borgeren", identified_by="Sundhedskort"))
    other.phone = "20304050"
    db.session.add(Plan(course=Course(citizen=other, start_date=date(2026, 1, 5))))
    db.session.commit()  # a request is how the citizen exercises their rights
    with writes_allowed():
        citizen.phone = "11223344"
    db.session.commit()  # leaving the block flushed it: the commit finds nothing left to check
    refresh()
    assert db.session.get(Citizen, citizen.id).phone == "11223344"


def test_a_flush_naming_no_citizen_asks_nothing(app):
    """The welcome table's hot path: a contact that names nobody costs the guard no query."""
    _restricted_citizen()
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        db.session.add(Contact(occurred_at=utcnow(), created_at=utcnow(), local_date=today_local(), kind="visit",
                               channel="fremmoede", from_type="borger"))
        db.session.flush()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    db.session.rollback()
    assert not [s for s in statements if "restricted_at" in s], statements


def test_may_hides_what_writes_and_keeps_what_reads(app):
    citizen = _restricted_citizen()
    course = _course(make_citizen("Carl"))
    other_course = course
    with writes_allowed():
        course = Course(citizen_id=citizen.id, start_date=date(2026, 1, 5))
        db.session.add(course)
    db.session.commit()
    user = make_user("ulla", roles=("staff",))
    with app.test_request_context():
        assert may("citizens.page", user=user, citizen_id=citizen.id)
        assert may("citizens.reveal_cpr", user=user, citizen_id=citizen.id)  # a POST that only reads
        assert may("plans.plan_page", user=user, course_id=course.id)
        for endpoint in ("citizens.edit", "citizens.add_relative", "citizens.new_meeting", "citizens.close_course"):
            values = {"course_id": course.id} if endpoint == "citizens.close_course" else {"citizen_id": citizen.id}
            assert not may(endpoint, user=user, **values), endpoint
        assert not may("plans.save_section", user=user, course_id=course.id, section="maal")
        assert may("plans.save_section", user=user, course_id=other_course.id, section="maal")
        assert may("citizens.edit", user=user, citizen_id=other_course.citizen_id)


def test_every_value_on_a_writing_route_is_known(app):
    """A new route that writes names its object in the URL: restriction must know whether that
    object belongs to a citizen (OWNER_PARAMS) or not, so that `may()` and the 423 cover it."""
    unknown = set()
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not writes(rule.endpoint):
                continue
            blueprint = rule.endpoint.split(".", 1)[0]
            for name in rule.arguments:
                if (blueprint, name) in OWNER_PARAMS or (blueprint, name) in NOT_A_CITIZENS:
                    continue
                if name in OWNER_PARAMS or name in NOT_A_CITIZENS:
                    continue
                unknown.add(f"{rule.endpoint}: {name}")
    assert not unknown, sorted(unknown)


def test_a_stale_form_gets_a_calm_423_and_changes_nothing(app, login):
    citizen = make_citizen("Bente")
    visitor = login("staff")
    page = visitor.get(f"/borgere/{citizen.id}")
    assert page.status_code == 200 and f"/borgere/{citizen.id}/paaroerende" in page.get_data(as_text=True)
    restrict(db.session.get(Citizen, citizen.id))
    db.session.commit()
    response = visitor.post(f"/borgere/{citizen.id}/paaroerende", {"name": "Mor", "relation": "mor"})
    assert response.status_code == 423
    body = response.get_data(as_text=True)
    assert "artikel 18" in body and "kan læses, men ikke ændres" in body and "Spørg lederen" in body
    refresh()
    assert db.session.scalar(select(Relative.id).where(Relative.citizen_id == citizen.id)) is None
    page = visitor.get(f"/borgere/{citizen.id}").get_data(as_text=True)
    assert "Behandlingen er begrænset siden" in page and f"/borgere/{citizen.id}/paaroerende" not in page
