"""Agenda assembly: every section is a function of the meeting date, so items must appear and
disappear on the right Fridays. Dates are explicit; nothing reads the clock."""

from datetime import date, timedelta

import pytest

from webapp.citizens.models import GuideConversation
from webapp.extensions import db
from webapp.meeting import services
from webapp.meeting.rules import AGENDA_SECTIONS

from ..factories import make_citizen, make_user
from ..handover.factories import (
    at,
    make_consent,
    make_course,
    make_decision,
    make_guide_conversation,
    make_handover,
    make_meeting,
    make_outreach,
    make_proposal,
    make_visit,
)

F1, F2, F3, F4 = date(2026, 11, 13), date(2026, 11, 20), date(2026, 11, 27), date(2026, 12, 4)


def keys(items):
    return [i.key for i in items]


# --- new citizens and guide conversations --------------------------------------------------------


def test_new_citizens_belong_to_the_week_before_the_meeting():
    anna = make_citizen("Anna", "Andersen")
    thursday = make_guide_conversation(anna, at(date(2026, 11, 19), 14), outcome="ad_hoc")
    friday = make_guide_conversation(anna, at(F2, 13))  # after the morning meeting: next week
    make_guide_conversation(anna, at(date(2026, 11, 18)), status="booket")  # not held
    make_guide_conversation(anna, at(date(2026, 11, 17)), status="udeblevet")

    assert keys(services.new_citizens(F1)) == []
    items = services.new_citizens(F2)
    assert keys(items) == [f"gc:{thursday.id}"]
    assert items[0].title == "Anna A."
    assert "udfald: Kun ad hoc-hjælp" in items[0].facts[0]
    assert keys(services.new_citizens(F3)) == [f"gc:{friday.id}"]
    assert keys(services.new_citizens(F4)) == []


def test_window_is_counted_in_copenhagen_time():
    bo = make_citizen("Bo", "Berg")
    # 00:30 on the meeting Friday in Copenhagen is still Thursday in UTC: it belongs to next week.
    just_after = make_guide_conversation(bo, at(F2, 0, 30))
    assert keys(services.new_citizens(F2)) == []
    assert keys(services.new_citizens(F3)) == [f"gc:{just_after.id}"]


def test_guide_conversations_without_authority_experience():
    with_exp = make_user("mette", has_authority_experience=True)
    without = make_user("pia")
    anna, bo, cille = make_citizen("Anna"), make_citizen("Bo"), make_citizen("Cille")
    flagged = make_guide_conversation(anna, at(date(2026, 11, 16)), lacks_authority_experience=True)
    computed = make_guide_conversation(bo, at(date(2026, 11, 17)), staff=[without])
    make_guide_conversation(cille, at(date(2026, 11, 18)), staff=[without, with_exp])

    items = services.guides_without_authority(F2)
    assert keys(items) == [f"gc-authority:{flagged.id}", f"gc-authority:{computed.id}"]
    assert "Pia" in items[1].facts[1] and "ingen med myndighedserfaring" in items[1].facts[1]
    assert services.guides_without_authority(F3) == []


# --- courses -------------------------------------------------------------------------------------


def test_week_10_assessment_appears_at_week_10_and_goes_when_assessed():
    start = date(2026, 9, 4)  # week 10 starts 6 Nov, the assessment is due by 12 Nov
    assessed = make_course(make_citizen("Anna", "Andersen"), start, assessment_date=date(2026, 11, 10))
    waiting = make_course(make_citizen("Bo", "Berg"), start)

    assert services.week10_assessments(date(2026, 10, 30)) == []
    on_time = services.week10_assessments(date(2026, 11, 6))
    assert keys(on_time) == [f"course-assessment:{assessed.id}", f"course-assessment:{waiting.id}"]
    assert not any(i.urgent for i in on_time)
    assert on_time[0].facts[0] == "Uge 10 af højst 20"

    late = services.week10_assessments(F1)
    assert keys(late) == [f"course-assessment:{waiting.id}"]  # the other was assessed on 10 Nov
    assert late[0].urgent and late[0].urgent_label == "Overskredet"


def test_closed_course_leaves_the_week_10_list():
    course = make_course(make_citizen("Anna"), date(2026, 9, 4))
    assert keys(services.week10_assessments(F1)) == [f"course-assessment:{course.id}"]
    course.end_date = date(2026, 11, 16)
    db.session.commit()
    assert services.week10_assessments(F1) != []  # still open on 13 Nov
    assert services.week10_assessments(F2) == []


