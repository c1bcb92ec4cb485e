"""The rest of the report's hours with the citizens (report §5.1: "socialpædagogisk støtte svarende
til i alt 3.350 timer ... en investering i omegnen af 1.045.000 kr."), added by report.py after
everything else and through the product's own services.

Nothing here changes another key figure: no new citizen, contact, course or guide conversation; more
group hours go only to the 57 who already came to a group; ad hoc help (200 h), guide conversations
(275 h) and coaching (218 h) are left as they are. What is added: a closing follow-up in every course
closed in the period, network meetings, relatives' own conversations, more outreach requests with
their visits, a second group and NADA for the group people – and last welfare technology, which takes
exactly the minutes still missing, so the total is 3.350,0 hours to the minute."""

from datetime import date, time, timedelta

from sqlalchemy import select

from webapp.citizens import services as citizens
from webapp.extensions import db
from webapp.groups import services as groups
from webapp.groups.models import GroupTheme
from webapp.outreach import services as outreach
from webapp.reports.hours import minutes_with_citizens
from webapp.reports.periods import REPORT_END, REPORT_START
from webapp.timeutil import local

from .report import AD_HOC_MINUTES, _weekday, sum_to

TOTAL_MINUTES = 3350 * 60  # the report's 3.350 hours with the citizens
NETWORK_MEETINGS = 180
RELATIVES, RELATIVE_TALKS = 45, (1, 2, 2, 3)
OUTREACH_REQUESTS = 32
SECOND_GROUP, THIRD_GROUP, NADA = 0.9, 0.45, 0.6  # chance a group person takes part in one more
FIRST_EXTRA_RUN, FIRST_NADA_RUN, LAST_RUN_START = date(2016, 10, 3), date(2016, 9, 26), date(2017, 11, 20)
WELFARE_TECH_LEAST = 100 * 60  # what the planned activities must leave for welfare technology
WELFARE_TECH_PEOPLE = 80


def add_the_reports_hours(build, specs) -> dict:
    """Top the period's hours with the citizens up to exactly TOTAL_MINUTES; returns what it added."""
    closing_follow_ups(build, specs)
    network_meetings(build, specs)
    relatives(build, specs)
    outreach_visits(build)
    runs = more_groups(build)
    return {"group runs": runs, "outreach requests": OUTREACH_REQUESTS,
            "welfare technology sessions": welfare_technology(build, specs)}


def _day(build, spec) -> date:
    return _weekday(build.rng, spec.start, spec.last_in_period)


def _weights(specs) -> list[int]:
    return [(s.last_in_period - s.start).days + 1 for s in specs]


def _meeting(build, spec, kind: str, day: date, minutes: int, first, second=None) -> None:
    citizens.add_meeting(spec.citizen, spec.course, citizens.MeetingData(
        kind, day, time(build.rng.choice((9, 10, 11, 13, 14))), minutes, "afholdt", first, second), build.user, day)


def closing_follow_ups(build, specs) -> None:
    """The last follow-up (Min Fremtid) in the final days of every course closed in the period."""
    rng = build.rng
    for spec in (s for s in specs if s.stop):
        day = rng.choice([d for d in (spec.end - timedelta(days=k) for k in range(4)) if d >= spec.start])
        _meeting(build, spec, "opfoelgning", day, rng.choice((45, 60, 60, 75)), rng.choice(build.staff))


def network_meetings(build, specs) -> None:
    """Meetings with the citizen and the jobcenter, psychiatry or others; usually two of the staff."""
    rng = build.rng
    for spec in rng.choices(specs, weights=_weights(specs), k=NETWORK_MEETINGS):
        first, second = build._pair()
        _meeting(build, spec, "netvaerksmoede", _day(build, spec), rng.choice((60, 75, 90)), first, second)


def relatives(build, specs) -> None:
    """Relatives' own conversations (with or without the citizen), one to three per relative."""
    rng = build.rng
    for spec in rng.sample(specs, RELATIVES):
        relative = citizens.add_relative(spec.citizen, f"{build._name()[0]} {spec.citizen.last_name}",
                                         rng.choice(("Mor", "Far", "Søster", "Bror", "Kæreste", "Ægtefælle")), "")
        for _ in range(rng.choice(RELATIVE_TALKS)):
            build._coaching(spec, _day(build, spec), rng.choice((45, 60, 75)), "paaroerende", relative.id)


