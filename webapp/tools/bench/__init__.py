"""`flask --app wsgi bench`: seed a throwaway database the size of a large municipality over ten
years and print server-side timings (through the test client). The last line is one JSON object.

Each feature adds a seeding step and a measurement (a module of this package, listed in
`feature_benches`); every figure is also taken on an empty database, so growth with history shows
(`*_empty`). A database given with `--database-url` is wiped, so the bench marks every database it
sets up (`bench_marker`) and refuses one that has tables without that mark."""

import gc
import json
import os
import random
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime

import click
import flask_migrate
from flask import Flask
from sqlalchemy import Column, DateTime, MetaData, Table, insert, inspect, text

BENCH_PASSWORD = "benchmark kaffe ved havnen"  # noqa: S105 - throwaway database


# The table the bench creates in every database it sets up: the only kind of database with tables
# that it will wipe. Not a model: it never exists outside a bench database.
MARKER = Table("bench_marker", MetaData(), Column("created_at", DateTime(timezone=True), nullable=False))


@dataclass
class SeedContext:
    rng: random.Random
    today: date
    staff_ids: list[int]
    n_citizens: int
    n_contacts: int
    large: bool


def feature_benches() -> tuple:
    """The features' benches in seeding order (the handover bench seeds the courses the meeting's
    agenda reads). Each module has any of
      seed(ctx: SeedContext) -> None          (inside an app context; commit what you add)
      measure(app, visitor, runs) -> dict     (figures in ms; keys end in _ms)"""
    from . import citizens, handover, meeting, messages, outcomes, plans, reports

    return (citizens, plans, outcomes, handover, meeting, reports, messages)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 2)


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm caches and templates
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def timed_after_change(change: Callable[[], object], view: Callable[[], object], runs: int) -> list[float]:
    """The view's time right after each change (the change itself not counted): what the first
    request pays when nothing cached can serve it."""
    change()
    view()  # warm templates
    samples = []
    for _ in range(max(10, runs // 4)):
        change()
        start = time.perf_counter()
        view()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def make_bench_app(url: str) -> Flask:
    from webapp import create_app
    from webapp.testing import IsolatedClient

    app = create_app(
        {
            "APP_ENV": "testing",
            "SECRET_KEY": secrets.token_hex(32),
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
        }
    )
    app.test_client_class = IsolatedClient
    return app


def foreign_tables(engine) -> list[str]:
    """The tables and views the bench would wipe, or [] when the database is empty or was set up
    by the bench."""
    found = inspect(engine)
    schema = "public" if engine.dialect.name == "postgresql" else None  # what reset_schema drops
    names = sorted(found.get_table_names(schema=schema) + found.get_view_names(schema=schema))
    return [] if MARKER.name in names else names


def refuse_foreign_database(engine) -> None:
    if names := foreign_tables(engine):
        where = engine.url.render_as_string(hide_password=True)
        raise click.ClickException(
            f"Refusing to wipe {where}: it has tables or views the bench did not create: "
            f"{', '.join(names)}. The bench wipes the database it is given; give it an empty "
            "throwaway database of its own."
        )


def reset_schema(app: Flask) -> None:
    """Wipe the database (only an empty one or one the bench set up), migrate it and mark it."""
    from webapp import MIGRATIONS_DIR
    from webapp.extensions import db
    from webapp.timeutil import utcnow

    with app.app_context():
        refuse_foreign_database(db.engine)
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        else:
            existing = MetaData()
            existing.reflect(bind=db.engine)
            existing.drop_all(bind=db.engine)
        with db.engine.begin() as conn:
            MARKER.create(conn)
            conn.execute(insert(MARKER).values(created_at=utcnow()))
        flask_migrate.upgrade(directory=MIGRATIONS_DIR)


# --- seeding -------------------------------------------------------------------------------------


def seed_users(n_staff: int = 40) -> list[int]:
    from webapp.auth.passwords import hash_password
    from webapp.auth.services import create_user
    from webapp.extensions import db

    create_user(username="bench", full_name="Bente Bench", initials="BB", password=BENCH_PASSWORD,
                roles=["staff", "leader"], has_authority_experience=True, check_policy=False)
    digest = hash_password("x" * 20)
    ids = []
    for i in range(n_staff):
        user = create_user(username=f"staff{i}", full_name=f"Medarbejder {i}", initials=f"M{i}",
                           password="x" * 20, roles=["staff"], check_policy=False)
        user.password_hash = digest
        ids.append(user.id)
    db.session.commit()
    return ids


def seed_citizens(n: int, rng: random.Random) -> None:
    from webapp.citizens.models import Citizen
    from webapp.extensions import db

    names = ["Anna", "Bo", "Camilla", "Dennis", "Emma", "Frederik", "Gitte", "Henrik", "Ida", "Jonas"]
    rows = []
    for i in range(n):
        first = names[i % len(names)] + ("" if i < 10 else str(i))
        rows.append({
            "first_name": first, "last_name": f"Efternavn{i}", "first_name_lower": first.lower(),
            "phone": f"{20000000 + i}", "birth_date": date(1950, 1, 1) + timedelta(days=rng.randint(0, 20000)),
            "created_at": datetime(2016, 9, 1, tzinfo=_UTC()),
        })
        if len(rows) == 20000:
            db.session.execute(insert(Citizen), rows)
            rows = []
    if rows:
        db.session.execute(insert(Citizen), rows)
    db.session.commit()


def _UTC():
    from datetime import UTC

    return UTC


def seed_contacts(n: int, years: int, today: date, staff_ids: list[int], n_citizens: int,
                  rng: random.Random) -> None:
    """n contacts spread over the given years, with today as busy as an average day."""
    from webapp.extensions import db
    from webapp.timeutil import LOCAL_TZ
    from webapp.welcome.models import Contact

    days = [today - timedelta(days=i) for i in range(years * 365) if (today - timedelta(days=i)).weekday() < 5]
    per_day = max(1, n // len(days))
    kinds = ["visit", "phone", "ad_hoc"]
    from_types = ["borger"] * 50 + ["paaroerende"] * 9 + ["samarbejdspartner"] * 41
    partners = ["jobcenter", "lokalpsykiatri", "borgerservice", "myndighedsafdelingen", "anden"]
    rows, made = [], 0
    for day in days:
        for j in range(per_day):
            if made >= n:
                break
            minute = 8 * 60 + (j * 7) % (8 * 60)
            at = datetime.combine(day, dtime(minute // 60, minute % 60), tzinfo=LOCAL_TZ)
            kind = kinds[j % 3]
            from_type = "borger" if kind == "ad_hoc" else rng.choice(from_types)
            rows.append({
                "occurred_at": at, "created_at": at, "local_date": day, "kind": kind,
                "channel": "telefon" if kind == "phone" else "fremmoede", "from_type": from_type,
                "partner": rng.choice(partners) if from_type == "samarbejdspartner" else None,
                "topics": "mitid,brev" if kind == "ad_hoc" else "", "is_ad_hoc": kind == "ad_hoc",
                "duration_minutes": 15, "logged_by_id": rng.choice(staff_ids),
                "citizen_id": rng.randint(1, n_citizens) if n_citizens and j % 4 == 0 else None,
            })
            made += 1
            if len(rows) == 50000:
                db.session.execute(insert(Contact), rows)
                db.session.commit()
                rows = []
    if rows:
        db.session.execute(insert(Contact), rows)
    db.session.commit()
    from webapp.welcome import daycounts

    daycounts.rebuild(db.session)  # bulk inserts bypass the flush that keeps the day counts
    db.session.commit()


# --- measurements --------------------------------------------------------------------------------


def measure(app: Flask, runs: int) -> dict[str, float]:
    from webapp.testing import Visitor

    visitor = Visitor(app.test_client())
    assert visitor.login("bench", BENCH_PASSWORD).status_code == 302
    hx = {"HX-Request": "true"}
    figures: dict[str, float] = {}

    def log_contact():
        response = visitor.post("/henvendelser", {"kind": "phone", "tap_token": secrets.token_urlsafe(18)},
                                headers=hx)
        assert response.status_code == 201, response.status_code

    figures["log_contact_p95_ms"] = p95(timed(log_contact, runs))

    def board_fragment():
        response = visitor.client.get("/dagstavle?visning=tablet", headers=hx)
        assert response.status_code == 200

    figures["board_fragment_p95_ms"] = p95(timed(board_fragment, runs))

    # The first render after a change: what the first board to poll pays.
    figures["board_after_change_p95_ms"] = p95(timed_after_change(log_contact, board_fragment, runs))

    since = visitor.client.get("/dagstavle?visning=tablet", headers=hx).get_data(as_text=True)
    import re

    poll_url = re.search(r'data-hx-get="([^"]+)"', since).group(1).replace("&amp;", "&")

    def board_unchanged():
        response = visitor.client.get(poll_url, headers={**hx, "X-Background": "1"})
        assert response.status_code == 204

    figures["board_unchanged_p95_ms"] = p95(timed(board_unchanged, runs))

    week = (date.today() - timedelta(days=14)).isocalendar()

    def register_week():
        response = visitor.client.get(f"/henvendelser/uge?uge={week[0]}-W{week[1]:02d}")
        assert response.status_code == 200

    figures["register_week_p95_ms"] = p95(timed(register_week, runs))
    for module in feature_benches():
        if hasattr(module, "measure"):
            figures.update(module.measure(app, visitor, runs))
    return figures


def run_bench(url: str | None, contacts: int, citizens: int, years: int, runs: int,
              setup_only: bool = False) -> dict:
    from webapp.extensions import db
    from webapp.timeutil import today_local

    results: dict = {"database": "postgresql" if url and url.startswith("postgres") else "sqlite"}
    with tempfile.TemporaryDirectory() as tmp:
        for label, n_contacts, n_citizens in (("empty", 0, 0), ("large", contacts, citizens)):
            db_url = url or f"sqlite:///{os.path.join(tmp, label + '.sqlite')}"
            app = make_bench_app(db_url)
            reset_schema(app)
            if setup_only:
                with app.app_context():
                    click.echo(f"Set up and marked for the bench: {db.engine.url.render_as_string(hide_password=True)}")
                    db.engine.dispose()
                return results
            with app.app_context():
                rng = random.Random(42)  # noqa: S311 - repeatable synthetic data
                start = time.perf_counter()
                staff_ids = seed_users()
                seed_citizens(n_citizens, rng)
                seed_contacts(n_contacts, years, today_local(), staff_ids, n_citizens, rng)
                ctx = SeedContext(rng, today_local(), staff_ids, n_citizens, n_contacts, label == "large")
                for module in feature_benches():
                    if hasattr(module, "seed"):
                        module.seed(ctx)
                seconds = round(time.perf_counter() - start, 1)
                click.echo(f"[{label}] seeded {n_contacts:,} contacts and {n_citizens:,} citizens in {seconds} s")
                db.session.remove()
            # As a production worker does after start-up (wsgi.py): freeze what is alive now.
            gc.collect()
            gc.freeze()
            figures = measure(app, runs)
            gc.unfreeze()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            click.echo(f"[{label}] " + ", ".join(f"{k}={v}" for k, v in figures.items()))
            for key, value in figures.items():
                results[key if label == "large" else key.replace("_ms", "_empty_ms")] = value
            results[f"seed_{label}_s"] = seconds
    results["contacts"] = contacts
    results["citizens"] = citizens
    return results


def main(database_url: str | None, contacts: int, citizens: int, years: int, runs: int,
         setup_only: bool = False) -> None:
    """`flask bench` (its options are declared in webapp/cli.py, which imports this lazily)."""
    from webapp.config import database_url_from_env

    url = database_url_from_env(database_url) if database_url else None
    results = run_bench(url, contacts, citizens, years, runs, setup_only)
    if not setup_only:
        click.echo(json.dumps(results, sort_keys=True))
