"""Codes and Danish labels for citizens, guide conversations and courses."""

CONTACT_PREFERENCES = {"sms": "SMS", "email": "E-mail", "telefon": "Telefon", "ikke": "Ønsker ikke at blive kontaktet"}

GUIDE_OUTCOMES = {
    "forloeb": "Start et forløb",
    "ad_hoc": "Kun ad hoc-hjælp",
    "ingen": "Ingen yderligere hjælp nødvendig",
    "direkte_myndighed": "Forslag: direkte til myndighedsafdelingen",
    "frivilligt_tilbud": "Frivilligt tilbud",
}
GUIDE_STATUSES = {"booket": "Booket", "afholdt": "Afholdt", "aflyst": "Aflyst", "udeblevet": "Udeblevet"}

STOP_REASONS = {
    "P": "Pause",
    "ILB": "Ikke længere behov",
    "EE": "Efter eget ønske",
    "HFT": "Har fået tilbud",
    "UB": "Udeblevet",
    "FFK": "Fraflyttet kommunen",
    "anden": "Anden årsag",
}
NEXT_STEPS = {
    "ingen_behov": "Intet yderligere behov",
    "frivilligt_tilbud": "Frivilligt tilbud",
    "overdragelse": "Overdragelse til myndighedsafdelingen",
    "andet_tilbud": "Andet tilbud",
}
MEETING_KINDS = {
    "opfoelgning": "Opfølgning",
    "coaching": "Coachende samtale",
    "paaroerende": "Samtale med pårørende",
    "netvaerksmoede": "Netværksmøde",
    "nada": "NADA",
    "velfaerdsteknologi": "Velfærdsteknologi",
    # The last meeting before closing, with the volunteer coordinator (#12): booked on its own page
    # (webapp/volunteers/kickoff_routes.py), which invites her – not in the general meeting form.
    "kickoff": "Kick-off-møde",
}
FORM_MEETING_KINDS = {code: label for code, label in MEETING_KINDS.items() if code != "kickoff"}
MEETING_STATUSES = {"planlagt": "Planlagt", "afholdt": "Afholdt", "udeblevet": "Udeblevet", "aflyst": "Aflyst"}

GOAL_ATTAINMENT = {1: "I ringe grad", 2: "I nogen grad", 3: "I middel grad", 4: "I høj grad"}

DISABILITY_CATEGORIES = [
    "ADHD", "Asperger", "Autist", "Multihandicappet", "Psyk. udviklingshæmmet", "Psykisk syg",
    "Sen-hjerneskadet", "Særlig socialt udsatte", "Yngre dement", "Øvr. psykisk handicap",
    "Kommunikationshandicap", "Lammelse/cerebral parese", "Muskelsvind/sclerose", "Øvr. fysisk handicap",
    "Aktive plejekrævende misbrugere",
]
