"""The Min Plan page through real HTTP: sections, optional fields, versions, drafts, conflicts,
follow-ups, goal attainment, access and the audit trail."""

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from webapp.citizens.models import Course
from webapp.extensions import db
from webapp.plans.models import (
    FOLLOW_UP_FIELDS,
    FUTURE_FIELDS,
    GOAL_FIELDS,
    LATER_FOLLOW_UP_FIELDS,
    START_FIELDS,
    Plan,
    PlanDraft,
    PlanFollowUp,
    PlanVersion,
)

from .conftest import HX
from .factories import FOLLOW_UPS, make_course, make_plan


def page_url(course):
    return f"/forloeb/{course.id}/plan"


def section_url(course, section):
    return f"/forloeb/{course.id}/plan/afsnit/{section}"


def fresh():
    """Forget what this test's session has loaded: requests ran in their own sessions."""
    db.session.rollback()
    db.session.expire_all()


def the_plan(course) -> Plan:
    fresh()
    return db.session.scalar(select(Plan).where(Plan.course_id == course.id))


def form_of(html: str, section: str) -> dict:
    """The fields a section's form would post as it stands (textareas, inputs, selected option)."""
    start = html.index(f'id="afsnit-{section}"')
    end = html.find("</details>", start)
    part = html[start:end]
    data = {}
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', part, re.S):
        data[name] = value
    for attrs in re.findall(r"<input([^>]*)>", part):
        name = re.search(r'name="([^"]+)"', attrs)
        value = re.search(r'value="([^"]*)"', attrs)
        if name and 'type="radio"' not in attrs and name.group(1) != "konflikt":
            data[name.group(1)] = value.group(1) if value else ""
    return data


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&#34;")


# --- the page --------------------------------------------------------------------------------------


def test_the_page_has_bilag_2s_sections_and_first_person_labels(staff, course, audit_watch):
    make_plan(course, follow_ups=FOLLOW_UPS[:2])
    audit_watch.start()
    response = staff.get(page_url(course))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    audit_watch.one("plan_viewed", course.citizen_id)
    assert "Min plan" in html and "Nancy Berggren" in html
    for label in [*START_FIELDS.values(), *GOAL_FIELDS.values(), *FOLLOW_UP_FIELDS.values(),
                  *LATER_FOLLOW_UP_FIELDS.values(), *FUTURE_FIELDS.values()]:
        assert escape(label) in html, label
    for heading in ("Mit mål", "Opfølgning", "Ny opfølgning", "Min Fremtid", "I hvor høj grad er mit mål nået",
                    "Næste opfølgning", "Afslutningsdato", "Tidligere udgaver"):
        assert heading in html
    # The first follow-up is not "later"; the second is (as on the paper form).
    first = html[html.index('id="afsnit-opfoelgning-'):]
    first = first[: first.index("</details>")]
    assert "Hvilke tanker har jeg gjort mig" not in first
    assert html.count("Hvilke tanker har jeg gjort mig om tiden efter Din Indgang") == 2  # 2nd + new form
    # Discreet and tablet-friendly: no CPR number, short growing fields, one section open.
    assert "251248" not in html and "9996" not in html
    assert 'rows="2"' in html and 'class="grow"' in html
    assert len(re.findall(r'<details class="plan-section[^"]*" id="[^"]+" open>', html)) == 1


def test_the_page_is_free_of_inline_styles_and_scripts(staff, course):
    make_plan(course, follow_ups=FOLLOW_UPS[:1], goal='<script>alert("x")</script>')
    html = staff.get(page_url(course)).get_data(as_text=True)
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "hx-on" not in html and "js:" not in html
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "css/plans.css" in html


def test_an_unknown_course_or_section_is_404(staff, course):
    assert staff.get("/forloeb/999999/plan").status_code == 404
    assert staff.get(section_url(course, "findes-ikke")).status_code == 404
    assert staff.get(section_url(course, "opfoelgning-999999")).status_code == 404
    assert staff.get(f"/forloeb/{course.id}/plan/udgaver/7").status_code == 404


# --- saving a section --------------------------------------------------------------------------


