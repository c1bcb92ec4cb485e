"""The append-only audit log, the registry of what may be written to it, and the helpers that write it.

Rows are never updated or deleted by the application (enforced below and by database triggers),
except by the hash chain's sealing and the retention path in webapp/auditchain.py. Never pass CPR numbers or note text in `details`.

Rules (DESIGN.md §8, README "Security and privacy"):
- Every view, print, export, search hit and disclosure that names a citizen writes a row naming
  that citizen (`citizen_id`); a page that names 25 citizens writes 25 rows in one bulk insert
  (`record_many`). A disclosure names its recipient in `details`.
- Every action code is in `ACTIONS` with a Danish label, a kind of access and a purpose: what the
  citizen is given on a request for insight (»Hvem har set …«). `record` refuses an unknown code
  (an error in development and tests; in production the row is still written and the error logged).
- Each row keeps the user's roles at the time of the event.
- Day board renders (screens that poll every few seconds) write a row for a (user, citizen, action)
  at most once per `AUDIT_BOARD_WINDOW_MINUTES` (default 60): `board_views_to_record` leaves out the
  citizens already recorded within the window, and a "nothing changed" answer writes nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_app_context, has_request_context, request
from flask_login import current_user
from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, event, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .extensions import db
from .forms import strip_control_characters
from .models_base import UtcDateTime
from .timeutil import utcnow

BOARD_WINDOW_MINUTES = 60  # default of the setting AUDIT_BOARD_WINDOW_MINUTES
ACCESS_PAGE_SIZE = 200  # rows per page of »Hvem har set …«


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
    # The user's roles when it happened (comma-separated codes): the role shown to the citizen.
    roles: Mapped[str | None] = mapped_column(String(120))
    # The hash chain (webapp/auditchain.py): set once, just before COMMIT, by the sealing hook.
    chain_seq: Mapped[int | None] = mapped_column(BigInteger, unique=True, index=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[str | None] = mapped_column(String(64))


class AuditPrune(db.Model):
    """One run of the audit log's retention: the chain's prefix up to `up_to_seq` was deleted; its
    last row's hash is the anchor the remaining chain starts from (webapp/auditchain.py). Insert-only."""

    __tablename__ = "audit_prune"

    id: Mapped[int] = mapped_column(primary_key=True)
    pruned_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    up_to_seq: Mapped[int] = mapped_column(BigInteger)
    row_count: Mapped[int] = mapped_column(Integer)
    anchor_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    record_hash: Mapped[str] = mapped_column(String(64))


# --- the registry of action codes ------------------------------------------------------------------

# Kinds of access, as the citizen is told them.
SEE = "Opslag"
CHANGE = "Registrering eller ændring"
PRINT = "Udskrift"
EXPORT = "Eksport"
SEARCH = "Søgning"
DISCLOSE = "Videregivelse"
SYSTEM = "Adgang og opsætning"

# Purposes.
COURSE = "Borgerens forløb"
REGISTER = "Borgerens stamoplysninger"
IDENTIFY = "Identifikation af borgeren"
CONVERSATION = "Samtale med borgeren"
FIND = "At finde borgeren"
WELCOME = "Modtagelse og henvendelser"
BOARD = "Dagens overblik (dagstavlen)"
PLAN = "Min Plan"
FIT = "Måling af udbytte (FIT)"
GROUPS = "Gruppeforløb"
GROUP_SETUP = "Planlægning af grupper"
FRIDAY = "Fredagsmøde"
HANDOVER = "Overdragelse til myndighedsafdelingen"
DIRECT = "Direkte til myndighedsafdelingen"
CONSENT = "Samtykke til videregivelse"
OUTREACH = "Udekørende funktion"
STATISTICS = "Statistik"
INSIGHT = "Kontrol af adgang til oplysningerne"
ACCOUNTS = "Brugeradministration"
SIGN_IN = "Adgang til systemet"
FIT_SETUP = "Opsætning af FIT-skalaer"
OFFER_SETUP = "Vedligeholdelse af tilbudskataloget"
VOLUNTEER_SETUP = "Vedligeholdelse af frivillige tilbud"
DOCUMENTATION = "Dokumentation til økonomistyring (Bilag 6)"
BRIDGE = "Brobygning til frivilligt tilbud"
REMINDER = "Påmindelse om aftale"
LOG_RETENTION = "Sletning af gamle logoplysninger (opbevaringsregler)"
RETENTION = "Opbevaringsregler (sletning af det, der ikke længere må gemmes)"
ART15_INSIGHT = "Borgerens indsigt (artikel 15)"
PRIVACY_REQUESTS = "Borgerens anmodninger efter databeskyttelsesreglerne"
ART17_ERASURE = "Sletning af borgerens oplysninger (artikel 17)"
ART18_RESTRICTION = "Begrænsning af behandlingen (artikel 18)"


