"""The leader's decision form on a request for erasure or restriction, the form that lifts a
restriction, and what the request page shows beside them (what an erasure would go through)."""

from wtforms import BooleanField, SelectChoice, StringField
from wtforms.validators import DataRequired, Length

from ..forms import DanishSelectField, Form, MultiCheckboxField, options, text_area
from . import erasure
from .models import DECISIONS, ERASURE, PARTLY

# What the leader reads before deciding: the citizen's rows that an erasure goes through.
TABLE_LABELS = {
    "citizen": "Indskrivning (navn, CPR-nummer, kontaktoplysninger)",
    "relative": "Pårørende",
    "contact": "Henvendelser i receptionen",
    "guide_conversation": "Guidesamtaler",
    "course": "Forløb",
    "meeting": "Møder",
    "course_documentation": "Dokumentation til økonomiopfølgningen (Bilag 6)",
    "shadow_line": "Linjer i skyggeregnskabet",
    "consent": "Samtykker",
    "handover": "Overdragelser til myndighedsafdelingen",
    "direct_authority_proposal": "Forslag direkte til myndighedsafdelingen",
    "meeting_decision": "Beslutninger på fredagsmødet",
    "fit_score": "FIT-målinger",
    "group_enrolment": "Tilmeldinger til grupper",
    "group_attendance": "Fremmøde i grupper",
    "outreach_request": "Opgaver til den udekørende funktion",
    "outreach_visit": "Besøg af den udekørende funktion",
    "volunteer_request": "Efterlysninger af frivillige tilbud",
    "volunteer_match": "Forslag til frivillige tilbud",
    "volunteer_match_step": "Skridt i brobygningen",
    "plan": "Min Plan",
    "plan_version": "Gemte udgaver af Min Plan",
    "plan_follow_up": "Opfølgninger på Min Plan",
    "plan_draft": "Ikke-gemte kladder til Min Plan (slettes)",
    "outbox_message": "Påmindelser (SMS og e-mail)",
    "privacy_request": "Anmodninger om indsigt, sletning og begrænsning",
}

# Rows that usually fall under the duty to keep case records (art. 17(3)(b)): shown as a hint.
CASE_RECORD_TABLES = ("handover", "course_documentation", "direct_authority_proposal")


class DecisionForm(Form):
    decision = DanishSelectField("Anmodningen er", choices=options([("", "Vælg …"), *DECISIONS.items()]),
                                 validators=[DataRequired("Vælg en afgørelse.")])
    parts = MultiCheckboxField("Det, der slettes ved delvis godkendelse",
                               choices=[SelectChoice(k, erasure.PARTS[k]) for k in erasure.PARTIAL_PARTS])
    reason = text_area("Begrundelse (skal udfyldes ved afslag og delvis godkendelse)", rows=3)
    legal_basis = StringField("Retsgrundlag", validators=[
        DataRequired("Skriv retsgrundlaget, fx »Databeskyttelsesforordningens artikel 17, stk. 1, litra a«."),
        Length(max=300)])

    def restrict_to(self, kind: str) -> None:
        """A restriction is all or nothing: no partial approval, no parts."""
        if kind != ERASURE:
            self.decision.choices = [c for c in self.decision.choices if c.value != PARTLY]
            self.reason.label.text = "Begrundelse (skal udfyldes ved afslag)"


class LiftForm(Form):
    informed = BooleanField("Borgeren er orienteret om, at begrænsningen ophæves (artikel 18, stk. 3)")


def decision_context(privacy_request, decision_form: DecisionForm | None = None,
                     lift_form: LiftForm | None = None) -> dict:
    """What templates/privacy/_decision.html needs."""
    citizen = privacy_request.citizen
    if decision_form is None:
        decision_form = DecisionForm(formdata=None)
    decision_form.restrict_to(privacy_request.kind)
    counts = erasure.preview(citizen) if privacy_request.is_open and citizen.erased_at is None else {}
    rows = [(TABLE_LABELS.get(name, name), count) for name, count in counts.items() if count]
    case_records = {TABLE_LABELS[name]: counts[name] for name in CASE_RECORD_TABLES if counts.get(name)}
    return {
        "decision_form": decision_form,
        "lift_form": lift_form or LiftForm(formdata=None),
        "erasure_rows": rows,
        "case_records": case_records,
        "ERASURE": ERASURE,
    }