def test_every_field_is_optional(staff, course, audit_watch):
    html = staff.get(page_url(course)).get_data(as_text=True)
    audit_watch.start()
    for section in ("start", "maal", "fremtid"):
        response = staff.post(section_url(course, section), {"base_version": "1"}, headers=HX)
        assert response.status_code == 200, section
        assert "Der var ingen ændringer at gemme." in response.get_data(as_text=True)
        audit_watch.one("plan_saved", course.citizen_id)
    assert the_plan(course).version == 1
    data = form_of(html, "maal") | {"goal": "Kun mit mål"}
    response = staff.post(section_url(course, "maal"), data, headers=HX)
    assert response.status_code == 200
    plan = the_plan(course)
    assert (plan.goal, plan.sub_goals, plan.goal_date, plan.version) == ("Kun mit mål", None, None, 2)


def test_saving_a_section_keeps_every_version(staff, course, audit_watch):
    staff.get(page_url(course))
    audit_watch.start()
    first = staff.post(section_url(course, "maal"), {"base_version": "1", "goal": "Første mål",
                                                     "goal_date": "2027-01-11"}, headers=HX)
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert "Gemt kl. 10:42." in html
    assert 'id="tidligere-udgaver" data-hx-swap-oob="true"' in html and "Udgave 2" in html
    event = audit_watch.one("plan_saved", course.citizen_id)
    assert event.details == f"forløb={course.id} afsnit=maal udgave=2"
    assert 'name="base_version" value="2"' in html

    second = staff.post(section_url(course, "maal"), {"base_version": "2", "goal": "Andet mål\r\nmed to linjer"},
                        headers=HX)
    assert second.status_code == 200
    plan = the_plan(course)
    assert plan.version == 3 and plan.goal == "Andet mål\nmed to linjer" and plan.goal_date is None
    versions = db.session.scalars(select(PlanVersion).order_by(PlanVersion.version)).all()
    assert [(v.version, v.data["goal"]) for v in versions] == [(2, "Første mål"), (3, "Andet mål\nmed to linjer")]

    page = staff.get(page_url(course)).get_data(as_text=True)
    assert "Tidligere udgaver (2)" in page and "Ulla Hansen" in page
    audit_watch.start()
    old = staff.get(f"/forloeb/{course.id}/plan/udgaver/2")
    assert old.status_code == 200
    old_html = old.get_data(as_text=True)
    assert "Første mål" in old_html and "Andet mål" not in old_html
    assert "Du ser en tidligere udgave" in old_html and "<textarea" not in old_html
    audit_watch.one("plan_version_viewed", course.citizen_id)


