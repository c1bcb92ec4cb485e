"""The second factor's services: enrolment, the check at login, the leader's reset. They flush,
never commit; the rules are in `totp`.

Roles: when DININDGANG_SECOND_FACTOR_REQUIRED is on, every account must enrol, whatever its roles.
Every role but the administrator reads citizen data (medarbejdere, peer, SKP and the leader the
citizen page; the volunteer coordinator through requests and matches; the authority department
through handovers; the secretariat through Bilag 6 and the shadow assessments), and the
administrator can set any colleague's password and reset their second factor, so one
administrator's password alone would open every account. `REQUIRED_ROLES` is therefore all roles.
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from ..extensions import db
from ..timeutil import utcnow
from . import totp
from .models import RecoveryCode, User
from .roles import ALL_ROLES

REQUIRED_ROLES = frozenset(ALL_ROLES)


def required_for(user: User) -> bool:
    """Must this account enrol before it may do anything (the setting, and its roles)?"""
    return bool(current_app.config["SECOND_FACTOR_REQUIRED"]) and user.has_any_role(REQUIRED_ROLES)


def asked_at_login(user: User) -> bool:
    """After the password: a second step (a code, or enrolment when required)."""
    return user.has_second_factor or required_for(user)


def begin_enrolment(user: User) -> str:
    """A fresh secret for every showing of the enrolment page: a secret someone else saw with the
    password (before the user enrolled) is never the one that gets confirmed."""
    if user.has_second_factor:
        raise ValueError("already enrolled")
    user.totp_secret = totp.new_secret()
    user.totp_last_step = None
    db.session.flush()
    return user.totp_secret


def confirm_enrolment(user: User, code: str) -> list[str] | None:
    """The code from the app confirms the secret shown: the second factor is on, and the ten
    recovery codes (shown once, kept as hashes) are returned. None: wrong code."""
    if user.has_second_factor or not user.totp_secret:
        return None
    now = utcnow()
    step = totp.matching_step(user.totp_secret, code, now, None)
    if step is None:
        return None
    user.totp_enrolled_at = now
    user.totp_last_step = step
    return replace_recovery_codes(user)


def replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=totp.recovery_hash(c)) for c in codes)
    db.session.flush()
    return codes


@dataclass(frozen=True)
class Check:
    ok: bool
    by_recovery_code: bool = False
    message: str | None = None


WRONG = "Koden er forkert eller allerede brugt. Skriv den kode, din app viser nu."
RECOVERY_USED = "Reservekoden er allerede brugt. Hver reservekode virker kun én gang."
RECOVERY_WRONG = "Reservekoden findes ikke. Tjek, at du har skrevet den rigtigt."


def check_code(user: User, code: str) -> Check:
    """A 6-digit code from the app or a recovery code. Each app code's time step and each recovery
    code is taken with one conditional UPDATE, so two tries at once cannot both use it."""
    if not user.has_second_factor:
        return Check(False, message=WRONG)
    now = utcnow()
    if totp.looks_like_totp(code):
        step = totp.matching_step(user.totp_secret, code, now, user.totp_last_step)
        if step is None:
            return Check(False, message=WRONG)
        taken = db.session.execute(
            update(User)
            .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
            .values(totp_last_step=step)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken != 1:
            return Check(False, message=WRONG)
        user.totp_last_step = step
        return Check(True)
    if totp.looks_like_recovery_code(code):
        row = db.session.scalar(
            select(RecoveryCode).where(
                RecoveryCode.user_id == user.id, RecoveryCode.code_hash == totp.recovery_hash(code)
            )
        )
        if row is None:
            return Check(False, message=RECOVERY_WRONG)
        taken = db.session.execute(
            update(RecoveryCode)
            .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken != 1:
            return Check(False, message=RECOVERY_USED)
        return Check(True, by_recovery_code=True)
    return Check(False, message=WRONG)


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    ) or 0


def reset(user: User) -> None:
    """The leader's reset: secret and recovery codes gone, the user's sessions ended; the next
    login asks for enrolment again (when required, or when the user chooses to)."""
    from .services import end_sessions

    user.totp_secret = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_sessions(user.id, "second_factor_reset")
    db.session.flush()
