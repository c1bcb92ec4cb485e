"""The second factor over HTTP: the login's second step, enrolment (required or chosen), recovery
codes, throttling, the leader's reset and the idle lock. Real DB, real HTTP, codes from pyotp."""

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.auth import second_factor
from webapp.auth.models import LoginSession, RecoveryCode, User
from webapp.config import ConfigError, check, defaults
from webapp.extensions import db

from ..conftest import Visitor
from ..factories import PASSWORD, make_citizen, make_user
from ..factories import refresh as _refresh

START = "2026-12-13 09:00:10+00:00"
SECRET_RE = re.compile(r'<code id="totp-secret">([A-Z2-7 ]+)</code>')


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def required(app, monkeypatch):
    monkeypatch.setitem(app.config, "SECOND_FACTOR_REQUIRED", True)


def refresh(obj):
    _refresh()
    return obj


def actions():
    _refresh()
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def enrolled_user(username="vera", roles=("staff",)) -> tuple[User, list[str]]:
    user = make_user(username, roles=roles)
    second_factor.begin_enrolment(user)
    codes = second_factor.confirm_enrolment(user, pyotp.TOTP(user.totp_secret).now())
    user.totp_last_step = None  # as if enrolled long ago
    db.session.commit()
    return user, codes


def code(user: User) -> str:
    secret = refresh(user).totp_secret
    _refresh()  # no read transaction left open under the requests that follow
    return pyotp.TOTP(secret).now()


def page_text(response) -> str:
    return response.get_data(as_text=True)


def test_password_alone_when_not_enrolled_and_not_required(visitor, clock):
    make_user("vera")
    response = visitor.login("vera")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert actions() == ["login"]


def test_an_enrolled_user_gets_a_second_step_and_is_not_logged_in_before_it(visitor, clock):
    user, _codes = enrolled_user()
    citizen = make_citizen()
    response = visitor.login("vera")
    assert response.status_code == 302 and response.headers["Location"] == "/login/totrin"
    # Between the two steps: anonymous everywhere, no login session on the server.
    for url in (f"/borgere/{citizen.id}", "/", "/dagstavle", "/admin/brugere", "/totrinsbekraeftelse"):
        answer = visitor.client.get(url)
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/login"), url
    unlock = visitor.post("/laast", {"password": PASSWORD})
    assert unlock.status_code == 302 and unlock.headers["Location"].startswith("/login")
    assert db.session.scalars(select(LoginSession)).all() == []
    assert "Totrinsbekræftelse" in page_text(visitor.get("/login/totrin"))
    response = visitor.post("/login/totrin", {"code": code(user)})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert visitor.get(f"/borgere/{citizen.id}").status_code == 200
    assert actions()[:2] == ["second_factor_passed", "login"]
    assert refresh(user).totp_last_step is not None


def test_the_second_step_goes_on_to_the_page_asked_for(visitor, clock):
    user, _codes = enrolled_user()
    visitor.get("/login")
    response = visitor.post("/login?next=/admin/brugere", {"username": "vera", "password": PASSWORD})
    assert response.headers["Location"] == "/login/totrin"
    visitor.get("/login/totrin")
    response = visitor.post("/login/totrin", {"code": code(user)})
    assert response.headers["Location"] == "/admin/brugere"


def test_a_wrong_code_is_refused_in_danish_and_audited(visitor, clock):
    user, _codes = enrolled_user()
    visitor.login("vera")
    visitor.get("/login/totrin")
    response = visitor.post("/login/totrin", {"code": "000000" if code(user) != "000000" else "111111"})
    assert response.status_code == 422
    assert "Koden er forkert eller allerede brugt." in page_text(response)
    assert actions() == ["second_factor_failed"]
    assert visitor.client.get("/").headers["Location"].startswith("/login")


@pytest.mark.parametrize("typed", ["", "12", "abc", "x" * 41, "<script>", "1234567890123456"])
def test_nonsense_is_a_danish_message_never_a_500(visitor, clock, typed):
    enrolled_user()
    visitor.login("vera")
    visitor.get("/login/totrin")
    response = visitor.post("/login/totrin", {"code": typed})
    assert response.status_code == 422
    assert 'class="error"' in page_text(response)


def test_a_code_works_once(app, clock):
    user, _codes = enrolled_user()
    first, second = Visitor(app.test_client()), Visitor(app.test_client())
    first.login("vera")
    second.login("vera")
    the_code = code(user)
    assert first.post("/login/totrin", {"code": the_code}).status_code == 302
    replay = second.post("/login/totrin", {"code": the_code})
    assert replay.status_code == 422
    assert "allerede brugt" in page_text(replay)
    clock.shift(timedelta(seconds=30))
    assert second.post("/login/totrin", {"code": code(user)}).status_code == 302


