"""Erasure of a citizen's personal data (GDPR art. 17), keeping the key figures of past periods.

The plan below names, for every table that belongs to a citizen (webapp/privacy/ownership.py),
what an erasure overwrites and what it keeps and why. Rows are never deleted (except autosaved
plan drafts): a contact, a course, a meeting or a FIT score stays as a pseudonymised row with its
dates and codes, so every key figure for a past period counts the same before and after. What
can name or describe the person — names, CPR number, birth date, contact details, relatives,
notes and free texts, Min Plan, handover texts, message recipients and bodies — is overwritten.
The generated documents (Min Plan, handover, Bilag 6, insight) are printed from these rows on
demand and are never stored, so they are erased with them; backups age out under the retention
rules (webapp/privacy/retention.py).

tests/privacy/test_erasure.py fails when a text column of a citizen's table is neither erased nor
kept with a reason here, so a new feature's free text cannot be forgotten.

An erasure can be partial (the leader approved part of a request): the parts below are chosen
one by one, except the identity, which goes only with everything else — a record without a name
but with its notes would be personal data nobody could give insight in."""

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import JSON, LargeBinary, String, Text, select

from ..extensions import db
from ..messages.models import WAITING
from ..timeutil import utcnow
from ..versioning import Versioned, saved
from .ownership import citizen_tables, model_for, owned_by

IDENTITY = "identitet"
CONTACT = "kontakt"
NOTES = "noter"
PLANS = "planer"
MESSAGES = "beskeder"
PARTS = {
    IDENTITY: "Navn, CPR-nummer og fødselsdato",
    CONTACT: "Kontaktoplysninger og pårørende",
    NOTES: "Noter og fritekster",
    PLANS: "Min Plan: alle udgaver, kladder og opfølgninger",
    MESSAGES: "Beskeder: modtager og tekst",
}
ALL_PARTS = frozenset(PARTS)
PARTIAL_PARTS = (CONTACT, NOTES, PLANS, MESSAGES)  # what a partial approval can choose

ERASED_FIRST_NAME = "Slettet"
ERASED_LAST_NAME = "borger"
ERASED_RELATIVE = "Pårørende"

# Why a text column stays.
CODE = "en kode fra en fast liste; indgår i nøgletallene"
KEY = "en teknisk nøgle uden personoplysninger"
CATALOGUE = "en kopi fra kataloget over kommunens tilbud, ikke om borgeren"
MUNICIPALITY = "en kommunes navn; bruges i økonomiopfølgningen"
DECISION = ("lederens dokumentation af afgørelsen (artikel 5, stk. 2); formularen beder om ikke at skrive "
            "personoplysninger i den")
PROVIDER = "udbyderens reference til en sendt besked; uden modtager og tekst siger den intet om borgeren"
FIGURES = "bruges i nøgletallene for handicapkategorier; siger intet om personen uden navn og CPR-nummer"


@dataclass(frozen=True)
class TablePlan:
    erase: dict[str, dict[str, object]] = field(default_factory=dict)  # part → {column: value written}
    keep: dict[str, str] = field(default_factory=dict)  # column → why it stays
    delete: str | None = None  # the part whose erasure deletes the rows
    skip: object = None  # rows left as they are: row → bool


def _blank(*columns: str, value=None) -> dict[str, object]:
    return dict.fromkeys(columns, value)


