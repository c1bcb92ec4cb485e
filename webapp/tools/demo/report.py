"""Report-shaped data: `flask --app wsgi demo-data --report` builds, on an empty database and through
the product's own services, the evaluation report's period (9 September 2016 – 3 December 2017,
webapp.reports.periods) shaped exactly like the report (§5.1, figure 5.1, tables 5.1–5.2; DESIGN.md
§3), so that the key figures and the economics for the report's period show the report's numbers.
Every person here is made up; a fixed seed makes every run the same.

How the report's numbers fit the product's definitions (webapp/reports/figures.py): 269 persons in
a course, of whom 83 are still in one at the period's end, leave exactly 186 courses closed in the
period only when every person has one course in the period. The 14 returns are therefore citizens
whose first course closed before 9 September 2016 (a short pilot in the spring of 2016) and who
started again in the period. Direct referrals are 17 of 283 new citizens (6,0 %), handovers within
four weeks 16 of 269 new courses (5,9 %). The hours with the citizens add up to the report's 3.350
(its investment of about 1.045.000 kr.): report_hours.py adds the other activity types last and
lets welfare technology take exactly the minutes still missing."""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import combinations

from sqlalchemy import func, select

from webapp.auth import services as auth_services
from webapp.citizens import services as citizens
from webapp.citizens.milestones import latest_end
from webapp.citizens.models import Citizen, Course
from webapp.documentation import services as documentation
from webapp.extensions import db
from webapp.groups import services as groups
from webapp.groups.models import GroupTheme
from webapp.handover import consents
from webapp.handover import services as handover
from webapp.outcomes import coaching
from webapp.outreach import services as outreach
from webapp.reports.periods import REPORT_END, REPORT_START
from webapp.timeutil import LOCAL_TZ, as_utc, local
from webapp.welcome import services as welcome
from webapp.welcome.models import Contact

from . import PARTNER_WEIGHTS, TOPIC_WEIGHTS, load_demo_users
from . import documentation as offers_demo
from .citizens import FIRST, LAST

SEED = 1396

# The report's numbers (and the few the product needs to get them).
CONTACTS_FROM = {"borger": 698, "paaroerende": 126, "samarbejdspartner": 572}  # 1.396: 50 / 9 / 41 %
PERSONS_IN_COURSE, STILL_ACTIVE, RETURNS = 269, 83, 14
CLOSED = PERSONS_IN_COURSE - STILL_ACTIVE  # 186
AD_HOC_PERSONS, GROUP_PERSONS = 67, 57
WOULD_HAVE, WOULD_HAVE_COST = 106, 4_104_000
RECEIVED, RECEIVED_COST = 26, 1_936_000
DIRECT, EARLY_HANDOVERS = 17, 16
AD_HOC_MINUTES, GUIDE_MINUTES, COACHING_MINUTES = 200 * 60, 275 * 60, 218 * 60

# How they are made up.
OTHER_GUIDE_OUTCOMES = ["ad_hoc"] * 5 + ["ingen"] * 2 + ["frivilligt_tilbud"] * 2 + ["afvist"] * 2
AD_HOC_FROM_COURSES, WELCOME_ONLY = 40, 22  # + the 5 "ad_hoc" guide conversations = 67
AD_HOC_CONTACTS, ANONYMOUS_AD_HOC = 400, 40
COACHING_MEETINGS = 218
NEVER_CAME_TO_GROUP = 3
STOP_CODES = ["ILB"] * 70 + ["EE"] * 30 + ["UB"] * 25 + ["P"] * 12 + ["FFK"] * 8 + ["anden"] * 15  # + 26 HFT
NEXT_STEP = {"P": "andet_tilbud", "ILB": "ingen_behov", "EE": "ingen_behov", "HFT": "overdragelse",
             "UB": "ingen_behov", "FFK": "ingen_behov", "anden": "frivilligt_tilbud"}
OTHER_REASONS = ("Fik arbejde", "Indlagt", "Startede på uddannelse")
DIRECT_REASONS = (
    "Varig funktionsnedsættelse; intet rehabiliteringspotentiale – har brug for bostøtte nu.",
    "Har brug for et botilbud med det samme; aftalt med myndighedslederen.",
)
WITHOUT_PERCENTS = (10, 15, 20, 25, 30, 40, 50)
AFTER_PERCENTS = (20, 25, 30, 40, 50, 60, 75, 100)
PILOT = (date(2016, 3, 1), date(2016, 9, 2))
LAST_RUN_START = date(2017, 11, 20)