@dataclass(frozen=True)
class Action:
    label: str  # plain Danish, past tense: "Så FIT-grafen"
    kind: str
    purpose: str


A = Action
NOT_SAVED = " (ikke gemt)"

# Every code written anywhere (tests/core/test_audit_registry.py scans the source for them).
ACTIONS: dict[str, Action] = {
    # citizens: register, search, page
    "citizen_search": A("Fandt borgeren i en søgning", SEARCH, FIND),
    "citizen_duplicate_warning": A("Fik borgeren vist som mulig dublet ved oprettelse", SEARCH, REGISTER),
    "citizen_viewed": A("Så borgersiden", SEE, COURSE),
    "citizen_created": A("Oprettede borgeren", CHANGE, REGISTER),
    "citizen_create_refused": A("Forsøgte at oprette en borger" + NOT_SAVED, CHANGE, REGISTER),
    "citizen_changed": A("Ændrede oplysninger", CHANGE, REGISTER),
    "citizen_edit_opened": A("Åbnede oplysningerne til rettelse", SEE, REGISTER),
    "citizen_change_refused": A("Forsøgte at ændre oplysninger" + NOT_SAVED, CHANGE, REGISTER),
    "cpr_revealed": A("Viste det fulde CPR-nummer", SEE, IDENTIFY),
    "access_log_viewed": A("Så adgangsloggen", SEE, INSIGHT),
    "relative_added": A("Tilføjede en pårørende", CHANGE, REGISTER),
    "relative_refused": A("Forsøgte at tilføje en pårørende" + NOT_SAVED, CHANGE, REGISTER),
    "relative_removed": A("Fjernede en pårørende", CHANGE, REGISTER),
    # guide conversations, courses, meetings
    "guide_booking_opened": A("Åbnede booking af guidesamtale", SEE, CONVERSATION),
    "guide_booked": A("Bookede guidesamtale", CHANGE, CONVERSATION),
    "guide_booking_refused": A("Forsøgte at booke guidesamtale" + NOT_SAVED, CHANGE, CONVERSATION),
    "guide_opened": A("Åbnede guidesamtale", SEE, CONVERSATION),
    "guide_held": A("Registrerede guidesamtale", CHANGE, CONVERSATION),
    "guide_refused": A("Forsøgte at registrere guidesamtale" + NOT_SAVED, CHANGE, CONVERSATION),
    "course_started": A("Startede forløb", CHANGE, COURSE),
    "course_start_refused": A("Forsøgte at starte forløb" + NOT_SAVED, CHANGE, COURSE),
    "course_close_opened": A("Åbnede afslutning af forløb", SEE, COURSE),
    "course_closed": A("Afsluttede forløb", CHANGE, COURSE),
    "course_close_refused": A("Forsøgte at afslutte forløb" + NOT_SAVED, CHANGE, COURSE),
    "assessment_recorded": A("Registrerede uge 10-vurdering", CHANGE, COURSE),
    "assessment_refused": A("Forsøgte at registrere uge 10-vurdering" + NOT_SAVED, CHANGE, COURSE),
    "meeting_form_opened": A("Åbnede registrering af møde", SEE, CONVERSATION),
    "meeting_added": A("Registrerede møde", CHANGE, CONVERSATION),
    "meeting_refused": A("Forsøgte at registrere møde" + NOT_SAVED, CHANGE, CONVERSATION),
    "meeting_status_changed": A("Ændrede mødestatus", CHANGE, CONVERSATION),
    "meeting_status_refused": A("Forsøgte at ændre mødestatus" + NOT_SAVED, CHANGE, CONVERSATION),
    # coaching and FIT
    "course_coaching_viewed": A("Så forløbets coachende samtaler", SEE, CONVERSATION),
    "course_meeting_viewed": A("Så en coachende samtale", SEE, CONVERSATION),
    "course_meeting_created": A("Registrerede en coachende samtale", CHANGE, CONVERSATION),
    "course_meeting_changed": A("Rettede en coachende samtale", CHANGE, CONVERSATION),
    "course_meeting_status": A("Ændrede status for en coachende samtale", CHANGE, CONVERSATION),
    "fit_viewed": A("Så FIT-målingerne", SEE, FIT),
    "fit_chart_viewed": A("Så FIT-grafen", SEE, FIT),
    "fit_items_viewed": A("Så spørgsmålene i et FIT-skema", SEE, FIT),
    "fit_form_viewed": A("Åbnede et FIT-skema", SEE, FIT),
    "fit_paper_form_viewed": A("Åbnede indtastning af et FIT-skema på papir", SEE, FIT),
    "fit_score_recorded": A("Registrerede FIT-score", CHANGE, FIT),
    "fit_scale_uploaded": A("Indlæste en FIT-skala", SYSTEM, FIT_SETUP),
    "fit_scale_reset": A("Nulstillede en FIT-skala", SYSTEM, FIT_SETUP),
    # Min Plan
    "plan_viewed": A("Så Min Plan", SEE, PLAN),
    "plan_version_viewed": A("Så en tidligere udgave af Min Plan", SEE, PLAN),
    "plan_saved": A("Gemte Min Plan", CHANGE, PLAN),
    "plan_save_refused": A("Forsøgte at gemme Min Plan" + NOT_SAVED, CHANGE, PLAN),
    "plan_save_conflict": A("Forsøgte at gemme Min Plan, som en anden lige havde ændret" + NOT_SAVED, CHANGE, PLAN),
    "plan_follow_up_added": A("Tilføjede en opfølgning i Min Plan", CHANGE, PLAN),
    "plan_draft_saved": A("Gemte en kladde til Min Plan", CHANGE, PLAN),
    "plan_draft_discarded": A("Kasserede en kladde til Min Plan", CHANGE, PLAN),
    "plan_printed": A("Udskrev Min Plan", PRINT, PLAN),
    "closing_letter_printed": A("Udskrev afslutningsbrev", PRINT, COURSE),
    # groups
    "group_theme_created": A("Oprettede et gruppetema", CHANGE, GROUP_SETUP),
    "group_theme_changed": A("Rettede et gruppetema", CHANGE, GROUP_SETUP),
    "group_run_created": A("Oprettede et hold", CHANGE, GROUP_SETUP),
    "group_run_changed": A("Rettede et hold", CHANGE, GROUP_SETUP),
    "group_run_viewed": A("Så holdets deltagerliste", SEE, GROUPS),
    "group_meeting_added": A("Tilføjede et gruppemøde", CHANGE, GROUP_SETUP),
    "group_meeting_cancelled": A("Aflyste et gruppemøde", CHANGE, GROUP_SETUP),
    "group_meeting_reinstated": A("Genoptog et aflyst gruppemøde", CHANGE, GROUP_SETUP),
    "group_meeting_viewed": A("Så fremmødelisten til et gruppemøde", SEE, GROUPS),
    "group_enrolled": A("Tilmeldte borgeren et hold", CHANGE, GROUPS),
    "group_waiting_list": A("Satte borgeren på venteliste til et hold", CHANGE, GROUPS),
    "group_stopped": A("Stoppede borgerens deltagelse på et hold", CHANGE, GROUPS),
    "group_attendance_recorded": A("Registrerede fremmøde i gruppe", CHANGE, GROUPS),
    # the welcome table and the day board
    "day_board_viewed": A("Så borgeren på dagstavlen", SEE, BOARD),
    "contact_logged": A("Registrerede en henvendelse", CHANGE, WELCOME),
    "contact_refined": A("Supplerede en henvendelse", CHANGE, WELCOME),
    "contact_undone": A("Fortrød en registreret henvendelse", CHANGE, WELCOME),
    "contact_linked": A("Koblede en henvendelse på", CHANGE, WELCOME),
    "contact_unlinked": A("Fjernede borgeren fra en henvendelse", CHANGE, WELCOME),
    "contact_viewed": A("Så en henvendelse", SEE, WELCOME),
    "contact_note_viewed": A("Læste noten til en henvendelse", SEE, WELCOME),
    "contact_register_viewed": A("Så henvendelsesregistret", SEE, STATISTICS),
    "contact_register_exported": A("Eksporterede henvendelsesregistret", EXPORT, STATISTICS),
    "key_figures_viewed": A("Så nøgletallene", SEE, STATISTICS),
    "key_figures_exported": A("Eksporterede nøgletallene", EXPORT, STATISTICS),
    "economics_viewed": A("Så økonomien i skyggevisitationen", SEE, STATISTICS),
    "key_figures_printed": A("Udskrev nøgletallene til udvalget", PRINT, STATISTICS),
    "key_figure_list_viewed": A("Så borgeren på en liste bag et nøgletal", SEE, STATISTICS),
    "host_duty_on": A("Meldte sig til værtsvagt", SYSTEM, WELCOME),
    "host_duty_off": A("Meldte sig fra værtsvagt", SYSTEM, WELCOME),
    # handover, consent, directly to the authority department
    "consents_viewed": A("Så samtykkerne", SEE, CONSENT),
    "consent_recorded": A("Registrerede samtykke", CHANGE, CONSENT),
    "consent_withdrawn": A("Samtykke trukket tilbage", CHANGE, CONSENT),
    "handovers_listed": A("Så listen over overdragelser", SEE, HANDOVER),
    "handover_created": A("Oprettede overdragelse", CHANGE, HANDOVER),
    "handover_viewed": A("Så overdragelsen", SEE, HANDOVER),
    "handover_changed": A("Rettede overdragelsen", CHANGE, HANDOVER),
    "handover_disclosed": A("Sendte overdragelsen til myndighedsafdelingen", DISCLOSE, HANDOVER),
    "handover_sent": A("Sendte overdragelsen til myndighedsafdelingen", DISCLOSE, HANDOVER),  # older rows
    "handover_received": A("Myndighedsafdelingen modtog overdragelsen", SEE, HANDOVER),
    "handover_inbox_viewed": A("Så myndighedsafdelingens indbakke", SEE, HANDOVER),
    "handover_printed": A("Udskrev overdragelsen", PRINT, HANDOVER),
    "direct_proposals_viewed": A("Så forslag om direkte til myndighedsafdelingen", SEE, DIRECT),
    "direct_proposed": A("Foreslog direkte til myndighedsafdelingen", CHANGE, DIRECT),
    "direct_decided": A("Besluttede om borgeren går direkte til myndighedsafdelingen", CHANGE, FRIDAY),
    # the documentation form per course (Bilag 6)
    "documentation_viewed": A("Så dokumentationsskemaet (Bilag 6)", SEE, DOCUMENTATION),
    "documentation_changed": A("Rettede dokumentationsskemaet (Bilag 6)", CHANGE, DOCUMENTATION),
    "documentation_printed": A("Udskrev dokumentationsskemaet (Bilag 6)", PRINT, DOCUMENTATION),
    # the Friday meeting
    "meeting_agenda_viewed": A("Så borgeren på dagsordenen til fredagsmødet", SEE, FRIDAY),
    "meeting_projector_viewed": A("Viste borgerens punkt på projektoren ved fredagsmødet", SEE, FRIDAY),
    "meeting_decision_recorded": A("Registrerede en beslutning på fredagsmødet", CHANGE, FRIDAY),
    "meeting_decision_done": A("Markerede en beslutning fra fredagsmødet som udført", CHANGE, FRIDAY),
    "meeting_minutes_printed": A("Udskrev referatet af fredagsmødet", PRINT, FRIDAY),
    # outreach
    "outreach_listed": A("Så listen over anmodninger om udekørende funktion", SEE, OUTREACH),
    "outreach_form_viewed": A("Åbnede en ny anmodning om udekørende funktion", SEE, OUTREACH),
    "outreach_recorded": A("Registrerede en anmodning om udekørende funktion", CHANGE, OUTREACH),
    "outreach_viewed": A("Så anmodning om udekørende funktion", SEE, OUTREACH),
    "outreach_assigned": A("Tildelte anmodningen om udekørende funktion", CHANGE, OUTREACH),
    "outreach_visit_recorded": A("Registrerede et udekørende besøg", CHANGE, OUTREACH),
    "outreach_closed": A("Afsluttede anmodningen om udekørende funktion", CHANGE, OUTREACH),
    "outreach_linked": A("Koblede anmodningen om udekørende funktion til borgeren", CHANGE, OUTREACH),
    "outreach_outcome_disclosed": A("Fortalte samarbejdspartneren udfaldet", DISCLOSE, OUTREACH),
    "outreach_partner_told": A("Fortalte samarbejdspartneren udfaldet", DISCLOSE, OUTREACH),  # older rows
    # users and sign-in (no citizen)
    "login": A("Loggede ind", SYSTEM, SIGN_IN),
    "login_failed": A("Forsøgte at logge ind med forkert adgangskode", SYSTEM, SIGN_IN),
    "login_throttled": A("Blev bedt om at vente før næste forsøg på at logge ind", SYSTEM, SIGN_IN),
    "logout": A("Loggede ud", SYSTEM, SIGN_IN),
    "unlock": A("Låste skærmen op", SYSTEM, SIGN_IN),
    "unlock_failed": A("Forsøgte at låse skærmen op med forkert adgangskode", SYSTEM, SIGN_IN),
    "user_created": A("Oprettede en bruger", SYSTEM, ACCOUNTS),
    "user_changed": A("Rettede en bruger", SYSTEM, ACCOUNTS),
    "user_activated": A("Genåbnede en brugerkonto", SYSTEM, ACCOUNTS),
    "user_deactivated": A("Lukkede en brugerkonto", SYSTEM, ACCOUNTS),
    "password_reset": A("Nulstillede en adgangskode", SYSTEM, ACCOUNTS),
    # the catalogue of municipal offers (no citizen) and the list »mangler skyggevisitation« (#11)
    "offer_added": A("Føjede et tilbud til tilbudskataloget", SYSTEM, OFFER_SETUP),
    "offer_changed": A("Rettede et tilbud i tilbudskataloget", SYSTEM, OFFER_SETUP),
    "offer_removed": A("Fjernede et tilbud fra tilbudskataloget", SYSTEM, OFFER_SETUP),
    "offer_restored": A("Genoprettede et tilbud i tilbudskataloget", SYSTEM, OFFER_SETUP),
    "missing_shadow_listed": A("Så borgeren på listen over forløb, der mangler skyggevisitation", SEE, STATISTICS),
    # the volunteer world (#12): organisations and their activities (no citizen)
    "volunteer_organisation_added": A("Oprettede en frivilligorganisation", SYSTEM, VOLUNTEER_SETUP),
    "volunteer_organisation_changed": A("Rettede en frivilligorganisation", SYSTEM, VOLUNTEER_SETUP),
    "volunteer_activity_added": A("Oprettede en frivillig aktivitet", SYSTEM, VOLUNTEER_SETUP),
    "volunteer_activity_changed": A("Rettede en frivillig aktivitet", SYSTEM, VOLUNTEER_SETUP),
    "volunteer_activity_paused": A("Satte en frivillig aktivitet på pause", SYSTEM, VOLUNTEER_SETUP),
    "volunteer_activity_resumed": A("Genoptog en frivillig aktivitet", SYSTEM, VOLUNTEER_SETUP),
    # the kick-off meeting (#12): the last meeting before closing, with the volunteer coordinator
    "kickoff_form_opened": A("Åbnede booking af kick-off-møde", SEE, BRIDGE),
    "kickoff_booked": A("Bookede kick-off-møde med frivilligkoordinatoren", CHANGE, BRIDGE),
    "kickoff_moved": A("Flyttede kick-off-møde", CHANGE, BRIDGE),
    "kickoff_refused": A("Forsøgte at booke kick-off-møde" + NOT_SAVED, CHANGE, BRIDGE),
    # the volunteer bridge (#12): requests, matches, the coordinator's pages
    "volunteer_request_opened": A("Åbnede en efterlysning af frivilligt tilbud", SEE, BRIDGE),
    "volunteer_request_created": A("Efterlyste et frivilligt tilbud til borgeren", CHANGE, BRIDGE),
    "volunteer_request_refused": A("Forsøgte at efterlyse et frivilligt tilbud" + NOT_SAVED, CHANGE, BRIDGE),
    "volunteer_request_closed": A("Lukkede efterlysningen af frivilligt tilbud", CHANGE, BRIDGE),
    "volunteer_queue_viewed": A("Så borgeren i køen af efterlysninger", SEE, BRIDGE),
    "volunteer_home_viewed": A("Så borgeren på frivilligkoordinatorens forside", SEE, BRIDGE),
    "volunteer_match_proposed": A("Foreslog et frivilligt tilbud", CHANGE, BRIDGE),
    "volunteer_match_viewed": A("Så matchet med et frivilligt tilbud", SEE, BRIDGE),
    "volunteer_match_step": A("Registrerede et skridt i matchet med et frivilligt tilbud", CHANGE, BRIDGE),
    "volunteer_match_step_refused": A("Forsøgte at registrere et skridt i matchet" + NOT_SAVED, CHANGE, BRIDGE),
    "volunteer_contact_disclosed": A("Gav borgerens navn og kontaktoplysninger til en frivilligorganisation",
                                     DISCLOSE, BRIDGE),
    "volunteer_citizen_viewed": A("Så borgeren hos frivilligkoordinatoren", SEE, BRIDGE),
    "volunteer_continuing_viewed": A("Så borgeren på listen over grupper, der fortsætter som frivilliggruppe",
                                     SEE, BRIDGE),
    "volunteer_group_continues": A("Markerede et hold som fortsættende i en frivilligorganisation", CHANGE, GROUPS),
    # reminders to citizens by SMS and e-mail (#12): each handed to the provider is a disclosure
    "reminder_sent": A("Sendte en påmindelse om en aftale via SMS- eller e-mailudbyderen", DISCLOSE, REMINDER),
    "reminder_uncertain": A("Sendte måske en påmindelse om en aftale (uvist om den gik af sted)", DISCLOSE,
                            REMINDER),
    "reminders_turned_off": A("Slog påmindelser om aftaler fra", CHANGE, REMINDER),
    "reminders_turned_on": A("Slog påmindelser om aftaler til", CHANGE, REMINDER),
    # data protection (#13): the tamper-evident audit log
    "audit_pruned": A("Slettede de ældste hændelser i loggen efter opbevaringsreglerne", SYSTEM, LOG_RETENTION),
    # data protection (#13): the nightly retention run, one row per rule with its count
    "retention_run": A("Slettede oplysninger efter opbevaringsreglerne", SYSTEM, RETENTION),
    # data protection (#13): the second factor
    "second_factor_enrolled": A("Satte totrinsbekræftelse op", SYSTEM, SIGN_IN),
    "second_factor_passed": A("Bekræftede login med en engangskode", SYSTEM, SIGN_IN),
    "second_factor_failed": A("Forsøgte at logge ind med en forkert engangskode", SYSTEM, SIGN_IN),
    "second_factor_throttled": A("Blev bedt om at vente før næste forsøg med en engangskode", SYSTEM, SIGN_IN),
    "second_factor_recovery_used": A("Loggede ind med en reservekode", SYSTEM, SIGN_IN),
    "second_factor_reset": A("Nulstillede en kollegas totrinsbekræftelse", SYSTEM, ACCOUNTS),
    # data protection (#13): insight and the leader's request list
    "privacy_request_registered": A("Registrerede en anmodning om indsigt, sletning eller begrænsning", CHANGE,
                                    PRIVACY_REQUESTS),
    "privacy_requests_listed": A("Så borgeren på listen over anmodninger efter databeskyttelsesreglerne", SEE,
                                 PRIVACY_REQUESTS),
    "privacy_request_viewed": A("Så en anmodning efter databeskyttelsesreglerne", SEE, PRIVACY_REQUESTS),
    "privacy_request_form_viewed": A("Åbnede formularen til en anmodning efter databeskyttelsesreglerne", SEE,
                                     PRIVACY_REQUESTS),
    "insight_printed": A("Dannede borgerens indsigt som PDF", PRINT, ART15_INSIGHT),
    "insight_exported": A("Dannede borgerens indsigt som ZIP-fil (maskinlæsbar)", EXPORT, ART15_INSIGHT),
    "insight_delivered": A("Registrerede, at borgerens indsigt er udleveret", CHANGE, ART15_INSIGHT),
    # data protection (#13): erasure (the row names the citizen by number only: nothing erased is in it)
    "privacy_request_decided": A("Afgjorde en anmodning om sletning eller begrænsning", CHANGE, PRIVACY_REQUESTS),
    "citizen_restricted": A("Begrænsede behandlingen af borgerens oplysninger (kan kun læses, taget af lister)",
                            CHANGE, ART18_RESTRICTION),
    "restriction_lifted": A("Ophævede begrænsningen af behandlingen, efter at borgeren var orienteret", CHANGE,
                            ART18_RESTRICTION),
    "citizen_erased": A("Slettede borgerens personoplysninger (rækkerne bevares pseudonymiseret til nøgletallene)",
                        CHANGE, ART17_ERASURE),
    # data protection (#13): statistics export
    "statistics_exported": A("Tog borgerens forløb med, pseudonymiseret, i et statistikudtræk til forskning og "
                             "evaluering", EXPORT, STATISTICS),
}
del A

