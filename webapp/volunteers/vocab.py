"""Fixed Danish vocabularies of the volunteer world."""

THEMES = {
    "motion": "Motion",
    "faellesskab": "Fællesskab",
    "madklub": "Madklub",
    "besoegsven": "Besøgsven",
    "selvhjaelp": "Selvhjælp",
    "kreativt": "Kreativt",
    "genbrug": "Genbrug",
    "andet": "Andet",
}

# Weekday codes in week order, stored comma-separated (»man,ons«).
WEEKDAYS = {
    "man": "mandag",
    "tir": "tirsdag",
    "ons": "onsdag",
    "tor": "torsdag",
    "fre": "fredag",
    "lor": "lørdag",
    "son": "søndag",
}


def weekday_codes(text: str | None) -> list[str]:
    """The stored comma codes as a list in week order; unknown codes are dropped."""
    codes = {code.strip() for code in (text or "").split(",")}
    return [code for code in WEEKDAYS if code in codes]


def join_weekdays(codes) -> str:
    return ",".join(code for code in WEEKDAYS if code in set(codes or ()))


def weekday_labels(text: str | None) -> str:
    return ", ".join(WEEKDAYS[code] for code in weekday_codes(text))
