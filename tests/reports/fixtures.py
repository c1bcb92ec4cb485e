"""A small hand-built data set for the FIT and disability figures and the lists behind the figures:
the expected answers are worked out by hand in the tests that use it."""

from datetime import date, datetime

from webapp.extensions import db
from webapp.timeutil import LOCAL_TZ

from ..factories import make_citizen
from ..handover.factories import make_course
from ..outcomes.factories import make_meeting, make_score

START, END = date(2017, 1, 1), date(2017, 3, 31)


def at(day: date, hour=10):
    return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_TZ)


def ors(citizen, course, day: date, items, scale="ORS"):
    """One ORS form (items in points; None = skipped) at a coaching meeting of the course."""
    meeting = make_meeting(citizen, course, when=at(day))
    return make_score(citizen, meeting=meeting, course=course, items=items, scale=scale)


def person(first, last, category=None):
    citizen = make_citizen(first, last)
    citizen.disability_category = category
    db.session.commit()
    return citizen


def fit_people() -> dict:
    """Seven courses; four closed in the period with two or more ORS scores (the base):
    Anna 20 → 26 (+6: improved; under 25 at start), Bo 30 → 34,9 (+4,9: not improved),
    Dora 24,9 → (skipped) → 19,9 (under at start and at end), Gitte 20 → 25,0 (+5: improved; 25 is
    not under). Not counted: Carl (one score), Eva (closed after the period), Finn (still open)."""
    anna, bo, carl, dora, eva, finn, gitte = (
        person(n, "Fit") for n in ("Anna", "Bo", "Carl", "Dora", "Eva", "Finn", "Gitte"))
    course = make_course(anna, date(2016, 11, 1), date(2017, 2, 1))
    ors(anna, course, date(2017, 1, 20), (6.5, 6.5, 6.5, 6.5))  # the last one, written first
    ors(anna, course, date(2016, 11, 5), (5, 5, 5, 5))
    ors(anna, course, date(2016, 12, 5), (5.5, 5.5, 5.5, 5.5))
    course = make_course(bo, date(2016, 12, 1), END)
    ors(bo, course, date(2016, 12, 2), (7.5, 7.5, 7.5, 7.5))
    ors(bo, course, date(2017, 3, 30), (8.7, 8.7, 8.7, 8.8))
    course = make_course(carl, date(2016, 12, 1), date(2017, 3, 1))
    ors(carl, course, date(2016, 12, 2), (2.5, 2.5, 2.5, 2.5))
    course = make_course(dora, date(2016, 10, 1), START)
    ors(dora, course, date(2016, 10, 3), (6.2, 6.2, 6.2, 6.3))
    ors(dora, course, date(2016, 11, 3), (9, 9, 9, 9), scale="SRS")  # another scale
    ors(dora, course, date(2016, 12, 3), (7, 7, 7, 7), scale="SRS")
    ors(dora, course, date(2016, 12, 4), None)  # skipped: never counted as 0
    ors(dora, course, date(2016, 12, 20), (5, 5, 5, 4.9))
    course = make_course(eva, date(2016, 12, 1), date(2017, 4, 1))
    ors(eva, course, date(2016, 12, 2), (2.5, 2.5, 2.5, 2.5))
    ors(eva, course, date(2017, 3, 2), (7.5, 7.5, 7.5, 7.5))
    course = make_course(finn, date(2016, 12, 1))
    ors(finn, course, date(2016, 12, 2), (2.5, 2.5, 2.5, 2.5))
    ors(finn, course, date(2017, 3, 2), (7.5, 7.5, 7.5, 7.5))
    course = make_course(gitte, date(2017, 1, 2), date(2017, 3, 15))
    ors(gitte, course, date(2017, 1, 3), (5, 5, 5, 5))
    ors(gitte, course, date(2017, 3, 14), (6.2, 6.2, 6.3, 6.3))
    return {"anna": anna, "bo": bo, "dora": dora, "gitte": gitte}


def disability_people() -> dict:
    """Citizens with a course in the period: Hans and Ida (ADHD), Jens (none set), Karen (Autist, two
    courses: counted once). Not counted: Lars (Autist, his course ended before the period)."""
    hans, ida = person("Hans", "Handi", "ADHD"), person("Ida", "Handi", "ADHD")
    jens, karen, lars = person("Jens", "Handi"), person("Karen", "Handi", "Autist"), person("Lars", "Handi", "Autist")
    make_course(hans, date(2016, 6, 1), START)
    make_course(ida, END)
    make_course(jens, date(2017, 2, 1), date(2017, 2, 2))
    make_course(karen, date(2017, 1, 2), date(2017, 1, 9), stop_reason="P")
    make_course(karen, date(2017, 1, 20), is_return=True)
    make_course(lars, date(2016, 1, 1), date(2016, 12, 31))
    return {"hans": hans, "ida": ida, "jens": jens, "karen": karen}