def test_saving_without_htmx_redirects_back_to_the_section(staff, course):
    staff.get(page_url(course))
    response = staff.post(section_url(course, "start"), {"base_version": "1", "reasons": "Brevene hober sig op"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/forloeb/{course.id}/plan?aaben=start#afsnit-start")
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "Gemt kl. 10:42." in page
    assert re.search(r'id="afsnit-start" open>', page)


def test_a_save_without_a_base_version_is_refused(staff, course):
    staff.get(page_url(course))
    assert staff.post(section_url(course, "maal"), {"goal": "x"}, headers=HX).status_code == 400
    plan = the_plan(course)  # opening the page made no plan row; the refused save none either
    assert plan is None or plan.goal is None


def test_a_bad_date_is_refused_and_what_was_typed_is_kept(staff, course, audit_watch):
    staff.get(page_url(course))
    audit_watch.start()
    response = staff.post(section_url(course, "maal"),
                          {"base_version": "1", "goal": "Mit vigtige mål", "goal_date": "31-02-2027"}, headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Skriv datoen som dd-mm-åååå, fx 03-02-2027." in html
    assert "Mit vigtige mål</textarea>" in html
    assert the_plan(course).goal is None
    audit_watch.one("plan_save_refused", course.citizen_id)


def test_a_danish_date_is_understood(staff, course):
    staff.get(page_url(course))
    response = staff.post(section_url(course, "maal"), {"base_version": "1", "next_follow_up": "1.3.2027"},
                          headers=HX)
    assert response.status_code == 200
    assert the_plan(course).next_follow_up == date(2027, 3, 1)


def test_too_long_text_is_refused_in_danish(staff, course):
    staff.get(page_url(course))
    response = staff.post(section_url(course, "start"), {"base_version": "1", "reasons": "x" * 5001}, headers=HX)
    assert response.status_code == 422
    assert "Teksten er for lang – højst 5.000 tegn." in response.get_data(as_text=True)


# --- goal attainment (Min Fremtid) ----------------------------------------------------------


def test_goal_attainment_is_shown_and_saved_on_the_course(staff, clock):
    course = make_course(end=date(2027, 1, 29), goal_attainment=4)
    html = staff.get(page_url(course)).get_data(as_text=True)
    assert '<option value="4.0" selected>4,0 I høj grad</option>' in html
    assert "29. jan 2027" in html  # Afslutningsdato, read-only
    assert re.search(r'id="afsnit-fremtid" open>', html)  # a closed course opens Min Fremtid
    response = staff.post(section_url(course, "fremtid"),
                          {"base_version": "1", "goal_attainment": "3.5", "achieved": "Et budget"}, headers=HX)
    assert response.status_code == 200
    fresh()
    assert db.session.get(Course, course.id).goal_attainment == Decimal("3.5")
    assert the_plan(course).achieved == "Et budget"


@pytest.mark.parametrize("value", ["0.9", "4.1", "5", "2.25", "høj"])
def test_goal_attainment_outside_1_to_4_is_refused(staff, value):
    course = make_course(end=date(2027, 1, 29), goal_attainment=2)
    staff.get(page_url(course))
    response = staff.post(section_url(course, "fremtid"),
                          {"base_version": "1", "goal_attainment": value, "achieved": "Skrevet"}, headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Vælg et tal fra 1,0 til 4,0 (højst én decimal)." in html
    assert f'<option value="{value}" selected>' in html  # what was chosen is kept
    assert "Skrevet</textarea>" in html
    fresh()
    assert db.session.get(Course, course.id).goal_attainment == Decimal("2.0")
    assert the_plan(course).achieved is None


# --- follow-ups -------------------------------------------------------------------------------


def test_adding_a_follow_up(staff, course, audit_watch):
    staff.get(page_url(course))
    audit_watch.start()
    response = staff.post(f"/forloeb/{course.id}/plan/opfoelgning",
                          {"follow_up_date": "2027-02-01", "my_goal": "Styr på økonomien"}, headers=HX)
    assert response.status_code == 204
    fresh()
    follow_up = db.session.scalars(select(PlanFollowUp)).one()
    assert (follow_up.follow_up_date, follow_up.my_goal) == (date(2027, 2, 1), "Styr på økonomien")
    key = f"opfoelgning-{follow_up.id}"
    assert response.headers["HX-Redirect"] == f"/forloeb/{course.id}/plan?aaben={key}#afsnit-{key}"
    audit_watch.one("plan_follow_up_added", course.citizen_id)
    html = staff.get(response.headers["HX-Redirect"]).get_data(as_text=True)
    assert "Opfølgningen 1. feb 2027 er tilføjet." in html
    assert re.search(rf'id="afsnit-{key}" open>', html)
    assert "1. feb 2027 · uge 5 af højst 20" in html
    assert the_plan(course).version == 2


@pytest.mark.parametrize(
    ("typed_date", "message"),
    [
        ("2026-12-01", "Opfølgningen ligger uden for forløbet (4. jan 2027 – 23. maj 2027)."),
        ("2027-06-01", "Opfølgningen ligger uden for forløbet (4. jan 2027 – 23. maj 2027)."),
        ("", "Skriv datoen for opfølgningen."),
        ("i morgen", "Skriv datoen som dd-mm-åååå, fx 03-02-2027."),
    ],
)
def test_a_follow_up_outside_the_course_is_refused_and_the_text_kept(staff, course, audit_watch, typed_date, message):
    staff.get(page_url(course))
    audit_watch.start()
    response = staff.post(f"/forloeb/{course.id}/plan/opfoelgning",
                          {"follow_up_date": typed_date, "how_worked": "Det gik fint med æøå"}, headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert "Det gik fint med æøå</textarea>" in html
    assert f'name="follow_up_date" value="{typed_date}"' in html
    assert db.session.scalar(select(func.count()).select_from(PlanFollowUp)) == 0
    audit_watch.one("plan_save_refused", course.citizen_id)


def test_moving_a_follow_up_outside_the_course_is_refused(staff, course):
    plan = make_plan(course, follow_ups=FOLLOW_UPS[:1])
    key = f"opfoelgning-{plan.follow_ups[0].id}"
    staff.get(page_url(course))
    response = staff.post(section_url(course, key), {"base_version": str(plan.version), "follow_up_date": "2026-12-24",
                                                     "my_goal": "Nyt"}, headers=HX)
    assert response.status_code == 422
    assert "Opfølgningen ligger uden for forløbet" in response.get_data(as_text=True)
    assert the_plan(course).follow_ups[0].follow_up_date == date(2027, 2, 1)


def test_a_follow_up_is_saved_like_any_section(staff, course):
    plan = make_plan(course, follow_ups=FOLLOW_UPS[:2])
    second = sorted(plan.follow_ups, key=lambda fu: fu.follow_up_date)[1]
    html = staff.get(page_url(course)).get_data(as_text=True)
    data = form_of(html, f"opfoelgning-{second.id}") | {"who_for_me": "Min søster Åse"}
    response = staff.post(section_url(course, f"opfoelgning-{second.id}"), data, headers=HX)
    assert response.status_code == 200
    fresh()
    saved = db.session.get(PlanFollowUp, second.id)
    assert saved.who_for_me == "Min søster Åse"
    assert saved.how_worked == FOLLOW_UPS[1]["how_worked"]  # the rest stays as it was


# --- drafts -------------------------------------------------------------------------------------


def test_typing_is_autosaved_as_a_draft_and_offered_after_a_reload(staff, course, audit_watch):
    html = staff.get(page_url(course)).get_data(as_text=True)
    assert 'data-hx-trigger="input changed delay:1500ms from:closest form"' in html
    assert f'data-hx-post="/forloeb/{course.id}/plan/afsnit/maal/kladde"' in html
    audit_watch.start()
    response = staff.post(section_url(course, "maal") + "/kladde",
                          form_of(html, "maal") | {"goal": "Halvt skrevet mål"}, headers=HX)
    assert response.status_code == 200
    assert "Kladde gemt kl. 10:42" in response.get_data(as_text=True)
    audit_watch.one("plan_draft_saved", course.citizen_id)
    assert the_plan(course).goal is None  # a draft is not the plan

    page = staff.get(page_url(course)).get_data(as_text=True)
    assert "Du har ikke-gemte ændringer fra kl. 10:42." in page
    assert "Fortsæt" in page and "Kassér" in page and "Ikke-gemte ændringer" in page
    assert "Halvt skrevet mål" not in page  # offered, not forced

    audit_watch.start()
    resumed = staff.get(section_url(course, "maal") + "?kladde=1", headers=HX)
    assert resumed.status_code == 200
    resumed_html = resumed.get_data(as_text=True)
    assert "Halvt skrevet mål</textarea>" in resumed_html
    assert resumed_html.lstrip().startswith("<details")  # the fragment only
    audit_watch.one("plan_viewed", course.citizen_id)

    saved = staff.post(section_url(course, "maal"), form_of(resumed_html, "maal"), headers=HX)
    assert saved.status_code == 200
    assert the_plan(course).goal == "Halvt skrevet mål"
    assert db.session.scalar(select(func.count()).select_from(PlanDraft)) == 0
    assert "Du har ikke-gemte ændringer" not in staff.get(page_url(course)).get_data(as_text=True)


def test_a_draft_can_be_discarded(staff, course, audit_watch):
    staff.get(page_url(course))
    staff.post(section_url(course, "start") + "/kladde", {"base_version": "1", "reasons": "Kladde"}, headers=HX)
    audit_watch.start()
    response = staff.post(section_url(course, "start") + "/kladde/kasser", headers=HX)
    assert response.status_code == 200
    assert "Dine ikke-gemte ændringer er kasseret." in response.get_data(as_text=True)
    audit_watch.one("plan_draft_discarded", course.citizen_id)
    fresh()
    assert db.session.scalar(select(func.count()).select_from(PlanDraft)) == 0


def test_drafts_belong_to_the_one_who_typed(staff, mads, course):
    staff.get(page_url(course))
    staff.post(section_url(course, "start") + "/kladde", {"base_version": "1", "reasons": "Ullas kladde"}, headers=HX)
    assert "ikke-gemte ændringer" not in mads.get(page_url(course)).get_data(as_text=True)


def test_a_draft_of_a_new_follow_up_is_offered_too(staff, course):
    staff.get(page_url(course))
    staff.post(section_url(course, "ny-opfoelgning") + "/kladde",
               {"base_version": "1", "follow_up_date": "2027-02-01", "my_goal": "Skrives stadig"}, headers=HX)
    page = staff.get(page_url(course)).get_data(as_text=True)
    new = page[page.index('id="afsnit-ny-opfoelgning"'):]
    assert "Du har ikke-gemte ændringer" in new[: new.index("</details>")]
    resumed = staff.get(section_url(course, "ny-opfoelgning") + "?kladde=1", headers=HX).get_data(as_text=True)
    assert "Skrives stadig</textarea>" in resumed


# --- two people, one section ----------------------------------------------------------------


def test_a_conflicting_save_shows_both_texts_and_overwrites_nothing(staff, mads, course, audit_watch):
    base = make_plan(course, goal="Styr på økonomien").version
    ulla_page = staff.get(page_url(course)).get_data(as_text=True)
    mads_page = mads.get(page_url(course)).get_data(as_text=True)

    mads_saved = mads.post(section_url(course, "maal"),
                           form_of(mads_page, "maal") | {"goal": "Mads: styr på breve og økonomi"}, headers=HX)
    assert mads_saved.status_code == 200
    audit_watch.start()
    ulla_form = form_of(ulla_page, "maal") | {"goal": "Ulla: styr på økonomien og søvnen", "my_effort": "Møde op"}
    assert ulla_form["base_version"] == str(base)
    conflict = staff.post(section_url(course, "maal"), ulla_form, headers=HX)

    assert conflict.status_code == 422
    html = conflict.get_data(as_text=True)
    assert "Mads har gemt en nyere udgave kl. 10:42." in html
    assert "Ulla: styr på økonomien og søvnen</textarea>" in html  # her own text, editable
    assert "Mads: styr på breve og økonomi</p>" in html  # his, side by side
    assert "Din tekst" in html and "Mads&#39; tekst" in html
    assert 'name="konflikt" value="goal"' in html
    assert html.count('name="konflikt"') == 1  # only the field both changed
    assert "Møde op</textarea>" in html  # her other typing is still there
    audit_watch.one("plan_save_conflict", course.citizen_id)
    now = the_plan(course)
    assert now.goal == "Mads: styr på breve og økonomi" and now.my_effort is None and now.version == base + 1
    draft = db.session.scalars(select(PlanDraft)).one()  # and her typing is kept as a draft
    assert draft.data["goal"] == "Ulla: styr på økonomien og søvnen"

    # Not choosing is refused, and the conflict screen stays.
    resolve = form_of(html, "maal")
    assert resolve["base_version"] == str(base + 1)
    unchosen = staff.post(section_url(course, "maal"), resolve | {"konflikt": "goal"}, headers=HX)
    assert unchosen.status_code == 422
    unchosen_html = unchosen.get_data(as_text=True)
    assert "Vælg, hvilken tekst der skal stå i planen." in unchosen_html
    assert "Mads: styr på breve og økonomi</p>" in unchosen_html
    assert the_plan(course).version == base + 1

    # She keeps both texts.
    resolved = staff.post(section_url(course, "maal"), resolve | {"konflikt": "goal", "valg_goal": "both"}, headers=HX)
    assert resolved.status_code == 200
    now = the_plan(course)
    assert now.goal == "Ulla: styr på økonomien og søvnen\n\nMads: styr på breve og økonomi"
    assert now.my_effort == "Møde op"
    assert now.version == base + 2
    assert db.session.scalar(select(func.count()).select_from(PlanDraft)) == 0
    kept = db.session.scalars(select(PlanVersion.data).order_by(PlanVersion.version)).all()
    assert [d["goal"] for d in kept][-2] == "Mads: styr på breve og økonomi"  # his version is kept too


@pytest.mark.parametrize(("choice", "expected"), [("mine", "Ullas mål"), ("theirs", "Mads' mål")])
def test_a_conflict_can_be_resolved_either_way(staff, mads, course, choice, expected):
    staff_page = staff.get(page_url(course)).get_data(as_text=True)
    mads_page = mads.get(page_url(course)).get_data(as_text=True)
    mads.post(section_url(course, "maal"), form_of(mads_page, "maal") | {"goal": "Mads' mål"}, headers=HX)
    html = staff.post(section_url(course, "maal"), form_of(staff_page, "maal") | {"goal": "Ullas mål"},
                      headers=HX).get_data(as_text=True)
    response = staff.post(section_url(course, "maal"),
                          form_of(html, "maal") | {"konflikt": "goal", "valg_goal": choice}, headers=HX)
    assert response.status_code == 200
    assert the_plan(course).goal == expected


def test_changes_to_different_fields_are_merged_without_asking(staff, mads, course):
    staff_page = staff.get(page_url(course)).get_data(as_text=True)
    mads_page = mads.get(page_url(course)).get_data(as_text=True)
    mads.post(section_url(course, "maal"), form_of(mads_page, "maal") | {"sub_goals": "Mads' delmål"}, headers=HX)
    response = staff.post(section_url(course, "maal"), form_of(staff_page, "maal") | {"goal": "Ullas mål"}, headers=HX)
    assert response.status_code == 200
    assert "Andres nyere ændringer i afsnittet er taget med." in response.get_data(as_text=True)
    plan = the_plan(course)
    assert (plan.goal, plan.sub_goals, plan.version) == ("Ullas mål", "Mads' delmål", 3)


def test_a_save_in_another_section_is_no_conflict(staff, mads, course):
    staff_page = staff.get(page_url(course)).get_data(as_text=True)
    mads_page = mads.get(page_url(course)).get_data(as_text=True)
    mads.post(section_url(course, "start"), form_of(mads_page, "start") | {"reasons": "Mads skrev"}, headers=HX)
    response = staff.post(section_url(course, "maal"), form_of(staff_page, "maal") | {"goal": "Ullas mål"}, headers=HX)
    assert response.status_code == 200
    assert "taget med" not in response.get_data(as_text=True)
    plan = the_plan(course)
    assert (plan.reasons, plan.goal) == ("Mads skrev", "Ullas mål")


# --- who may see a plan -----------------------------------------------------------------------

ROLES = ["staff", "peer", "skp", "volunteer_coordinator", "leader", "authority", "secretariat", "admin"]
ALLOWED = {"staff", "peer", "skp", "leader"}  # the coordinator: need to know (#12)


def _requests(course, plan):
    return [
        ("GET", page_url(course), {}, 200),
        ("GET", section_url(course, "maal"), {}, 200),
        ("GET", f"/forloeb/{course.id}/plan/udgaver/2", {}, 200),
        ("GET", f"/forloeb/{course.id}/plan.pdf?udgave=borger", {}, 200),
        ("GET", f"/forloeb/{course.id}/afslutning.pdf", {}, 200),
        ("POST", section_url(course, "maal"), {"base_version": str(plan.version), "goal": "Nyt mål"}, 200),
        ("POST", section_url(course, "start") + "/kladde", {"base_version": "1", "reasons": "Kladde"}, 200),
        ("POST", section_url(course, "start") + "/kladde/kasser", {}, 200),
        ("POST", f"/forloeb/{course.id}/plan/opfoelgning", {"follow_up_date": "2027-02-01"}, 204),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(login, clock, role):
    course = make_course()
    plan = make_plan(course, goal="Mål")
    visitor = login(role)
    if role in ALLOWED:
        visitor.get(page_url(course))
    for method, url, data, ok in _requests(course, plan):
        response = visitor.client.get(url, headers=HX) if method == "GET" else visitor.post(url, data, headers=HX)
        expected = ok if role in ALLOWED else 403
        assert response.status_code == expected, (role, method, url)
    if role not in ALLOWED:
        assert the_plan(course).goal == "Mål"


@pytest.mark.parametrize("role", ROLES)
def test_journal_copy_with_the_full_cpr_number_is_for_staff_and_leader_only(login, clock, role):
    """Need to know: the journal copy carries the CPR number in full."""
    course = make_course()
    make_plan(course, goal="Mål")
    visitor = login(role)
    response = visitor.client.get(f"/forloeb/{course.id}/plan-journal.pdf")
    assert response.status_code == (200 if role in {"staff", "leader"} else 403)
    page = visitor.client.get(page_url(course)).get_data(as_text=True)
    assert ("plan-journal.pdf" in page) == (role in {"staff", "leader"})
