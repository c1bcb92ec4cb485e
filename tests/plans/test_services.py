"""Min Plan rules called directly: values, merge, later follow-ups, follow-ups, drafts, versions."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.plans import services
from webapp.plans.models import GOAL_FIELDS, Plan, PlanFollowUp, PlanVersion
from webapp.plans.services import Conflict, Field, PlanError

from ..factories import make_user
from .factories import FOLLOW_UPS, FULL_PLAN, make_course, make_plan

# --- values ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", None), (None, None), ("1", Decimal("1.0")), ("4", Decimal("4.0")), ("3,5", Decimal("3.5")),
     (" 2.7 ", Decimal("2.7")), ("1.0", Decimal("1.0"))],
)
def test_goal_attainment_accepts_1_to_4_with_one_decimal(text, expected):
    assert services.parse_attainment(text) == expected


@pytest.mark.parametrize("text", ["0.9", "4.1", "0", "5", "-1", "2.55", "abc", "NaN", "Infinity", "1e1"])
def test_goal_attainment_outside_1_to_4_is_refused_in_danish(text):
    with pytest.raises(PlanError) as error:
        services.parse_attainment(text)
    assert str(error.value) == "Vælg et tal fra 1,0 til 4,0 (højst én decimal)."
    assert error.value.field == "goal_attainment"


@pytest.mark.parametrize(
    ("value", "label"),
    [(Decimal("4.0"), "4,0 I høj grad"), ("1.0", "1,0 I ringe grad"), (2, "2,0 I nogen grad"),
     ("3.4", "3,4 I middel grad"), ("3.5", "3,5 I høj grad"), ("2.5", "2,5 I middel grad"), (None, "")],
)
def test_attainment_label_as_on_the_paper_form(value, label):
    assert services.attainment_label(value) == label


def test_attainment_choices_are_1_0_to_4_0():
    assert services.ATTAINMENT_CHOICES[0] == "1.0"
    assert services.ATTAINMENT_CHOICES[-1] == "4.0"
    assert len(services.ATTAINMENT_CHOICES) == 31


def test_text_is_normalized():
    assert services.normalize_text("  Hej\r\nmed dig\r  ") == "Hej\nmed dig"
    assert services.normalize_text(" \r\n ") is None


def test_cpr_in_full_for_the_journal_only():
    assert services.cpr_in_full("2512489996") == "251248-9996"
    assert services.cpr_in_full(None) == ""
    assert services.cpr_in_full("12345") == ""


@pytest.mark.parametrize(("name", "possessive"), [("Mads", "Mads'"), ("Pia", "Pias"), ("Max", "Max'")])
def test_danish_genitive(name, possessive):
    assert services.genitive(name) == possessive


# --- three-way merge ---------------------------------------------------------------------------

FIELDS = (Field("goal", "Mit mål"), Field("sub_goals", "Mine delmål"), Field("my_effort", "Min indsats"))


def test_merge_takes_each_sides_own_changes():
    base = {"goal": "a", "sub_goals": "b", "my_effort": "c"}
    mine = {"goal": "A (mig)", "sub_goals": "b", "my_effort": "c"}
    theirs = {"goal": "a", "sub_goals": "B (Mads)", "my_effort": "c"}
    merged, conflicts, taken = services.merge(FIELDS, mine, theirs, base)
    assert merged == {"goal": "A (mig)", "sub_goals": "B (Mads)", "my_effort": "c"}
    assert conflicts == []
    assert taken == ["sub_goals"]


def test_merge_reports_a_field_both_changed_differently():
    base = {"goal": "a"}
    merged, conflicts, _ = services.merge(FIELDS, {"goal": "mig"}, {"goal": "Mads"}, base)
    assert conflicts == [Conflict(FIELDS[0], "mig", "Mads")]
    assert merged["goal"] == "mig"


def test_merge_same_change_on_both_sides_is_no_conflict():
    _, conflicts, _ = services.merge(FIELDS, {"goal": "x"}, {"goal": "x"}, {"goal": "a"})
    assert conflicts == []


def test_merge_without_a_known_base_treats_every_difference_as_a_conflict():
    _, conflicts, _ = services.merge(FIELDS, {"goal": "x"}, {"goal": "y", "sub_goals": None}, None)
    assert [c.field.name for c in conflicts] == ["goal"]


def test_resolve_choices():
    typed = {"goal": "mig", "sub_goals": "mine delmål", "my_effort": "min indsats"}
    seen = {"goal": "Mads", "sub_goals": "Mads' delmål", "my_effort": "Mads' indsats"}
    values, missing = services.resolve_choices(
        FIELDS, typed, {"goal": "theirs", "sub_goals": "both", "my_effort": ""}, seen
    )
    assert values == {"goal": "Mads", "sub_goals": "mine delmål\n\nMads' delmål", "my_effort": "min indsats"}
    assert missing == ["my_effort"]


# --- plans and follow-ups ----------------------------------------------------------------------


def test_get_or_create_plan_makes_one_empty_plan_per_course():
    course = make_course()
    user = make_user("ulla")
    first = services.get_or_create_plan(course, user)
    db.session.commit()
    again = services.get_or_create_plan(course, user)
    assert again.id == first.id
    assert first.version == 1
    assert all(getattr(first, name) is None for name in GOAL_FIELDS)
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 1


def test_add_follow_up_inside_the_course():
    course = make_course(start=date(2027, 1, 4))
    user = make_user("ulla")
    plan = services.get_or_create_plan(course, user)
    follow_up = services.add_follow_up(plan, date(2027, 2, 1), user, values={"my_goal": " Styr på økonomien "})
    db.session.commit()
    assert follow_up.id is not None
    assert follow_up.my_goal == "Styr på økonomien"
    assert plan.version == 2
    kept = services.get_version(plan, 2)
    assert kept.data["follow_ups"][0]["my_goal"] == "Styr på økonomien"
    assert kept.saved_by_id == user.id


@pytest.mark.parametrize(
    ("end", "on", "message"),
    [
        (None, date(2027, 1, 3), "Opfølgningen ligger uden for forløbet (4. jan 2027 – 23. maj 2027)."),
        (None, date(2027, 5, 24), "Opfølgningen ligger uden for forløbet (4. jan 2027 – 23. maj 2027)."),
        (date(2027, 3, 1), date(2027, 3, 2), "Opfølgningen ligger uden for forløbet (4. jan 2027 – 1. mar 2027)."),
    ],
)
def test_a_follow_up_outside_the_course_is_refused(end, on, message):
    course = make_course(start=date(2027, 1, 4), end=end)
    plan = services.get_or_create_plan(course, None)
    with pytest.raises(PlanError) as error:
        services.add_follow_up(plan, on, None)
    assert str(error.value) == message
    assert db.session.scalar(select(func.count()).select_from(PlanFollowUp)) == 0


def test_add_follow_up_for_a_meeting_twice_adds_one():
    from webapp.citizens.models import Meeting
    from webapp.timeutil import utcnow

    course = make_course()
    meeting = Meeting(citizen_id=course.citizen_id, course_id=course.id, kind="opfoelgning", starts_at=utcnow())
    db.session.add(meeting)
    db.session.commit()
    plan = services.get_or_create_plan(course, None)
    first = services.add_follow_up(plan, date(2027, 2, 1), None, meeting_id=meeting.id)
    second = services.add_follow_up(plan, date(2027, 2, 1), None, meeting_id=meeting.id)
    db.session.commit()
    assert first.id == second.id
    assert len(plan.follow_ups) == 1
    assert plan.version == 2


def test_later_follow_ups_from_the_second_one_or_week_10():
    course = make_course(start=date(2027, 1, 4))
    plan = services.get_or_create_plan(course, None)
    first = services.add_follow_up(plan, date(2027, 2, 1), None)
    second = services.add_follow_up(plan, date(2027, 3, 1), None)
    assert not services.is_later_follow_up(plan, first)
    assert services.is_later_follow_up(plan, second)
    names = [f.name for f in services.section_fields(plan, services.follow_up_key(second))]
    assert names[-4:] == ["thoughts_after", "in_place", "who_for_me", "next_follow_up"]
    assert "thoughts_after" not in [f.name for f in services.section_fields(plan, services.follow_up_key(first))]

    other = services.get_or_create_plan(make_course(start=date(2027, 1, 4), cpr="0101901235"), None)  # another citizen
    week_10 = services.add_follow_up(other, date(2027, 3, 8), None)  # day 63: week 10
    assert services.is_later_follow_up(other, week_10)


def test_a_first_follow_up_with_later_answers_keeps_showing_them():
    plan = services.get_or_create_plan(make_course(start=date(2027, 1, 4)), None)
    follow_up = services.add_follow_up(plan, date(2027, 2, 1), None, values={"who_for_me": "Min søster"})
    assert services.is_later_follow_up(plan, follow_up)


def test_save_section_bumps_the_version_and_keeps_every_version():
    user = make_user("ulla")
    plan = services.get_or_create_plan(make_course(), user)
    result = services.save_section(plan, "maal", {"goal": "Første mål"}, 1, user)
    assert result.saved and plan.version == 2
    result = services.save_section(plan, "maal", {"goal": "Andet mål"}, 2, user)
    assert result.saved and plan.version == 3
    db.session.commit()
    assert [v.version for v in services.versions(plan)] == [3, 2]
    assert services.get_version(plan, 2).data["goal"] == "Første mål"
    assert services.get_version(plan, 3).data["goal"] == "Andet mål"
    assert services.versions(plan)[0].saved_by == "Ulla Testesen"


def test_saving_nothing_new_makes_no_version():
    user = make_user("ulla")
    plan = services.get_or_create_plan(make_course(), user)
    result = services.save_section(plan, "maal", {"goal": None}, 1, user)
    assert result.unchanged and plan.version == 1
    assert db.session.scalar(select(func.count()).select_from(PlanVersion)) == 0


def test_save_section_does_not_overwrite_another_users_change():
    ulla, mads = make_user("ulla"), make_user("mads")
    plan = services.get_or_create_plan(make_course(), ulla)
    services.save_section(plan, "maal", {"goal": "Mads' mål"}, 1, mads)
    result = services.save_section(plan, "maal", {"goal": "Ullas mål", "sub_goals": "Delmål"}, 1, ulla)
    assert not result.saved
    assert [(c.field.name, c.mine, c.theirs) for c in result.conflicts] == [("goal", "Ullas mål", "Mads' mål")]
    assert plan.goal == "Mads' mål" and plan.sub_goals is None and plan.version == 2
    assert services.conflict_message(plan, 1, ulla).startswith("Mads har gemt en nyere udgave kl. ")
    assert services.conflict_message(plan, 1, mads).startswith("Du har selv gemt en nyere udgave kl. ")


def test_goal_attainment_is_saved_on_the_course():
    user = make_user("ulla")
    course = make_course()
    plan = services.get_or_create_plan(course, user)
    services.save_section(plan, "fremtid", {"goal_attainment": "3.5", "achieved": "Budget"}, 1, user)
    db.session.commit()
    db.session.refresh(course)
    assert course.goal_attainment == Decimal("3.5")
    assert services.get_version(plan, 2).data["goal_attainment"] == "3.5"


# --- drafts -------------------------------------------------------------------------------------


def test_a_draft_is_kept_until_saved_and_one_equal_to_the_plan_is_dropped():
    user = make_user("ulla")
    plan = services.get_or_create_plan(make_course(), user)
    draft = services.save_draft(plan, user, "maal", 1, {"goal": "Halvt skrevet"})
    assert draft is not None
    assert set(services.pending_drafts(plan, user)) == {"maal"}
    services.save_section(plan, "maal", {"goal": "Halvt skrevet"}, 1, user)
    assert services.pending_drafts(plan, user) == {}
    assert services.save_draft(plan, user, "maal", 2, {"goal": "Halvt skrevet"}) is None


def test_drafts_are_per_user():
    ulla, mads = make_user("ulla"), make_user("mads")
    plan = services.get_or_create_plan(make_course(), ulla)
    services.save_draft(plan, ulla, "start", 1, {"reasons": "Ullas kladde"})
    assert services.pending_drafts(plan, mads) == {}
    assert services.get_draft(plan, ulla, "start").data == {"reasons": "Ullas kladde"}


def test_a_blank_new_follow_up_draft_is_not_kept():
    user = make_user("ulla")
    plan = services.get_or_create_plan(make_course(), user)
    assert services.save_draft(plan, user, "ny-opfoelgning", 1, {"follow_up_date": "2027-02-01"}) is None
    assert services.save_draft(plan, user, "ny-opfoelgning", 1, {"follow_up_date": "2027-02-01", "my_goal": "x"})


# --- summaries and documents -----------------------------------------------------------------


def test_plan_summary_for_the_citizen_page():
    course = make_course(start=date(2027, 1, 4), goal_attainment=4)
    assert services.plan_summary(course) is None
    make_plan(course, goal="Styr på økonomien", next_follow_up=date(2027, 1, 25), follow_ups=FOLLOW_UPS[:2])
    summary = services.plan_summary(course)
    assert summary.goal == "Styr på økonomien"
    assert summary.follow_up_dates == (date(2027, 2, 1), date(2027, 3, 1))
    assert summary.next_follow_up == date(2027, 4, 5)
    assert summary.goal_attainment == "4,0 I høj grad"
    assert summary.version == 4


def test_plan_document_follows_bilag_2():
    course = make_course(start=date(2027, 1, 4), end=date(2027, 5, 10), goal_attainment=4)
    plan = make_plan(course, follow_ups=FOLLOW_UPS, **FULL_PLAN)
    sections = services.plan_document(services.snapshot(plan), course)
    assert [s.title for s in sections] == [None, "Mit mål", "Opfølgning", "Opfølgning", "Opfølgning", "Min Fremtid"]
    first, second = sections[2], sections[3]
    assert len(first.rows) == 8 and len(second.rows) == 11
    assert sections[1].rows[0] == services.DocRow("Dato", "11. jan 2027", "date")
    future = {row.label: row.value for row in sections[-1].rows}
    assert future["I hvor høj grad er mit mål nået"] == "4,0 I høj grad"
    assert future["Afslutningsdato"] == "10. maj 2027"


def test_course_chart_is_none_until_outcomes_provides_it(monkeypatch):
    import sys
    import types

    assert services.course_chart(1) is None or hasattr(services.course_chart(1), "__html__")
    fake = types.ModuleType("webapp.outcomes.services")
    fake.course_chart_svg = lambda course_id, width: f'<svg width="{width}" data-course="{course_id}"></svg>'
    monkeypatch.setitem(sys.modules, "webapp.outcomes.services", fake)
    monkeypatch.setattr(services, "find_spec", lambda name: object())
    chart = services.course_chart(7, width=640)
    assert str(chart) == '<svg width="640" data-course="7"></svg>'
    assert hasattr(chart, "__html__")


def test_demo_plans_for_courses_without_one(clock):
    import random

    from webapp.tools.demo import plans as demo

    open_course = make_course(start=date(2026, 12, 7))
    closed = make_course(citizen=open_course.citizen, start=date(2026, 9, 7), end=date(2026, 11, 30))
    summary = demo.load(random.Random(1))
    db.session.commit()
    assert summary["plans"] == 2 and summary["plan follow-ups"] >= 3
    assert services.plan_summary(open_course).goal
    assert services.plan_summary(closed).has_future
    assert demo.load(random.Random(1)) == {"plans": 0, "plan follow-ups": 0}