# The label of every code (the template filter `audit_label` reads it through action_label).
ACTION_LABELS = {code: action.label for code, action in ACTIONS.items()}
UNKNOWN = Action("Ukendt handling", SEE, "Ikke oplyst")


class UnknownAuditAction(ValueError):
    """An action code that is not in ACTIONS: give it a Danish label, a kind and a purpose."""


def describe(action: str) -> Action:
    return ACTIONS.get(action, UNKNOWN)


def action_label(action: str) -> str:
    return describe(action).label


def _check(action: str) -> None:
    if action in ACTIONS:
        return
    strict = not has_app_context() or current_app.config.get("APP_ENV") != "production" or current_app.testing
    if strict:
        raise UnknownAuditAction(f"audit action {action!r} is not in webapp.audit.ACTIONS")
    # Production: never lose the row and never fail the request over a label.
    current_app.logger.error("audit action %r has no entry in webapp.audit.ACTIONS", action)


# --- writing ---------------------------------------------------------------------------------------


def _row(action, object_type, object_id, *, user, username, details, citizen_id) -> dict:
    _check(action)
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    roles = getattr(user, "roles", None)
    return {
        "occurred_at": utcnow(),
        "user_id": user.id if user is not None else None,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "remote_addr": request.remote_addr if has_request_context() else None,
        # Details may quote what someone typed (a search): never a control character, never too long.
        "details": strip_control_characters(details)[:500] if details else details,
        "username": (user.username if user is not None else strip_control_characters(username or "")[:60] or None),
        "citizen_id": citizen_id if citizen_id is not None or object_type != "citizen" else _int(object_id),
        "roles": ",".join(sorted(roles))[:120] if roles else None,
    }


