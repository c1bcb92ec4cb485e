"""Din Indgang: the intranet of a municipal walk-in front door."""

import logging
import os
from pathlib import Path

from flask import Flask

from . import config as app_config
from .extensions import csrf, db, limiter, login_manager, migrate

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app_env = (test_config or {}).get("APP_ENV") or os.environ.get("DININDGANG_ENV", "production")
    app.config.from_mapping(app_config.defaults(app_env, app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        _from_environment(app)
    else:
        app.config.from_mapping(test_config)
    app_config.check(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    register_extensions(app)
    register_blueprints(app)
    from .welcome import daycounts  # noqa: F401 - keeps contact_day_count in step with every flush
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    _quiet_logs(app)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies, the client's address and scheme come from the headers the
    proxies add (the Nth value from the right, so a client cannot forge them). The Host header
    is left alone: proxies pass it on, and a client-sent X-Forwarded-Host would be believed."""
    if proxies := app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def _from_environment(app: Flask) -> None:
    if secret := os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret
    if url := os.environ.get("DATABASE_URL") or app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app_config.database_url_from_env(url)
    app.config.from_prefixed_env("DININDGANG")
    for name in ("DATA_KEY", "DATA_KEY_OLD"):  # as written: a hex key may look like a JSON number
        if (raw := os.environ.get(f"DININDGANG_{name}")) is not None:
            app.config[name] = raw


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401 - every table known to SQLAlchemy and Alembic
    from .database import configure_engine

    app.config["SQLALCHEMY_DATABASE_URI"] = app_config.database_url_from_env(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log ind for at fortsætte."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    from . import inputs, permissions, security

    security.init_app(app)
    permissions.init_app(app)
    from .privacy import restriction

    restriction.init_app(app)
    inputs.init_app(app)


def register_blueprints(app: Flask) -> None:
    from . import urls

    urls.init_app(app)  # converters first: the blueprints' rules use them
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .citizens import bp as citizens_bp
    from .documentation import bp as documentation_bp
    from .groups import bp as groups_bp
    from .handover import bp as handover_bp
    from .main import bp as main_bp
    from .meeting import bp as meeting_bp
    from .messages import bp as messages_bp
    from .outcomes import bp as outcomes_bp
    from .outreach import bp as outreach_bp
    from .plans import bp as plans_bp
    from .privacy import bp as privacy_bp
    from .reports import bp as reports_bp
    from .volunteers import bp as volunteers_bp
    from .welcome import bp as welcome_bp

    for bp in (
        main_bp, auth_bp, welcome_bp, citizens_bp, plans_bp, outcomes_bp, groups_bp,
        handover_bp, outreach_bp, meeting_bp, admin_bp, reports_bp, documentation_bp, volunteers_bp,
        messages_bp, privacy_bp,
    ):
        app.register_blueprint(bp)

    from .access import public

    public(app.view_functions["static"])


def register_errorhandlers(app: Flask) -> None:
    from . import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from . import cli

    cli.init_app(app)


def register_template_helpers(app: Flask) -> None:
    from . import timeutil
    from .audit import action_label
    from .auth.roles import ROLE_LABELS
    from .welcome.vocab import CHANNELS

    app.jinja_env.filters["date_da"] = timeutil.format_date
    app.jinja_env.filters["datetime_da"] = timeutil.format_datetime
    app.jinja_env.filters["time_da"] = timeutil.format_time
    app.jinja_env.filters["weekday_da"] = lambda d: timeutil.WEEKDAYS_DA[d.weekday()]
    app.jinja_env.filters["local_date_iso"] = lambda dt: timeutil.local(dt).date().isoformat()
    app.jinja_env.filters["channel_label"] = lambda code: CHANNELS.get(code, code)
    app.jinja_env.globals["ROLE_LABELS"] = ROLE_LABELS
    app.jinja_env.filters["audit_label"] = action_label
    app.jinja_env.globals["UNIT_NAME"] = app.config["UNIT_NAME"]


def _quiet_logs(app: Flask) -> None:
    # Werkzeug's access log prints query strings; ours never carry CPR numbers, but keep the
    # development server's log to the path only to be sure nothing personal is written.
    logging.getLogger("werkzeug").addFilter(_StripQuery())


class _StripQuery(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple) and isinstance(record.args[0], str):
            first = record.args[0]
            if "?" in first:
                method_path, _, rest = first.partition("?")
                proto = rest.rsplit(" ", 1)[-1] if " " in rest else ""
                record.args = (f"{method_path} {proto}".rstrip(), *record.args[1:])
        return True
