from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.auth.models import LoginSession
from webapp.extensions import db

from ..factories import PASSWORD, make_user


def audit_actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_login_success_lands_on_welcome_page_and_is_audited(visitor):
    user = make_user("vera")
    response = visitor.login("vera")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = visitor.get("/")
    assert page.status_code == 200
    assert ">Besøg</button>" in page.get_data(as_text=True)
    events = db.session.scalars(select(AuditEvent)).all()
    assert [(e.action, e.user_id) for e in events] == [("login", user.id)]
    assert events[0].remote_addr == "127.0.0.1"


def test_login_failure_is_refused_in_danish_and_audited(visitor):
    make_user("vera")
    response = visitor.login("vera", "forkert-kode-123")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Forkert brugernavn eller adgangskode." in body
    assert 'value="vera"' in body  # what the user typed is kept
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.action, event.username) == ("login_failed", "vera")
    assert visitor.get("/").status_code == 302


def test_unknown_username_fails_like_a_wrong_password(visitor):
    response = visitor.login("ingen", PASSWORD)
    assert response.status_code == 422
    assert "Forkert brugernavn eller adgangskode." in response.get_data(as_text=True)
    assert audit_actions() == ["login_failed"]


def test_inactive_user_cannot_log_in(visitor):
    make_user("gammel", active=False)
    assert visitor.login("gammel").status_code == 422


def test_username_is_case_insensitive(visitor):
    make_user("vera")
    assert visitor.login("  VERA ").status_code == 302


def test_login_gives_a_new_session_identifier(visitor):
    make_user("vera")
    visitor.get("/login")
    token_before = visitor.token
    visitor.post("/login", {"username": "vera", "password": PASSWORD})
    visitor.get("/")
    assert visitor.token != token_before
    visitor.logout()
    visitor.login("vera")
    tokens = db.session.scalars(select(LoginSession.token)).all()
    assert len(set(tokens)) == 2


def test_logout_ends_the_session_and_is_audited(visitor):
    make_user("vera")
    visitor.login("vera")
    response = visitor.logout()
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert visitor.get("/").status_code == 302
    assert audit_actions() == ["login", "logout"]
    login = db.session.scalars(select(LoginSession)).one()
    assert login.end_reason == "logout"


def test_logout_needs_post(login):
    visitor = login("staff")
    assert visitor.get("/logout").status_code == 405


def test_open_redirect_is_refused(visitor):
    make_user("vera")
    visitor.get("/login")
    response = visitor.post(
        "/login?next=//evil.example/x", {"username": "vera", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_next_within_the_site_is_followed(visitor):
    make_user("vera", roles=("admin",))
    visitor.get("/login")
    response = visitor.post(
        "/login?next=/admin/brugere", {"username": "vera", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/admin/brugere"


def test_no_remember_me_cookie(visitor):
    make_user("vera")
    response = visitor.login("vera")
    cookies = response.headers.getlist("Set-Cookie")
    assert not any(c.startswith("remember_token") for c in cookies)
    session_cookie = next(c for c in cookies if c.startswith("dinindgang_session="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=Lax" in session_cookie
    assert "Expires" not in session_cookie  # a browser-session cookie
