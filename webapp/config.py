"""Settings: defaults here, then instance/config.py, then the environment."""

import os
from datetime import timedelta

ENVIRONMENTS = ("development", "testing", "production")
DEV_SECRET = "development-only-not-secret"  # noqa: S105 - refused outside development


class ConfigError(RuntimeError):
    """The app refuses to start with an unsafe configuration."""


def defaults(app_env: str, instance_path: str) -> dict:
    return {
        "APP_ENV": app_env,
        "SECRET_KEY": DEV_SECRET if app_env in ("development", "testing") else None,
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance_path, "dinindgang.sqlite"),
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": app_env == "production",
        "SESSION_COOKIE_NAME": "dinindgang_session",
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        "IDLE_TIMEOUT_MINUTES": 15,
        "ABSOLUTE_SESSION_HOURS": 12,
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none).
        "TRUSTED_PROXIES": 0,
        # Failed logins for one username before each further try waits (growing, capped delay).
        "LOGIN_FREE_FAILURES": 5,
        "LOGIN_MAX_DELAY_SECONDS": 300,
        # Flask-Limiter limits on failed logins: per address and username, and per address.
        "LOGIN_FAILURES_PER_ADDRESS_AND_USERNAME": "10 per minute",
        "LOGIN_FAILURES_PER_ADDRESS": "200 per 10 minutes",
        # The second factor (#13): every account that can see citizen data must enrol a TOTP app
        # at its next login. On in production; development and the tests log in with a password.
        "SECOND_FACTOR_REQUIRED": app_env == "production",
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        "WTF_CSRF_TIME_LIMIT": None,  # the session's own limits bound the token's life
        "BACKUP_DIR": os.path.join(instance_path, "backups"),
        "UNDO_WINDOW_SECONDS": 120,  # "Fortryd" at the welcome table removes the user's own tap this long
        # The discreet welcome tablet (#14): a list unfolded on its board folds again after this long;
        # a typed note or citizen search on the host's page clears itself after this long without input.
        "TABLET_REFOLD_SECONDS": 30,
        "TABLET_CLEAR_SECONDS": 60,
        "DATE_MIN": "1900-01-01",  # every date a form or URL accepts lies in this window
        "DATE_MAX": "2100-12-31",
        "AUDIT_BOARD_WINDOW_MINUTES": 60,  # a day board names a citizen to a user once per window in the log
        "CONTACT_EDIT_DAYS": 7,  # contacts older than this are part of reported weeks: no more edits
        # Kroner an hour with a citizen costs, the economics page's default (the report: 1.045.000 kr.
        # for 3.350 hours with citizens, ≈ 312 kr.); the page lets the reader try another.
        "HOURLY_COST": 312,
        "UNIT_NAME": "Din Indgang",
        "UNIT_ADDRESS": "Havnegade 12, 7000 Fredericia",
        "UNIT_PHONE": "72 10 60 00",
        # Reminders to citizens (#12): the day before at this hour, optionally also two hours before.
        "REMINDER_HOUR": 17,
        "REMINDER_TWO_HOURS_BEFORE": False,
        "MESSAGE_SENDER_NAME": "Din Indgang",  # signs the texts; the SMS sender (at most 11 characters)
        # The providers: without a URL, that channel's messages stay queued and the citizen page says why.
        "SMTP_URL": None,  # smtp://user:password@host:587 (STARTTLS when offered) or smtps://host:465
        "MAIL_FROM": "Din Indgang <noreply@dinindgang.invalid>",
        "SMS_URL": None,  # the gateway's send endpoint, e.g. https://gatewayapi.com/rest/mtsms
        "SMS_TOKEN": None,
        "MESSAGE_MAX_ATTEMPTS": 8,  # then fejlet
        "MESSAGE_LEASE_SECONDS": 300,  # a claimed message not recorded in this time becomes "uvis"
        # Insight (#13): the access log names roles and purposes; staff names only when this is on.
        "INSIGHT_STAFF_NAMES": False,
        "MESSAGE_TIMEOUT_SECONDS": 10,  # network timeout per provider call
        # The key that encrypts values at rest (webapp/datakey.py): required in production, derived
        # from SECRET_KEY in development and testing; the previous key only during a rotation.
        "DATA_KEY": None,
        "DATA_KEY_OLD": None,
        # Retention (#13, webapp/privacy/retention.py; README explains each default).
        "RETENTION_UNLINKED_CONTACT_NOTE_DAYS": 90,
        "RETENTION_INACTIVE_CITIZEN_YEARS": 5,
        "RETENTION_PLAN_DRAFT_DAYS": 30,
        "RETENTION_MESSAGE_BODY_DAYS": 30,
        "RETENTION_AUDIT_LOG_YEARS": 5,
        "RETENTION_BACKUP_DAYS": 35,
        "DEBUG": False,
    }


