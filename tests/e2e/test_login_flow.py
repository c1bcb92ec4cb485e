import pytest

from webapp.demo import load_demo_users
from webapp.extensions import db

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