def _int(value) -> int | None:
    return int(value) if value is not None else None


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
    event_row = AuditEvent(**_row(action, object_type, object_id, user=user, username=username, details=details,
                                  citizen_id=citizen_id))
    db.session.add(event_row)
    return event_row


def record_many(
    action: str,
    citizen_ids,
    object_type: str | None = None,
    object_id: object | None = None,
    *,
    user=None,
    details: str | None = None,
) -> int:
    """One row per citizen named by a view, in ONE bulk insert (the caller commits). Repeated and
    missing ids are left out; a view that names nobody still leaves one row without a citizen.
    Returns the number of rows written."""
    base = _row(action, object_type, object_id, user=user, username=None, details=details, citizen_id=None)
    base["citizen_id"] = None  # the rows name the citizens below, never the object
    ids = list(dict.fromkeys(i for i in citizen_ids if i is not None))
    rows = [{**base, "citizen_id": citizen_id} for citizen_id in ids] or [base]
    db.session.execute(insert(AuditEvent), rows)
    return len(rows)


def board_window() -> timedelta:
    minutes = current_app.config.get("AUDIT_BOARD_WINDOW_MINUTES", BOARD_WINDOW_MINUTES)
    return timedelta(minutes=minutes)


def board_views_to_record(action: str, citizen_ids, user=None) -> list[int]:
    """Of the citizens a day board render names, those not yet recorded for this user and action
    within the window (screens poll every few seconds; one row per hour and citizen is enough)."""
    user = user if user is not None else current_user
    ids = list(dict.fromkeys(i for i in citizen_ids if i is not None))
    if not ids:
        return []
    seen = set(
        db.session.scalars(
            select(AuditEvent.citizen_id).where(
                AuditEvent.user_id == user.id,
                AuditEvent.action == action,
                AuditEvent.citizen_id.in_(ids),
                AuditEvent.occurred_at >= utcnow() - board_window(),
            )
        )
    )
    return [i for i in ids if i not in seen]


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session, _flush_context, _instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AuditLogIsAppendOnly("audit events are never changed or deleted")


