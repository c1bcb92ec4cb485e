"""The municipality's licensed wording (upload, validation, use) and who may do what."""

import io
import json
from datetime import timedelta

import pytest

from webapp.outcomes.scales import ORS, definition_to_dict

from ..factories import make_citizen
from .factories import TODAY, at_local, enrol, make_course, make_meeting, make_run, make_score, run_meetings

pytestmark = pytest.mark.usefixtures("clock")


def licensed_ors() -> dict:
    data = definition_to_dict(ORS)
    data["items"][0]["label"] = "Mig selv"
    data["items"][0]["low_anchor"] = "Meget dårligt (licenseret)"
    data["source_note"] = "Licenseret dansk ordlyd, Kommunen 2026."
    return data


def upload(visitor, data, filename="ors.json"):
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return visitor.post("/fit/skalaer", {"file": (io.BytesIO(body), filename)}, content_type="multipart/form-data")


def test_an_administrator_loads_the_licensed_wording_and_it_is_used_everywhere(login):
    admin = login("admin")
    assert admin.get("/fit/skalaer").status_code == 200
    response = upload(admin, licensed_ors())
    assert response.status_code == 302
    page = admin.get("/fit/skalaer").get_data(as_text=True)
    assert "Kommunens ordlyd, indlæst" in page and "Mig selv" in page
    downloaded = json.loads(admin.get("/fit/skalaer/ors.json").get_data())
    assert downloaded["items"][0]["low_anchor"] == "Meget dårligt (licenseret)"

    staff = login("staff", username="mads")
    anna = make_citizen("Anna")
    meeting = make_meeting(anna, make_course(anna, TODAY - timedelta(weeks=2)), when=at_local(TODAY))
    make_score(anna, meeting=meeting)
    rating = staff.get(f"/fit/borger/{anna.id}/samtale/{meeting.id}/ors").get_data(as_text=True)
    assert '<label class="fit-label" for="fit-individual">Mig selv</label>' in rating
    assert "0 · Meget dårligt (licenseret)" in rating
    items = staff.get(f"/fit/borger/{anna.id}/punkter?skala=ORS").get_data(as_text=True)
    assert "Mig selv" in items

    assert admin.post("/fit/skalaer/ors/standard").status_code == 302
    rating = staff.get(f"/fit/borger/{anna.id}/samtale/{meeting.id}/ors").get_data(as_text=True)
    assert ">Individuelt</label>" in rating


