"""The lists behind the figures as pages: who may see which, the audit rows, the links."""

import pytest
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.extensions import db

from ..factories import refresh
from .fixtures import disability_people

PERIOD = "periode=valgt&fra=2017-01-01&til=2017-03-31"


@pytest.fixture
def people(app):
    return disability_people()


@pytest.mark.parametrize("role", ["staff", "leader", "secretariat"])
def test_the_list_behind_persons_in_course_names_them_and_logs_each(login, people, role):
    visitor = login(role, username=f"u-{role}")
    response = visitor.get(f"/noegletal/liste/i-forloeb?{PERIOD}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "I alt: <strong>4</strong>" in html
    for name in ("Hans Handi", "Ida Handi", "Jens Handi", "Karen Handi"):
        assert name in html
    assert "Lars Handi" not in html
    # a name links to the citizen's page only for the roles that may open it
    link = f'href="/borgere/{people["hans"].id}"'
    assert (link in html) == (role != "secretariat")
    refresh()
    logged = db.session.scalars(select(AuditEvent.citizen_id).where(
        AuditEvent.action == "key_figure_list_viewed", AuditEvent.username == f"u-{role}")).all()
    assert sorted(logged) == sorted(p.id for p in people.values())


def test_the_page_links_each_figure_to_its_list(login, people):
    html = login("staff").get(f"/noegletal?{PERIOD}").get_data(as_text=True)
    assert f'href="/noegletal/liste/i-forloeb?{PERIOD.replace("&", "&amp;")}"' in html
    assert 'href="/noegletal/liste/stop-p?' in html
    assert "/noegletal/liste/handicap" not in html  # staff do not see the disability counts at all
    assert "handicapkategori" not in html.lower()


def test_the_disability_counts_and_lists_are_the_leaders_and_the_secretariats(login, people):
    for role in ("leader", "secretariat"):
        visitor = login(role)
        html = visitor.get(f"/noegletal?{PERIOD}").get_data(as_text=True)
        assert "Borgere i forløb fordelt på handicapkategori" in html
        assert 'href="/noegletal/liste/handicap-1?' in html  # ADHD
        listed = visitor.get(f"/noegletal/liste/handicap-1?{PERIOD}")
        assert listed.status_code == 200
        assert "Hans Handi" in listed.get_data(as_text=True) and "Jens Handi" not in listed.get_data(as_text=True)
    staff = login("staff")
    assert staff.get(f"/noegletal/liste/handicap-1?{PERIOD}").status_code == 403
    assert staff.get(f"/noegletal/liste/handicap-ikke-angivet?{PERIOD}").status_code == 403


@pytest.mark.parametrize("role", ["peer", "skp", "volunteer_coordinator", "authority", "admin"])
def test_other_roles_get_no_list(login, people, role):
    assert login(role).get(f"/noegletal/liste/i-forloeb?{PERIOD}").status_code == 403


def test_an_unknown_list_is_not_found_and_a_bad_period_is_refused_in_danish(login, people):
    visitor = login("leader")
    assert visitor.get(f"/noegletal/liste/ukendt?{PERIOD}").status_code == 404
    response = visitor.get("/noegletal/liste/i-forloeb?periode=valgt&fra=2017-03-01&til=2017-01-01")
    assert response.status_code == 422
    assert "Slutdatoen ligger før startdatoen" in response.get_data(as_text=True)


def test_a_row_without_anyone_has_no_link(login, app):
    html = login("leader").get(f"/noegletal?{PERIOD}").get_data(as_text=True)
    assert "/noegletal/liste/" not in html
