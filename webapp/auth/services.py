"""Users and login sessions: plain functions, no request handling."""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from ..extensions import db
from ..timeutil import as_utc, utcnow
from .models import LoginSession, User
from .passwords import hash_password, password_problem, verify_password

# Seen-at stamps are refreshed at most this often, so browsing writes little.
SEEN_RESOLUTION = timedelta(seconds=30)


class UserError(ValueError):
    """A user-administration request that cannot be carried out (Danish message)."""


def normalise_username(username: str) -> str:
    return username.strip().lower()


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == normalise_username(username)))


def authenticate(username: str, password: str) -> User | None:
    user = find_user(username)
    ok = verify_password(user.password_hash if user else None, password)
    return user if ok and user is not None and user.active else None


def create_user(
    *,
    username: str,
    full_name: str,
    initials: str,
    password: str,
    roles=(),
    has_authority_experience: bool = False,
    check_policy: bool = True,
) -> User:
    username = normalise_username(username)
    if not username:
        raise UserError("Brugernavn mangler.")
    if find_user(username) is not None:
        raise UserError(f"Brugernavnet »{username}« findes allerede.")
    if check_policy and (problem := password_problem(password)):
        raise UserError(problem)
    user = User(
        username=username,
        full_name=full_name.strip(),
        initials=initials.strip().upper(),
        password_hash=hash_password(password),
        has_authority_experience=has_authority_experience,
    )
    user.roles = roles
    db.session.add(user)
    db.session.flush()
    return user


def start_session(user: User, now: datetime | None = None) -> LoginSession:
    now = now or utcnow()
    login = LoginSession(
        token=secrets.token_urlsafe(32), user_id=user.id, created_at=now, last_seen_at=now
    )
    db.session.add(login)
    db.session.flush()
    user.login_session = login
    return login


def end_sessions(user_id: int, reason: str, now: datetime | None = None, only=None) -> int:
    """End the user's live sessions (all, or only the one given)."""
    stmt = (
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
        .values(ended_at=now or utcnow(), end_reason=reason)
    )
    if only is not None:
        stmt = stmt.where(LoginSession.id == only.id)
    return db.session.execute(stmt).rowcount


def set_password(user: User, password: str) -> None:
    if problem := password_problem(password):
        raise UserError(problem)
    user.password_hash = hash_password(password)
    end_sessions(user.id, "password_reset")


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        end_sessions(user.id, "deactivated")


def load_session(token: str) -> LoginSession | None:
    """The live session for a cookie's token; ended sessions and inactive users give None."""
    login = db.session.scalar(
        select(LoginSession).where(LoginSession.token == token, LoginSession.ended_at.is_(None))
    )
    if login is None or not login.user.active:
        return None
    login.user.login_session = login
    return login


def session_state(login: LoginSession, now: datetime, idle: timedelta, absolute: timedelta) -> str:
    """'expired' past the absolute limit, 'locked' when idle too long, else 'active'."""
    if now - as_utc(login.created_at) >= absolute:
        return "expired"
    if login.locked_at is not None or now - as_utc(login.last_seen_at) >= idle:
        return "locked"
    return "active"


def needs_touch(login: LoginSession, now: datetime) -> bool:
    return now - as_utc(login.last_seen_at) >= SEEN_RESOLUTION


def touch(login_id: int, now: datetime) -> None:
    db.session.execute(update(LoginSession).where(LoginSession.id == login_id).values(last_seen_at=now))


def lock(login_id: int, now: datetime) -> None:
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.id == login_id, LoginSession.locked_at.is_(None))
        .values(locked_at=now)
    )


def active_user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(User.active)) or 0


def staff_members(include_ids=(), *, roles=None, include_inactive: bool = False) -> list[User]:
    """Active users who work with citizens (peer and SKP workers too), plus any already chosen
    on a record even if they have since left. `roles` widens or narrows who counts (None: the
    roles that work with citizens); `include_inactive` keeps everyone who has left, for filters
    over past records."""
    from .models import UserRole
    from .roles import HOUSE_STAFF

    wanted = [i for i in include_ids if i]
    query = select(User).join(UserRole).where(UserRole.role.in_(sorted(HOUSE_STAFF if roles is None else roles)))
    if not include_inactive:
        query = query.where(User.active.is_(True) | User.id.in_(wanted))
    return list(db.session.scalars(query.distinct().order_by(User.full_name)))


def name_and_initials(user: User) -> str:
    """A label for staff_choices where initials tell colleagues with the same name apart."""
    return f"{user.full_name} ({user.initials})"


def staff_choices(
    *,
    blank: str | None = None,
    include=(),
    roles=None,
    label=None,
    first_roles=frozenset(),
) -> list[tuple[str, str]]:
    """The one list of colleagues for a select: (id as text, label) pairs by name, after an
    optional blank choice (value ""). `include` keeps users already chosen on the record; `label`
    turns a user into the text shown (default: the full name); users with one of `first_roles`
    come first (e.g. SKP workers, who usually take outreach)."""
    users = staff_members(include, roles=roles)
    if first_roles:
        users.sort(key=lambda user: (not user.has_any_role(first_roles), user.full_name))
    label = label or (lambda user: user.full_name)
    return ([("", blank)] if blank is not None else []) + [(str(user.id), label(user)) for user in users]
