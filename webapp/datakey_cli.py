"""`flask --app wsgi rotate-data-key`: re-encrypt every value at rest under the current data key.

Set the new key in DININDGANG_DATA_KEY and the previous one in DININDGANG_DATA_KEY_OLD, run this
once (all rows in ONE transaction: nothing half done), then remove DATA_KEY_OLD. Until it has run,
exact CPR search finds only citizens saved under the new key (the keyed hash depends on it)."""

import click
import sqlalchemy as sa
from flask import current_app

from .database import write_intent
from .datakey import DecryptionError, current_key, decrypt, encrypt, keyed_hash, reading_keys
from .extensions import db

# (table, column, context, the keyed-hash column and its context or None) — every encrypted column.
ENCRYPTED = (
    ("citizen", "cpr", b"citizen.cpr", ("cpr_key", b"citizen.cpr/search-key")),
    ("user", "totp_secret", b"user.totp_secret", None),
)


def rotate() -> dict[str, int]:
    """Re-encrypt in the caller's transaction; raises DecryptionError on a value no key opens."""
    config = current_app.config
    new, keys = current_key(config), reading_keys(config)
    counts = {}
    for table_name, column, context, hashed in ENCRYPTED:
        columns = [sa.column("id", sa.Integer), sa.column(column, sa.String)] + (
            [sa.column(hashed[0], sa.String)] if hashed else [])
        table = sa.table(table_name, *columns)
        rows = db.session.execute(sa.select(table.c.id, table.c[column]).where(table.c[column].is_not(None))).all()
        for row_id, stored in rows:
            try:
                plain = decrypt(stored, keys, context)
            except DecryptionError as error:
                raise DecryptionError(f"{table_name} {row_id}: {error}") from None
            values = {column: encrypt(plain, new, context)}
            if hashed:
                values[hashed[0]] = keyed_hash(plain, new, hashed[1])
            db.session.execute(table.update().where(table.c.id == row_id).values(**values))
        counts[f"{table_name}.{column}"] = len(rows)
    return counts


@click.command("rotate-data-key")
def rotate_data_key_command():
    """Re-encrypt every value at rest under DININDGANG_DATA_KEY (the old key in DININDGANG_DATA_KEY_OLD)."""
    if current_app.config.get("DATA_KEY_OLD") in (None, "") or current_app.config.get("DATA_KEY") in (None, ""):
        raise click.ClickException(
            "Set DININDGANG_DATA_KEY to the new key and DININDGANG_DATA_KEY_OLD to the previous one.")
    with write_intent():
        try:
            counts = rotate()
            db.session.commit()
        except DecryptionError as error:
            db.session.rollback()
            raise click.ClickException(f"Nothing was changed: {error}") from None
    for name, count in counts.items():
        click.echo(f"{name}: {count} re-encrypted")
    click.echo("Done. Remove DININDGANG_DATA_KEY_OLD from the settings now.")