@pytest.mark.parametrize("change, message", [
    (lambda d: d["items"].pop(), "ORS skal have 4 punkter"),
    (lambda d: d.update(max=100), "skalaens interval kan ikke ændres"),
    (lambda d: d["items"][1].update(key="family"), "er ikke et punkt i ORS"),
    (lambda d: d.update(code="PHQ9"), "Ukendt skala"),
])
def test_a_faulty_file_is_refused_with_every_problem_in_danish(login, change, message):
    admin = login("admin")
    data = licensed_ors()
    change(data)
    response = upload(admin, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert "Neutral standard" in response.get_data(as_text=True)


def test_not_json_and_no_file(login):
    admin = login("admin")
    assert "ikke gyldig JSON" in upload(admin, b"{nope").get_data(as_text=True)
    response = admin.post("/fit/skalaer", {}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Vælg en JSON-fil" in response.get_data(as_text=True)


ALL = ["staff", "peer", "skp", "volunteer_coordinator", "leader", "authority", "secretariat", "admin"]
STAFF_LIKE = {"staff", "peer", "skp", "leader"}  # the coordinator: need to know (#12)


@pytest.fixture
def world():
    anna = make_citizen("Anna", "Andersen")
    anna.disability_category = "ADHD"
    course = make_course(anna, TODAY - timedelta(weeks=3))
    meeting = make_meeting(anna, course, when=at_local(TODAY))
    make_score(anna, meeting=meeting, items=(4, 5, 6, 7))
    run = make_run(start=TODAY - timedelta(days=8))
    enrol(run, anna)
    from webapp.extensions import db

    db.session.commit()
    return {"anna": anna, "course": course, "meeting": meeting, "run": run, "group_meeting": run_meetings(run)[0]}


def pages(w):
    anna, course, meeting, run, gm = w["anna"], w["course"], w["meeting"], w["run"], w["group_meeting"]
    return {
        f"/fit/borger/{anna.id}": STAFF_LIKE,
        f"/fit/borger/{anna.id}/samtale/{meeting.id}/ors": STAFF_LIKE,
        f"/fit/borger/{anna.id}/papir": STAFF_LIKE,
        f"/fit/borger/{anna.id}/punkter?skala=ORS": STAFF_LIKE,
        f"/fit/forloeb/{course.id}/graf.svg": STAFF_LIKE,
        f"/forloeb/{course.id}/coaching": STAFF_LIKE,
        "/fit/skalaer": {"admin"},
        "/grupper": STAFF_LIKE,
        f"/grupper/hold/{run.id}": STAFF_LIKE,
        f"/grupper/moede/{gm.id}": STAFF_LIKE,
        f"/grupper/tema/{run.theme_id}/nyt-hold": STAFF_LIKE,
        "/grupper/aktuelle": set(ALL),
    }


@pytest.mark.parametrize("role", ALL)
def test_access_matrix_and_the_disability_category_never_shows(login, world, role):
    visitor = login(role)
    for path, allowed in pages(world).items():
        response = visitor.get(path)
        assert response.status_code == (200 if role in allowed else 403), (role, path)
        assert "ADHD" not in response.get_data(as_text=True), path


@pytest.mark.parametrize("role", ["authority", "secretariat", "admin"])
def test_authority_and_secretariat_may_not_enter_scores(login, world, role):
    visitor = login(role)
    anna, meeting = world["anna"], world["meeting"]
    data = {"individual": "5", "interpersonal": "5", "social": "5", "overall": "5", "period": "i_dag"}
    assert visitor.post(f"/fit/borger/{anna.id}/samtale/{meeting.id}/ors", data).status_code == 403
    assert visitor.post(f"/fit/borger/{anna.id}/papir?skala=ORS",
                        {**data, "session": f"samtale:{meeting.id}"}).status_code == 403
    assert visitor.post(f"/grupper/moede/{world['group_meeting'].id}/fremmoede",
                        {"citizen_id": str(anna.id), "status": "moedt"}).status_code == 403


def test_only_administrators_load_wording(login):
    for role in ("staff", "leader", "secretariat"):
        assert upload(login(role), licensed_ors()).status_code == 403


def test_unknown_scale_or_session_kind_is_404(login, world):
    staff = login("staff")
    anna, meeting = world["anna"], world["meeting"]
    assert staff.get(f"/fit/borger/{anna.id}/samtale/{meeting.id}/phq").status_code == 404
    assert staff.get(f"/fit/borger/{anna.id}/moede/{meeting.id}/ors").status_code == 404
    assert staff.get(f"/fit/borger/{anna.id}/samtale/999999/ors").status_code == 404
    assert staff.get("/fit/borger/999999").status_code == 404
    assert staff.get("/fit/skalaer/xyz.json").status_code == 403  # not even a 404 for non-admins


@pytest.mark.parametrize("path", ["/fit/borger/99999999999999999999", "/grupper/hold/99999999999999999999",
                                  "/fit/borger/{anna}?forloeb=99999999999999999999",
                                  "/fit/forloeb/{course}/graf.svg?bredde=²"])
def test_oversized_or_odd_numbers_are_a_calm_answer_never_a_500(login, world, path):
    staff = login("staff")
    response = staff.get(path.format(anna=world["anna"].id, course=world["course"].id))
    assert response.status_code in (200, 404)
    html_or_svg = response.get_data(as_text=True)
    assert "Traceback" not in html_or_svg


def test_coaching_outside_an_open_course_twenty_weeks(login, world):
    staff = login("staff", username="mads")
    from sqlalchemy import select

    from webapp.auth.models import User
    from webapp.extensions import db

    mads = db.session.scalar(select(User.id).where(User.username == "mads"))
    far = (world["course"].start_date + timedelta(days=140)).isoformat()
    response = staff.post(f"/forloeb/{world['course'].id}/coaching",
                          {"day": far, "at": "10:00", "minutes": "60", "staff1": str(mads)},
                          headers={"HX-Request": "true"})
    assert response.status_code == 422 and "uden for forløbet" in response.get_data(as_text=True)