def outreach_visits(build) -> None:
    """More requests for the outreach function (§ 99), each with two to four home visits."""
    rng = build.rng
    for _ in range(OUTREACH_REQUESTS):
        received = _weekday(rng, REPORT_START, date(2017, 10, 20))
        request = outreach.create_request(outreach.NewRequest(
            partner_code=rng.choice(("jobcenter", "lokalpsykiatri", "hospitalspsykiatri", "praktiserende_laege",
                                     "udskrivningskoordinator", "myndighedsafdelingen")),
            contact_person="Kontaktperson hos samarbejdspartneren",
            reason=rng.choice(("Kan ikke overskue at komme ud.", "Svarer ikke på breve og opkald.",
                               "Har brug for hjælp til at komme i gang efter udskrivning.")),
            received_on=received, citizen_first_name=build._name()[0]), build.user, received)
        outreach.assign(request, build.skp, received + timedelta(days=1), saved_by=build.user)
        visit_day = received + timedelta(days=rng.randint(2, 6))
        for _ in range(rng.randint(2, 4)):
            outreach.add_visit(request, visit_day, rng.choice((45, 60, 75, 90, 120)),
                               rng.choice(("Hjemmebesøg.", "Gåtur og snak.", "Fulgt til lægen.")), build.skp, visit_day)
            visit_day += timedelta(days=rng.randint(3, 8))
        outreach.close(request, rng.choice(("kom_til_din_indgang", "kom_til_din_indgang", "kort_afklaring")),
                       None, build.skp, visit_day)


def _runs(build, themes, first: date, weeks: int) -> list[tuple]:
    rng = build.rng
    runs, start = [], first
    while start <= LAST_RUN_START:
        theme = themes[len(runs) % len(themes)]
        second = build.peer if rng.random() < 0.75 else None
        run = groups.create_run(
            theme, team_number=groups.next_team_number(start), start_date=start, end_date=None,
            at=time(rng.choice((10, 13))), meetings=theme.usual_meetings, minutes=theme.meeting_minutes,
            place=theme.place, capacity=theme.max_participants, facilitator1_id=rng.choice(build.experienced).id,
            facilitator2_id=second.id if second else None, user=build.user)
        runs.append((run, groups.run_meetings(run.id)))
        start += timedelta(weeks=weeks)
    return runs


def more_groups(build) -> int:
    """A second series of group runs (two weeks after the first) and weekly NADA; the 57 who came
    to a group take part in one or two more and often NADA – nobody new comes to a group."""
    rng = build.rng
    themes = list(db.session.scalars(select(GroupTheme).where(GroupTheme.active).order_by(GroupTheme.id)))
    nada = [t for t in themes if t.hours_activity == "nada"]
    ordinary = [t for t in themes if t.hours_activity != "nada"]
    series = _runs(build, ordinary[3:] + ordinary[:3], FIRST_EXTRA_RUN, 4)
    nada_runs = _runs(build, nada, FIRST_NADA_RUN, nada[0].usual_meetings) if nada else []
    for spec in rng.sample(build.group_people, len(build.group_people)):
        joined = set()
        for runs, chance in ((series, SECOND_GROUP), (series, THIRD_GROUP), (nada_runs, NADA)):
            if rng.random() < chance:
                _join(build, spec, [(run, ms) for run, ms in runs if run.id not in joined], joined)
    return len(series) + len(nada_runs)


def _join(build, spec, runs, joined: set) -> None:
    """Enrol in a run with a free place and at least two meetings during the course; attendance as
    in report.py's groups."""
    rng = build.rng
    options = [(run, meetings) for run, meetings in runs
               if groups.places_taken(run.id, max(run.start_date, spec.start)) < run.capacity
               and sum(spec.start <= local(m.starts_at).date() <= spec.last_in_period for m in meetings) >= 2]
    if not options:
        return
    run, meetings = rng.choice(options)
    start = max(run.start_date, spec.start)
    enrolment = groups.enrol(run, spec.citizen, start, build.user, today=start)
    if spec.end < run.end_date:
        groups.stop_enrolment(enrolment, spec.end)
    for meeting in (m for m in meetings if start <= local(m.starts_at).date() <= spec.end):
        status = rng.choices(("moedt", "ikke_moedt", "gik_undervejs"), weights=(78, 12, 10))[0]
        groups.record_attendance(meeting, spec.citizen.id, status, build.user)
    joined.add(run.id)


def welfare_technology(build, specs) -> int:
    """Sessions on welfare technology (apps for the day's structure, a medicine dispenser, digital
    post on a tablet) that take exactly the minutes still missing."""
    rng = build.rng
    db.session.flush()
    minutes = minutes_with_citizens(REPORT_START, REPORT_END)
    # Ad hoc help is summed from contact_day_count, which is written when the transaction commits
    # (webapp/welcome/daycounts.py); until then it is the 200 hours report.py made.
    minutes["ad_hoc"] = AD_HOC_MINUTES
    left = TOTAL_MINUTES - sum(minutes.values())
    if left < WELFARE_TECH_LEAST:
        raise ValueError(f"the planned activities leave {left} minutes for welfare technology, too few")
    count = round(left / 60)
    lengths = sum_to(rng, left, count, 30, 90, step=5 if left % 5 == 0 else 1)
    people = rng.sample(specs, WELFARE_TECH_PEOPLE)
    for spec, minutes in zip(rng.choices(people, weights=_weights(people), k=count), lengths, strict=True):
        _meeting(build, spec, "velfaerdsteknologi", _day(build, spec), minutes, rng.choice(build.staff))
    return count
