"""Factories for the documentation form's tests: a hand-built course with one of everything that
counts as hours (committed rows, like tests/factories.py)."""

from dataclasses import dataclass
from datetime import date

from webapp.citizens.models import Course
from webapp.documentation import services
from webapp.documentation.services import Choice
from webapp.extensions import db
from webapp.outreach.models import OutreachRequest, OutreachVisit

from ..citizens.factories import make_citizen_with_cpr
from ..factories import make_contact, make_user
from ..outcomes.factories import at_local, attend, enrol, make_guide, make_meeting, make_run, make_theme, run_meetings

START, END = date(2026, 2, 2), date(2026, 3, 6)


def make_offer(name="Bostøtte", law_section="SEL § 85", yearly_tariff=200_000, is_housing=False, removed=False):
    offer = services.add_offer(name=name, law_section=law_section, yearly_tariff=yearly_tariff, is_housing=is_housing)
    if removed:
        services.remove_offer(offer)
    db.session.commit()
    return offer


def make_shadow_assessment(course, offer, percent=100, day=date(2026, 3, 1)):
    """A saved »uden Din Indgang« assessment for the course with one offer."""
    doc = services.documentation_for(course, create=True)
    services.save_shadow_assessment(doc, None, choices=[Choice(1, offer, percent)], day=day)
    db.session.commit()
    return doc


def make_outreach_visit(citizen, day: date, minutes: int, staff=None) -> OutreachVisit:
    request = OutreachRequest(received_on=day, partner_code="jobcenter", contact_person="Lis", reason="Angst",
                              citizen_id=citizen.id, last_action_on=day)
    db.session.add(request)
    db.session.flush()
    visit = OutreachVisit(request_id=request.id, visit_date=day, duration_minutes=minutes,
                          staff_id=staff.id if staff else None)
    db.session.add(visit)
    db.session.commit()
    return visit


@dataclass
class Built:
    citizen: object
    course: Course
    mette: object
    jonas: object


def build_course() -> Built:
    """Course 2 Feb – 6 Mar 2026 (stop code ILB), enrolled by Mette, with (hours worked out in the
    tests) meetings of several kinds, one with two staff, a missed one, a guide conversation, ad hoc
    help with a duration, a contact that is not ad hoc, an outreach visit, a NADA group and an
    ordinary group with a no-show – and activities before and after the course that must not count."""
    mette = make_user("mette", full_name="Mette Madsen")
    jonas = make_user("jonas", full_name="Jonas Juhl")
    nancy = make_citizen_with_cpr()
    course = Course(citizen_id=nancy.id, start_date=START, end_date=END, stop_reason="ILB", created_by_id=mette.id)
    db.session.add(course)
    db.session.commit()
    make_meeting(nancy, course, when=at_local(date(2026, 2, 10)), kind="coaching", minutes=60, staff1=mette)
    make_meeting(nancy, course, when=at_local(date(2026, 2, 17)), kind="coaching", minutes=45, staff1=mette,
                 staff2=jonas)
    make_meeting(nancy, course, when=at_local(date(2026, 2, 19)), kind="coaching", minutes=60, staff1=mette,
                 status="udeblevet")
    make_meeting(nancy, course, when=at_local(date(2026, 2, 20)), kind="velfaerdsteknologi", minutes=30,
                 staff1=jonas)
    make_meeting(nancy, course, when=at_local(date(2026, 2, 24)), kind="netvaerksmoede", minutes=90, staff1=mette,
                 staff2=jonas)
    make_meeting(nancy, course, when=at_local(END, 21), kind="opfoelgning", minutes=30, staff1=mette)
    guide = make_guide(nancy, at_local(START, 9), minutes=60)
    guide.staff1_id, guide.staff2_id = mette.id, jonas.id
    db.session.commit()
    make_contact(kind="ad_hoc", citizen_id=nancy.id, duration_minutes=30, when=at_local(date(2026, 2, 12)))
    make_contact(kind="visit", citizen_id=nancy.id, duration_minutes=20, when=at_local(date(2026, 2, 12)))
    make_outreach_visit(nancy, date(2026, 2, 5), 75, staff=mette)
    nada = make_run(make_theme("NADA", minutes=60, hours_activity="nada"), start=date(2026, 2, 9), meetings=2,
                    facilitators=(mette, jonas), team_number="N-7")
    enrol(nada, nancy, course=course)
    first, second = run_meetings(nada)
    attend(first, nancy, "moedt")
    attend(second, nancy, "gik_undervejs")
    mindful = make_run(make_theme("Mindfulness", minutes=120), start=date(2026, 2, 11), meetings=3,
                       facilitators=(jonas,), team_number="M-3")
    enrol(mindful, nancy, stop=date(2026, 2, 27))
    one, two, three = run_meetings(mindful)
    attend(one, nancy, "moedt")
    attend(two, nancy, "ikke_moedt")  # a no-show: no hours
    attend(three, nancy, "moedt")
    waiting = make_run(make_theme("Dating"), start=date(2026, 2, 16), meetings=1, team_number="D-1")
    enrol(waiting, nancy, waiting=True)  # on the waiting list: not a group activity
    earlier = make_run(make_theme("Mobning"), start=date(2025, 11, 3), meetings=1, team_number="X-1")
    enrol(earlier, nancy, stop=date(2025, 11, 30))  # ended before the course
    # Outside the course's days: after its end, and before its start.
    make_meeting(nancy, course, when=at_local(date(2026, 3, 10)), kind="coaching", minutes=60, staff1=mette)
    make_contact(kind="ad_hoc", citizen_id=nancy.id, duration_minutes=30, when=at_local(date(2026, 1, 20)))
    return Built(nancy, course, mette, jonas)
