"""Who may change whom on the user pages: the rules, and the pages and views that follow them."""

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from webapp.admin import rules
from webapp.auth.models import User
from webapp.auth.roles import ADMIN, ALL_ROLES, LEADER, STAFF
from webapp.extensions import db

from ..factories import refresh

NON_ADMIN_ROLES = [r for r in ALL_ROLES if r != ADMIN]


@dataclass
class Person:
    id: int
    roles: frozenset

    def has_any_role(self, names) -> bool:
        return not self.roles.isdisjoint(names)


def person(id_, *roles):
    return Person(id_, frozenset(roles))


ADMIN_A, ADMIN_B = person(1, ADMIN), person(2, ADMIN)
LEADER_A, LEADER_B = person(3, LEADER), person(4, LEADER, STAFF)
STAFF_A = person(5, STAFF)


def test_admin_grants_every_role_to_others_but_not_to_themselves():
    assert rules.grantable_roles(ADMIN_A, STAFF_A) == list(ALL_ROLES)
    assert rules.grantable_roles(ADMIN_A, ADMIN_B) == list(ALL_ROLES)
    assert rules.grantable_roles(ADMIN_A, None) == list(ALL_ROLES)
    assert rules.grantable_roles(ADMIN_A, ADMIN_A) == []
    assert rules.may_grant_roles(ADMIN_A, STAFF_A, {STAFF, ADMIN})
    assert rules.may_grant_roles(ADMIN_A, ADMIN_B, set())
    assert not rules.may_grant_roles(ADMIN_A, ADMIN_A, {ADMIN, LEADER})


def test_leader_grants_every_role_but_administrator_and_never_to_themselves():
    assert rules.grantable_roles(LEADER_A, STAFF_A) == NON_ADMIN_ROLES
    assert rules.grantable_roles(LEADER_A, None) == NON_ADMIN_ROLES
    assert rules.grantable_roles(LEADER_A, ADMIN_A) == []
    assert rules.grantable_roles(LEADER_A, LEADER_A) == []
    assert rules.may_grant_roles(LEADER_A, STAFF_A, {STAFF, LEADER})
    assert rules.may_grant_roles(LEADER_A, LEADER_B, {STAFF})
    assert not rules.may_grant_roles(LEADER_A, STAFF_A, {STAFF, ADMIN})
    assert not rules.may_grant_roles(LEADER_A, None, {ADMIN})
    assert not rules.may_grant_roles(LEADER_A, ADMIN_A, set())
    assert not rules.may_grant_roles(LEADER_A, LEADER_A, {LEADER, STAFF})
    assert rules.may_grant_roles(LEADER_A, LEADER_A, {LEADER})  # no change is no grant


def test_others_grant_nothing():
    assert rules.grantable_roles(STAFF_A, person(9, STAFF)) == []
    assert not rules.may_grant_roles(STAFF_A, person(9), {STAFF})


def test_roles_the_form_did_not_offer_are_kept():
    assert rules.roles_from_form(LEADER_A, person(9, ADMIN, STAFF), []) == {ADMIN, STAFF}
    assert rules.roles_from_form(LEADER_A, person(9, STAFF), [LEADER]) == {LEADER}
    assert rules.roles_from_form(LEADER_A, None, [STAFF]) == {STAFF}


@pytest.mark.parametrize("check", [rules.may_reset_password, rules.may_deactivate])
def test_password_and_active_state(check):
    assert check(ADMIN_A, ADMIN_B) and check(ADMIN_A, LEADER_A) and check(ADMIN_A, STAFF_A)
    assert check(LEADER_A, STAFF_A) and check(LEADER_A, LEADER_B)
    assert not check(LEADER_A, ADMIN_A)
    assert not check(ADMIN_A, ADMIN_A) and not check(LEADER_A, LEADER_A)
    assert not check(STAFF_A, person(9, STAFF))


# --- the views and pages ------------------------------------------------------------------


def user_named(username):
    refresh()
    return db.session.scalar(select(User).where(User.username == username))


def edit(visitor, target, roles, **fields):
    visitor.get(f"/admin/brugere/{target.id}")
    data = {"full_name": target.full_name, "initials": target.initials, "roles": roles, **fields}
    return visitor.post(f"/admin/brugere/{target.id}", data)


def test_leader_cannot_grant_administrator(login):
    leader = login("leader")
    login("staff", username="mads")
    mads = user_named("mads")
    page = leader.get(f"/admin/brugere/{mads.id}").get_data(as_text=True)
    assert 'value="staff"' in page and 'value="admin"' not in page
    assert edit(leader, mads, ["staff", "admin"]).status_code == 403
    assert user_named("mads").roles == {"staff"}
    # Creating an administrator is refused the same way.
    leader.get("/admin/brugere/ny")
    response = leader.post(
        "/admin/brugere/ny",
        {"username": "karen", "full_name": "Karen K", "initials": "KK", "roles": ["admin"],
         "password": "kaffe ved havnen"},
    )
    assert response.status_code == 403
    assert user_named("karen") is None


def test_leader_cannot_change_own_roles(login):
    leader = login("leader", username="lene")
    lene = user_named("lene")
    page = leader.get(f"/admin/brugere/{lene.id}").get_data(as_text=True)
    assert "Du kan ikke ændre dine egne roller: Leder." in page
    assert 'name="roles"' not in page
    assert edit(leader, lene, ["leader", "admin"]).status_code == 403
    assert user_named("lene").roles == {"leader"}
    # Saving one's own name leaves the roles alone.
    assert edit(leader, lene, [], full_name="Lene Ny").status_code == 302
    assert user_named("lene").roles == {"leader"} and user_named("lene").full_name == "Lene Ny"


def test_leader_cannot_reset_or_deactivate_an_administrator(login):
    leader = login("leader")
    login("admin", username="anna")
    anna = user_named("anna")
    page = leader.get(f"/admin/brugere/{anna.id}").get_data(as_text=True)
    assert "Sæt adgangskode" not in page and "Deaktivér" not in page
    assert "Kun en administrator kan ændre Administrator." in page
    response = leader.post(f"/admin/brugere/{anna.id}/adgangskode", {"password": "ny kaffe i koppen"})
    assert response.status_code == 403
    assert leader.post(f"/admin/brugere/{anna.id}/aktiv").status_code == 403
    assert user_named("anna").active
    # Editing her name keeps her administrator role.
    assert edit(leader, anna, [], full_name="Anna Admin").status_code == 302
    assert user_named("anna").roles == {"admin"}


def test_leader_resets_a_colleagues_password(login):
    leader = login("leader")
    login("staff", username="mads")
    mads = user_named("mads")
    page = leader.get(f"/admin/brugere/{mads.id}").get_data(as_text=True)
    assert "Sæt adgangskode" in page and "Deaktivér og log ud" in page
    response = leader.post(f"/admin/brugere/{mads.id}/adgangskode", {"password": "ny kaffe i koppen"})
    assert response.status_code == 302


def test_admin_grants_administrator_to_another(login):
    admin = login("admin")
    login("leader", username="lene")
    lene = user_named("lene")
    page = admin.get(f"/admin/brugere/{lene.id}").get_data(as_text=True)
    assert 'value="admin"' in page
    assert edit(admin, lene, ["leader", "admin"]).status_code == 302
    assert user_named("lene").roles == {"leader", "admin"}


def test_admin_cannot_change_own_roles(login):
    admin = login("admin", username="anders")
    anders = user_named("anders")
    assert edit(admin, anders, ["admin", "leader"]).status_code == 403
    assert user_named("anders").roles == {"admin"}