def test_wrong_codes_are_throttled_like_passwords(app, visitor, clock):
    user, _codes = enrolled_user()
    visitor.login("vera")
    visitor.get("/login/totrin")
    right = code(user)
    wrong = "000000" if right != "000000" else "111111"
    free = app.config["LOGIN_FREE_FAILURES"]
    for _ in range(free):
        assert visitor.post("/login/totrin", {"code": wrong}).status_code == 422
    # Even the right code must wait now, and the wait is said in Danish.
    waiting = visitor.post("/login/totrin", {"code": right})
    assert waiting.status_code == 429
    assert "for mange forkerte engangskoder" in page_text(waiting)
    assert "Vent 15 sekunder" in page_text(waiting)
    assert actions()[-1] == "second_factor_throttled"
    # A right password does not forgive wrong codes.
    visitor.login("vera")
    visitor.get("/login/totrin")
    assert visitor.post("/login/totrin", {"code": right}).status_code == 429
    clock.shift(timedelta(seconds=16))
    assert visitor.post("/login/totrin", {"code": code(user)}).status_code == 302


def test_a_recovery_code_works_once(app, visitor, clock):
    _user, codes = enrolled_user()
    visitor.login("vera")
    visitor.get("/login/totrin")
    response = visitor.post("/login/totrin", {"code": codes[3].upper().replace("-", " ")})
    assert response.status_code == 302
    assert "Du har 9 reservekoder tilbage." in page_text(visitor.get("/"))
    assert "second_factor_recovery_used" in actions()
    visitor.logout()
    visitor.login("vera")
    visitor.get("/login/totrin")
    reused = visitor.post("/login/totrin", {"code": codes[3]})
    assert reused.status_code == 422
    assert "Reservekoden er allerede brugt. Hver reservekode virker kun én gang." in page_text(reused)
    unknown = visitor.post("/login/totrin", {"code": "aaaa-bbbb-cccc-dddd"})
    assert "Reservekoden findes ikke." in page_text(unknown)


def test_recovery_codes_are_kept_only_as_hashes(clock):
    user, codes = enrolled_user()
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10
    assert not set(stored) & set(codes)
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in stored)


