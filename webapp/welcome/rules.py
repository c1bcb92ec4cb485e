"""Who may change a logged contact (henvendelse), and for how long.

Plain functions with unit tests; views answer 403 when they say no and templates show the refine
and relink controls only when they say yes.
"""

from datetime import datetime, timedelta

from flask import current_app, has_app_context

from ..auth.roles import LEADER, STAFF, STAFF_LIKE

# Roles that may correct any colleague's contact (the others may correct their own only).
CONTACT_EDITORS = frozenset({STAFF, LEADER})
DEFAULT_EDIT_DAYS = 7


def contact_edit_days() -> int:
    """Setting CONTACT_EDIT_DAYS: older contacts belong to weeks that have been reported."""
    if has_app_context():
        return int(current_app.config.get("CONTACT_EDIT_DAYS", DEFAULT_EDIT_DAYS))
    return DEFAULT_EDIT_DAYS


def may_edit_contact(user, contact, now: datetime, edit_days: int | None = None) -> bool:
    """May `user` refine or relink `contact` at `now`?

    Yes for the user who logged it (while still working in the house) and for staff
    (medarbejder) and the leader – and only while the contact is at most `edit_days` old.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if contact is None or contact.deleted_at is not None:
        return False
    days = contact_edit_days() if edit_days is None else edit_days
    if contact.occurred_at < now - timedelta(days=days):
        return False
    if user.has_any_role(CONTACT_EDITORS):
        return True
    return contact.logged_by_id is not None and contact.logged_by_id == user.id and user.has_any_role(STAFF_LIKE)
