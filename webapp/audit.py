"""The append-only audit log and the one helper that writes it.

Rows are never updated or deleted by the application (enforced below and by a database trigger
that refuses UPDATE). Never pass CPR numbers or note text in `details`.
"""

from datetime import datetime

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from .extensions import db
from .models_base import UtcDateTime
from .timeutil import utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_object", "object_type", "object_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    username: Mapped[str | None] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[str | None] = mapped_column(String(500))
    # The citizen whose data this was, whatever the object: what the per-citizen access page lists.
    citizen_id: Mapped[int | None] = mapped_column(Integer, index=True)


def record(
    action: str,
    object_type: str | None = None,
    object_id: object | None = None,
    *,
    user=None,
    username: str | None = None,
    details: str | None = None,
    citizen_id: int | None = None,
) -> AuditEvent:
    """Add one audit event to the current transaction (the caller commits)."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    event_row = AuditEvent(
        occurred_at=utcnow(),
        user_id=user.id if user is not None else None,
        username=user.username if user is not None else username,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        remote_addr=request.remote_addr if has_request_context() else None,
        details=details,
        citizen_id=citizen_id if citizen_id is not None or object_type != "citizen" else object_id,
    )
    db.session.add(event_row)
    return event_row


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session, _flush_context, _instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AuditLogIsAppendOnly("audit events are never changed or deleted")


ACTION_LABELS = {
    "citizen_viewed": "Så borgersiden",
    "citizen_created": "Oprettede borgeren",
    "citizen_changed": "Ændrede oplysninger",
    "citizen_edit_opened": "Åbnede oplysningerne til rettelse",
    "citizen_change_refused": "Forsøgte at ændre oplysninger (ikke gemt)",
    "cpr_revealed": "Viste det fulde CPR-nummer",
    "access_log_viewed": "Så adgangsloggen",
    "relative_added": "Tilføjede en pårørende",
    "relative_removed": "Fjernede en pårørende",
    "guide_booked": "Bookede guidesamtale",
    "guide_held": "Registrerede guidesamtale",
    "guide_opened": "Åbnede guidesamtale",
    "course_started": "Startede forløb",
    "course_closed": "Afsluttede forløb",
    "course_close_opened": "Åbnede afslutning af forløb",
    "assessment_recorded": "Registrerede uge 10-vurdering",
    "meeting_added": "Registrerede møde",
    "meeting_status_changed": "Ændrede mødestatus",
    "contact_linked": "Koblede en henvendelse på",
    "plan_viewed": "Så Min Plan",
    "plan_saved": "Gemte Min Plan",
    "plan_printed": "Udskrev Min Plan",
    "plan_draft_saved": "Kladde til Min Plan gemt",
    "closing_letter_printed": "Udskrev afslutningsbrev",
    "handover_created": "Oprettede overdragelse",
    "handover_viewed": "Så overdragelsen",
    "handover_changed": "Rettede overdragelsen",
    "handover_sent": "Sendte overdragelsen til myndighedsafdelingen",
    "handover_received": "Myndighedsafdelingen modtog overdragelsen",
    "handover_printed": "Udskrev overdragelsen",
    "consent_recorded": "Registrerede samtykke",
    "consent_withdrawn": "Samtykke trukket tilbage",
    "outreach_viewed": "Så anmodning om udekørende funktion",
    "outreach_partner_told": "Fortalte samarbejdspartneren udfaldet",
    "fit_chart_viewed": "Så FIT-graf",
    "group_attendance_recorded": "Registrerede fremmøde i gruppe",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())
