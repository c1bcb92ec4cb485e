from ..factories import PASSWORD, make_user


def test_sixth_failed_attempt_within_a_minute_gets_a_calm_429(visitor, time_machine):
    time_machine.move_to("2026-11-23 10:00:00+00:00", tick=False)
    make_user("vera")
    visitor.get("/login")
    for _ in range(5):
        response = visitor.post("/login", {"username": "vera", "password": "forkert-igen-1"})
        assert response.status_code == 422
    response = visitor.post("/login", {"username": "vera", "password": PASSWORD})
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert "Vent lidt" in body
    assert "Traceback" not in body
    # A minute later the real user gets in.
    time_machine.move_to("2026-11-23 10:01:05+00:00", tick=False)
    response = visitor.post("/login", {"username": "vera", "password": PASSWORD})
    assert response.status_code == 302


def test_limit_is_per_username_so_colleagues_are_not_locked_out(visitor, time_machine):
    time_machine.move_to("2026-11-23 10:00:00+00:00", tick=False)
    make_user("vera")
    make_user("mads")
    visitor.get("/login")
    for _ in range(6):
        visitor.post("/login", {"username": "vera", "password": "forkert-igen-1"})
    response = visitor.post("/login", {"username": "mads", "password": PASSWORD})
    assert response.status_code == 302


def test_successful_logins_do_not_count(visitor, time_machine):
    time_machine.move_to("2026-11-23 10:00:00+00:00", tick=False)
    make_user("vera")
    for _ in range(7):
        assert visitor.login("vera").status_code == 302
        visitor.logout()