class ReportDataError(Exception):
    """The report data cannot be built here; the message is Danish and shown as it is."""


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return as_utc(datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ))


def _weekday(rng: random.Random, low: date, high: date) -> date:
    """A random Monday–Friday in [low, high] (any day when the range has none)."""
    day = low + timedelta(days=rng.randint(0, (high - low).days))
    for candidate in (day, day + timedelta(days=7 - day.weekday()), day - timedelta(days=day.weekday() - 4)):
        if candidate.weekday() < 5 and low <= candidate <= high:
            return candidate
    return day


def _friday_after(day: date) -> date:
    return day + timedelta(days=(4 - day.weekday()) % 7 or 7)


def sum_to(rng: random.Random, total: int, count: int, low: int, high: int, step: int = 5) -> list[int]:
    """`count` values from low to high in steps of `step` that add up to exactly `total`."""
    if not low * count <= total <= high * count or (total - low * count) % step:
        raise ValueError("cannot split the total that way")
    values = [rng.randrange(low, high + 1, step) for _ in range(count)]
    diff = total - sum(values)
    while diff:
        i = rng.randrange(count)
        if diff > 0 and values[i] + step <= high:
            values[i] += step
            diff -= step
        elif diff < 0 and values[i] - step >= low:
            values[i] -= step
            diff += step
    return values


def _tariff(name: str) -> int:
    return next(tariff for n, _s, tariff, _h in offers_demo.CATALOGUE if n == name)


