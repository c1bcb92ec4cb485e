"""Fictitious demo data: consents, handovers in each status, direct-to-authority proposals and
outreach requests in each state (one overdue). Runs after the core and citizen demo data and uses
the courses it finds; only when there are none does it make a few courses of its own."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from webapp.auth import services as auth_services
from webapp.citizens.models import Citizen, Course, GuideConversation, Meeting
from webapp.extensions import db
from webapp.handover import services
from webapp.handover.models import Consent, DirectAuthorityProposal, Handover
from webapp.plans.models import Plan, PlanFollowUp
from webapp.timeutil import LOCAL_TZ, as_utc, today_local
from webapp.workdays import add_working_days

PLAN_TEXTS = [
    ("Jeg har svært ved at åbne min post, og regningerne hober sig op.", "Jeg vil have styr på min økonomi.",
     "Åbne post hver mandag\nLave et budget med hjælp"),
    ("Jeg er ensom efter min skilsmisse og kommer ikke ud af døren.", "Jeg vil have en fast ting at gå til hver uge.",
     "Prøve en gruppe\nGå en tur hver dag"),
    ("Angst gør, at jeg ikke kan tage bussen til jobcentret.", "Jeg vil kunne tage bussen alene.",
     "Tage bussen med en medarbejder\nTage bussen alene en kort tur"),
    ("Jeg har brug for struktur på min dag.", "Jeg vil stå op og spise morgenmad hver dag.",
     "Bruge en kalender\nLave en ugeplan"),
]
COURSE_WEEKS = [1, 3, 6, 9, 10, 11, 13, 16, 18, 19, 20, 22]


def _at(day: date, hour: int = 10) -> datetime:
    return as_utc(datetime.combine(day, time(hour, 0), tzinfo=LOCAL_TZ))


def _users() -> dict:
    names = ("vaert", "medarbejder", "peer", "skp", "leder", "myndighed")
    return {name: auth_services.find_user(name) for name in names}


def _minimal_courses(rng, users) -> list[Course]:
    """A dozen courses in different weeks, with Min Plan, meetings and guide conversations."""
    citizens = list(db.session.scalars(select(Citizen).order_by(Citizen.id).limit(len(COURSE_WEEKS) + 4)))
    if not citizens:
        return []
    today = today_local()
    staff = [users["medarbejder"], users["vaert"], users["peer"]]
    courses = []
    for i, (citizen, weeks) in enumerate(zip(citizens, COURSE_WEEKS, strict=False)):
        start = today - timedelta(days=7 * (weeks - 1) + rng.randint(0, 4))
        gc = GuideConversation(
            scheduled_at=_at(start), status="afholdt", citizen_id=citizen.id, duration_minutes=60,
            staff1_id=staff[i % 3].id if staff[i % 3] else None,
            staff2_id=users["leder"].id if users["leder"] else None,
            outcome="forloeb",
        )
        db.session.add(gc)
        db.session.flush()
        course = Course(citizen_id=citizen.id, guide_conversation_id=gc.id, start_date=start, is_return=(i == 1),
                        assessment_date=start + timedelta(days=60) if weeks >= 13 else None)
        db.session.add(course)
        db.session.flush()
        reasons, goal, sub_goals = PLAN_TEXTS[i % len(PLAN_TEXTS)]
        plan = Plan(course_id=course.id, reasons=reasons, goal=goal, sub_goals=sub_goals)
        db.session.add(plan)
        db.session.flush()
        day = start + timedelta(days=7)
        n = 0
        missed_from = today - timedelta(days=16)  # one citizen misses the last meetings: reach out
        while day < today:
            missed = i == 4 and day >= missed_from
            db.session.add(Meeting(
                citizen_id=citizen.id, course_id=course.id, kind="opfoelgning" if n % 3 == 0 else "coaching",
                starts_at=_at(day, 13), duration_minutes=60, status="udeblevet" if missed else "afholdt",
                staff1_id=staff[n % 3].id if staff[n % 3] else None,
            ))
            if n % 3 == 0 and not missed:
                db.session.add(PlanFollowUp(plan_id=plan.id, follow_up_date=day, parts_reached="Jeg åbner min post."))
            day += timedelta(days=7 if i == 4 else 7 + rng.randint(0, 6))
            n += 1
        courses.append(course)
    # New citizens this week: two guide conversations, one without anyone with authority experience.
    newcomers = citizens[len(COURSE_WEEKS):]
    for j, citizen in enumerate(newcomers[:2]):
        db.session.add(GuideConversation(
            scheduled_at=_at(today - timedelta(days=1 + j), 11), status="afholdt", citizen_id=citizen.id,
            duration_minutes=55, staff1_id=users["vaert"].id if users["vaert"] else None,
            staff2_id=users["peer"].id if users["peer"] else None,
            outcome="ad_hoc" if j else "direkte_myndighed",
            direct_authority_reason=None if j else "Har brug for bostøtte nu; kan ikke vente på et forløb.",
            lacks_authority_experience=True,
        ))
    db.session.flush()
    return courses


def _consent(citizen_id: int, recipient: str, purpose: str, given: date, user, **extra) -> Consent:
    consent = Consent(citizen_id=citizen_id, basis="samtykke", purpose=purpose, recipient_code=recipient,
                      given_on=given, recorded_by_id=user.id if user else None, **extra)
    db.session.add(consent)
    db.session.flush()
    return consent


def _load_handovers(rng, users, courses: list[Course]) -> int:
    today = today_local()
    staff, authority = users["medarbejder"], users["myndighed"]
    longest = sorted(courses, key=lambda c: c.start_date)[:3]
    made = 0
    for course, status in zip(longest, ("modtaget", "sendt", "kladde"), strict=False):
        handover, _ = services.create_handover(course, staff, today)
        handover.fl_economy = "Jeg har fået hjælp til at lave et budget, men har stadig gæld."
        handover.fl_social_life = "Jeg ser min søster en gang om ugen."
        handover.future_support_goal = "At kunne bo i egen bolig med lidt støtte."
        handover.future_agreements = "Fælles møde med myndighedsrådgiver og borgeren i Din Indgang."
        if status != "kladde":
            consent = _consent(course.citizen_id, "myndighedsafdelingen", "Overdragelse til myndighedsafdelingen",
                               today - timedelta(days=10), staff)
            handover.status = "sendt"
            handover.consent_id = consent.id
            handover.sent_at = _at(add_working_days(today, -8 if status == "sendt" else -4), 14)
            handover.sent_by_id = staff.id
        if status == "modtaget":
            handover.status = "modtaget"
            handover.received_at = handover.sent_at + timedelta(days=1)
            handover.received_by_id = authority.id if authority else None
        made += 1
    # A withdrawn consent, to show that withdrawal counts at once.
    if courses:
        _consent(courses[-1].citizen_id, "jobcenter", "Besked om forløbet til jobcentret", today - timedelta(days=30),
                 staff, withdrawn_at=_at(today - timedelta(days=2)), withdrawn_by_id=staff.id)
    db.session.flush()
    return made


def _load_direct(users) -> int:
    today = today_local()
    staff, leader = users["medarbejder"], users["leder"]
    without_course = db.session.scalars(
        select(Citizen).where(~select(Course.id).where(Course.citizen_id == Citizen.id).exists()).order_by(Citizen.id)
    ).all()
    made = 0
    if len(without_course) >= 4:
        db.session.add(DirectAuthorityProposal(
            citizen_id=without_course[-1].id, reason="Ringede efter akut hjælp til bolig; forløb passer ikke nu.",
            proposed_at=_at(today - timedelta(days=2)), proposed_by_id=staff.id,
        ))
        db.session.add(DirectAuthorityProposal(
            citizen_id=without_course[-2].id, reason="Ønsker hjemmehjælp efter hospitalsophold.",
            proposed_at=_at(today - timedelta(days=12)), proposed_by_id=staff.id, decision="godkendt",
            decided_on=today - timedelta(days=(today.weekday() - 4) % 7 or 7), decided_by_id=leader.id,
            decided_at=_at(today - timedelta(days=8)),
        ))
        made = 2
    db.session.flush()
    return made


def _load_outreach(users) -> int:
    from webapp.outreach.models import OutreachRequest, OutreachVisit

    today = today_local()
    skp, staff = users["skp"], users["medarbejder"]
    citizens = list(db.session.scalars(select(Citizen).order_by(Citizen.id.desc()).limit(3)))

    def request(received: date, **fields) -> OutreachRequest:
        row = OutreachRequest(received_on=received, last_action_on=received, created_by_id=staff.id,
                              created_at=_at(received, 9), **fields)
        db.session.add(row)
        db.session.flush()
        return row

    request(add_working_days(today, -1), state="modtaget", partner_code="jobcenter", partner_name="Team Ung",
            contact_person="Jonna Jobcenter", contact_phone="75000001", partner_reference="JC-2291",
            citizen_first_name="Kasper", reason="Har ikke været ude af lejligheden i flere uger.", urgency="haster")
    assigned = add_working_days(today, -2)
    request(add_working_days(today, -3), state="tildelt", partner_code="lokalpsykiatri",
            contact_person="Poul Psykiatri", contact_phone="75000002", citizen_first_name="Lise",
            reason="Social angst; aflyser alle aftaler i sidste øjeblik.", assigned_to_id=skp.id,
            assigned_on=assigned).last_action_on = assigned
    visited = request(add_working_days(today, -6), state="besoeg", partner_code="praktiserende_laege",
                      contact_person="Dr. Hansen", contact_phone="75000003", reason="Kan ikke overskue at komme ud.",
                      citizen_id=citizens[0].id if citizens else None, citizen_first_name=None,
                      assigned_to_id=skp.id, assigned_on=add_working_days(today, -5))
    visit_day = add_working_days(today, -2)
    db.session.add(OutreachVisit(request_id=visited.id, visit_date=visit_day, duration_minutes=75, staff_id=skp.id,
                                 what_happened="Hjemmebesøg; vi aftalte, at jeg henter ham til en kop kaffe."))
    visited.last_action_on = visit_day
    # Overdue: assigned nine working days ago, nothing since.
    overdue_assigned = add_working_days(today, -9)
    request(add_working_days(today, -10), state="tildelt", partner_code="udskrivningskoordinator",
            contact_person="Ulla Udskrivning", contact_phone="75000004", citizen_first_name="Mette",
            reason="Udskrevet fra psykiatrisk afdeling; ingen netværk.", assigned_to_id=staff.id,
            assigned_on=overdue_assigned).last_action_on = overdue_assigned
    closed_citizen = citizens[1] if len(citizens) > 1 else None
    closed = request(add_working_days(today, -20), state="afsluttet", partner_code="jobcenter",
                     contact_person="Jonna Jobcenter", partner_reference="JC-2107",
                     citizen_id=closed_citizen.id if closed_citizen else None,
                     citizen_first_name=None if closed_citizen else "Ole",
                     reason="Udebliver fra jobcentret.", assigned_to_id=skp.id,
                     assigned_on=add_working_days(today, -19), outcome="kom_til_din_indgang",
                     closed_on=add_working_days(today, -12), closed_by_id=skp.id)
    db.session.add(OutreachVisit(request_id=closed.id, visit_date=add_working_days(today, -15), duration_minutes=60,
                                 staff_id=skp.id, what_happened="Fulgtes ned i Din Indgang."))
    closed.last_action_on = closed.closed_on
    if closed_citizen is not None:
        _consent(closed_citizen.id, "jobcenter", "Besked om udfald af udekørende funktion",
                 add_working_days(today, -15), skp)
    db.session.flush()
    return 5


def load(rng) -> dict:
    if db.session.scalar(select(func.count()).select_from(Handover)):
        return {}
    users = _users()
    if users["medarbejder"] is None:
        return {}
    courses = list(db.session.scalars(select(Course).order_by(Course.start_date)))
    if not courses:
        courses = _minimal_courses(rng, users)
    return {
        "handovers": _load_handovers(rng, users, courses),
        "direct proposals": _load_direct(users),
        "outreach requests": _load_outreach(users),
    }