# --- reading: »Hvem har set …« --------------------------------------------------------------------


@dataclass(frozen=True)
class AccessRow:
    occurred_at: datetime
    kind: str
    what: str
    who: str
    username: str  # the account, as two colleagues may share a name
    role: str
    purpose: str
    recipient: str
    details: str


def access_log(citizen_id: int, page: int = 1, size: int = ACCESS_PAGE_SIZE) -> tuple[list[AccessRow], bool]:
    """One page of the citizen's access log, newest first, and whether there are older rows."""
    from .auth.models import User
    from .auth.roles import ROLE_LABELS

    offset = (max(page, 1) - 1) * size
    rows = db.session.execute(
        select(AuditEvent, User.full_name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.citizen_id == citizen_id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .offset(offset)
        .limit(size + 1)
    ).all()
    result = []
    for audit_event, full_name in rows[:size]:
        action = describe(audit_event.action)
        roles = [ROLE_LABELS.get(r, r) for r in (audit_event.roles or "").split(",") if r]
        disclosure = action.kind == DISCLOSE
        result.append(AccessRow(
            occurred_at=audit_event.occurred_at,
            kind=action.kind,
            what=action.label,
            who=full_name or audit_event.username or "–",
            username=audit_event.username if full_name and audit_event.username else "",
            role=", ".join(roles) or "–",
            purpose=action.purpose,
            recipient=(audit_event.details or "").removeprefix("til ") if disclosure else "",
            details="" if disclosure else (audit_event.details or ""),
        ))
    return result, len(rows) > size
