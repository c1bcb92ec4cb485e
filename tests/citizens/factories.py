from datetime import date

from webapp.citizens.models import Citizen, Course, GuideConversation, Meeting
from webapp.extensions import db
from webapp.timeutil import utcnow


def make_citizen_with_cpr(first_name="Nancy", last_name="Berggren", cpr="2512489996", **fields) -> Citizen:
    from webapp.citizens.cpr import parse_cpr

    citizen = Citizen(
        first_name=first_name,
        last_name=last_name,
        first_name_lower=first_name.lower(),
        cpr=cpr,
        birth_date=parse_cpr(cpr, today=date(2026, 1, 1)).birth_date if cpr else None,
        **fields,
    )
    db.session.add(citizen)
    db.session.commit()
    return citizen


def make_course(citizen, start=None, end=None, **fields) -> Course:
    course = Course(citizen_id=citizen.id, start_date=start or date.today(), end_date=end, **fields)
    db.session.add(course)
    db.session.commit()
    return course


def make_meeting(citizen, course=None, kind="opfoelgning", starts_at=None, status="afholdt", **fields) -> Meeting:
    meeting = Meeting(citizen_id=citizen.id, course_id=course.id if course else None, kind=kind,
                      starts_at=starts_at or utcnow(), status=status, **fields)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def make_guide(citizen, scheduled_at=None, status="booket", **fields) -> GuideConversation:
    guide = GuideConversation(citizen_id=citizen.id, scheduled_at=scheduled_at or utcnow(), status=status, **fields)
    db.session.add(guide)
    db.session.commit()
    return guide
