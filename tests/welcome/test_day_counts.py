"""The contacts per day (contact_day_count) stay equal to a recount from the contacts through every
way a contact changes: the tap, the refinement, linking a citizen, undo, an ORM delete – and a
rollback leaves them as they were."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from tests.factories import make_citizen, make_contact, make_user
from webapp.extensions import db
from webapp.welcome import daycounts
from webapp.welcome import services as welcome
from webapp.welcome.models import ContactDayCount


def kept() -> set:
    rows = db.session.execute(select(
        ContactDayCount.local_date, ContactDayCount.from_type, ContactDayCount.channel, ContactDayCount.partner,
        ContactDayCount.ad_hoc, ContactDayCount.with_citizen, ContactDayCount.contacts, ContactDayCount.minutes,
    ).where(ContactDayCount.contacts != 0)).all()
    return {tuple(row) for row in rows}


def recounted() -> set:
    return {(d, f, c, p, bool(a), bool(w), n, m) for d, f, c, p, a, w, n, m in db.session.execute(daycounts.counted_rows())}


def test_the_day_counts_follow_every_change_of_a_contact(app):
    user = make_user("mads", roles=["staff"])
    citizen = make_citizen()
    now = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    phone, _ = welcome.log_contact(user, "phone", "tap-token-000001", now=now)
    ad_hoc, _ = welcome.log_contact(user, "ad_hoc", "tap-token-000002", now=now)
    visit, _ = welcome.log_contact(user, "visit", "tap-token-000003", now=now)
    db.session.commit()
    assert kept() == recounted()
    assert sum(row[6] for row in kept()) == 3

    welcome.refine_contact(phone, welcome.Refinement(partner="jobcenter"), user, now=now)
    welcome.refine_contact(ad_hoc, welcome.Refinement(duration_minutes="25"), user, now=now)
    welcome.refine_contact(visit, welcome.Refinement(outcome="ad_hoc_givet", duration_minutes="10"), user, now=now)
    welcome.link_citizen(ad_hoc, citizen)
    db.session.commit()
    assert kept() == recounted()
    partners = {row for row in kept() if row[1] == "samarbejdspartner"}
    assert {(row[3], row[6]) for row in partners} == {("jobcenter", 1)}
    assert {(row[4], row[5], row[7]) for row in kept() if row[4]} == {(True, True, 25), (True, False, 10)}

    assert welcome.undo_tap(user, "tap-token-000003", now=now) is not None
    db.session.commit()
    assert kept() == recounted()
    assert sum(row[6] for row in kept()) == 2

    db.session.delete(phone)
    db.session.commit()
    assert kept() == recounted()
    assert sum(row[6] for row in kept()) == 1


def test_a_rollback_leaves_the_day_counts_as_they_were(app):
    user = make_user("mads", roles=["staff"])
    make_contact(user, when=datetime(2026, 3, 4, 9, 0, tzinfo=UTC))
    before = kept()
    welcome.log_contact(user, "phone", "tap-token-000009", now=datetime(2026, 3, 4, 11, 0, tzinfo=UTC))
    db.session.flush()
    db.session.rollback()
    make_contact(user, when=datetime(2026, 3, 5, 9, 0, tzinfo=UTC), from_type="paaroerende")
    assert kept() == recounted()
    assert {row for row in kept() if row[0] == date(2026, 3, 4)} == before


def test_rebuild_recounts_days_written_around_the_flush(app):
    """Bulk statements bypass the flush; rebuild() puts the counts right for the days asked."""
    from sqlalchemy import insert

    from webapp.welcome.models import Contact

    user = make_user("mads", roles=["staff"])
    at = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    db.session.execute(insert(Contact), [
        {"occurred_at": at, "created_at": at, "local_date": date(2026, 3, 4), "kind": "visit",
         "channel": "fremmoede", "from_type": "borger", "logged_by_id": user.id, "is_ad_hoc": False}] * 3)
    db.session.commit()
    assert kept() == set()
    daycounts.rebuild(db.session, date(2026, 3, 1), date(2026, 3, 31))
    db.session.commit()
    assert kept() == recounted() == {(date(2026, 3, 4), "borger", "fremmoede", "", False, False, 3, 0)}
