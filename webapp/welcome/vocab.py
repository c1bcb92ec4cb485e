"""The welcome table's vocabulary: stored codes (English-free ASCII) and their Danish labels."""

KINDS = {"visit": "Besøg", "phone": "Telefon", "ad_hoc": "Ad hoc-hjælp"}

CHANNELS = {
    "fremmoede": "Fremmøde",
    "telefon": "Telefon",
    "mail": "Mail",
    "udekoerende": "Udekørende",
}
KIND_CHANNEL = {"visit": "fremmoede", "phone": "telefon", "ad_hoc": "fremmoede"}

FROM_TYPES = {"borger": "Borger", "paaroerende": "Pårørende", "samarbejdspartner": "Samarbejdspartner"}

PARTNERS = {
    "jobcenter": "Jobcenter",
    "lokalpsykiatri": "Lokalpsykiatri",
    "hospitalspsykiatri": "Hospitalspsykiatri",
    "borgerservice": "Borgerservice",
    "praktiserende_laege": "Praktiserende læge",
    "udskrivningskoordinator": "Udskrivningskoordinator",
    "myndighedsafdelingen": "Myndighedsafdelingen",
    "vaeresteder_skp": "Væresteder/SKP",
    "frivillig_organisation": "Frivillig organisation",
    "anden": "Anden",
}

TOPICS = {
    "skattekort": "Skattekort",
    "ansoegning": "Ansøgning",
    "mitid": "MitID",
    "su": "SU",
    "digital_post": "Digital Post/e-Boks",
    "rykker": "Rykker",
    "boligsikring": "Boligsikring",
    "rki": "RKI",
    "brev": "Brev",
    "computer": "Computer",
    "andet": "Andet",
}

# The outcome that makes any contact ad hoc help (see models.ad_hoc_help).
AD_HOC_OUTCOME = "ad_hoc_givet"

OUTCOMES = {
    "information": "Information",
    AD_HOC_OUTCOME: "Ad hoc-hjælp givet",
    "guidesamtale_booket": "Guidesamtale booket",
    "henvist_jobcenter": "Henvist til jobcenter",
    "henvist_borgerservice": "Henvist til borgerservice",
    "frivilligt_tilbud": "Frivilligt tilbud",
    "udekoerende_anmodning": "Anmodning om udekørende funktion",
}

MAX_DURATION_MINUTES = 480
MAX_NOTE_LENGTH = 2000
