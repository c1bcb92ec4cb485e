"""A group run carries on as a volunteer group in an organisation (#12 item 5): plain functions.

Former participants are named to the coordinator only when they have a valid consent for
"frivillig_organisation"; the others are counted."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from ..citizens.models import citizen_in_use
from ..extensions import db
from ..groups.models import GroupEnrolment, GroupRun
from ..handover.consents import valid_consent
from .bridge import RECIPIENT, BridgeError
from .models import VolunteerOrganisation

RECENT_DAYS = 120


@dataclass
class ContinuingRun:
    run: GroupRun
    organisation: VolunteerOrganisation | None
    consenting: list = field(default_factory=list)  # Citizen rows
    others: int = 0


def mark(run: GroupRun, organisation: VolunteerOrganisation | None, continues_from: date | None, note: str) -> None:
    """Mark (or with no organisation: unmark) the run as carrying on in the organisation."""
    if organisation is None:
        run.continues_in_organisation_id, run.continues_from, run.continues_note = None, None, None
    else:
        if continues_from is None:
            raise BridgeError("Skriv den dag, gruppen fortsætter fra.", "continues_from")
        if continues_from < run.start_date:
            raise BridgeError("Gruppen kan ikke fortsætte fra før holdet startede.", "continues_from")
        run.continues_in_organisation_id = organisation.id
        run.continues_from = continues_from
        run.continues_note = (note or "").strip()[:2000] or None
    db.session.flush()


def participants(run_id: int) -> list:
    """The run's former and current participants (not the waiting list), one per citizen; not a
    citizen whose processing is restricted (GDPR art. 18): nobody tells the organisation about them."""
    rows = db.session.scalars(select(GroupEnrolment).where(GroupEnrolment.run_id == run_id,
                                                           GroupEnrolment.waiting.is_(False),
                                                           citizen_in_use(GroupEnrolment.citizen_id))
                              .order_by(GroupEnrolment.start_date, GroupEnrolment.id))
    seen = {}
    for enrolment in rows:
        seen.setdefault(enrolment.citizen_id, enrolment)
    return list(seen)


def continuing_runs(today: date) -> list[ContinuingRun]:
    from ..citizens.models import Citizen

    runs = db.session.scalars(select(GroupRun).where(GroupRun.continues_in_organisation_id.is_not(None))
                              .order_by(GroupRun.continues_from.desc(), GroupRun.id))
    found = []
    for run in runs:
        item = ContinuingRun(run, db.session.get(VolunteerOrganisation, run.continues_in_organisation_id))
        for citizen_id in participants(run.id):
            if valid_consent(citizen_id, RECIPIENT, today) is not None:
                item.consenting.append(db.session.get(Citizen, citizen_id))
            else:
                item.others += 1
        item.consenting.sort(key=lambda c: (c.first_name, c.last_name, c.id))
        found.append(item)
    return found


def runs_to_mark(today: date) -> list[GroupRun]:
    """Runs that ended in the last RECENT_DAYS days or end within them, not marked yet."""
    low, high = today - timedelta(days=RECENT_DAYS), today + timedelta(days=RECENT_DAYS)
    return list(db.session.scalars(select(GroupRun).where(
        GroupRun.continues_in_organisation_id.is_(None), GroupRun.end_date.is_not(None),
        GroupRun.end_date >= low, GroupRun.end_date <= high).order_by(GroupRun.end_date, GroupRun.id)))
