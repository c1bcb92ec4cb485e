"""The groups' vocabulary: stored codes and their Danish labels."""

PLACES = {"din_indgang": "Din Indgang", "frivilligcenter": "Frivilligcenteret"}

# One tap per person at a meeting. Never a penalty: "ikke mødt" is recorded, nothing follows from it.
ATTENDANCE = {"moedt": "Mødt", "ikke_moedt": "Ikke mødt", "gik_undervejs": "Gik undervejs"}
# Attended (for hours and counts): left early still took part.
ATTENDED = ("moedt", "gik_undervejs")

# What a theme's hours count as in Bilag 6 (NADA is reported on its own line).
HOURS_ACTIVITIES = {"groups": "Grupper", "nada": "NADA"}

DEFAULT_CAPACITY = 8
DEFAULT_MEETINGS = 6
DEFAULT_MEETING_MINUTES = 120
MAX_CAPACITY = 30
MAX_MEETINGS = 30

# The themes the report names (DESIGN.md §1); the migration seeds them, the demo data too.
DEFAULT_THEMES = (
    ("NADA", "Øreakupunktur i rolige rammer. Du kan komme, selvom du ikke har prøvet det før.", 8, 8, 60,
     "nada"),
    ("Struktur på din dag", "Vi taler om, hvordan hverdagen kan hænge sammen, og prøver små skridt af.", 8, 6,
     120, "groups"),
    ("Dig og dit dilemma", "Et sted at tale om de valg, der fylder, sammen med andre i samme situation.", 8, 6,
     120, "groups"),
    ("Dating", "Om at møde nye mennesker – hvad gør man, og hvad kan man sige?", 8, 4, 120, "groups"),
    ("Mindfulness", "Enkle øvelser i nærvær og ro, som du kan bruge derhjemme.", 8, 8, 120, "groups"),
    ("Aktivitet og sundhed", "Bevægelse, mad og søvn – i dit eget tempo og sammen med andre.", 8, 8, 120,
     "groups"),
    ("Mobning", "For dig, der har været udsat for mobning og gerne vil videre.", 8, 6, 120, "groups"),
    ("At være sensitiv", "Om at være særligt sensitiv: at kende sine grænser og passe på sig selv.", 8, 6,
     120, "groups"),
    ("Følelseshåndtering", "Om at forstå og rumme sine følelser – med øvelser, du kan tage med hjem.", 8, 6,
     120, "groups"),
)
