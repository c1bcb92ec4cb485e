"""Each key figure, counted in the database for a period [start, end]."""

from datetime import date, datetime

from webapp.reports import figures
from webapp.timeutil import LOCAL_TZ

from ..factories import make_citizen, make_contact
from ..handover.factories import make_course
from ..outcomes.factories import attend, make_run, run_meetings

START, END = date(2017, 1, 1), date(2017, 3, 31)


def at(day: date, hour=10):
    return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_TZ)


def rows(figure) -> dict:
    return {row.label: (row.count, row.share) for row in figure.rows}


def test_contacts_by_sender_channel_and_partner(app):
    for _ in range(2):
        make_contact(when=at(START, 0), kind="visit")  # the first minute of the period counts
    make_contact(when=at(END, 23), kind="phone", from_type="paaroerende")
    make_contact(when=at(date(2017, 2, 1)), kind="phone", from_type="samarbejdspartner", partner="jobcenter")
    make_contact(when=at(date(2017, 2, 1)), kind="visit", from_type="samarbejdspartner", channel="mail")
    make_contact(when=at(date(2016, 12, 31), 23), kind="visit")  # before
    make_contact(when=at(date(2017, 4, 1), 0), kind="visit")  # after
    make_contact(when=at(date(2017, 2, 1)), kind="visit", deleted_at=at(date(2017, 2, 1), 11))  # deleted

    sender = figures.contacts_by_sender(START, END)
    assert sender.total == 5
    assert rows(sender) == {"Borger": (2, 40.0), "Pårørende": (1, 20.0), "Samarbejdspartner": (2, 40.0)}
    channel = rows(figures.contacts_by_channel(START, END))
    assert channel["Fremmøde"] == (2, 40.0) and channel["Telefon"] == (2, 40.0) and channel["Mail"] == (1, 20.0)
    assert channel["Udekørende"] == (0, 0.0)
    partner = figures.contacts_by_partner(START, END)
    assert partner.total == 2
    assert rows(partner)["Jobcenter"] == (1, 50.0) and rows(partner)["Ikke angivet"] == (1, 50.0)
    assert rows(partner)["Lokalpsykiatri"] == (0, 0.0)


def test_an_empty_period_gives_zeros_not_errors(app):
    for figure in figures.key_figures(START, END):
        assert all(row.count == 0 for row in figure.rows), figure.key
        assert figure.total in (None, 0)


def test_persons_in_course_and_still_active_at_the_end(app):
    anna, bo, carl, dora, eva = (make_citizen(n, "X") for n in ("Anna", "Bo", "Carl", "Dora", "Eva"))
    make_course(anna, date(2016, 12, 1), date(2017, 1, 1))  # ends on the first day: in, not active
    make_course(anna, date(2017, 2, 1), None, is_return=True)  # same person again: counted once, active
    make_course(bo, date(2017, 3, 31), date(2017, 6, 1))  # starts on the last day: in, active
    make_course(carl, date(2017, 1, 10), date(2017, 3, 31))  # closed on the last day: not active
    make_course(dora, date(2016, 1, 1), date(2016, 12, 31))  # before
    make_course(eva, date(2017, 4, 1))  # after
    assert rows(figures.persons_in_course(START, END)) == {
        "Borgere i forløb i perioden": (3, None), "Heraf stadig i forløb ved periodens slutning": (2, None)}


def test_persons_with_ad_hoc_help(app):
    anna, bo, carl = make_citizen("Anna", "A"), make_citizen("Bo", "B"), make_citizen("Carl", "C")
    make_contact(when=at(START), kind="ad_hoc", citizen_id=anna.id)
    make_contact(when=at(END), kind="ad_hoc", citizen_id=anna.id)  # same person
    make_contact(when=at(END), kind="visit", outcome="ad_hoc_givet", citizen_id=bo.id)
    make_contact(when=at(END), kind="ad_hoc")  # no known citizen
    make_contact(when=at(END), kind="visit", citizen_id=carl.id)  # not ad hoc
    make_contact(when=at(date(2017, 4, 1)), kind="ad_hoc", citizen_id=carl.id)  # after
    make_contact(when=at(END), kind="ad_hoc", citizen_id=carl.id, deleted_at=at(END, 11))  # deleted
    assert rows(figures.persons_with_ad_hoc_help(START, END)) == {"Borgere med ad hoc-hjælp": (2, None)}


def test_persons_in_groups_count_who_attended_or_left_early(app):
    anna, bo, carl, dora = (make_citizen(n, "X") for n in ("Anna", "Bo", "Carl", "Dora"))
    run = make_run(start=date(2017, 3, 24), meetings=2)  # meetings on 24 and 31 March
    inside, last_day = run_meetings(run)
    attend(inside, anna, "moedt")
    attend(last_day, anna, "moedt")  # same person twice
    attend(last_day, bo, "gik_undervejs")
    attend(inside, carl, "ikke_moedt")
    later = make_run(start=date(2017, 4, 1), meetings=1, team_number="2017-later")
    attend(run_meetings(later)[0], dora, "moedt")
    assert rows(figures.persons_in_groups(START, END)) == {"Borgere i grupper": (2, None)}


