"""The lists behind the figures count exactly what the figures count."""

from datetime import date

from webapp.reports import figures, lists

from ..factories import make_citizen, make_contact
from ..handover.factories import make_guide_conversation, make_handover, make_proposal
from ..outcomes.factories import attend, make_run, run_meetings
from .fixtures import END, START, at, disability_people, fit_people


def everything():
    """Something behind nearly every listable row (people from the fixtures plus a few more)."""
    fit_people()
    people = disability_people()
    hans, ida, karen = people["hans"], people["ida"], people["karen"]
    make_contact(when=at(START), kind="ad_hoc", citizen_id=hans.id)
    make_contact(when=at(END), kind="ad_hoc", citizen_id=hans.id)
    make_contact(when=at(END), kind="visit", outcome="ad_hoc_givet", citizen_id=ida.id)
    make_contact(when=at(END), kind="ad_hoc")  # nobody known: not listable, not counted
    run = make_run(start=date(2017, 3, 24), meetings=2)
    first, last = run_meetings(run)
    attend(first, hans, "moedt")
    attend(last, hans, "moedt")
    attend(last, karen, "gik_undervejs")
    attend(first, ida, "ikke_moedt")
    make_guide_conversation(hans, at(date(2017, 1, 3)))
    make_guide_conversation(ida, at(date(2016, 12, 1)))
    make_guide_conversation(ida, at(date(2017, 2, 1)))
    make_guide_conversation(karen, at(date(2017, 1, 2)))
    make_proposal(hans, at(date(2017, 1, 3)), decision="godkendt", decided_on=date(2017, 1, 6))
    from webapp.citizens.models import Course
    from webapp.extensions import db

    course = db.session.query(Course).filter_by(citizen_id=karen.id, is_return=False).one()
    make_handover(course, status="sendt", sent_at=at(date(2017, 1, 8)))
    mads = make_citizen("Mads", "Mål")
    from ..handover.factories import make_course

    make_course(mads, date(2016, 6, 1), date(2017, 2, 1), goal_attainment=2.5, stop_reason="ILB")
    make_course(mads, date(2017, 2, 2), date(2017, 3, 1), goal_attainment=4.0, stop_reason="ILB")


def test_every_list_is_as_long_as_its_figure_row(app):
    everything()
    checked = 0
    for figure in figures.key_figures(START, END, restricted=True):
        for row in figure.rows:
            if row.list_key is None:
                continue
            assert row.list_key in lists.LISTS, row.list_key
            assert lists.LISTS[row.list_key].figure_key == figure.key
            assert lists.count(row.list_key, START, END) == row.count, (figure.key, row.label)
            assert len(lists.rows(row.list_key, START, END)) == row.count, (figure.key, row.label)
            checked += row.count > 0
    assert checked >= 20  # the data set is not empty where it matters


def test_a_list_names_the_citizens_with_their_date(app):
    everything()
    shown = lists.rows("ad-hoc", START, END)
    assert [(row.name, row.on) for row in shown] == [("Hans Handi", START), ("Ida Handi", END)]
    groups = lists.rows("grupper", START, END)
    assert [(row.name, row.on) for row in groups] == [("Hans Handi", date(2017, 3, 24)),
                                                      ("Karen Handi", date(2017, 3, 31))]
    stopped = lists.rows("stop-ilb", START, END)
    assert [(row.name, row.on) for row in stopped] == [("Mads Mål", date(2017, 2, 1)), ("Mads Mål", date(2017, 3, 1))]


def test_the_list_is_capped_but_the_count_is_whole(app):
    everything()
    assert lists.count("i-forloeb", START, END) == 12  # seven FIT people, Hans, Ida, Jens, Karen, Mads
    assert len(lists.rows("i-forloeb", START, END, cap=3)) == 3


def test_contacts_are_not_listable_and_the_disability_lists_are_restricted(app):
    assert all(row.list_key is None for row in figures.contacts_by_sender(START, END).rows)
    assert lists.is_restricted("handicap-1") and lists.is_restricted("handicap-ikke-angivet")
    assert not lists.is_restricted("i-forloeb") and not lists.is_restricted("ukendt")
