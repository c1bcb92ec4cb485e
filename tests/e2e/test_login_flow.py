import pytest

from webapp.extensions import db
from webapp.tools.demo import load_demo_users

pytestmark = pytest.mark.e2e


def test_host_logs_in_sees_the_welcome_page_and_logs_out(live_server, page):
    load_demo_users()
    db.session.commit()

    page.goto(live_server + "/")
    assert page.url.startswith(live_server + "/login")
    page.get_by_label("Brugernavn").fill("vaert")
    page.get_by_label("Adgangskode").fill("dinindgang")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(live_server + "/")
    page.get_by_role("button", name="Besøg", exact=True).wait_for()
    assert page.locator("html").get_attribute("lang") == "da"

    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url(live_server + "/login")
    page.get_by_text("Du er logget ud.").wait_for()
    page.goto(live_server + "/")
    assert page.url.startswith(live_server + "/login")


def test_wrong_password_shows_a_danish_message(live_server, page):
    load_demo_users()
    db.session.commit()
    page.goto(live_server + "/login")
    page.get_by_label("Brugernavn").fill("vaert")
    page.get_by_label("Adgangskode").fill("forkert-kodeord")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_text("Forkert brugernavn eller adgangskode.").wait_for()
    assert page.get_by_label("Brugernavn").input_value() == "vaert"


@pytest.mark.parametrize("username, width", [("vaert", 1024), ("medarbejder", 1024), ("leder", 1280), ("frivillig", 1024)])
def test_the_main_navigation_is_one_line(live_server, page, username, width):
    """The host's tablet (1024 px) and a leader's laptop (1280 px): every entry on one line, the
    unit's name still there for screen readers."""
    from .helpers import log_in

    load_demo_users()
    db.session.commit()
    page.set_viewport_size({"width": width, "height": 768})
    log_in(page, live_server, username, "dinindgang")
    tops = page.evaluate("[...document.querySelectorAll('.mainnav li')].map(li => li.getBoundingClientRect().top)")
    assert len(tops) >= (4 if username == "frivillig" else 7) and len(set(tops)) == 1, tops  # hers: 4 entries
    assert page.get_by_role("link", name="Din Indgang").is_visible()