def test_new_courses_and_returns(app):
    anna, bo, carl = make_citizen("Anna", "A"), make_citizen("Bo", "B"), make_citizen("Carl", "C")
    make_course(anna, START)
    make_course(bo, END, is_return=True)
    make_course(carl, date(2017, 2, 1))
    make_course(carl, date(2016, 12, 31), date(2017, 1, 20))  # started before
    new = figures.new_courses(START, END)
    assert new.total == 3
    assert rows(new) == {"Nye forløb (første gang)": (2, 66.7), "Genindskrivninger": (1, 33.3)}


def test_closed_courses_by_stop_code(app):
    anna, bo = make_citizen("Anna", "A"), make_citizen("Bo", "B")
    make_course(anna, date(2016, 10, 1), START, stop_reason="ILB")
    make_course(anna, date(2017, 1, 2), END, stop_reason="ILB")
    make_course(bo, date(2017, 1, 2), date(2017, 2, 1), stop_reason="UB")
    make_course(bo, date(2017, 2, 2), date(2017, 3, 1))  # no stop code recorded
    make_course(bo, date(2017, 3, 2), date(2017, 4, 1), stop_reason="P")  # closed after
    make_course(anna, date(2017, 3, 2))  # open
    closed = figures.closed_courses(START, END)
    assert closed.total == 4
    assert rows(closed)["Ikke længere behov (ILB)"] == (2, 50.0)
    assert rows(closed)["Udeblevet (UB)"] == (1, 25.0)
    assert rows(closed)["Pause (P)"] == (0, 0.0)
    assert rows(closed)["Ikke angivet"] == (1, 25.0)


def test_percent_is_danish():
    assert figures.percent(66.7) == "66,7 %"
    assert figures.percent(None) == ""


def test_new_citizens_count_the_first_held_guide_conversation(app):
    from ..handover.factories import make_guide_conversation

    anna, bo, carl, dora = (make_citizen(n, "X") for n in ("Anna", "Bo", "Carl", "Dora"))
    make_guide_conversation(anna, at(START, 0))  # first minute of the period
    make_guide_conversation(anna, at(END))  # same person again
    make_guide_conversation(bo, at(date(2016, 12, 1)))  # first one before the period: not new
    make_guide_conversation(bo, at(date(2017, 2, 1)))
    make_guide_conversation(carl, at(date(2017, 1, 5)), status="aflyst")  # not held
    make_guide_conversation(carl, at(END, 23))  # first held one on the last evening
    make_guide_conversation(dora, at(date(2017, 4, 1), 0))  # after
    make_guide_conversation(None, at(END))  # no known citizen
    assert rows(figures.new_citizens(START, END)) == {"Nye borgere": (2, None)}


def test_led_around_direct_and_early_handovers(app):
    from ..handover.factories import make_guide_conversation, make_handover, make_proposal

    people = [make_citizen(n, "X") for n in ("Anna", "Bo", "Carl", "Dora", "Eva")]
    for person in people[:4]:
        make_guide_conversation(person, at(date(2017, 1, 2)))  # four new citizens
    make_proposal(people[0], at(date(2017, 1, 2)), decision="godkendt", decided_on=date(2017, 1, 6))
    make_proposal(people[1], at(date(2017, 1, 2)), decision="afvist", decided_on=date(2017, 1, 6))
    make_proposal(people[2], at(date(2017, 3, 30)), decision="godkendt", decided_on=date(2017, 4, 7))  # after
    make_proposal(people[3], at(date(2017, 3, 30)))  # not decided

    quick = make_course(people[0], date(2017, 1, 2))
    make_handover(quick, status="sendt", sent_at=at(date(2017, 1, 29)))  # day 27: early
    edge = make_course(people[1], date(2017, 1, 2))
    make_handover(edge, status="modtaget", sent_at=at(date(2017, 1, 30)))  # day 28: not early
    draft = make_course(people[2], date(2017, 2, 1))
    make_handover(draft, status="kladde", sent_at=at(date(2017, 2, 2)))  # a draft is not sent
    old = make_course(people[3], date(2016, 12, 1))  # started before: not a new course of the period
    make_handover(old, status="sendt", sent_at=at(date(2016, 12, 20)))  # sent before the period
    assert rows(figures.led_around(START, END)) == {
        "Direkte til myndighedsafdelingen": (1, 25.0),
        "Overdraget under fire uger efter start": (1, 33.3),
    }


