"""Fictitious demo data for the volunteer world: five organisations in a Danish town's style (a
self-help group, a sports club, a visiting-friend service, a food club and a charity shop) and their
activities, one of them paused. Everything goes through webapp.volunteers.services. Idempotent,
flush only."""

import random
from datetime import timedelta

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.timeutil import utcnow
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
    summary = _load_catalogue()
    summary.update(_load_bridge(rng))
    return summary


def _load_catalogue() -> dict:
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


# --- the bridge: requests, matches in every state, consents, a group that carries on --------------

# wishes, considerations, themes, weekdays, origin
REQUESTS = (
    ("En makker at gå tur med om morgenen", "Bliver nervøs i store grupper", ("motion",), ("man", "tor"), "borgerside"),
    ("Nogen at spise sammen med", "", ("madklub", "faellesskab"), (), "guidesamtale"),
    ("Et sted at være nyttig et par timer om ugen", "Kan ikke løfte tungt", ("genbrug",), (), "forloeb"),
)
# the match's state and the activity's title; each step a few days after the one before
MATCHES = (
    ("foreslaaet", "Gå-makker"),
    ("kontakt_etableret", "Fællesspisning"),
    ("opstartsmoede", "Samtalegruppe om ensomhed"),
    ("i_gang", "Frivillig i butikken"),
    ("afsluttet", "Træning for nybegyndere"),
    ("faldet_fra", "Besøgsven i eget hjem"),
)


def _load_bridge(rng: random.Random) -> dict:
    from webapp.auth.models import User
    from webapp.citizens.models import Citizen
    from webapp.groups.models import GroupEnrolment, GroupRun
    from webapp.handover.consents import record_consent, valid_consent
    from webapp.timeutil import today_local
    from webapp.volunteers import matching
    from webapp.volunteers.bridge_models import VolunteerMatch, VolunteerMatchStep, VolunteerRequest
    from webapp.volunteers.models import VolunteerActivity

    if db.session.scalar(select(func.count(VolunteerRequest.id))):
        return {"volunteer requests": 0, "volunteer matches": 0}
    coordinator = db.session.scalar(select(User).where(User.username == "frivillig"))
    staff = db.session.scalar(select(User).where(User.username == "medarbejder")) or coordinator
    citizens = list(db.session.scalars(select(Citizen).order_by(Citizen.id).limit(len(REQUESTS) + len(MATCHES) + 2)))
    if coordinator is None or len(citizens) < len(REQUESTS) + len(MATCHES):
        return {"volunteer requests": 0, "volunteer matches": 0}
    today = today_local()
    signed = coordinator.id

    def consent(citizen_id: int) -> None:
        if valid_consent(citizen_id, "frivillig_organisation", today) is None:
            record_consent(citizen_id, basis="samtykke", purpose="Brobygning til frivilligt tilbud",
                           recipient_code="frivillig_organisation", given_on=today - timedelta(days=30), user=staff)

    for index, (wishes, considerations, themes, weekdays, origin) in enumerate(REQUESTS):
        db.session.add(VolunteerRequest(
            citizen_id=citizens[index].id, wishes=wishes, considerations=considerations, origin=origin,
            themes=matching.join_themes(themes), weekdays=",".join(weekdays), status="aaben",
            created_by_id=staff.id, created_at=utcnow() - timedelta(days=9 - 3 * index)))
    activities = {a.title: a for a in db.session.scalars(select(VolunteerActivity))}
    for index, (state, title) in enumerate(MATCHES):
        citizen = citizens[len(REQUESTS) + index]
        activity = activities[title]
        request = VolunteerRequest(
            citizen_id=citizen.id, wishes=f"Gerne noget i retning af »{title.lower()}«", origin="borgerside",
            themes=activity.theme, status="aaben" if state == "faldet_fra" else "matchet", created_by_id=staff.id,
            created_at=utcnow() - timedelta(days=40))
        db.session.add(request)
        db.session.flush()
        path = (list(matching.FORWARD[:matching.FORWARD.index(state) + 1]) if state != "faldet_fra"
                else ["foreslaaet", "kontakt_etableret", "faldet_fra"])
        match = VolunteerMatch(citizen_id=citizen.id, request_id=request.id, activity_id=activity.id, state=state,
                               created_by_id=signed, version=len(path))
        first_day = today - timedelta(days=7 * len(path))
        for step_index, step_state in enumerate(path):
            match.steps.append(VolunteerMatchStep(
                state=step_state, day=first_day + timedelta(days=7 * step_index + rng.randint(0, 2)),
                recorded_by_id=signed, comment=STEP_COMMENTS[step_state]))
        db.session.add(match)
        if "kontakt_etableret" in path:
            consent(citizen.id)
    # The citizen whose course closed last got going in an activity after the kick-off: Bilag 6 says Ja.
    from webapp.citizens.models import Course

    closed = db.session.scalar(select(Course).where(Course.end_date.is_not(None), Course.end_date <= today)
                               .order_by(Course.end_date.desc()).limit(1))
    bridged = 0
    if closed is not None:
        activity = activities["Gå-makker"]
        request = VolunteerRequest(citizen_id=closed.citizen_id, course_id=closed.id, origin="forloeb",
                                   wishes="En at gå tur med, når forløbet slutter", themes=activity.theme,
                                   status="matchet", created_by_id=staff.id)
        db.session.add(request)
        db.session.flush()
        match = VolunteerMatch(citizen_id=closed.citizen_id, request_id=request.id, activity_id=activity.id,
                               state="i_gang", created_by_id=signed, version=4)
        start = max(closed.start_date, closed.end_date - timedelta(days=14))
        for step_index, step_state in enumerate(("foreslaaet", "kontakt_etableret", "opstartsmoede", "i_gang")):
            match.steps.append(VolunteerMatchStep(state=step_state, day=min(today, start + timedelta(days=5 * step_index)),
                                                  recorded_by_id=signed, comment=STEP_COMMENTS[step_state]))
        db.session.add(match)
        consent(closed.citizen_id)
        bridged = 1
    # A group that carries on as a self-help group in the volunteer centre, with a consenting participant.
    run = db.session.scalar(select(GroupRun).where(GroupRun.end_date.is_not(None), GroupRun.end_date < today)
                            .order_by(GroupRun.end_date.desc()).limit(1))
    continuing = 0
    if run is not None:
        organisation = db.session.scalar(select(VolunteerOrganisation).where(
            VolunteerOrganisation.name == ORGANISATIONS[0][0]))
        run.continues_in_organisation_id = organisation.id if organisation else None
        run.continues_from = run.end_date + timedelta(days=7)
        run.continues_note = "Mødes hver anden fredag kl. 10 i Frivilligcentret."
        participant = db.session.scalar(select(GroupEnrolment.citizen_id).where(
            GroupEnrolment.run_id == run.id, GroupEnrolment.waiting.is_(False)).order_by(GroupEnrolment.id).limit(1))
        if participant is not None:
            consent(participant)
        continuing = 1
    db.session.flush()
    return {"volunteer requests": len(REQUESTS) + len(MATCHES) + bridged, "volunteer matches": len(MATCHES) + bridged,
            "group runs carrying on": continuing}


STEP_COMMENTS = {
    "foreslaaet": "Foreslået ud fra borgerens ønsker.",
    "kontakt_etableret": "Kontaktpersonen har ringet til borgeren.",
    "opstartsmoede": "Første møde aftalt sammen med borgeren.",
    "i_gang": "Borgeren er kommet i gang.",
    "afsluttet": "Forløbet med den frivillige er slut – det gik godt.",
    "faldet_fra": "Borgeren ønskede ikke at fortsætte.",
}
