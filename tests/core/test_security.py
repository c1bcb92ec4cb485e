import pytest
from flask import Flask

from webapp.access import access_rule_for, public

from ..conftest import Visitor, make_app
from ..factories import PASSWORD, make_user

CSP_MUST = ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    for part in CSP_MUST:
        assert part in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_headers_on_a_normal_page(login):
    visitor = login("staff")
    response = visitor.get("/")
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.parametrize("path, code", [("/findes-ikke", 404), ("/admin/brugere", 403)])
def test_headers_and_danish_page_on_error_responses(login, path, code):
    visitor = login("staff")
    response = visitor.get(path)
    assert response.status_code == code
    assert_security_headers(response)
    body = response.get_data(as_text=True)
    assert 'lang="da"' in body and "Traceback" not in body


def test_server_error_is_a_calm_danish_page_without_trace(app):
    other = make_app(app.config["SQLALCHEMY_DATABASE_URI"], TESTING=False)

    @other.get("/__boom")
    @public
    def boom():
        raise RuntimeError("secret detail")

    response = other.test_client().get("/__boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Der skete en fejl" in body
    assert "secret detail" not in body and "Traceback" not in body
    assert_security_headers(response)


def test_static_files_are_cacheable_but_still_hardened(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_post_without_csrf_token_is_rejected(visitor):
    make_user("vera")
    visitor.get("/login")
    response = visitor.client.post("/login", data={"username": "vera", "password": PASSWORD})
    assert response.status_code == 400
    assert "sikkerhedsnøgle" in response.get_data(as_text=True)
    assert visitor.get("/").status_code == 302  # not logged in


def test_post_with_a_forged_csrf_token_is_rejected(login):
    visitor = login("staff")
    response = visitor.post("/logout", {"csrf_token": "forged"})
    assert response.status_code == 400
    assert visitor.get("/").status_code == 200  # still logged in


def test_htmx_request_carries_csrf_in_a_header(login):
    visitor = login("staff")
    response = visitor.client.post(
        "/logout", headers={"X-CSRFToken": visitor.token, "HX-Request": "true"}
    )
    assert response.status_code == 302


def test_every_route_declares_an_access_rule(app: Flask):
    missing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if access_rule_for(app.view_functions[rule.endpoint]) is None
    ]
    assert missing == []


def test_a_view_without_a_rule_is_denied(app):
    other = make_app(app.config["SQLALCHEMY_DATABASE_URI"])

    @other.get("/__uden-regel")
    def no_rule():
        return "should never be seen"

    make_user("anders", roles=("admin",))
    visitor = Visitor(other.test_client())
    visitor.login("anders")
    assert visitor.get("/__uden-regel").status_code == 403


PAGES = ["/", "/admin/brugere", "/admin/brugere/ny"]


@pytest.mark.parametrize("path", PAGES)
def test_unauthenticated_visitors_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


ALL = ["staff", "peer", "skp", "volunteer_coordinator", "leader", "authority", "secretariat", "admin"]
ACCESS = {
    "/": set(ALL),
    "/admin/brugere": {"leader", "admin"},
    "/admin/brugere/ny": {"leader", "admin"},
}
# The authority department's home is its inbox; the secretariat's the key figures; the volunteer
# coordinator's her own page.
REDIRECTS = {("/", "authority"): "/indbakke", ("/", "secretariat"): "/noegletal",
             ("/", "volunteer_coordinator"): "/frivilligkoordinator"}  # her own home (#12)


@pytest.mark.parametrize("role", ALL)
@pytest.mark.parametrize("path", list(ACCESS))
def test_access_matrix(login, role, path):
    visitor = login(role)
    response = visitor.get(path)
    if (path, role) in REDIRECTS:
        assert response.status_code == 302 and response.headers["Location"] == REDIRECTS[(path, role)]
        return
    assert response.status_code == (200 if role in ACCESS[path] else 403)


def test_debug_is_off_and_secret_required_outside_development():
    from webapp import create_app
    from webapp.config import ConfigError

    with pytest.raises(ConfigError):
        create_app({"APP_ENV": "production", "SECRET_KEY": None})
    with pytest.raises(ConfigError):
        create_app({"APP_ENV": "production", "SECRET_KEY": "development-only-not-secret"})
    app = create_app({"APP_ENV": "production", "SECRET_KEY": "x" * 40, "DATA_KEY": "ab" * 32,
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.debug is False
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_read_views_that_write_audit_rows_lock_up_front(app: Flask):
    """A GET that records an audit event must begin its SQLite transaction IMMEDIATE."""
    import inspect

    unmarked = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        get_only = "GET" in rule.methods and "POST" not in rule.methods
        audits = get_only and "audit.record" in inspect.getsource(view)
        if audits and not getattr(view, "writes_on_read", False):
            unmarked.append(rule.endpoint)
    assert unmarked == []


def _proxied_app(app, proxies):
    # A tiny per-address ceiling makes the rate-limit key visible in a few requests.
    return make_app(
        app.config["SQLALCHEMY_DATABASE_URI"], TRUSTED_PROXIES=proxies, LOGIN_FAILURES_PER_ADDRESS="2 per minute"
    )


@pytest.mark.parametrize("proxies, seen", [(1, "203.0.113.7"), (0, "127.0.0.1")])
def test_forwarded_for_is_believed_only_from_trusted_proxies(app, proxies, seen):
    from sqlalchemy import select

    from webapp.audit import AuditEvent
    from webapp.extensions import db

    make_user("vera")
    visitor = Visitor(_proxied_app(app, proxies).test_client())
    visitor.get("/login")
    forwarded = {"X-Forwarded-For": "203.0.113.7"}
    response = visitor.post("/login", {"username": "vera", "password": PASSWORD}, headers=forwarded)
    assert response.status_code == 302
    assert db.session.scalars(select(AuditEvent.remote_addr)).one() == seen


@pytest.mark.parametrize("proxies, other_address_locked", [(1, False), (0, True)])
def test_rate_limit_key_follows_the_trusted_client_address(app, proxies, other_address_locked):
    make_user("vera")
    visitor = Visitor(_proxied_app(app, proxies).test_client())
    visitor.get("/login")

    def attempt(client_addr, password):
        return visitor.post(
            "/login", {"username": "vera", "password": password}, headers={"X-Forwarded-For": client_addr}
        )

    assert attempt("198.51.100.1", "forkert-igen-1").status_code == 422
    assert attempt("198.51.100.1", "forkert-igen-2").status_code == 422
    assert attempt("198.51.100.1", PASSWORD).status_code == 429
    assert attempt("198.51.100.2", PASSWORD).status_code == (429 if other_address_locked else 302)


@pytest.mark.parametrize("value", [-1, "2", True, 11])
def test_trusted_proxies_must_be_a_small_count(app, value):
    from webapp.config import ConfigError

    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        make_app(app.config["SQLALCHEMY_DATABASE_URI"], TRUSTED_PROXIES=value)
