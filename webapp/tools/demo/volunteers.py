"""Fictitious demo data for the volunteer world: five organisations in a Danish town's style (a
self-help group, a sports club, a visiting-friend service, a food club and a charity shop) and their
activities, one of them paused. Everything goes through webapp.volunteers.services. Idempotent,
flush only."""

import random

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.volunteers import services
from webapp.volunteers.models import VolunteerOrganisation

# name, contact person, phone, e-mail, address – all fictitious.
ORGANISATIONS = (
    ("Selvhjælpsgruppen Åben Dør", "Hanne Vestergaard", "20 11 22 33", "aabendoer@example.dk",
     "Frivilligcentret, Vendersgade 4, 7000 Fredericia"),
    ("Idrætsforeningen Vold-Motion", "Kim Bertelsen", "21 44 55 66", "voldmotion@example.dk",
     "Idrætscentret, Stadion Allé 3, 7000 Fredericia"),
    ("Besøgsvennerne i Fredericia", "Inger Mølgaard", "22 77 88 99", "besoegsven@example.dk",
     "Frivilligcentret, Vendersgade 4, 7000 Fredericia"),
    ("Madklubben Fælles Bord", "Ahmad Rahimi", "23 12 34 56", "faellesbord@example.dk",
     "Kulturhuset, Prinsessegade 10, 7000 Fredericia"),
    ("Genbrugsbutikken Anden Chance", "Lise Damgaard", "24 65 43 21", "andenchance@example.dk",
     "Jyllandsgade 22, 7000 Fredericia"),
)

# organisation index, title, theme, place, when, weekdays, places free (None = open to all), active
ACTIVITIES = (
    (0, "Samtalegruppe om ensomhed", "selvhjaelp", "Frivilligcentret", "kl. 17–19", ("tir",), 4, True),
    (0, "Gruppen der fortsætter", "selvhjaelp", "Frivilligcentret", "kl. 10–12, hver anden uge", ("fre",), 6, True),
    (1, "Gå-makker", "motion", "Voldene", "kl. 9.30", ("man", "tor"), None, True),
    (1, "Træning for nybegyndere", "motion", "Idrætscentret", "kl. 16–17", ("ons",), 3, True),
    (2, "Besøgsven i eget hjem", "besoegsven", "Borgerens hjem", "efter aftale", (), 2, True),
    (2, "Følgeskab til indkøb", "besoegsven", "Borgerens nærområde", "efter aftale", ("man", "fre"), 0, True),
    (3, "Fællesspisning", "madklub", "Kulturhuset", "kl. 17.30", ("tor",), None, True),
    (3, "Madlavning for mænd", "madklub", "Kulturhuset", "kl. 16–19", ("tir",), 5, False),
    (4, "Frivillig i butikken", "genbrug", "Jyllandsgade 22", "kl. 10–14", ("man", "tir", "ons"), 2, True),
    (4, "Kreativt værksted med genbrugstekstiler", "kreativt", "Jyllandsgade 22", "kl. 13–15", ("lor",), None,
     True),
)

FOR_WHOM = "Voksne, der gerne vil møde andre i rolige rammer."
CAN_HANDLE = "Nervøsitet ved at møde nye mennesker; at man kommer og går i sit eget tempo."
CANNOT_HANDLE = "Akut krise, påvirkning af alkohol eller stoffer, behov for personlig pleje."


def load(rng: random.Random) -> dict:
    if db.session.scalar(select(func.count(VolunteerOrganisation.id))):
        return {"volunteer organisations": 0, "volunteer activities": 0}
    organisations = [
        services.save_organisation(None, name=name, contact_person=person, phone=phone, email=email,
                                   address=address, active=True)
        for name, person, phone, email, address in ORGANISATIONS]
    for index, title, theme, place, when, weekdays, places, active in ACTIVITIES:
        services.save_activity(
            None, organisation_id=organisations[index].id, title=title, theme=theme, place=place,
            when_text=when, weekdays=weekdays, places_free=places, open_to_all=places is None,
            description=f"{title} hos {organisations[index].name}.", for_whom=FOR_WHOM,
            can_handle=CAN_HANDLE, cannot_handle=CANNOT_HANDLE, active=active)
    return {"volunteer organisations": len(ORGANISATIONS), "volunteer activities": len(ACTIVITIES)}