def test_ending_within_two_weeks_or_past_20_weeks():
    start = date(2026, 7, 10)  # latest end: 26 Nov 2026
    course = make_course(make_citizen("Anna", "Andersen"), start)

    assert services.ending_soon(date(2026, 11, 6)) == []  # 20 days left
    soon = services.ending_soon(F1)  # 13 days left
    assert keys(soon) == [f"course-ending:{course.id}"]
    assert not soon[0].urgent and "Slutter senest 26. nov 2026" in soon[0].facts
    past = services.ending_soon(F3)
    assert past[0].urgent and past[0].urgent_label == "Over 20 uger"

    course.end_date = date(2026, 11, 24)
    db.session.commit()
    assert services.ending_soon(F3) == []
    assert keys(services.ending_soon(F2)) == [f"course-ending:{course.id}"]


def test_a_course_not_started_yet_is_not_on_the_agenda():
    make_course(make_citizen("Anna"), F3)
    assert services.open_courses(F2) == []


# --- proposals and handovers ---------------------------------------------------------------------


def test_handover_draft_then_sent_then_received():
    leader = make_user("lene", roles=("leader",))
    course = make_course(make_citizen("Anna", "Andersen"), date(2026, 8, 3))
    handover = make_handover(course, created_at=at(date(2026, 11, 18)))

    assert services.handover_proposals(F1) == []  # not yet created
    draft = services.handover_proposals(F2)
    assert keys(draft) == [f"handover:{handover.id}"] and "kladde" in draft[0].facts[0]

    handover.status = "sendt"
    handover.sent_at = at(date(2026, 11, 23), 9)
    db.session.commit()
    sent = services.handover_proposals(F3)
    assert "ikke markeret den som modtaget" in sent[0].needs and not sent[0].urgent
    late = services.handover_proposals(F4)  # 23 Nov + 5 working days = 30 Nov; 4 Dec is late
    assert late[0].urgent

    handover.status = "modtaget"
    handover.received_at = at(date(2026, 12, 1))
    handover.received_by_id = leader.id
    db.session.commit()
    assert services.handover_proposals(F4) == []
    assert keys(services.handover_proposals(F3)) == [f"handover:{handover.id}"]  # as it stood then


def test_direct_proposal_stays_until_decided_and_is_shown_on_the_day_it_was_decided():
    leader = make_user("lene", roles=("leader",))
    anna = make_citizen("Anna", "Andersen")
    proposal = make_proposal(anna, at(date(2026, 11, 17)), reason="Akut behov for bostøtte")

    items = services.handover_proposals(F2)
    assert keys(items) == [f"direct:{proposal.id}"] and items[0].can_decide_direct
    assert items[0].details == [("Begrundelse", "Akut behov for bostøtte")]  # a note: only when expanded
    assert "Akut behov" not in " ".join(items[0].facts)
    assert keys(services.handover_proposals(F3)) == [f"direct:{proposal.id}"]  # still undecided

    proposal.decision, proposal.decided_on, proposal.decided_by_id = "godkendt", F3, leader.id
    db.session.commit()
    decided = services.handover_proposals(F3)
    assert "Besluttet: Godkendt" in decided[0].facts[1]
    assert services.handover_proposals(F4) == []


def test_direct_guide_conversation_without_a_proposal_is_on_the_agenda_until_one_exists():
    anna = make_citizen("Anna", "Andersen")
    gc = make_guide_conversation(anna, at(date(2026, 11, 18)), outcome="direkte_myndighed",
                                 direct_authority_reason="Kan ikke vente på et forløb")
    items = services.handover_proposals(F2)
    assert keys(items) == [f"direct-gc:{gc.id}"] and items[0].guide_conversation_id == gc.id
    proposal = make_proposal(anna, at(date(2026, 11, 19)), guide_conversation_id=gc.id)
    assert keys(services.handover_proposals(F2)) == [f"direct:{proposal.id}"]


# --- outreach ------------------------------------------------------------------------------------


def test_outreach_request_is_overdue_after_five_working_days_across_a_weekend():
    request = make_outreach(date(2026, 11, 23))  # Monday: working days 24-27 Nov and Mon 30 Nov
    on_time = services.outreach_items(F3)
    assert keys(on_time) == [f"outreach:{request.id}"] and not on_time[0].urgent
    assert "næste handling senest 30. nov 2026" in on_time[0].facts[2]

    overdue = services.outreach_items(F4)  # overdue from Tuesday 1 Dec
    assert overdue[0].urgent and "forsinket siden 1. dec 2026" in overdue[0].facts[2]
    assert overdue[0].needs.startswith("Ingen handling i 5 arbejdsdage")


def test_a_visit_resets_the_clock_and_closing_removes_the_request():
    staff = make_user("soeren", roles=("skp",))
    request = make_outreach(date(2026, 11, 23), state="tildelt", assigned_to_id=staff.id,
                            assigned_on=date(2026, 11, 24))
    make_visit(request, date(2026, 12, 2))
    assert not services.outreach_items(F4)[0].urgent
    request.state, request.outcome, request.closed_on = "afsluttet", "kort_afklaring", date(2026, 12, 3)
    db.session.commit()
    assert services.outreach_items(F4) == []
    assert keys(services.outreach_items(F3)) == [f"outreach:{request.id}"]  # open on 27 Nov


