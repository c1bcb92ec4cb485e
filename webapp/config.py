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
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        "WTF_CSRF_TIME_LIMIT": None,  # the session's own limits bound the token's life
        "BACKUP_DIR": os.path.join(instance_path, "backups"),
        "UNDO_WINDOW_SECONDS": 120,  # "Fortryd" at the welcome table removes the user's own tap this long
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
    if env == "production" and config.get("DEBUG"):
        raise ConfigError("Refusing to start: DEBUG must be off in production")