def _line_cost(lines) -> int:
    return sum(_tariff(name) * percent // 100 for _slot, name, percent in lines)


def _combinations(percents, housing: bool) -> dict[int, list[tuple]]:
    """Possible lines of one side of one assessment, by their yearly cost."""
    ordinary = [name for name, _s, _t, is_housing in offers_demo.CATALOGUE if not is_housing]
    options = [((1, name, p),) for name in ordinary for p in percents]
    options += [((1, a, p), (2, b, q)) for a, b in combinations(ordinary, 2) for p in percents for q in percents]
    if housing:
        homes = [name for name, _s, _t, is_housing in offers_demo.CATALOGUE if is_housing]
        options += [((3, name, p),) for name in homes for p in (10, 15, 20, 25)]
    by_cost = defaultdict(list)
    for lines in options:
        by_cost[_line_cost(lines)].append(lines)
    return by_cost


def assessments_summing(rng: random.Random, total: int, count: int, percents, housing: bool) -> list[tuple]:
    """`count` assessments (each one or two offers, maybe housing) whose yearly costs add up to
    exactly `total`: the first ones near the mean still needed, the last two solve the rest."""
    by_cost = _combinations(percents, housing)
    costs = sorted(by_cost)
    picks, remaining = [], total
    for k in range(count - 2):
        mean = remaining / (count - k)
        cost = rng.choice([c for c in costs if 0.5 * mean <= c <= 1.5 * mean])
        picks.append(rng.choice(by_cost[cost]))
        remaining -= cost
    halves = sorted((c for c in costs if c < remaining and remaining - c in by_cost), key=lambda c: abs(2 * c - remaining))
    if not halves:
        raise ValueError("no two assessments make up the rest")
    first = rng.choice(halves[:10])
    picks += [rng.choice(by_cost[first]), rng.choice(by_cost[remaining - first])]
    rng.shuffle(picks)
    assert sum(_line_cost(lines) for lines in picks) == total
    return picks


@dataclass
class Spec:
    """One course in the period, planned before it is built."""

    citizen: Citizen
    start: date
    end: date
    stop: str | None = None  # for courses closed in the period
    handover_after: int | None = None  # days from start to the handover being sent
    returner: bool = False
    course: Course | None = None

    @property
    def last_in_period(self) -> date:
        return min(self.end, REPORT_END)


class ReportBuilder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        load_demo_users()
        find = auth_services.find_user
        self.user, self.host, self.leader = find("medarbejder"), find("vaert"), find("leder")
        self.peer, self.skp, self.authority = find("peer"), find("skp"), find("myndighed")
        self.staff = [self.user, self.host, self.peer, self.leader]
        self.experienced = [self.user, self.leader]
        self.cprs: set[str] = set()
        self.named = 0
        self.offers = offers_demo.ensure_catalogue(self.user)

    # --- people ----------------------------------------------------------------------------------

    def _name(self) -> tuple[str, str]:
        i = self.named
        self.named += 1
        return FIRST[i % len(FIRST)], LAST[(i * 7 + i // len(FIRST)) % len(LAST)]

    def _cpr(self) -> str:
        rng = self.rng
        while True:
            born = date(rng.randint(1952, 1998), rng.randint(1, 12), rng.randint(1, 28))
            digits = f"{born:%d%m%y}{rng.randint(0, 3)}{rng.randint(0, 999):03d}"
            if digits not in self.cprs:
                self.cprs.add(digits)
                return f"{digits[:6]}-{digits[6:]}"

    def citizen(self, *, with_cpr: bool) -> Citizen:
        first, last = self._name()
        citizen = Citizen(created_by_id=self.host.id)
        citizens.apply_citizen_data(citizen, citizens.CitizenData(
            first_name=first, last_name=last, cpr=self._cpr() if with_cpr else "",
            phone=f"4{self.rng.randint(0, 9999999):07d}"), REPORT_END)
        citizens.save_citizen(citizen)
        return citizen

    def welcome_citizen(self) -> Citizen:
        first, last = self._name()
        return welcome.create_citizen_quick(first, last, f"5{self.rng.randint(0, 9999999):07d}", self.host)

    def _pair(self):
        if self.rng.random() < 0.8:
            first = self.rng.choice(self.experienced)
            return first, self.rng.choice([s for s in self.staff if s is not first])
        return self.host, self.peer  # no one with authority experience: flagged for the Friday meeting

    def guide(self, citizen: Citizen, day: date, outcome: str, minutes: int, reason: str = ""):
        held_at = _at(day, self.rng.choice((9, 10, 11, 13)))
        booked = citizens.book_guide_conversation(citizen, held_at, self.host,
                                                  now=held_at - timedelta(days=self.rng.randint(1, 9)))
        first, second = self._pair()
        citizens.hold_guide_conversation(booked, citizens.GuideResult(
            held_at=held_at, duration_minutes=minutes, staff1=first, staff2=second, others_present="",
            outcome=outcome, direct_authority_reason=reason), now=held_at + timedelta(hours=1))
        return booked

    # --- courses ---------------------------------------------------------------------------------

    def plan_courses(self) -> list[Spec]:
        rng = self.rng
        specs = []
        for _ in range(STILL_ACTIVE):
            start = _weekday(rng, date(2017, 7, 24), date(2017, 11, 27))
            end = _weekday(rng, max(start + timedelta(days=28), REPORT_END + timedelta(days=1)), latest_end(start))
            specs.append(Spec(self.citizen(with_cpr=True), start, end))
        stops = ["HFT"] * RECEIVED + STOP_CODES
        assert len(stops) == CLOSED
        for n, stop in enumerate(stops):
            start = _weekday(rng, REPORT_START + timedelta(days=3), date(2017, 10, 27))
            handover_after = None
            if n < EARLY_HANDOVERS:
                handover_after = rng.randint(8, 24)
                end = start + timedelta(days=handover_after + rng.randint(2, 9))
            else:
                low = 14 if stop == "UB" else 35
                end = _weekday(rng, start + timedelta(days=low), min(latest_end(start), REPORT_END))
                if stop == "HFT":
                    handover_after = (end - start).days
            specs.append(Spec(self.citizen(with_cpr=True), start, min(end, REPORT_END), stop, handover_after))
        for spec in rng.sample([s for s in specs if s.start >= date(2016, 11, 1)], RETURNS):
            spec.returner = True
        return specs

    def build_course(self, spec: Spec, guide_minutes: int | None) -> None:
        rng = self.rng
        if spec.returner:  # the first course, in the pilot before the period
            start = _weekday(rng, PILOT[0], date(2016, 5, 20))
            first_guide = self.guide(spec.citizen, start, "forloeb", 60)
            pilot = citizens.start_course(spec.citizen, self.user, start, start, first_guide)
            end = _weekday(rng, start + timedelta(days=42), min(latest_end(start), PILOT[1]))
            citizens.close_course(pilot, citizens.Closing(end, "ILB", "ingen_behov", "3"), self.user, end)
            doc = documentation.documentation_for(pilot, create=True)
            old = [documentation.Choice(1, self.offers[offers_demo.REMOVED[0]], 25)] if rng.random() < 0.5 else []
            documentation.save_shadow_assessment(doc, self.user, choices=old, day=end)
            documentation.save_received_after(doc, self.user, choices=[], day=end)
            guide = None
        else:
            day = _weekday(rng, max(REPORT_START, spec.start - timedelta(days=7)), spec.start)
            guide = self.guide(spec.citizen, day, "forloeb", guide_minutes)
        spec.course = citizens.start_course(spec.citizen, self.user, spec.start, spec.start, guide)
        day = spec.start + timedelta(days=rng.randint(14, 21))
        while day < spec.end - timedelta(days=3):
            citizens.add_meeting(spec.citizen, spec.course, citizens.MeetingData(
                "opfoelgning", day, time(10), rng.choice((30, 45, 45, 60)), "afholdt", rng.choice(self.staff)),
                self.user, day)
            day += timedelta(days=rng.randint(21, 28))

    def close_course(self, spec: Spec) -> None:
        rng = self.rng
        stop = spec.stop or rng.choice(("ILB", "ILB", "EE", "anden"))
        citizens.close_course(spec.course, citizens.Closing(
            spec.end, stop, NEXT_STEP[stop], rng.choice(("", "2", "2,5", "3", "3,5", "4", "4")),
            rng.choice(OTHER_REASONS) if stop == "anden" else ""), self.user, spec.end)

    def coaching(self, specs: list[Spec]) -> None:
        """Exactly COACHING_MINUTES held in the period, some missed, and more after it."""
        rng = self.rng
        weights = [(s.last_in_period - s.start).days + 1 for s in specs]
        minutes = sum_to(rng, COACHING_MINUTES, COACHING_MEETINGS, 30, 90)
        for spec, length in zip(rng.choices(specs, weights=weights, k=COACHING_MEETINGS), minutes, strict=True):
            self._coaching(spec, _weekday(rng, spec.start, spec.last_in_period), length)
        for spec in rng.sample(specs, 20):
            meeting = self._coaching(spec, _weekday(rng, spec.start, spec.last_in_period), 60)
            coaching.set_meeting_status(meeting, "udeblevet")
        for spec in [s for s in specs if s.end > REPORT_END][:40]:
            self._coaching(spec, _weekday(rng, REPORT_END + timedelta(days=1), spec.end), 60)

    def _coaching(self, spec: Spec, day: date, minutes: int, kind: str = "coaching", relative_id=None):
        staff = self.rng.choice(self.staff)
        return coaching.save_course_meeting(spec.course, kind=kind, day=day, at=time(self.rng.choice((9, 13, 14))),
                                            minutes=minutes, staff1_id=staff.id, staff2_id=None,
                                            relative_id=relative_id, user=self.user)

    def network_and_relatives(self, specs: list[Spec]) -> None:
        rng = self.rng
        for spec in rng.sample(specs, 25):
            day = _weekday(rng, spec.start, spec.last_in_period)
            first, second = self._pair()
            citizens.add_meeting(spec.citizen, spec.course, citizens.MeetingData(
                "netvaerksmoede", day, time(11), rng.choice((60, 75, 90)), "afholdt", first, second), self.user, day)
        for spec in rng.sample(specs, 12):
            relative = citizens.add_relative(spec.citizen, f"{self._name()[0]} {spec.citizen.last_name}",
                                             rng.choice(("Mor", "Søster", "Ægtefælle", "Far")), "")
            self._coaching(spec, _weekday(rng, spec.start, spec.last_in_period), 60, "paaroerende", relative.id)

    def send_handover(self, spec: Spec) -> None:
        sent_on = spec.start + timedelta(days=spec.handover_after)
        draft, _ = handover.create_handover(spec.course, self.user, sent_on)
        handover.update_handover(draft, {
            "reasons": "Jeg har brug for mere støtte i hverdagen, end Din Indgang kan give.",
            "worked_on": "Struktur på dagen, økonomi og at komme ud blandt andre.",
            "future_support_goal": "At kunne bo i egen bolig med støtte.",
            "future_agreements": "Fælles møde med myndighedsrådgiver og borgeren i Din Indgang.",
        }, self.user)
        consents.record_consent(spec.citizen.id, basis="samtykke", purpose="Overdragelse til myndighedsafdelingen",
                                recipient_code="myndighedsafdelingen", given_on=sent_on, user=self.user)
        sent_at = _at(sent_on, 14)
        handover.send_handover(draft, self.user, sent_on, now=sent_at)
        handover.receive_handover(draft, self.authority, now=sent_at + timedelta(days=1))

    def assess(self, spec: Spec, without, after, n: int) -> None:
        def choices(lines):
            return [documentation.Choice(slot, self.offers[name], percent) for slot, name, percent in lines]

        doc = documentation.documentation_for(spec.course, create=True)
        documentation.save_shadow_assessment(
            doc, self.user, choices=choices(without), caseworker=self.rng.choice(offers_demo.CASEWORKERS),
            paying_municipality=offers_demo.MUNICIPALITY, acting_municipality=offers_demo.MUNICIPALITY,
            operating_municipality=offers_demo.MUNICIPALITY, day=spec.end)
        documentation.save_received_after(doc, self.user, choices=choices(after), day=spec.end)
        if n % 6 == 1:
            doc.volunteer_activities = n % 12 == 1
            doc.remarks = offers_demo.REMARKS[n % len(offers_demo.REMARKS)]

    # --- without a course ------------------------------------------------------------------------

    def others(self, guide_minutes: list[int]) -> list[Citizen]:
        """Direct referrals (approved at the Friday meeting) and guide conversations that led to
        no course; returns the citizens who were given ad hoc help."""
        rng = self.rng
        ad_hoc = []
        outcomes = ["direkte_myndighed"] * DIRECT + OTHER_GUIDE_OUTCOMES
        for outcome, minutes in zip(outcomes, guide_minutes, strict=True):
            citizen = self.citizen(with_cpr=False)
            day = _weekday(rng, REPORT_START, date(2017, 11, 20))
            if outcome in ("direkte_myndighed", "afvist"):
                reason = rng.choice(DIRECT_REASONS)
                guide = self.guide(citizen, day, "direkte_myndighed", minutes, reason)
                proposal, _ = handover.propose_direct(citizen, reason, self.user, guide)
                proposal.proposed_at = guide.scheduled_at + timedelta(hours=1)
                meeting = _friday_after(day)
                handover.decide_direct(proposal, "godkendt" if outcome != "afvist" else "afvist", None, self.leader,
                                       meeting)
                proposal.decided_at = _at(meeting, 11)
            else:
                self.guide(citizen, day, outcome, minutes)
                if outcome == "ad_hoc":
                    ad_hoc.append((citizen, day))
        return ad_hoc

    def outreach(self) -> int:
        rng = self.rng
        for n in range(14):
            received = _weekday(rng, REPORT_START, date(2017, 11, 10))
            request = outreach.create_request(outreach.NewRequest(
                partner_code=rng.choice(("jobcenter", "lokalpsykiatri", "praktiserende_laege",
                                         "udskrivningskoordinator")),
                contact_person="Kontaktperson hos samarbejdspartneren", reason="Kan ikke overskue at komme ud.",
                received_on=received, citizen_first_name=self._name()[0]), self.user, received)
            outreach.assign(request, self.skp, received + timedelta(days=1), saved_by=self.user)
            visit_day = received + timedelta(days=rng.randint(2, 6))
            for _ in range(1 + (n % 3 == 0)):
                outreach.add_visit(request, visit_day, rng.choice((45, 60, 75, 90, 120)), "Hjemmebesøg.",
                                   self.skp, visit_day)
                visit_day += timedelta(days=rng.randint(3, 7))
            outreach.close(request, rng.choice(("kom_til_din_indgang", "kort_afklaring", "ikke_truffet")),
                           None, self.skp, visit_day)
        return 14

    # --- groups ----------------------------------------------------------------------------------

    def groups(self, specs: list[Spec]) -> int:
        rng = self.rng
        groups.ensure_default_themes()
        themes = list(db.session.scalars(select(GroupTheme).where(GroupTheme.active).order_by(GroupTheme.id)))
        runs, start = [], date(2016, 9, 19)
        while start <= LAST_RUN_START:
            theme = themes[len(runs) % len(themes)]
            second = self.peer if rng.random() < 0.75 else None
            run = groups.create_run(
                theme, team_number=groups.next_team_number(start), start_date=start, end_date=None,
                at=time(rng.choice((10, 13))), meetings=theme.usual_meetings, minutes=theme.meeting_minutes,
                place=theme.place, capacity=theme.max_participants, facilitator1_id=rng.choice(self.experienced).id,
                facilitator2_id=second.id if second else None, user=self.user)
            runs.append((run, groups.run_meetings(run.id)))
            start += timedelta(weeks=4)
        places: dict[int, int] = defaultdict(int)
        came = never = 0
        self.group_people: list[Spec] = []  # the 57 who came: more group hours go to them only
        for spec in rng.sample(specs, len(specs)):
            if came == GROUP_PERSONS and never == NEVER_CAME_TO_GROUP:
                break
            options = [(run, meetings) for run, meetings in runs if places[run.id] < run.capacity
                       and any(spec.start <= local(m.starts_at).date() <= spec.last_in_period for m in meetings)]
            if not options:
                continue
            run, meetings = rng.choice(options)
            held = [m for m in meetings if spec.start <= local(m.starts_at).date() <= spec.end]
            enrolment = groups.enrol(run, spec.citizen, max(run.start_date, spec.start), self.user,
                                     today=max(run.start_date, spec.start))
            if spec.end < run.end_date:
                groups.stop_enrolment(enrolment, spec.end)
            stays_away = came == GROUP_PERSONS or (never < NEVER_CAME_TO_GROUP and rng.random() < 0.05)
            for k, meeting in enumerate(held):
                status = "ikke_moedt" if stays_away else "moedt" if k == 0 else rng.choices(
                    ("moedt", "ikke_moedt", "gik_undervejs"), weights=(78, 12, 10))[0]
                groups.record_attendance(meeting, spec.citizen.id, status, self.user)
            places[run.id] += 1
            if not stays_away:
                self.group_people.append(spec)
            never += stays_away
            came += not stays_away
        assert (came, never) == (GROUP_PERSONS, NEVER_CAME_TO_GROUP)
        return len(runs)

    # --- contacts --------------------------------------------------------------------------------

    def contact(self, n: int, day: date, kind: str, *, citizen=None, minutes: int | None = None,
                **refinement) -> Contact:
        rng = self.rng
        at = _at(day, rng.randint(9, 15), rng.choice((0, 10, 20, 30, 40, 50)))
        user = rng.choice(self.staff)
        contact, _ = welcome.log_contact(user, kind, f"rapport-{n:05d}-{rng.randrange(16**8):08x}", now=at)
        if citizen is not None:  # before the refinement, whose flush then writes both
            welcome.link_citizen(contact, citizen)
        first, *more = refinement.pop("topics", ()) or (None,)
        welcome.refine_contact(contact, welcome.Refinement(
            duration_minutes=str(minutes) if minutes is not None else None, toggle_topic=first, **refinement),
            user, now=at)
        for topic in more:
            welcome.refine_contact(contact, welcome.Refinement(toggle_topic=topic), user, now=at)
        return contact

    def contacts(self, ad_hoc_people: list[tuple[Citizen, date]], course_citizens: list[Citizen]) -> int:
        rng = self.rng
        n = 0
        counts = [1] * len(ad_hoc_people)
        for i in rng.choices(range(len(counts)), weights=[rng.choice((1, 1, 2, 5)) for _ in counts],
                             k=AD_HOC_CONTACTS - len(counts)):
            counts[i] += 1
        minutes = iter(sum_to(rng, AD_HOC_MINUTES, AD_HOC_CONTACTS, 10, 60))
        for (citizen, first_day), count in zip(ad_hoc_people, counts, strict=True):
            for _ in range(count):
                topics = sorted({rng.choices(list(TOPIC_WEIGHTS), list(TOPIC_WEIGHTS.values()))[0]
                                 for _ in range(rng.randint(1, 2))})
                self.contact(n, _weekday(rng, first_day, REPORT_END), "ad_hoc", citizen=citizen, minutes=next(minutes),
                             outcome="ad_hoc_givet", topics=topics)
                n += 1
        for _ in range(ANONYMOUS_AD_HOC):
            self.contact(n, _weekday(rng, REPORT_START, REPORT_END), "ad_hoc", minutes=rng.choice((10, 15, 20)),
                         outcome="ad_hoc_givet", topics=["computer"])
            n += 1
        others = CONTACTS_FROM["borger"] - AD_HOC_CONTACTS - ANONYMOUS_AD_HOC
        for k in range(others):
            kind = "visit" if k % 2 else "phone"
            self.contact(n, _weekday(rng, REPORT_START, REPORT_END), kind,
                         citizen=rng.choice(course_citizens) if rng.random() < 0.35 else None,
                         minutes=rng.choice((5, 10, 15)),
                         outcome=rng.choice((None, "information", "henvist_jobcenter", "henvist_borgerservice")))
            n += 1
        for k in range(CONTACTS_FROM["paaroerende"]):
            self.contact(n, _weekday(rng, REPORT_START, REPORT_END), "visit" if k % 3 == 0 else "phone",
                         from_type="paaroerende", minutes=rng.choice((5, 10, 15, 20)), outcome="information")
            n += 1
        partners = list(PARTNER_WEIGHTS)
        for k in range(CONTACTS_FROM["samarbejdspartner"]):
            partner = rng.choices(partners, weights=list(PARTNER_WEIGHTS.values()))[0]
            kind, channel = ("visit", None) if k % 8 == 0 else ("phone", "mail" if k % 8 in (1, 2) else None)
            self.contact(n, _weekday(rng, REPORT_START, REPORT_END), kind, partner=partner, channel=channel,
                         minutes=rng.choice((5, 10, 15)),
                         outcome=rng.choice((None, "information", "information", "udekoerende_anmodning")))
            n += 1
        return n


def database_is_empty() -> bool:
    return not (db.session.scalar(select(func.count()).select_from(Citizen))
                or db.session.scalar(select(func.count()).select_from(Contact)))


def load_report_data(seed: int = SEED) -> dict:
    """Build the report's period in an empty database (flush only; the caller commits)."""
    if not database_is_empty():
        raise ReportDataError(
            "Rapportens data kan kun bygges i en tom database, og her er der allerede borgere eller "
            "henvendelser. Brug en ny database, fx DATABASE_URL=sqlite:///instance/rapport.sqlite.")
    rng = random.Random(seed)  # noqa: S311 - repeatable fictitious data, not security
    build = ReportBuilder(rng)
    specs = build.plan_courses()
    firsts = [s for s in specs if not s.returner]
    guide_minutes = sum_to(rng, GUIDE_MINUTES, len(firsts) + DIRECT + len(OTHER_GUIDE_OUTCOMES), 40, 90)
    for spec in specs:
        build.build_course(spec, None if spec.returner else guide_minutes.pop())
    ad_hoc_others = build.others(guide_minutes)
    build.coaching(specs)
    build.network_and_relatives(specs)
    runs = build.groups(specs)
    closed = [s for s in specs if s.stop]
    for spec in closed:
        if spec.handover_after is not None:
            build.send_handover(spec)
        build.close_course(spec)
    for spec in specs:
        if spec.stop is None:
            build.close_course(spec)  # after the period: nobody is left in an endless course
    without = assessments_summing(rng, WOULD_HAVE_COST, WOULD_HAVE, WITHOUT_PERCENTS, housing=True)
    after = assessments_summing(rng, RECEIVED_COST, RECEIVED, AFTER_PERCENTS, housing=True)
    received = [s for s in closed if s.stop == "HFT"]
    would = received + rng.sample([s for s in closed if s.stop != "HFT"], WOULD_HAVE - RECEIVED)
    plans = {id(s): (w, a) for s, w, a in zip(would, without, after + [()] * (WOULD_HAVE - RECEIVED), strict=True)}
    for n, spec in enumerate(closed):
        build.assess(spec, *plans.get(id(spec), ((), ())), n)
    offers_demo.remove_old_offer(build.offers, build.user)
    course_citizens = [s.citizen for s in specs]
    ad_hoc_people = [(c, REPORT_START) for c in rng.sample(course_citizens, AD_HOC_FROM_COURSES)]
    ad_hoc_people += ad_hoc_others + [(build.welcome_citizen(), REPORT_START) for _ in range(WELCOME_ONLY)]
    assert len(ad_hoc_people) == AD_HOC_PERSONS
    contacts = build.contacts(ad_hoc_people, course_citizens)
    offers_demo.set_disability_categories(rng, course_citizens, share=0.9)
    outreach_requests = build.outreach()
    from .report_hours import add_the_reports_hours  # here: it builds on this module's helpers

    added = add_the_reports_hours(build, specs)
    db.session.flush()
    return {"contacts": contacts, "citizens in a course": len(specs), "returns": RETURNS,
            "closed in the period": len(closed), "group runs": runs + added["group runs"],
            "outreach requests": outreach_requests + added["outreach requests"],
            "welfare technology sessions": added["welfare technology sessions"]}
