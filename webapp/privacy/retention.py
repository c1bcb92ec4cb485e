"""Retention rules (#13 item 3): keep nothing longer than needed (GDPR art. 5(1)(e)).

Each rule names what goes, after how long (a setting), and why; `plan(now)` counts what a run would
remove (the dry run the leader sees), `run(now)` removes it in the caller's ONE transaction and writes
one audit summary row per rule (counts only, nothing personal). Backup files are removed after the
commit (a file system is not transactional; a file left behind is removed by the next run).

Rows that the key figures count are never deleted: a rule blanks their free text and keeps the row.
"""

import glob
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from .. import audit
from ..extensions import db
from ..messages.models import SENT, OutboxMessage
from ..plans.models import PlanDraft
from ..timeutil import local
from ..welcome.models import Contact


@dataclass(frozen=True)
class Rule:
    key: str
    setting: str  # the config key; its value is in `unit`
    unit: str  # "dage" or "år"
    what: str  # Danish: what goes
    why: str  # Danish: the reasoning


RULES = (
    Rule("unlinked_contact_notes", "RETENTION_UNLINKED_CONTACT_NOTE_DAYS", "dage",
         "Noter på henvendelser, der aldrig blev koblet til en borger (henvendelsen selv tælles stadig)",
         "En henvendelse uden borger er kun med i statistikken; noten kan nævne en person, som ingen "
         "sag har her. Tre måneder giver tid til at koble den, hvis personen kommer igen."),
    Rule("inactive_citizens", "RETENTION_INACTIVE_CITIZEN_YEARS", "år",
         "Borgere uden aktivitet i årene efter sidste forløb: navn, CPR-nummer, kontaktoplysninger, noter, "
         "Min Plan og beskeder slettes (forløb, henvendelser og målinger bevares uden personoplysninger)",
         "Sagen skal kunne findes, så længe journal- og opbevaringspligten gælder (5 år efter sidste "
         "aktivitet); derefter er der intet formål med at kunne genkende borgeren. Tallene for tidligere "
         "perioder ændres ikke. En borger med et åbent forløb eller en åben anmodning røres ikke."),
    Rule("plan_drafts", "RETENTION_PLAN_DRAFT_DAYS", "dage",
         "Automatisk gemte kladder til Min Plan, der aldrig blev gemt",
         "En kladde redder det, der blev skrevet, hvis forbindelsen faldt ud; efter en måned er den "
         "enten gemt eller glemt, og den er ikke en del af journalen."),
    Rule("message_bodies", "RETENTION_MESSAGE_BODY_DAYS", "dage",
         "Teksten og modtageren i sendte påmindelser (tidspunkt, kanal og status bevares)",
         "Påmindelsen er sendt; at den blev sendt, dokumenteres af status og tidspunkt. "
         "En måned giver tid til at svare på spørgsmål om den."),
    Rule("audit_log", "RETENTION_AUDIT_LOG_YEARS", "år",
         "Loggen over adgang til borgernes oplysninger (de ældste hændelser)",
         "Borgeren kan få at vide, hvem der har set oplysningerne (indsigt); loggen gemmes lige så "
         "længe som sagen efter sidste forløb (5 år), så kæden kan stadig efterprøves."),
    Rule("backups", "RETENTION_BACKUP_DAYS", "dage",
         "Sikkerhedskopier af den indbyggede database (instance/backups)",
         "En kopi indeholder også det, der siden er slettet; 35 dage dækker en måneds "
         "genopretning og sikrer, at en sletning slår igennem i kopierne inden for fem uger."),
)


def cutoff(rule: Rule, now: datetime, config) -> datetime:
    """What is older than this goes."""
    value = config[rule.setting]
    days = value * 365 if rule.unit == "år" else value
    return now - timedelta(days=days)


# --- per rule: how many, and remove ---------------------------------------------------------------


def _contacts(cut):
    return (Contact.citizen_id.is_(None), Contact.note.is_not(None), Contact.note != "", Contact.occurred_at < cut)


def _drafts(cut):
    return (PlanDraft.saved_at < cut,)


def _messages(cut):
    return (OutboxMessage.status == SENT, OutboxMessage.sent_at < cut,
            (OutboxMessage.body != "") | (OutboxMessage.recipient != ""))


