"""Who may change whom on the user pages: plain rules, used by the views and their templates.

- Leaders and administrators manage users; nobody changes their own roles, password (here,
  without the old one) or active state.
- Only an administrator grants or removes the administrator role, or touches an administrator's
  roles, password or active state; a leader manages the colleagues who are not administrators.
"""

from collections.abc import Iterable

from ..auth.roles import ADMIN, ALL_ROLES, USER_ADMINS


def _is_admin(user) -> bool:
    return ADMIN in user.roles


def _manages_users(user) -> bool:
    return user.has_any_role(USER_ADMINS)


def _same(actor, target) -> bool:
    return target is not None and actor.id == target.id


def _may_manage(actor, target) -> bool:
    """Password and active state of another user: administrators anyone, leaders non-admins."""
    if not _manages_users(actor) or target is None or _same(actor, target):
        return False
    return _is_admin(actor) or not _is_admin(target)


def grantable_roles(actor, target) -> list[str]:
    """The roles the actor may give or take away from the target (None: a user being created)."""
    if not _manages_users(actor) or _same(actor, target):
        return []
    if _is_admin(actor):
        return list(ALL_ROLES)
    if target is not None and _is_admin(target):
        return []
    return [role for role in ALL_ROLES if role != ADMIN]


def may_grant_roles(actor, target, roles: Iterable[str]) -> bool:
    """May the actor change the target's roles to exactly `roles`?"""
    current = set(target.roles) if target is not None else set()
    changed = current ^ set(roles)
    return changed <= set(grantable_roles(actor, target))


def roles_from_form(actor, target, submitted: Iterable[str]) -> set[str]:
    """The roles a user form asks for: the form offers only the grantable roles, so the roles
    the actor may not touch are kept as they are. Check the result with `may_grant_roles`."""
    offered = set(grantable_roles(actor, target))
    current = set(target.roles) if target is not None else set()
    return (current - offered) | set(submitted)


def may_reset_password(actor, target) -> bool:
    return _may_manage(actor, target)


def may_deactivate(actor, target) -> bool:
    """Also reactivation: the same rule for both directions."""
    return _may_manage(actor, target)


def may_reset_second_factor(actor, target) -> bool:
    """The same rule as the password: a colleague's second factor, never one's own."""
    return _may_manage(actor, target)
