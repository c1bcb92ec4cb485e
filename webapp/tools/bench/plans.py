"""`flask bench` figures for Min Plan: printing a full plan (goal, three follow-ups, Min Fremtid;
three pages on the journal copy) against the floor of any PDF. Target: minplan_pdf_ms <= 600."""

import statistics
import time
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

BENCH_CITIZEN = "Bench-plan"
PDF_RUNS_MAX = 20  # a PDF takes a few hundred ms; more runs say nothing new

GOAL = {
    "reasons": "Jeg har svært ved at få struktur på min hverdag. Brevene hober sig op, og jeg tør ikke åbne dem.",
    "goal": "Jeg vil have styr på min økonomi og mine breve, så jeg kan sove om natten.",
    "sub_goals": "Åbne e-Boks hver mandag. Lave et budget sammen med en medarbejder. Ringe til banken.",
    "already_done": "Jeg har ringet til min bank og fået et overblik over min gæld.",
    "after_course": "Betale mine regninger til tiden og bede om hjælp, før det går galt.",
    "success_criteria": "Ingen rykkere i tre måneder, og jeg åbner selv min post.",
    "expected_reached": "Inden sommerferien.",
    "future_agreements": "Jeg kommer til gruppen Struktur på din dag om torsdagen.",
    "my_effort": "Jeg møder op, også når det er svært, og siger til, når jeg ikke kan.",
    "involvement": "Min søster Åse vil gerne være med til en samtale.",
    "tasks_next": "Finde mine lønsedler og de sidste tre måneders kontoudtog frem.",
    "other_topics": "Søvn og motion – måske NADA om tirsdagen.",
    "achieved": "Jeg har åbnet min post hver uge og lavet et budget, jeg kan holde. Jeg sover bedre.",
    "future_plan": "Jeg fortsætter i frivilliggruppen ved havnen og ringer til Din Indgang, hvis det går skævt.",
}
FOLLOW_UP = {
    "my_goal": "Styr på breve og økonomi – og nu også søvnen.",
    "how_worked": "Jeg har åbnet e-Boks hver mandag. Det gik bedre, end jeg troede, men én uge glemte jeg det.",
    "parts_reached": "Jeg har et overblik over min gæld og et budget, der næsten holder.",
    "succeeded": "At ringe til banken selv og sige, hvad jeg havde brug for.",
    "goal_same": "Ja. Delmål for de kommende uger: holde budgettet og gå til NADA.",
    "next_steps": "Tage lønsedlerne med næste gang og aftale et møde med gældsrådgivningen.",
    "thoughts_after": "Jeg er lidt bange for, hvad der sker bagefter, men jeg tror, jeg klarer det.",
    "in_place": "En fast aftale med gældsrådgivningen og en plads i frivilliggruppen.",
    "who_for_me": "Min søster og gruppen ved havnen. Jeg kan måske hjælpe andre med e-Boks.",
}


def seed_plan(today, user=None) -> int:
    """A closed course with a full plan; returns the course id. Inside an app context; commits."""
    from webapp.citizens.models import Citizen, Course
    from webapp.extensions import db
    from webapp.plans import services

    start = today - timedelta(days=120)
    citizen = Citizen(first_name=BENCH_CITIZEN, last_name="Berggren", first_name_lower=BENCH_CITIZEN.lower(),
                      cpr="2512489996", address="Gothersgade 20, 7000 Fredericia", phone="22334455")
    db.session.add(citizen)
    db.session.flush()
    course = Course(citizen_id=citizen.id, start_date=start, end_date=today - timedelta(days=1),
                    goal_attainment=Decimal("3.5"))
    db.session.add(course)
    db.session.flush()
    plan = services.get_or_create_plan(course, user)
    for name, value in GOAL.items():
        setattr(plan, name, value)
    plan.goal_date = start + timedelta(days=7)
    plan.next_follow_up = start + timedelta(days=28)
    plan.future_date = course.end_date
    services._new_version(plan, user, "Bench")
    for weeks in (4, 9, 14):
        on = start + timedelta(weeks=weeks)
        services.add_follow_up(plan, on, user, values={**FOLLOW_UP, "next_follow_up": None})
    db.session.commit()
    return course.id


def measure(app, visitor, runs: int) -> dict[str, float]:
    from webapp.auth.models import User
    from webapp.citizens.models import Citizen, Course
    from webapp.extensions import db
    from webapp.pdf import pdf_floor_ms
    from webapp.timeutil import today_local

    with app.app_context():
        course_id = db.session.scalar(
            select(Course.id).join(Citizen, Citizen.id == Course.citizen_id).where(Citizen.first_name == BENCH_CITIZEN)
        )
        if course_id is None:
            user = db.session.scalar(select(User).order_by(User.id).limit(1))
            course_id = seed_plan(today_local(), user)
        floor = pdf_floor_ms()
        db.session.remove()

    url = f"/forloeb/{course_id}/plan-journal.pdf"

    def print_plan():
        response = visitor.client.get(url)
        assert response.status_code == 200, response.status_code
        response.close()

    print_plan()  # warm templates and fonts
    samples = []
    for _ in range(max(1, min(runs, PDF_RUNS_MAX))):
        started = time.perf_counter()
        print_plan()
        samples.append((time.perf_counter() - started) * 1000)
    return {"minplan_pdf_ms": round(statistics.median(samples), 1), "pdf_floor_ms": floor}
