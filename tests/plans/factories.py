"""Courses and plans for the Min Plan tests (committed rows, like tests/factories.py)."""

from datetime import date
from decimal import Decimal

from webapp.extensions import db

from ..factories import make_citizen

NANCY_CPR = "2512489996"  # the paper form's fictitious person (Bilag 2)


def make_course(citizen=None, start=date(2027, 1, 4), end=None, goal_attainment=None, cpr=NANCY_CPR, **fields):
    from webapp.citizens.models import Course

    if citizen is None:
        citizen = make_citizen("Nancy", "Berggren")
        citizen.cpr = cpr
        citizen.address = "Gothersgade 20, 7000 Fredericia"
        citizen.phone = "22334455"
    course = Course(
        citizen_id=citizen.id,
        start_date=start,
        end_date=end,
        goal_attainment=Decimal(str(goal_attainment)) if goal_attainment is not None else None,
        **fields,
    )
    db.session.add(course)
    db.session.commit()
    return course


def make_plan(course=None, user=None, follow_ups=(), **fields):
    """A plan with the given fields, saved as version 2 (with its snapshot), and follow-ups
    given as dicts with at least follow_up_date."""
    from webapp.plans import services

    course = course or make_course()
    plan = services.get_or_create_plan(course, user)
    for name, value in fields.items():
        if name == "goal_attainment":
            course.goal_attainment = Decimal(str(value))
        else:
            setattr(plan, name, value)
    if fields:
        services._new_version(plan, user, "Test")
    for row in follow_ups:
        row = dict(row)
        on = row.pop("follow_up_date")
        services.add_follow_up(plan, on, user, values=row)
    db.session.commit()
    return plan


FULL_PLAN = {
    "reasons": "Jeg har svært ved at få struktur på min hverdag, og brevene hober sig op.",
    "goal_date": date(2027, 1, 11),
    "goal": "Jeg vil have styr på min økonomi og mine breve, så jeg kan sove om natten.",
    "sub_goals": "Åbne e-Boks hver mandag. Lave et budget sammen med en medarbejder.",
    "already_done": "Jeg har ringet til min bank og fået et overblik over min gæld.",
    "after_course": "Betale mine regninger til tiden og bede om hjælp, før det går galt.",
    "success_criteria": "Ingen rykkere i tre måneder.",
    "expected_reached": "Inden sommerferien.",
    "future_agreements": "Jeg kommer til gruppen Struktur på din dag om torsdagen.",
    "my_effort": "Jeg møder op, også når det er svært.",
    "involvement": "Min søster Åse vil gerne være med til en samtale.",
    "tasks_next": "Finde mine lønsedler frem.",
    "other_topics": "Søvn og motion – måske NADA.",
    "next_follow_up": date(2027, 2, 1),
    "future_date": date(2027, 5, 10),
    "achieved": "Jeg har åbnet min post hver uge og lavet et budget, jeg kan holde.",
    "future_plan": "Jeg fortsætter i frivilliggruppen ved havnen og ringer, hvis jeg får brug for hjælp igen.",
}

FOLLOW_UPS = [
    {
        "follow_up_date": date(2027, 2, 1),
        "my_goal": "Styr på breve og økonomi.",
        "how_worked": "Jeg har åbnet e-Boks to gange. Det gik bedre end jeg troede.",
        "parts_reached": "Jeg har et overblik over min gæld.",
        "succeeded": "At ringe til banken selv.",
        "goal_same": "Ja. Delmål: lave budgettet færdigt.",
        "next_steps": "Tage lønsedlerne med næste gang.",
        "next_follow_up": "2027-03-01",
    },
    {
        "follow_up_date": date(2027, 3, 1),
        "my_goal": "Samme mål.",
        "how_worked": "Budgettet er lavet. Jeg har holdt det i to uger.",
        "parts_reached": "Budget og ugentlig post.",
        "succeeded": "Jeg har ikke fået nogen rykkere.",
        "goal_same": "Ja, men nu også søvn.",
        "next_steps": "Prøve NADA om tirsdagen.",
        "thoughts_after": "Jeg er lidt bange for, hvad der sker bagefter.",
        "in_place": "En fast aftale med gældsrådgivningen.",
        "who_for_me": "Min søster. Jeg kan måske hjælpe andre i gruppen med e-Boks.",
        "next_follow_up": "2027-04-05",
    },
    {
        "follow_up_date": date(2027, 4, 5),
        "my_goal": "Holde fast i det, jeg har lært.",
        "how_worked": "Jeg har været til NADA fire gange og sover bedre.",
        "parts_reached": "Næsten det hele.",
        "succeeded": "At bede om hjælp i tide.",
        "goal_same": "Målet er nået – nu handler det om at holde fast.",
        "next_steps": "Aftale med frivilliggruppen.",
        "thoughts_after": "Jeg tror, jeg klarer det.",
        "in_place": "Frivilliggruppen og gældsrådgivningen.",
        "who_for_me": "Gruppen ved havnen.",
        "next_follow_up": "2027-05-10",
    },
]