PLAN: dict[str, TablePlan] = {
    "citizen": TablePlan(
        erase={
            IDENTITY: {"first_name": ERASED_FIRST_NAME, "last_name": ERASED_LAST_NAME,
                       "first_name_lower": ERASED_FIRST_NAME.lower(), "cpr": None, "cpr_key": None,
                       "birth_date": None},
            CONTACT: {**_blank("phone", "address", "email", "contact_preference", "bring_person"),
                      "contact_consent": False, "contact_consent_at": None, "reminders_off": True},
        },
        keep={"disability_category": FIGURES},
    ),
    "relative": TablePlan(erase={CONTACT: {"name": ERASED_RELATIVE, "relation": None, "phone": None}}),
    "contact": TablePlan(
        erase={NOTES: _blank("note")},
        keep={"kind": CODE, "channel": CODE, "from_type": CODE, "partner": CODE, "topics": CODE, "outcome": CODE,
              "tap_token": KEY},
    ),
    "guide_conversation": TablePlan(
        erase={NOTES: _blank("others_present", "direct_authority_reason")},
        keep={"status": CODE, "outcome": CODE},
    ),
    "course": TablePlan(erase={NOTES: _blank("stop_reason_text")}, keep={"stop_reason": CODE, "next_step": CODE}),
    "meeting": TablePlan(keep={"kind": CODE, "status": CODE}),
    "course_documentation": TablePlan(
        erase={NOTES: _blank("caseworker", "tariff_override_reason", "remarks")},
        keep={"paying_municipality": MUNICIPALITY, "acting_municipality": MUNICIPALITY,
              "operating_municipality": MUNICIPALITY},
    ),
    "shadow_line": TablePlan(keep={"scenario": CODE, "offer_name": CATALOGUE, "law_section": CATALOGUE}),
    "consent": TablePlan(
        erase={NOTES: _blank("recipient_name")},
        keep={"basis": CODE, "legal_basis": CATALOGUE, "purpose": CODE, "recipient_code": CODE},
    ),
    "handover": TablePlan(
        erase={NOTES: _blank(
            "reasons", "course_length", "worked_on", "how_worked", "dream", "future_support_goal", "benefit",
            "fl_physical", "fl_psychological", "fl_social", "fl_home_tasks", "fl_self_care", "fl_mobility",
            "fl_communication", "fl_community_life", "fl_economy", "fl_social_life", "fl_surroundings",
            "future_agreements")},
        keep={"status": CODE},
    ),
    "direct_authority_proposal": TablePlan(
        erase={NOTES: {"reason": "", "decision_note": None}}, keep={"decision": CODE},
    ),
    "meeting_decision": TablePlan(
        erase={NOTES: {"item_label": f"{ERASED_FIRST_NAME} {ERASED_LAST_NAME}", "text": ""}},
        keep={"section": CODE, "item_key": KEY},
    ),
    "fit_score": TablePlan(keep={"scale": CODE, "period": CODE}),
    "group_enrolment": TablePlan(),
    "group_attendance": TablePlan(keep={"status": CODE}),
    "outreach_request": TablePlan(
        erase={NOTES: {"contact_person": "", "contact_phone": None, "partner_reference": None,
                       "citizen_first_name": None, "reason": "", "closing_note": None}},
        keep={"state": CODE, "partner_code": CODE, "partner_name": CATALOGUE, "urgency": CODE, "outcome": CODE},
    ),
    "outreach_visit": TablePlan(erase={NOTES: _blank("what_happened")}),
    "volunteer_request": TablePlan(
        erase={NOTES: {"wishes": "", "considerations": "", "close_reason": None}},
        keep={"origin": CODE, "themes": CODE, "weekdays": CODE, "status": CODE},
    ),
    "volunteer_match": TablePlan(keep={"state": CODE}),
    "volunteer_match_step": TablePlan(erase={NOTES: {"comment": ""}}, keep={"state": CODE}),
    "plan": TablePlan(erase={PLANS: _blank(
        "reasons", "goal", "sub_goals", "already_done", "after_course", "success_criteria", "expected_reached",
        "future_agreements", "my_effort", "involvement", "tasks_next", "other_topics", "achieved", "future_plan")}),
    "plan_version": TablePlan(erase={PLANS: {"data": {}, "note": None}}),
    "plan_follow_up": TablePlan(erase={PLANS: _blank(
        "my_goal", "how_worked", "parts_reached", "succeeded", "goal_same", "next_steps", "thoughts_after",
        "in_place", "who_for_me")}),
    "plan_draft": TablePlan(delete=PLANS, keep={"section": CODE, "data": "slettes med rækken"}),
    "outbox_message": TablePlan(
        erase={MESSAGES: {"recipient": "", "subject": "", "body": "", "last_error": None}},
        keep={"idempotency_key": KEY, "channel": CODE, "source": CODE, "offset": CODE, "status": CODE,
              "lease_token": KEY, "provider_id": PROVIDER, "cancel_reason": CODE},
        # A reminder still waiting is about a coming appointment the citizen keeps (when the contact
        # details go too, it was cancelled first and is blanked like the rest).
        skip=lambda row: row.status == WAITING,
    ),
    "privacy_request": TablePlan(
        erase={NOTES: {"requested_by": "", "identified_by": "", "scope": None}},
        keep={"kind": CODE, "decision": CODE, "decision_reason": DECISION, "legal_basis": DECISION,
              "delivered_how": CODE},
    ),
}


