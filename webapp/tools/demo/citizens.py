"""About 60 fictitious citizens in every stage: new, in a course at various weeks, closed with each
stop code, and returned – with plausible Min Plans written in the first person. All made up."""

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from webapp.auth import services as auth_services
from webapp.citizens.models import Citizen, Course, GuideConversation, Meeting
from webapp.extensions import db
from webapp.timeutil import LOCAL_TZ, as_utc, today_local

FIRST = ["Nancy", "Kasper", "Louise", "Mikkel", "Stine", "Jesper", "Tina", "Brian", "Mette", "Kim", "Charlotte",
         "Allan", "Susanne", "René", "Helle", "Michael", "Lone", "Martin", "Rikke", "Jan", "Malene", "Peter",
         "Janni", "Søren", "Line", "Morten", "Hanne", "Kenneth", "Bente", "Mads"]
LAST = ["Berggren", "Lauridsen", "Østergaard", "Vestergaard", "Kjær", "Bach", "Brandt", "Winther", "Friis",
        "Kristoffersen", "Møller", "Nørgaard", "Dam", "Ravn", "Højgaard"]

PLANS = [
    {
        "reasons": "Jeg har svært ved at åbne min post, og regningerne hober sig op. Jeg vil gerne have styr på det.",
        "goal": "Jeg vil selv kunne åbne og forstå min Digital Post hver uge.",
        "sub_goals": "Lære at logge på med MitID.\nLave en fast tid om ugen til posten.\nBetale mine rykkere.",
        "already_done": "Jeg har fået en ny MitID-app.",
        "success_criteria": "Jeg har ingen nye rykkere i to måneder.",
        "my_effort": "Jeg kommer om tirsdagen og øver mig.",
    },
    {
        "reasons": "Jeg sidder meget alene og vil gerne ud blandt andre mennesker igen.",
        "goal": "Jeg vil have noget at stå op til to dage om ugen.",
        "sub_goals": "Prøve en gruppe i Din Indgang.\nFinde en frivillig aktivitet jeg kan lide.",
        "after_course": "Jeg kan gå til en aktivitet i byen uden at få ondt i maven.",
        "success_criteria": "Jeg er kommet fast et sted i en måned.",
        "involvement": "Min søster vil gerne høre, hvordan det går.",
    },
    {
        "reasons": "Min dag flyder ud. Jeg sover om dagen og er vågen om natten.",
        "goal": "Jeg vil have en fast døgnrytme.",
        "sub_goals": "Stå op før kl. 9 på hverdage.\nSpise morgenmad.\nGå en tur hver dag.",
        "tasks_next": "Skrive ned, hvornår jeg står op, i en uge.",
        "expected_reached": "Inden sommerferien.",
    },
    {
        "reasons": "Jeg er blevet sygemeldt og ved ikke, hvad jeg har ret til.",
        "goal": "Jeg vil forstå mine muligheder og søge det, jeg har ret til.",
        "sub_goals": "Få overblik over min økonomi.\nSøge boligstøtte.\nForberede mig til mødet på jobcentret.",
        "future_agreements": "Vi aftaler et møde sammen med jobcentret.",
    },
    {
        "reasons": "Jeg bliver meget angst i butikker og i bussen.",
        "goal": "Jeg vil kunne tage bussen til byen alene.",
        "sub_goals": "Øve vejrtrækning.\nTage bussen én station med en medarbejder.\nTage bussen alene.",
        "my_effort": "Jeg øver mig hjemme hver dag i ti minutter.",
        "other_topics": "Jeg vil gerne prøve NADA.",
    },
]
FOLLOW_UP_TEXT = {
    "my_goal": "Det samme som sidst.",
    "how_worked": "Jeg har øvet mig derhjemme, og det er gået bedre end jeg troede.",
    "parts_reached": "Den første del af mit mål.",
    "succeeded": "Jeg er kommet hver gang, også da det var svært.",
    "goal_same": "Ja. Nu vil jeg arbejde med det næste delmål.",
    "next_steps": "Jeg prøver selv inden næste gang.",
}
STOP_CODES = ["P", "ILB", "EE", "HFT", "UB", "FFK", "anden"]
NEXT = {"P": "andet_tilbud", "ILB": "ingen_behov", "EE": "ingen_behov", "HFT": "overdragelse",
        "UB": "ingen_behov", "FFK": "ingen_behov", "anden": "frivilligt_tilbud"}


def _fake_cpr(i: int, rng) -> tuple[str, object]:
    born = today_local() - timedelta(days=rng.randint(19 * 365, 62 * 365))
    seventh = 0 if born.year < 2000 else 4
    digits = f"{born:%d%m%y}{seventh}{rng.randint(100, 999):03d}"
    return digits, born


def _at(day, hour=10) -> datetime:
    return as_utc(datetime.combine(day, time(hour, 0), tzinfo=LOCAL_TZ))


