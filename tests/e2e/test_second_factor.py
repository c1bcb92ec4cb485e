"""The second factor in Chromium: enrol with the key read off the page and a code computed by
pyotp here, log in again with a fresh code, use a recovery code once and see its reuse refused."""

import time

import pyotp
import pytest

from webapp.extensions import db

from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.e2e


def password_step(page, base, username="vera"):
    page.goto(base + "/login")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()


def log_out(page, base):
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url(base + "/login")


def next_code(secret: str) -> str:
    """The next time step's code (accepted one step ahead): never the step just used."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def read_secret(page) -> str:
    page.locator(".qr-code svg").wait_for()
    assert page.locator(".qr-code svg").is_visible()
    return page.locator("#totp-secret").inner_text().replace(" ", "")


def test_enrol_log_in_with_a_code_and_use_a_recovery_code_once(live_server, page):
    make_user("vera")
    db.session.commit()

    # The setting is off: the password alone, then the user chooses the second factor.
    password_step(page, live_server)
    page.wait_for_url(live_server + "/")
    page.get_by_role("link", name="Totrinsbekræftelse").click()
    page.get_by_role("heading", name="Sæt totrinsbekræftelse op").wait_for()
    secret = read_secret(page)
    page.get_by_label("Kode fra appen").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bekræft og slå til").click()
    page.get_by_role("heading", name="Dine reservekoder").wait_for()
    codes = page.locator(".recovery-code-list code").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    page.get_by_role("link", name="Jeg har gemt koderne – fortsæt").click()
    page.wait_for_url(live_server + "/")
    log_out(page, live_server)

    # A fresh code from the app.
    password_step(page, live_server)
    assert page.url == live_server + "/login/totrin"
    page.get_by_label("Engangskode").fill(next_code(secret))
    page.get_by_role("button", name="Bekræft").click()
    page.wait_for_url(live_server + "/")
    page.get_by_role("button", name="Besøg", exact=True).wait_for()
    log_out(page, live_server)

    # A recovery code, once.
    password_step(page, live_server)
    page.get_by_label("Engangskode").fill(codes[0])
    page.get_by_role("button", name="Bekræft").click()
    page.wait_for_url(live_server + "/")
    page.get_by_text("Du har 9 reservekoder tilbage.").wait_for()
    log_out(page, live_server)

    password_step(page, live_server)
    page.get_by_label("Engangskode").fill(codes[0])
    page.get_by_role("button", name="Bekræft").click()
    page.get_by_text("Reservekoden er allerede brugt. Hver reservekode virker kun én gang.").wait_for()
    assert page.url == live_server + "/login/totrin"
    page.goto(live_server + "/")
    assert page.url.startswith(live_server + "/login")


def test_required_enrolment_comes_right_after_the_password(app, live_server, page, monkeypatch):
    monkeypatch.setitem(app.config, "SECOND_FACTOR_REQUIRED", True)
    make_user("vera")
    db.session.commit()
    password_step(page, live_server)
    assert page.url == live_server + "/login/totrin/opsaet"
    page.get_by_text("Før du kan bruge Din Indgang, skal du sætte totrinsbekræftelse op.").wait_for()
    secret = read_secret(page)
    page.get_by_label("Kode fra appen").fill("123")
    page.get_by_role("button", name="Bekræft og slå til").click()
    page.get_by_text("Koden er forkert eller allerede brugt.").first.wait_for()
    assert read_secret(page) == secret
    page.get_by_label("Kode fra appen").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bekræft og slå til").click()
    page.get_by_role("heading", name="Dine reservekoder").wait_for()
    page.get_by_role("link", name="Jeg har gemt koderne – fortsæt").click()
    page.wait_for_url(live_server + "/")
    page.get_by_role("button", name="Besøg", exact=True).wait_for()