class ErasureError(ValueError):
    pass


MSG_ALREADY = "Borgerens oplysninger er allerede slettet."
MSG_NO_PARTS = "Vælg, hvad der skal slettes."
MSG_IDENTITY_ALONE = "Navn og CPR-nummer slettes kun sammen med alt andet. Vælg »Godkendt« for at slette det hele."


def check_parts(parts) -> frozenset[str]:
    chosen = frozenset(parts)
    if not chosen or not chosen <= ALL_PARTS:
        raise ErasureError(MSG_NO_PARTS)
    if IDENTITY in chosen and chosen != ALL_PARTS:
        raise ErasureError(MSG_IDENTITY_ALONE)
    return chosen


def _rows(table_name: str, citizen_id: int) -> list:
    model = model_for(table_name)
    table = db.metadata.tables[table_name]
    return list(db.session.scalars(select(model).where(owned_by(table, citizen_id)).order_by(*table.primary_key)))


def preview(citizen) -> dict[str, int]:
    """How many rows of each table belong to the citizen (what an erasure goes through)."""
    return {name: len(_rows(name, citizen.id)) for name in sorted(PLAN)}


@dataclass
class ErasureResult:
    parts: frozenset[str]
    rows: Counter = field(default_factory=Counter)  # table → rows overwritten or deleted

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def erase_citizen(citizen, parts=ALL_PARTS, *, user=None) -> ErasureResult:
    """Overwrite the chosen parts of the citizen's personal data everywhere (flushed, not committed).

    With every part, the citizen becomes "Slettet borger", is marked erased and restricted (nothing
    more may be added: webapp/privacy/restriction.py), and pending reminders are cancelled."""
    from ..messages.schedule import ERASED as CANCELLED_ERASED
    from ..messages.sync import cancel_pending
    from .restriction import writes_allowed

    if citizen.erased_at is not None:
        raise ErasureError(MSG_ALREADY)
    chosen = check_parts(parts)
    result = ErasureResult(chosen)
    now = utcnow()
    with writes_allowed():
        if CONTACT in chosen:  # no one to remind: what waits is cancelled (and blanked below)
            cancel_pending(db.session, citizen.id, CANCELLED_ERASED, now)
        for table_name, plan in PLAN.items():
            if plan.delete in chosen:
                for row in _rows(table_name, citizen.id):
                    db.session.delete(row)
                    result.rows[table_name] += 1
                continue
            values = {column: value for part, columns in plan.erase.items() if part in chosen
                      for column, value in columns.items()}
            if not values:
                continue
            for row in _rows(table_name, citizen.id):
                if plan.skip is not None and plan.skip(row):
                    continue
                for column, value in values.items():
                    setattr(row, column, value)
                if isinstance(row, Versioned):
                    saved(row, user)  # an edit form opened before the erasure cannot write it back
                result.rows[table_name] += 1
        if chosen == ALL_PARTS:
            citizen.erased_at = now
            if citizen.restricted_at is None:
                citizen.restricted_at = now
        db.session.flush()
    return result


def uncovered_text_columns() -> list[str]:
    """Text columns of a citizen's tables that the plan neither erases nor keeps (for the test)."""
    textish = (String, Text, JSON, LargeBinary)
    missing = []
    for table_name in sorted(citizen_tables()):
        plan = PLAN.get(table_name)
        if plan is None:
            missing.append(f"{table_name} (no plan)")
            continue
        named = set(plan.keep) | {c for columns in plan.erase.values() for c in columns}
        for column in db.metadata.tables[table_name].columns:
            is_text = isinstance(column.type, textish) or isinstance(getattr(column.type, "impl_instance", None), textish)
            if is_text and column.name not in named:
                missing.append(f"{table_name}.{column.name}")
    return missing