def test_goal_attainment_by_whole_step_and_average(app):
    people = [make_citizen(n, "X") for n in ("Anna", "Bo", "Carl", "Dora", "Eva", "Finn")]
    make_course(people[0], date(2016, 6, 1), date(2017, 1, 1), goal_attainment=2.5)  # counted as 2
    make_course(people[1], date(2016, 6, 1), date(2017, 2, 1), goal_attainment=2.0)
    make_course(people[2], date(2016, 6, 1), date(2017, 3, 31), goal_attainment=4.0)
    make_course(people[3], date(2016, 6, 1), date(2017, 3, 1))  # not given
    make_course(people[4], date(2016, 6, 1), date(2017, 4, 1), goal_attainment=1.0)  # closed after
    make_course(people[5], date(2017, 1, 1), None, goal_attainment=3.0)  # still open
    figure = figures.goal_attainment(START, END)
    assert figure.total == 4
    assert rows(figure) == {"1": (0, 0.0), "2": (2, 50.0), "3": (0, 0.0), "4": (1, 25.0),
                            "Ikke angivet": (1, 25.0)}
    assert [(row.label, row.shown) for row in figure.after] == [("Gennemsnit", "2,8")]
    assert "Gennemsnit;2,8" in figures.to_csv("2017", [figure])


def test_hours_with_citizens_and_staff_hours_per_activity(app):
    from webapp.reports.hours import hours_figures

    from ..factories import make_user
    from ..handover.factories import make_guide_conversation, make_meeting, make_outreach, make_visit
    from ..outcomes.factories import make_theme

    mads, lise = make_user("mads"), make_user("lise")
    anna, bo = make_citizen("Anna", "A"), make_citizen("Bo", "B")
    make_meeting(anna, at(START), kind="coaching", minutes=60, staff1_id=mads.id, staff2_id=lise.id)  # staff twice
    make_meeting(anna, at(END), kind="coaching", minutes=30)  # no staff noted: staff once
    make_meeting(anna, at(END), kind="coaching", minutes=45, status="udeblevet")  # not held
    make_meeting(anna, at(date(2017, 4, 1)), kind="coaching", minutes=45)  # after
    make_meeting(bo, at(END), kind="netvaerksmoede", minutes=90)
    make_guide_conversation(anna, at(START), duration_minutes=60, staff=(mads, lise))
    make_guide_conversation(bo, at(START), status="aflyst", duration_minutes=60)  # not held
    nada = make_run(make_theme("NADA", hours_activity="nada"), start=date(2017, 3, 24), meetings=2,
                    minutes=30, facilitators=(mads, lise))  # 24 and 31 March
    first_nada, _ = run_meetings(nada)
    attend(first_nada, anna, "moedt")
    attend(first_nada, bo, "gik_undervejs")
    group = make_run(start=date(2017, 3, 31), meetings=2, minutes=120, facilitators=(mads,))  # 31 March, 7 April
    inside, after = run_meetings(group)
    attend(inside, anna, "moedt")
    attend(inside, bo, "ikke_moedt")  # not present
    attend(after, anna, "moedt")  # after the period
    make_contact(when=at(START), kind="ad_hoc", citizen_id=anna.id, duration_minutes=15)
    make_contact(when=at(START), kind="ad_hoc", duration_minutes=15)  # no known citizen
    make_contact(when=at(START), kind="ad_hoc", citizen_id=bo.id, duration_minutes=15, deleted_at=at(START, 11))
    request = make_outreach(date(2017, 1, 1))
    make_visit(request, date(2017, 2, 1), minutes=90)
    make_visit(request, date(2017, 4, 1), minutes=90)  # after

    with_citizens, staff = hours_figures(START, END)
    hours = {row.label: row.count for row in with_citizens.rows}
    assert hours["Coachende samtaler"] == 1.5 and hours["Netværksmøder"] == 1.5
    assert hours["Guidesamtaler"] == 1.0 and hours["NADA"] == 1.0 and hours["Grupper"] == 2.0
    assert hours["Ad hoc-hjælp"] == 0.3 and hours["Udekørende funktion"] == 1.5 and hours["Andet"] == 0.0
    assert with_citizens.total == 8.8  # 525 minutes, 8,75 rounded up
    staff_hours = {row.label: row.count for row in staff.rows}
    assert staff_hours["Coachende samtaler"] == 2.5 and staff_hours["Guidesamtaler"] == 2.0
    assert staff_hours["NADA"] == 2.0  # two meetings × 30 min × two facilitators, whoever came
    assert staff_hours["Grupper"] == 2.0  # the meeting on 31 March, one facilitator
    assert staff_hours["Ad hoc-hjælp"] == 0.3 and staff_hours["Udekørende funktion"] == 1.5
    assert {row.label: row.shown for row in with_citizens.rows}["Ad hoc-hjælp"] == "0,3"
