import pytest
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.auth.models import User
from webapp.auth.passwords import password_problem, verify_password
from webapp.extensions import db

from ..conftest import Visitor
from ..factories import refresh


def user_named(username):
    refresh()
    return db.session.scalar(select(User).where(User.username == username))


def test_password_policy():
    assert password_problem("kort") == "Adgangskoden skal være mindst 8 tegn."
    assert "almindelig" in password_problem("password1")
    assert "almindelig" in password_problem("Dinindgang")
    assert password_problem("kaffe ved havnen") is None  # no composition rules


def test_hash_is_argon2id_with_owasp_parameters():
    from webapp.auth.passwords import hash_password

    digest = hash_password("kaffe ved havnen")
    assert digest.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password(digest, "kaffe ved havnen")
    assert not verify_password(digest, "kaffe ved havnen!")


def test_leader_creates_a_user_who_can_log_in(login, app):
    leader = login("leader")
    leader.get("/admin/brugere/ny")
    response = leader.post(
        "/admin/brugere/ny",
        {
            "username": "karen",
            "full_name": "Karen Kristensen",
            "initials": "kk",
            "roles": ["staff", "peer"],
            "has_authority_experience": "y",
            "password": "kaffe ved havnen",
        },
    )
    assert response.status_code == 302
    karen = user_named("karen")
    assert karen.roles == {"staff", "peer"}
    assert karen.initials == "KK" and karen.has_authority_experience
    assert db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()[-1] == "user_created"
    assert Visitor(app.test_client()).login("karen", "kaffe ved havnen").status_code == 302


def test_bad_new_user_keeps_what_was_typed(login):
    leader = login("leader")
    leader.get("/admin/brugere/ny")
    response = leader.post(
        "/admin/brugere/ny",
        {"username": "karen", "full_name": "Karen Kristensen", "initials": "KK", "password": "123456789"},
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "for almindelig" in body
    assert 'value="Karen Kristensen"' in body
    assert user_named("karen") is None


def test_duplicate_username_is_refused(login):
    leader = login("leader", username="lene")
    leader.get("/admin/brugere/ny")
    response = leader.post(
        "/admin/brugere/ny",
        {"username": "LENE", "full_name": "Lene To", "initials": "L2", "password": "kaffe ved havnen"},
    )
    assert response.status_code == 422
    assert "findes allerede" in response.get_data(as_text=True)


def test_edit_roles_and_deactivate(login, app):
    admin = login("admin")
    other = login("staff", username="mads")
    mads = user_named("mads")
    admin.get(f"/admin/brugere/{mads.id}")
    response = admin.post(
        f"/admin/brugere/{mads.id}",
        {"full_name": "Mads Madsen", "initials": "MM", "roles": ["skp"]},
    )
    assert response.status_code == 302
    assert user_named("mads").roles == {"skp"}
    response = admin.post(f"/admin/brugere/{mads.id}/aktiv")
    assert response.status_code == 302
    assert user_named("mads").active is False
    # Mads's open session is over.
    assert other.get("/").status_code == 302
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "user_changed" in actions and "user_deactivated" in actions


def test_reset_password_logs_the_user_out(login):
    admin = login("admin")
    other = login("staff", username="mads")
    mads = user_named("mads")
    admin.get(f"/admin/brugere/{mads.id}")
    response = admin.post(f"/admin/brugere/{mads.id}/adgangskode", {"password": "ny kaffe i koppen"})
    assert response.status_code == 302
    assert other.get("/").status_code == 302
    assert other.login("mads", "ny kaffe i koppen").status_code == 302


def test_cannot_deactivate_yourself(login):
    admin = login("admin", username="anders")
    me = user_named("anders")
    admin.get(f"/admin/brugere/{me.id}")
    admin.post(f"/admin/brugere/{me.id}/aktiv")
    assert user_named("anders").active is True


def test_cli_creates_users_and_refuses_weak_passwords(runner):
    result = runner.invoke(
        args=["users", "create", "bo", "--name", "Bo Berg", "--initials", "BB", "--role", "staff",
              "--password", "kaffe ved havnen"]
    )
    assert result.exit_code == 0, result.output
    assert user_named("bo").roles == {"staff"}
    result = runner.invoke(
        args=["users", "create", "bo2", "--name", "Bo To", "--initials", "B2", "--role", "staff",
              "--password", "qwerty123"]
    )
    assert result.exit_code != 0
    assert "almindelig" in result.output


def test_demo_data_is_idempotent_and_only_in_development(app, runner):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code != 0  # testing, not development
    result = runner.invoke(args=["demo-data", "--force"])
    assert result.exit_code == 0, result.output
    runner.invoke(args=["demo-data", "--force"])
    usernames = set(db.session.scalars(select(User.username)))
    assert {"vaert", "medarbejder", "peer", "skp", "frivillig", "leder", "myndighed", "sekretariat",
            "admin"} <= usernames
    assert Visitor(app.test_client()).login("vaert", "dinindgang").status_code == 302


@pytest.mark.parametrize(
    "password, problem",
    [
        (" " * 8, "tom eller kun mellemrum"),
        ("\t \n  \t  ", "tom eller kun mellemrum"),
        ("   kort7   ", "mindst 8 tegn"),
        ("  password1  ", "for almindelig"),
    ],
)
def test_password_policy_looks_past_surrounding_spaces(password, problem):
    assert problem in password_problem(password)


def test_blank_password_is_refused_when_creating_a_user(login):
    leader = login("leader")
    leader.get("/admin/brugere/ny")
    response = leader.post(
        "/admin/brugere/ny",
        {"username": "karen", "full_name": "Karen Kristensen", "initials": "KK", "password": " " * 8},
    )
    assert response.status_code == 422
    assert "kun mellemrum" in response.get_data(as_text=True)
    assert user_named("karen") is None


def test_blank_password_is_refused_on_reset(login):
    admin = login("admin")
    login("staff", username="mads")
    mads = user_named("mads")
    before = mads.password_hash
    admin.get(f"/admin/brugere/{mads.id}")
    response = admin.post(f"/admin/brugere/{mads.id}/adgangskode", {"password": " " * 10})
    assert response.status_code == 422
    assert "kun mellemrum" in response.get_data(as_text=True)
    assert user_named("mads").password_hash == before


def test_cli_refuses_a_blank_password(runner):
    result = runner.invoke(
        args=["users", "create", "bo", "--name", "Bo Berg", "--initials", "BB", "--role", "staff",
              "--password", " " * 8]
    )
    assert result.exit_code != 0
    assert "kun mellemrum" in result.output
    assert user_named("bo") is None