def test_overdue_requests_come_first_and_the_reason_is_a_note():
    old = make_outreach(date(2026, 11, 2), citizen_first_name="Lise")
    new = make_outreach(date(2026, 11, 19), citizen_first_name="Kasper", reason="Social angst")
    items = services.outreach_items(F2)
    assert keys(items) == [f"outreach:{old.id}", f"outreach:{new.id}"]
    assert items[0].urgent and not items[1].urgent
    assert items[1].title == "Kasper" and ("Hvorfor kan borgeren ikke komme", "Social angst") in items[1].details


# --- missed meetings -----------------------------------------------------------------------------


def test_two_missed_meetings_in_a_row_and_attendance_resets():
    anna = make_citizen("Anna", "Andersen")
    course = make_course(anna, date(2026, 9, 1))
    make_meeting(anna, at(date(2026, 11, 2)), "afholdt", course=course)
    make_meeting(anna, at(date(2026, 11, 9)), "udeblevet", course=course)
    make_meeting(anna, at(date(2026, 11, 16)), "udeblevet", course=course)
    make_meeting(anna, at(date(2026, 11, 18)), "aflyst", course=course)  # cancelled: says nothing
    make_meeting(anna, at(date(2026, 11, 24)), "planlagt", course=course)

    assert services.repeated_no_shows(F1, sources=()) == []  # only one missed by 13 Nov
    items = services.repeated_no_shows(F2, sources=())
    assert keys(items) == [f"no-shows:{anna.id}"]
    assert items[0].facts == ["2 aftaler i træk uden fremmøde (senest 16. nov 2026)"]

    make_meeting(anna, at(date(2026, 11, 25)), "afholdt", course=course)
    assert services.repeated_no_shows(F3, sources=()) == []


def test_extra_attendance_sources_count_too():
    anna = make_citizen("Anna", "Andersen")
    make_course(anna, date(2026, 9, 1))
    make_meeting(anna, at(date(2026, 11, 16)), "udeblevet")

    def group_sessions(citizens, first, last):
        assert anna.id in db.session.scalars(citizens).all() and first <= date(2026, 11, 18) <= last
        return [(anna.id, date(2026, 11, 18), False)]

    assert services.repeated_no_shows(F2, sources=()) == []
    assert keys(services.repeated_no_shows(F2, sources=[group_sessions])) == [f"no-shows:{anna.id}"]

    def attended_group(citizens, first, last):
        return [(anna.id, date(2026, 11, 18), True)]

    assert services.repeated_no_shows(F2, sources=[group_sessions, attended_group]) == []


def test_registered_attendance_sources_are_used_by_default(monkeypatch):
    anna = make_citizen("Anna")
    make_course(anna, date(2026, 9, 1))
    source = services.attendance_source(lambda ids, first, last: [(anna.id, date(2026, 11, 17), False),
                                                                  (anna.id, date(2026, 11, 18), False)])
    try:
        assert keys(next(s for s in services.assemble_agenda(F2).sections if s.key == "repeated_no_shows").items) == [f"no-shows:{anna.id}"]
    finally:
        services.ATTENDANCE_SOURCES.remove(source)


def test_citizens_without_an_open_course_are_not_listed_for_no_shows():
    anna = make_citizen("Anna")
    make_course(anna, date(2026, 6, 1), end=date(2026, 10, 1))
    make_meeting(anna, at(date(2026, 9, 20)), "udeblevet")
    make_meeting(anna, at(date(2026, 9, 27)), "udeblevet")
    assert services.repeated_no_shows(F2, sources=()) == []


# --- returns and open decisions ------------------------------------------------------------------


def test_returned_citizens_since_the_last_meeting():
    anna = make_citizen("Anna", "Andersen")
    make_course(anna, date(2026, 3, 1), end=date(2026, 6, 1))
    back = make_course(anna, date(2026, 11, 20), is_return=True)
    assert services.returned_citizens(F2) == []
    assert keys(services.returned_citizens(F3)) == [f"return:{back.id}"]
    assert services.returned_citizens(F4) == []


def test_open_decisions_come_back_every_week_until_done():
    staff = make_user("mads")
    decision = make_decision(F1, "Mads ringer til Anna", responsible_id=staff.id, deadline=F1 + timedelta(days=5))
    assert services.open_decisions(F1) == []  # recorded at this meeting: shown under its item
    week2 = services.open_decisions(F2)
    assert keys(week2) == [f"decision:{decision.id}"]
    assert week2[0].urgent and week2[0].urgent_label == "Frist overskredet"
    assert "Besluttet 13. nov 2026: Mads ringer til Anna" in week2[0].facts

    decision.done_at = at(F3, 9)  # done in the room on 27 Nov: still shown that day, marked done
    db.session.commit()
    week3 = services.open_decisions(F3)
    assert keys(week3) == [f"decision:{decision.id}"] and not week3[0].urgent
    assert any(f.startswith("Udført") for f in week3[0].facts)
    assert services.open_decisions(F4) == []


