"""Login throttling: repeated failures slow one username down; nobody is locked out."""

from datetime import timedelta

from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.auth.throttle import delay_after, wait_message
from webapp.extensions import db

from ..conftest import Visitor
from ..factories import PASSWORD, make_user

START = "2026-11-23 10:00:00+00:00"


def attempt(visitor, username, password, addr="127.0.0.1"):
    return visitor.post(
        "/login", {"username": username, "password": password}, environ_base={"REMOTE_ADDR": addr}
    )


def test_delay_grows_from_the_fifth_failure_and_is_capped():
    delays = [delay_after(n, free=5, max_seconds=300).total_seconds() for n in range(1, 12)]
    assert delays == [0, 0, 0, 0, 15, 30, 60, 120, 240, 300, 300]
    assert delay_after(10_000, free=5, max_seconds=300) == timedelta(seconds=300)


def test_wait_message_is_danish():
    assert wait_message(15).endswith("Vent 15 sekunder og prøv igen.")
    assert "Vent 1 sekund og" in wait_message(1)
    assert "Vent 5 minutter og" in wait_message(300)


def test_repeated_wrong_passwords_are_slowed_down(visitor, time_machine):
    time_machine.move_to(START, tick=False)
    make_user("vera")
    visitor.get("/login")
    for _ in range(5):
        assert attempt(visitor, "vera", "forkert-igen-1").status_code == 422
    # Inside the delay even the right password is not looked at: a calm wait, typed name kept.
    response = attempt(visitor, "vera", PASSWORD)
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert "Vent 15 sekunder og prøv igen." in body
    assert 'value="vera"' in body and "Traceback" not in body
    assert visitor.get("/").status_code == 302  # not logged in
    # After the delay a wrong password is checked again, and the next delay is longer.
    time_machine.shift(16)
    assert attempt(visitor, "vera", "forkert-igen-2").status_code == 422
    assert "Vent 30 sekunder" in attempt(visitor, "vera", "forkert-igen-3").get_data(as_text=True)
    time_machine.shift(31)
    assert attempt(visitor, "vera", PASSWORD).status_code == 302
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("login_throttled") == 2 and actions[-1] == "login"


def test_right_password_still_logs_in_after_many_wrong_ones_from_another_address(app, time_machine):
    time_machine.move_to(START, tick=False)
    make_user("vera")
    attacker = Visitor(app.test_client())
    attacker.get("/login")
    for _ in range(14):  # paced past every delay, so each failure counts: the delay reaches its cap
        attempt(attacker, "vera", "gaet-en-kode-1", addr="10.0.0.66")
        time_machine.shift(301)
    assert attempt(attacker, "vera", "gaet-en-kode-2", addr="10.0.0.66").status_code == 422
    vera = Visitor(app.test_client())
    vera.get("/login")
    response = attempt(vera, "vera", PASSWORD, addr="10.0.0.5")
    assert response.status_code == 429
    assert "Vent 5 minutter" in response.get_data(as_text=True)
    time_machine.shift(300)
    assert attempt(vera, "vera", PASSWORD, addr="10.0.0.5").status_code == 302


def test_many_failures_from_one_address_do_not_lock_out_a_colleague(visitor, time_machine):
    """Behind the reverse proxy the whole house shares one address."""
    time_machine.move_to(START, tick=False)
    make_user("mads")
    visitor.get("/login")
    for i in range(35):
        assert attempt(visitor, f"kollega{i % 12}", "forkert-igen-1").status_code in (422, 429)
    assert attempt(visitor, "mads", PASSWORD).status_code == 302


def test_one_persons_failures_do_not_slow_a_colleague(visitor, time_machine):
    time_machine.move_to(START, tick=False)
    make_user("vera")
    make_user("mads")
    visitor.get("/login")
    for _ in range(6):
        attempt(visitor, "vera", "forkert-igen-1")
    assert attempt(visitor, "mads", PASSWORD).status_code == 302


def test_a_success_starts_the_count_afresh(visitor, time_machine):
    time_machine.move_to(START, tick=False)
    make_user("vera")
    visitor.get("/login")
    for _ in range(4):
        attempt(visitor, "vera", "forkert-igen-1")
    assert visitor.login("vera", PASSWORD).status_code == 302
    visitor.logout()
    visitor.get("/login")
    for _ in range(4):
        assert attempt(visitor, "vera", "forkert-igen-1").status_code == 422
    assert visitor.login("vera", PASSWORD).status_code == 302


def test_successful_logins_do_not_count(visitor, time_machine):
    time_machine.move_to(START, tick=False)
    make_user("vera")
    for _ in range(12):
        assert visitor.login("vera", PASSWORD).status_code == 302
        visitor.logout()


def test_the_limiter_still_caps_one_address_hammering_one_username(visitor, time_machine):
    time_machine.move_to(START, tick=False)
    visitor.get("/login")
    codes = [attempt(visitor, "ingen", "forkert-igen-1").status_code for _ in range(11)]
    assert codes[:5] == [422] * 5 and set(codes[5:10]) == {429}
    assert "Vent lidt" in attempt(visitor, "ingen", "x" * 9).get_data(as_text=True)