def load(rng) -> dict:
    from webapp.plans.models import Plan, PlanFollowUp

    if db.session.scalar(select(func.count()).select_from(Course)):
        return {"demo citizens with courses": 0}
    today = today_local()
    staff = [auth_services.find_user(u) for u in ("medarbejder", "vaert", "peer", "skp", "leder")]
    staff = [s for s in staff if s is not None]
    created = 0

    used_cpr: set[str] = set()

    def new_citizen(i: int) -> Citizen:
        digits, born = _fake_cpr(i, rng)
        while digits in used_cpr:  # one citizen per CPR number (a unique index): next serial
            digits = f"{digits[:7]}{(int(digits[7:]) + 1) % 1000:03d}"
        used_cpr.add(digits)
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7 + i // len(FIRST)) % len(LAST)]
        citizen = Citizen(first_name=first, last_name=last, first_name_lower=first.lower(), cpr=digits,
                          birth_date=born, phone=f"3{rng.randint(0, 9999999):07d}",
                          address=f"Havnegade {rng.randint(1, 80)}, 7000 Fredericia",
                          contact_preference=rng.choice(["sms", "email", "telefon"]), contact_consent=True)
        db.session.add(citizen)
        db.session.flush()
        return citizen

    def guide(citizen, day, outcome, lacks=False, reason=None):
        s1, s2 = rng.sample(staff, 2)
        if not lacks and not (s1.has_authority_experience or s2.has_authority_experience):
            s2 = staff[0]
        db.session.add(GuideConversation(
            citizen_id=citizen.id, scheduled_at=_at(day, 9), status="afholdt", duration_minutes=60,
            staff1_id=s1.id, staff2_id=s2.id if s2 is not s1 else None, outcome=outcome,
            direct_authority_reason=reason, lacks_authority_experience=lacks and not s1.has_authority_experience,
        ))

    def course(citizen, start, end=None, is_return=False, stop=None):
        c = Course(citizen_id=citizen.id, start_date=start, end_date=end, is_return=is_return,
                   stop_reason=stop, next_step=NEXT.get(stop) if stop else None,
                   goal_attainment=rng.choice([2, 2.5, 3, 3.5, 4]) if end else None,
                   assessment_date=start + timedelta(days=rng.randint(60, 69))
                   if (end or today) - start >= timedelta(days=70) else None)
        db.session.add(c)
        db.session.flush()
        text = PLANS[citizen.id % len(PLANS)]
        plan = Plan(course_id=c.id, goal_date=start, updated_by_id=staff[0].id, **text)
        last = end or today
        if end:
            plan.future_date = end
            plan.achieved = "Jeg har fået mere styr på min hverdag og tør mere end før."
            plan.future_plan = "Jeg fortsætter i gruppen i frivilligcentret og ved, at jeg kan komme tilbage."
        db.session.add(plan)
        db.session.flush()
        day = start + timedelta(days=rng.randint(14, 27))
        n = 0
        while day <= last - timedelta(days=1):
            held = rng.random() > 0.12
            db.session.add(Meeting(citizen_id=citizen.id, course_id=c.id, kind="opfoelgning", starts_at=_at(day),
                                   duration_minutes=45, status="afholdt" if held else "udeblevet",
                                   staff1_id=rng.choice(staff).id))
            if held:
                n += 1
                db.session.add(PlanFollowUp(plan_id=plan.id, follow_up_date=day,
                                            next_follow_up=day + timedelta(days=21), **FOLLOW_UP_TEXT))
            for k in range(rng.randint(1, 2)):
                coaching_day = day + timedelta(days=7 * (k + 1))
                if coaching_day < last:
                    db.session.add(Meeting(citizen_id=citizen.id, course_id=c.id, kind="coaching",
                                           starts_at=_at(coaching_day, 13), duration_minutes=60, status="afholdt",
                                           staff1_id=rng.choice(staff).id))
            day += timedelta(days=21)
        if not end:
            plan.next_follow_up = day if day > today else today + timedelta(days=rng.randint(1, 10))
            db.session.add(Meeting(citizen_id=citizen.id, course_id=c.id, kind="coaching",
                                   starts_at=_at(today + timedelta(days=rng.randint(1, 6)), 11),
                                   duration_minutes=60, status="planlagt", staff1_id=rng.choice(staff).id))
        return c

    i = 0
    # New citizens: a guide conversation booked or just held.
    for k in range(8):
        citizen = new_citizen(i)
        i += 1
        created += 1
        if k < 4:
            db.session.add(GuideConversation(citizen_id=citizen.id, status="booket", created_by_id=staff[0].id,
                                             scheduled_at=_at(today + timedelta(days=k), 10 + k)))
        elif k == 4:
            guide(citizen, today - timedelta(days=2), "direkte_myndighed",
                  reason="Har brug for bostøtte med det samme; borgeren ønsker det selv.")
        elif k == 5:
            guide(citizen, today - timedelta(days=3), "ad_hoc", lacks=True)
        else:
            guide(citizen, today - timedelta(days=1), "forloeb")
    # In a course, spread over the twenty weeks.
    for k in range(30):
        citizen = new_citizen(i)
        i += 1
        created += 1
        start = today - timedelta(days=3 + (k * 137) // 29)
        guide(citizen, start, "forloeb", lacks=(k % 9 == 0))
        course(citizen, start)
    # Closed, with each stop code.
    for k in range(16):
        citizen = new_citizen(i)
        i += 1
        created += 1
        start = today - timedelta(days=rng.randint(160, 420))
        end = start + timedelta(days=rng.randint(30, 139))
        guide(citizen, start, "forloeb")
        course(citizen, start, end, stop=STOP_CODES[k % len(STOP_CODES)])
    # Returned: a closed course and a new open one.
    for _k in range(6):
        citizen = new_citizen(i)
        i += 1
        created += 1
        start = today - timedelta(days=rng.randint(300, 450))
        end = start + timedelta(days=rng.randint(60, 130))
        course(citizen, start, end, stop="ILB")
        course(citizen, today - timedelta(days=rng.randint(5, 60)), is_return=True)
    db.session.flush()
    return {"demo citizens with courses": created}