def database_url_from_env(url: str) -> str:
    """Accept the common `postgres://` spellings and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def check(config) -> None:
    env = config["APP_ENV"]
    if env not in ENVIRONMENTS:
        raise ConfigError(f"DININDGANG_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    secret = config.get("SECRET_KEY")
    if env == "production" and (not secret or secret == DEV_SECRET or len(secret) < 32):
        raise ConfigError(
            "Refusing to start: set SECRET_KEY (at least 32 random characters) in the environment "
            "or instance/config.py, e.g. python -c 'import secrets; print(secrets.token_hex(32))'"
        )
    proxies = config.get("TRUSTED_PROXIES")
    if isinstance(proxies, bool) or not isinstance(proxies, int) or not 0 <= proxies <= 10:
        raise ConfigError(
            f"DININDGANG_TRUSTED_PROXIES must be the number of reverse proxies in front of the app "
            f"(0-10), not {proxies!r}"
        )
    cost = config.get("HOURLY_COST")
    if isinstance(cost, bool) or not isinstance(cost, int) or not 1 <= cost <= 100_000:
        raise ConfigError(f"DININDGANG_HOURLY_COST must be whole kroner (1-100000), not {cost!r}")
    _check_messages(config)
    for name in ("RETENTION_UNLINKED_CONTACT_NOTE_DAYS", "RETENTION_PLAN_DRAFT_DAYS", "RETENTION_MESSAGE_BODY_DAYS",
                 "RETENTION_BACKUP_DAYS"):
        _whole(config, name, 1, 3650, "a number of days to keep it")
    _whole(config, "RETENTION_AUDIT_LOG_YEARS", 1, 30, "a number of years to keep the audit log")
    _whole(config, "RETENTION_INACTIVE_CITIZEN_YEARS", 1, 30, "a number of years to keep an inactive citizen")
    _whole(config, "TABLET_REFOLD_SECONDS", 1, 3600, "seconds before an unfolded list on the tablet folds again")
    _whole(config, "TABLET_CLEAR_SECONDS", 1, 3600, "seconds without input before the tablet clears a note or search")
    if not isinstance(config.get("SECOND_FACTOR_REQUIRED"), bool):
        raise ConfigError(
            f"DININDGANG_SECOND_FACTOR_REQUIRED must be true or false, not {config.get('SECOND_FACTOR_REQUIRED')!r}"
        )
    from . import datakey

    datakey.check(config)
    if env == "production" and config.get("DEBUG"):
        raise ConfigError("Refusing to start: DEBUG must be off in production")


def _whole(config, name: str, low: int, high: int, what: str) -> None:
    value = config.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"DININDGANG_{name} must be {what} ({low}-{high}), not {value!r}")


def _check_messages(config) -> None:
    """The reminders' settings (#12): refuse to start with one that would fail at the first send."""
    from urllib.parse import urlsplit

    _whole(config, "REMINDER_HOUR", 0, 23, "the hour of the day before at which reminders go out")
    _whole(config, "MESSAGE_MAX_ATTEMPTS", 1, 50, "the number of tries before a message is given up")
    _whole(config, "MESSAGE_LEASE_SECONDS", 30, 3600, "seconds a sender may hold a claimed message")
    _whole(config, "MESSAGE_TIMEOUT_SECONDS", 1, 120, "seconds to wait for a provider")
    if config["MESSAGE_TIMEOUT_SECONDS"] * 3 >= config["MESSAGE_LEASE_SECONDS"]:
        raise ConfigError("DININDGANG_MESSAGE_LEASE_SECONDS must be more than three times MESSAGE_TIMEOUT_SECONDS")
    if not isinstance(config.get("REMINDER_TWO_HOURS_BEFORE"), bool):
        raise ConfigError("DININDGANG_REMINDER_TWO_HOURS_BEFORE must be true or false")
    if not isinstance(config.get("INSIGHT_STAFF_NAMES", False), bool):
        raise ConfigError("DININDGANG_INSIGHT_STAFF_NAMES must be true or false")
    sender = config.get("MESSAGE_SENDER_NAME")
    if not isinstance(sender, str) or not 1 <= len(sender.strip()) <= 11 or not all(
            c.isalnum() or c in " .-" for c in sender):
        raise ConfigError(
            "DININDGANG_MESSAGE_SENDER_NAME must be 1-11 letters, digits or spaces (an SMS sender), "
            f"not {sender!r}"
        )
    if smtp := config.get("SMTP_URL"):
        parts = urlsplit(str(smtp))
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ConfigError("DININDGANG_SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465")
        try:
            parts.port  # noqa: B018 - raises on a bad port
        except ValueError as error:
            raise ConfigError(f"DININDGANG_SMTP_URL has a bad port: {error}") from None
    if sms := config.get("SMS_URL"):
        parts = urlsplit(str(sms))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError("DININDGANG_SMS_URL must be the gateway's http(s) address, e.g. "
                              "https://gatewayapi.com/rest/mtsms")
        if not config.get("SMS_TOKEN"):
            raise ConfigError("DININDGANG_SMS_URL is set but DININDGANG_SMS_TOKEN is not")