# --- the whole agenda ----------------------------------------------------------------------------


def test_assembled_agenda_has_every_section_in_order_numbered_and_discreet():
    anna = make_citizen("Anna", "Hemmeligsen")
    anna.cpr = "0101901234"
    db.session.commit()
    gc = make_guide_conversation(anna, at(date(2026, 11, 18)))
    make_outreach(date(2026, 11, 2), citizen_id=anna.id, reason="Meget personlig note")
    decision = make_decision(F2, "Ring i dag", item_key=f"gc:{gc.id}")

    agenda = services.assemble_agenda(F2)
    assert [s.key for s in agenda.sections] == [s.key for s in AGENDA_SECTIONS]
    assert [i.number for i in agenda.items] == list(range(1, len(agenda.items) + 1))
    assert [d.id for d in agenda.find(f"gc:{gc.id}").decisions] == [decision.id]
    assert agenda.find(f"gc:{gc.id}").decisions[0].text == "Ring i dag"
    assert agenda.urgent_count == 1
    assert agenda.item(0) is None and agenda.item(len(agenda.items) + 1) is None
    shown = " ".join(i.title + i.needs + " ".join(i.facts) for i in agenda.items)
    assert "Hemmeligsen" not in shown and "0101901234" not in shown and "010190" not in shown
    assert "Meget personlig note" not in shown


@pytest.mark.parametrize("day", [date(2026, 11, 20), date(2026, 11, 22)])
def test_an_empty_agenda_on_any_day(day):
    make_consent(make_citizen("Anna"))  # unrelated rows do not show up
    agenda = services.assemble_agenda(day)
    assert agenda.items == [] and len(agenda.sections) == len(AGENDA_SECTIONS)


# --- the agenda as the views get it: assembled once per change -------------------------------------


def test_the_views_agenda_is_assembled_once_per_change_of_the_data():
    anna = make_citizen("Anna", "Andersen")
    make_guide_conversation(anna, at(date(2026, 11, 18)))
    first = services.agenda_for(F2)
    assert services.agenda_for(F2) is first  # nothing changed: the projector's next key press is cheap
    assert services.agenda_for(F3) is not first  # another meeting, another agenda

    bo = make_citizen("Bo", "Bertelsen")
    gc = make_guide_conversation(bo, at(date(2026, 11, 19)))
    again = services.agenda_for(F2)
    assert again is not first and f"gc:{gc.id}" in keys(again.items)
    assert f"gc:{gc.id}" not in keys(first.items)


def test_a_decision_and_a_renamed_colleague_show_at_once():
    mads = make_user("mads", full_name="Mads Madsen")
    anna = make_citizen("Anna", "Andersen")
    gc = make_guide_conversation(anna, at(date(2026, 11, 18)))
    assert services.agenda_for(F2).find(f"gc:{gc.id}").decisions == []
    make_decision(F2, "Ring i dag", item_key=f"gc:{gc.id}", responsible_id=mads.id)
    decided = services.agenda_for(F2).find(f"gc:{gc.id}").decisions
    assert [(d.text, d.responsible_name) for d in decided] == [("Ring i dag", "Mads Madsen")]

    mads.full_name = "Mads Nielsen"  # staff names are not "quiet": the agenda shows them
    db.session.commit()
    decided = services.agenda_for(F2).find(f"gc:{gc.id}").decisions
    assert [d.responsible_name for d in decided] == ["Mads Nielsen"]


def test_an_agenda_read_inside_an_uncommitted_change_is_never_kept():
    """A view that changes data and then reads the agenda sees its own change; if that change rolls
    back, the next view must not get it from the cache (its counter value will be reused)."""
    anna = make_citizen("Anna", "Andersen")
    make_guide_conversation(anna, at(date(2026, 11, 18)))
    committed = keys(services.agenda_for(F2).items)

    bo = make_citizen("Bo", "Bertelsen")
    db.session.add(GuideConversation(citizen_id=bo.id, scheduled_at=at(date(2026, 11, 19)), status="afholdt",
                                      outcome="forloeb"))
    db.session.flush()  # not committed
    inside = keys(services.agenda_for(F2).items)
    assert len(inside) == len(committed) + 1
    db.session.rollback()

    make_citizen("Carl", "Carlsen")  # the next committed change takes the same counter value
    assert keys(services.agenda_for(F2).items) == committed