def test_when_required_the_password_leads_to_enrolment_first(visitor, clock, required):
    user = make_user("vera")
    citizen = make_citizen()
    response = visitor.login("vera")
    assert response.headers["Location"] == "/login/totrin/opsaet"
    assert visitor.client.get(f"/borgere/{citizen.id}").headers["Location"].startswith("/login")
    assert visitor.client.get("/login/totrin").headers["Location"] == "/login/totrin/opsaet"
    page = page_text(visitor.get("/login/totrin/opsaet"))
    assert "<svg" in page and 'class="qr"' in page and "style=" not in page.split("<svg")[1].split("</svg>")[0]
    secret = SECRET_RE.search(page).group(1)
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret)
    secret = secret.replace(" ", "")
    assert refresh(user).totp_secret == secret and not user.has_second_factor
    wrong = visitor.post("/login/totrin/opsaet", {"code": "12345"})
    assert wrong.status_code == 422 and "Koden er forkert" in page_text(wrong)
    assert SECRET_RE.search(page_text(wrong)).group(1).replace(" ", "") == secret  # the same key again
    done = visitor.post("/login/totrin/opsaet", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    shown = re.findall(r"<li><code>([a-z2-9-]{19})</code></li>", page_text(done))
    assert len(shown) == 10
    assert refresh(user).has_second_factor
    assert visitor.get(f"/borgere/{citizen.id}").status_code == 200
    assert actions()[:2] == ["second_factor_enrolled", "login"]
    # The codes are not shown again.
    assert not any(c in page_text(visitor.get("/totrinsbekraeftelse")) for c in shown)
    # The next login asks for a code, and the code used to enrol cannot be replayed.
    visitor.logout()
    visitor.login("vera")
    visitor.get("/login/totrin")
    assert visitor.post("/login/totrin", {"code": pyotp.TOTP(secret).now()}).status_code == 422
    clock.shift(timedelta(seconds=30))
    assert visitor.post("/login/totrin", {"code": pyotp.TOTP(secret).now()}).status_code == 302


def test_every_showing_of_the_enrolment_page_has_a_new_key(visitor, clock, required):
    make_user("vera")
    visitor.login("vera")
    first = SECRET_RE.search(page_text(visitor.get("/login/totrin/opsaet"))).group(1)
    second = SECRET_RE.search(page_text(visitor.get("/login/totrin/opsaet"))).group(1)
    assert first != second
    stale = visitor.post("/login/totrin/opsaet", {"code": pyotp.TOTP(first.replace(" ", "")).now()})
    assert stale.status_code == 422


@pytest.mark.parametrize("role", ["staff", "peer", "skp", "volunteer_coordinator", "leader", "authority",
                                  "secretariat", "admin"])
def test_every_role_must_enrol_when_required(visitor, clock, required, role):
    make_user("vera", roles=(role,))
    assert visitor.login("vera").headers["Location"] == "/login/totrin/opsaet"


def test_the_pending_login_lapses(visitor, clock):
    user, _codes = enrolled_user()
    visitor.login("vera")
    visitor.get("/login/totrin")
    clock.shift(timedelta(minutes=11))
    response = visitor.post("/login/totrin", {"code": code(user)})
    assert response.status_code == 200 and "Log ind igen" in page_text(response)
    assert visitor.client.get("/").headers["Location"].startswith("/login")
    anonymous = Visitor(visitor.client.application.test_client())
    assert "Log ind igen" in page_text(anonymous.get("/login/totrin"))
    assert "Log ind igen" in page_text(anonymous.get("/login/totrin/opsaet"))


def test_anyone_may_enrol_from_their_own_page_and_is_asked_from_then_on(login, clock):
    visitor = login("staff", username="vera")
    home = page_text(visitor.get("/"))
    assert 'href="/totrinsbekraeftelse"' in home
    page = page_text(visitor.get("/totrinsbekraeftelse"))
    secret = SECRET_RE.search(page).group(1).replace(" ", "")
    done = visitor.post("/totrinsbekraeftelse", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and "Dine reservekoder" in page_text(done)
    assert "ubrugte reservekoder" in page_text(visitor.get("/totrinsbekraeftelse"))
    assert "second_factor_enrolled" in actions()
    visitor.logout()
    assert visitor.login("vera").headers["Location"] == "/login/totrin"


def test_the_idle_lock_needs_only_the_password_after_the_second_step(visitor, clock):
    user, _codes = enrolled_user()
    visitor.login("vera")
    visitor.get("/login/totrin")
    assert visitor.post("/login/totrin", {"code": code(user)}).status_code == 302
    clock.shift(timedelta(minutes=16))
    locked = visitor.get("/")
    assert locked.headers["Location"].startswith("/laast")
    visitor.get(locked.headers["Location"])
    unlocked = visitor.post("/laast?next=/", {"password": PASSWORD})
    assert unlocked.status_code == 302 and unlocked.headers["Location"] == "/"
    assert visitor.get("/").status_code == 200


def test_a_leader_resets_a_colleagues_second_factor(app, login, clock, monkeypatch):
    user, _codes = enrolled_user()
    colleague = Visitor(app.test_client())
    colleague.login("vera")
    colleague.post("/login/totrin", {"code": code(user)})
    assert colleague.get("/").status_code == 200
    leader = login("leader", username="lea")
    monkeypatch.setitem(app.config, "SECOND_FACTOR_REQUIRED", True)  # from now on (the leader is in)
    page = page_text(leader.get(f"/admin/brugere/{user.id}"))
    assert "Sat op" in page and "Nulstil totrinsbekræftelse" in page
    assert "Sat op" in page_text(leader.get("/admin/brugere"))
    unconfirmed = leader.post(f"/admin/brugere/{user.id}/totrin", {})
    assert unconfirmed.status_code == 422
    assert "Sæt kryds for at bekræfte" in page_text(unconfirmed)
    assert refresh(user).has_second_factor
    done = leader.post(f"/admin/brugere/{user.id}/totrin", {"confirm": "y"})
    assert done.status_code == 302
    assert "er nulstillet" in page_text(leader.get(done.headers["Location"]))
    assert not refresh(user).has_second_factor and user.totp_secret is None
    assert db.session.scalars(select(RecoveryCode)).all() == []
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "second_factor_reset")).one()
    assert event.object_id == str(user.id) or event.object_id == user.id
    # The colleague's sessions are over, and the next login enrols again.
    assert colleague.client.get("/").headers["Location"].startswith("/login")
    assert colleague.login("vera").headers["Location"] == "/login/totrin/opsaet"


def test_nobody_resets_their_own_and_a_leader_not_an_administrators(login, clock):
    admin, _codes = enrolled_user("ada", roles=("admin",))
    leader = login("leader", username="lea")
    assert "Nulstil totrinsbekræftelse" not in page_text(leader.get(f"/admin/brugere/{admin.id}"))
    assert leader.post(f"/admin/brugere/{admin.id}/totrin", {"confirm": "y"}).status_code == 403
    me = db.session.scalar(select(User).where(User.username == "lea"))
    assert leader.post(f"/admin/brugere/{me.id}/totrin", {"confirm": "y"}).status_code == 403
    assert refresh(admin).has_second_factor


def test_the_setting_defaults_and_is_checked():
    assert defaults("production", "instance")["SECOND_FACTOR_REQUIRED"] is True
    assert defaults("development", "instance")["SECOND_FACTOR_REQUIRED"] is False
    assert defaults("testing", "instance")["SECOND_FACTOR_REQUIRED"] is False
    config = defaults("testing", "instance") | {"SECOND_FACTOR_REQUIRED": "ja"}
    with pytest.raises(ConfigError, match="DININDGANG_SECOND_FACTOR_REQUIRED"):
        check(config)