def _inactive(cut: datetime):
    """Citizens not erased with nothing on or after `cut`: no open course, no course, contact, meeting,
    guide conversation, FIT score or group attendance since, and no open request about them."""
    from ..citizens.models import Citizen, Course, GuideConversation, Meeting
    from ..groups.models import GroupEnrolment
    from ..outcomes.models import FitScore
    from .models import PrivacyRequest

    day = local(cut).date()
    since = (
        select(Course.id).where(Course.citizen_id == Citizen.id,
                                Course.end_date.is_(None) | (Course.end_date >= day) | (Course.start_date >= day)),
        select(Contact.id).where(Contact.citizen_id == Citizen.id, Contact.occurred_at >= cut),
        select(Meeting.id).where(Meeting.citizen_id == Citizen.id, Meeting.starts_at >= cut),
        select(GuideConversation.id).where(GuideConversation.citizen_id == Citizen.id,
                                           GuideConversation.scheduled_at >= cut),
        select(FitScore.id).where(FitScore.citizen_id == Citizen.id, FitScore.session_at >= cut),
        select(GroupEnrolment.id).where(GroupEnrolment.citizen_id == Citizen.id,
                                        GroupEnrolment.stop_date.is_(None) | (GroupEnrolment.stop_date >= day)),
        select(PrivacyRequest.id).where(PrivacyRequest.citizen_id == Citizen.id, PrivacyRequest.closed_at.is_(None)),
    )
    return (Citizen.erased_at.is_(None), Citizen.created_at < cut, *(~statement.exists() for statement in since))


def _inactive_citizens(cut: datetime) -> list:
    from ..citizens.models import Citizen

    return list(db.session.scalars(select(Citizen).where(*_inactive(cut)).order_by(Citizen.id)))


def _backup_files(cut: datetime) -> list[str]:
    folder = current_app.config["BACKUP_DIR"]
    limit = cut.timestamp()
    return sorted(p for p in glob.glob(os.path.join(folder, "dinindgang-*.sqlite")) if os.path.getmtime(p) < limit)


def _count(rule: Rule, cut: datetime) -> int:
    if rule.key == "inactive_citizens":
        from ..citizens.models import Citizen

        return db.session.scalar(select(func.count()).select_from(Citizen).where(*_inactive(cut))) or 0
    if rule.key == "unlinked_contact_notes":
        return db.session.scalar(select(func.count()).select_from(Contact).where(*_contacts(cut))) or 0
    if rule.key == "plan_drafts":
        return db.session.scalar(select(func.count()).select_from(PlanDraft).where(*_drafts(cut))) or 0
    if rule.key == "message_bodies":
        return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(*_messages(cut))) or 0
    if rule.key == "audit_log":
        from ..auditchain import count_before

        return count_before(cut)
    return len(_backup_files(cut))


def _remove(rule: Rule, cut: datetime) -> int:
    if rule.key == "inactive_citizens":
        from .erasure import erase_citizen

        citizens = _inactive_citizens(cut)
        for citizen in citizens:
            erase_citizen(citizen)
            audit.record("citizen_erased", "citizen", citizen.id, citizen_id=citizen.id, username="retention",
                         details="sletteregel: ingen aktivitet")
        return len(citizens)
    if rule.key == "unlinked_contact_notes":
        return db.session.execute(update(Contact).where(*_contacts(cut)).values(note=None)).rowcount
    if rule.key == "plan_drafts":
        return db.session.execute(delete(PlanDraft).where(*_drafts(cut))).rowcount
    if rule.key == "message_bodies":
        return db.session.execute(update(OutboxMessage).where(*_messages(cut)).values(body="", recipient="",
                                                                                       subject="")).rowcount
    if rule.key == "audit_log":
        from ..auditchain import prune_before

        return prune_before(cut)
    return len(_backup_files(cut))  # the files go after the commit (remove_backups)


@dataclass(frozen=True)
class RuleCount:
    rule: Rule
    setting_value: int
    cutoff: datetime
    count: int


def plan(now: datetime) -> list[RuleCount]:
    """The dry run: what a run at `now` would remove, per rule. Changes nothing."""
    config = current_app.config
    return [RuleCount(rule, config[rule.setting], cutoff(rule, now, config), _count(rule, cutoff(rule, now, config)))
            for rule in RULES]


def run(now: datetime, *, user=None) -> list[RuleCount]:
    """Remove what is past its rule, in the caller's transaction (the caller commits, then calls
    `remove_backups`). One audit row per rule, with the count only."""
    config = current_app.config
    result = []
    for rule in RULES:
        cut = cutoff(rule, now, config)
        count = _remove(rule, cut)
        audit.record("retention_run", "retention", rule.key, user=user, username=None if user else "retention",
                     details=f"{rule.key}: {count}")
        result.append(RuleCount(rule, config[rule.setting], cut, count))
    db.session.flush()
    return result


def remove_backups(now: datetime) -> int:
    rule = next(r for r in RULES if r.key == "backups")
    files = _backup_files(cutoff(rule, now, current_app.config))
    for path in files:
        os.remove(path)
    return len(files)


def last_run() -> datetime | None:
    return db.session.scalar(select(func.max(audit.AuditEvent.occurred_at))
                             .where(audit.AuditEvent.action == "retention_run"))
