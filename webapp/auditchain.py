"""The audit log is tamper-evident: every row carries a SHA-256 hash over its content and the
previous row's hash, so changing, deleting, inserting or reordering a row breaks the chain, and
`flask --app wsgi audit verify` names the first broken row.

The hash of a row (an auditor can re-implement it from this paragraph alone):

    row_hash = hex(sha256(utf8(json)))

where `json` is the JSON array, without spaces (separators "," and ":"), non-ASCII characters
written as themselves (not \\u escapes), of these 13 values in this order:

    [id, occurred_at, user_id, username, action, object_type, object_id, remote_addr, details,
     citizen_id, roles, chain_seq, prev_hash]

integers as JSON numbers, texts as JSON strings, missing values as null, and `occurred_at` as
the UTC instant "YYYY-MM-DDTHH:MM:SS.ffffffZ" (always six decimals). `chain_seq` counts 1, 2, 3 …
without gaps; `prev_hash` is the previous row's `row_hash`; the first row's is 64 zeros
(`GENESIS`), or, after the retention job deleted the oldest rows, the anchor of the latest
`audit_prune` record (the hash of the last row deleted).

Each `audit_prune` record is chained too: record_hash = hex(sha256(utf8(json))) over
[pruned_at, up_to_seq, row_count, anchor_hash, prev_hash] (pruned_at like occurred_at; prev_hash: the previous record's
record_hash, the first's 64 zeros); and the run's summary row in the audit log
(`audit_pruned`) quotes up_to_seq and anchor_hash in its details, so a forged or edited
record does not match the chain.

Sealing: rows are inserted as always (`audit.record`, `audit.record_many`); the transaction that
inserted them gives them their place in the chain just before COMMIT (`_seal`, run by
webapp/live.py's before-commit hook after the last flush and before the change counter, which
stays the very last write). It takes a lock first — `pg_advisory_xact_lock(CHAIN_LOCK)` on
PostgreSQL; on SQLite the transaction already holds the database's write lock, since it wrote —
so two writers can never fork the chain, and the lock is held only for the commit. A unique index
on `chain_seq` refuses a fork should the lock ever be missing. Sealing takes every row that has no
place yet (in id order), so a row written past the session is sealed by the next commit.

The database refuses every other change (triggers from migration audit_0002): an UPDATE only
once, from unsealed to sealed, with no content column changed; a DELETE only of sealed rows
covered by an `audit_prune` record (`prune_before`, the retention job's path); `audit_prune`
itself is insert-only.

What the chain cannot do alone: someone with write access to the database could rewrite the
whole log from the tampered row on. Copy the head hash (`audit verify` prints it) off the server,
e.g. nightly to syslog, and compare.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import click
from flask.cli import AppGroup
from sqlalchemy import bindparam, delete, event, func, insert, select, text, update
from sqlalchemy.orm import Session

from . import live
from .audit import AuditEvent, AuditPrune, record
from .extensions import db
from .timeutil import utcnow

GENESIS = "0" * 64
CHAIN_LOCK = 0x13A0D17  # the advisory lock's key on PostgreSQL (any constant the app uses only here)
BATCH = 5000  # rows per read while verifying
SEALED = "audit_chain_wrote"  # Session.info mark: this transaction inserted audit rows

# The content columns, in hash order (chain_seq and prev_hash are added last).
CONTENT = ("id", "occurred_at", "user_id", "username", "action", "object_type", "object_id",
           "remote_addr", "details", "citizen_id", "roles")
_T = AuditEvent.__table__
_P = AuditPrune.__table__


# --- the hash ---------------------------------------------------------------------------------------


def instant(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # read from SQLite by Core without the type: stored as UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _digest(values: list) -> str:
    data = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def row_hash(row, chain_seq: int, prev_hash: str) -> str:
    """The hash of an audit row (a mapping or object with the CONTENT fields) at its place."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    values = [get(name) for name in CONTENT]
    values[1] = instant(values[1])
    return _digest([*values, chain_seq, prev_hash])


def prune_hash(pruned_at: datetime, up_to_seq: int, row_count: int, anchor_hash: str, prev_hash: str) -> str:
    return _digest([instant(pruned_at), up_to_seq, row_count, anchor_hash, prev_hash])


# --- sealing, just before COMMIT -----------------------------------------------------------------------


def _mark(session) -> None:
    session.info[SEALED] = True


@event.listens_for(Session, "after_flush")
def _inserted_by_flush(session, _flush_context):
    if any(isinstance(obj, AuditEvent) for obj in session.new):
        _mark(session)


@event.listens_for(Session, "do_orm_execute")
def _inserted_by_statement(state):
    if state.is_insert and state.statement.table is _T:
        _mark(state.session)


@event.listens_for(Session, "after_transaction_end")
def _transaction_over(session, transaction):
    if transaction.parent is None:
        session.info.pop(SEALED, None)


def lock_chain(connection) -> None:
    """Serialise writers of the chain until COMMIT (SQLite: the transaction's write lock does)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})


def head(connection) -> tuple[int, str]:
    """The chain's last (seq, hash); (anchor seq, anchor hash) when pruned to nothing; (0, GENESIS)."""
    last = connection.execute(
        select(_T.c.chain_seq, _T.c.row_hash).where(_T.c.chain_seq.is_not(None))
        .order_by(_T.c.chain_seq.desc()).limit(1)
    ).first()
    if last is not None:
        return last.chain_seq, last.row_hash
    pruned = _latest_prune(connection)
    return (pruned.up_to_seq, pruned.anchor_hash) if pruned is not None else (0, GENESIS)


def _latest_prune(connection):
    return connection.execute(select(_P).order_by(_P.c.id.desc()).limit(1)).first()


_SEAL = (
    update(_T)
    .where(_T.c.id == bindparam("_id"), _T.c.chain_seq.is_(None))
    .values(chain_seq=bindparam("_seq"), prev_hash=bindparam("_prev"), row_hash=bindparam("_hash"))
)


def seal(connection, limit: int | None = None) -> int:
    """Give every unsealed row (or the first `limit`) its place in the chain, in id order;
    returns how many."""
    lock_chain(connection)
    query = select(*(_T.c[name] for name in CONTENT)).where(_T.c.chain_seq.is_(None)).order_by(_T.c.id)
    rows = connection.execute(query if limit is None else query.limit(limit)).mappings().all()
    if not rows:
        return 0
    seq, prev = head(connection)
    params = []
    for row in rows:
        seq += 1
        digest = row_hash(row, seq, prev)
        params.append({"_id": row["id"], "_seq": seq, "_prev": prev, "_hash": digest})
        prev = digest
    connection.execute(_SEAL, params)
    return len(params)


def _seal_at_commit(session, connection) -> None:
    if session.info.get(SEALED):
        seal(connection)


live.before_counters(_seal_at_commit)


# --- the retention path ---------------------------------------------------------------------------------


def _prefix_end(connection, cutoff: datetime) -> int | None:
    """The last seq of the chain's prefix older than `cutoff` (the prefix stops at the first row
    that is not older, so the chain stays one piece)."""
    first_kept = connection.execute(
        select(func.min(_T.c.chain_seq)).where(_T.c.chain_seq.is_not(None), _T.c.occurred_at >= cutoff)
    ).scalar()
    query = select(func.max(_T.c.chain_seq)).where(_T.c.chain_seq.is_not(None), _T.c.occurred_at < cutoff)
    if first_kept is not None:
        query = query.where(_T.c.chain_seq < first_kept)
    return connection.execute(query).scalar()


def count_before(cutoff: datetime) -> int:
    """How many rows `prune_before(cutoff)` would delete (a dry run)."""
    connection = db.session.connection()
    end = _prefix_end(connection, cutoff)
    if end is None:
        return 0
    return connection.execute(select(func.count()).where(_T.c.chain_seq <= end)).scalar() or 0


def prune_before(cutoff: datetime, *, user=None) -> int:
    """Delete the chain's prefix of rows older than `cutoff` in the caller's transaction (which
    commits), through the path the triggers allow: first an `audit_prune` record naming the last
    seq deleted and its hash (the anchor the remaining chain starts from), then the DELETE, then
    one summary row `audit_pruned` (count and date range; nothing personal). Returns the count."""
    session = db.session
    session.flush()
    connection = session.connection()
    seal(connection)  # rows of this transaction first, so the prefix is well defined
    end = _prefix_end(connection, cutoff)
    if end is None:
        return 0
    last = connection.execute(select(_T.c.row_hash).where(_T.c.chain_seq == end)).scalar_one()
    count, first_at, last_at = connection.execute(
        select(func.count(), func.min(_T.c.occurred_at), func.max(_T.c.occurred_at)).where(_T.c.chain_seq <= end)
    ).one()
    previous = _latest_prune(connection)
    prev_hash = previous.record_hash if previous is not None else GENESIS
    pruned_at = utcnow()
    connection.execute(
        insert(_P).values(pruned_at=pruned_at, up_to_seq=end, row_count=count, anchor_hash=last,
                          prev_hash=prev_hash, record_hash=prune_hash(pruned_at, end, count, last, prev_hash))
    )
    connection.execute(delete(_T).where(_T.c.chain_seq <= end))
    record("audit_pruned", user=user, details=summary(count, first_at, last_at, end, last))
    session.flush()
    return count


def summary(count: int, first_at, last_at, up_to_seq: int, anchor: str) -> str:
    day = lambda value: instant(value)[:10]  # noqa: E731
    return (f"{count} hændelser fra {day(first_at)} til {day(last_at)} slettet; "
            f"til og med nr. {up_to_seq}; anker {anchor}")


# --- verifying ----------------------------------------------------------------------------------------


@dataclass
class Broken:
    id: int | None
    seq: int | None
    occurred_at: datetime | None
    problem: str

    def describe(self) -> str:
        when = instant(self.occurred_at) if isinstance(self.occurred_at, datetime) else "?"
        return f"row id={self.id} seq={self.seq} occurred_at={when}: {self.problem}"


@dataclass
class VerifyResult:
    checked: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    broken: Broken | None = None
    unsealed: int = 0

    @property
    def ok(self) -> bool:
        return self.broken is None and self.unsealed == 0


def verify_chain(rows: Iterable, *, start_seq: int = 0, start_hash: str = GENESIS) -> VerifyResult:
    """Check rows given in chain order (mappings or objects with the CONTENT fields, chain_seq,
    prev_hash and row_hash) against a start (seq, hash): the first problem is named."""
    result = VerifyResult(head_seq=start_seq, head_hash=start_hash)
    seq, prev = start_seq, start_hash
    for row in rows:
        get = row.get if isinstance(row, dict) else lambda name, row=row: getattr(row, name)
        row_seq = get("chain_seq")
        where = (get("id"), row_seq, get("occurred_at"))
        if row_seq != seq + 1:
            missing = f"seq {seq + 1}" if row_seq == seq + 2 else f"seqs {seq + 1}–{row_seq - 1}"
            problem = (f"row missing before it ({missing})" if row_seq > seq + 1
                       else f"seq out of order (expected {seq + 1})")
            result.broken = Broken(*where, problem)
            return result
        if get("prev_hash") != prev:
            result.broken = Broken(*where, "link broken (prev_hash is not the previous row's hash)")
            return result
        if row_hash(row, row_seq, prev) != get("row_hash"):
            result.broken = Broken(*where, "content changed (hash does not match)")
            return result
        seq, prev = row_seq, get("row_hash")
        result.checked += 1
        result.head_seq, result.head_hash = seq, prev
    return result


def _chain_rows(connection, batch: int = BATCH) -> Iterator:
    columns = [*(_T.c[name] for name in CONTENT), _T.c.chain_seq, _T.c.prev_hash, _T.c.row_hash]
    after = None
    while True:
        query = select(*columns).where(_T.c.chain_seq.is_not(None)).order_by(_T.c.chain_seq).limit(batch)
        if after is not None:
            query = query.where(_T.c.chain_seq > after)
        rows = connection.execute(query).mappings().all()
        if not rows:
            return
        yield from rows
        after = rows[-1]["chain_seq"]


def check_prunes(connection) -> tuple[int, str, str | None]:
    """The chain's start from the `audit_prune` records: (seq, hash, problem or None)."""
    prev = GENESIS
    latest = None
    for prune in connection.execute(select(_P).order_by(_P.c.id)):
        if prune.prev_hash != prev or prune.record_hash != prune_hash(
                prune.pruned_at, prune.up_to_seq, prune.row_count, prune.anchor_hash, prune.prev_hash):
            return 0, GENESIS, f"audit_prune record id={prune.id} changed (hash does not match)"
        prev, latest = prune.record_hash, prune
    if latest is None:
        return 0, GENESIS, None
    quoted = f"til og med nr. {latest.up_to_seq}; anker {latest.anchor_hash}"
    summary_row = connection.execute(
        select(_T.c.id).where(_T.c.action == "audit_pruned", _T.c.chain_seq > latest.up_to_seq,
                              _T.c.details.contains(quoted, autoescape=True)).limit(1)
    ).first()
    if summary_row is None:
        return latest.up_to_seq, latest.anchor_hash, (
            f"audit_prune record id={latest.id} has no matching audit_pruned row in the chain")
    return latest.up_to_seq, latest.anchor_hash, None


def verify(connection, batch: int = BATCH) -> VerifyResult:
    start_seq, start_hash, problem = check_prunes(connection)
    if problem:
        result = VerifyResult(head_seq=start_seq, head_hash=start_hash)
        result.broken = Broken(None, None, None, problem)
        return result
    result = verify_chain(_chain_rows(connection, batch), start_seq=start_seq, start_hash=start_hash)
    result.unsealed = connection.execute(select(func.count()).where(_T.c.chain_seq.is_(None))).scalar() or 0
    return result


# --- flask --app wsgi audit verify ---------------------------------------------------------------------

audit_cli = AppGroup("audit", help="The tamper-evident audit log.")


@audit_cli.command("verify")
@click.option("--batch", default=BATCH, show_default=True, help="Rows read at a time.")
def verify_command(batch):
    """Walk the audit log's hash chain; exit 1 and name the first broken row if it is broken."""
    # One read transaction: a consistent snapshot on both databases; it writes nothing and
    # takes no write lock, so the app keeps working while a large log is checked.
    db.session.rollback()  # a fresh snapshot, whatever ran before in this context
    connection = db.session.connection()
    try:
        result = verify(connection, batch=max(batch, 1))
    finally:
        db.session.rollback()
    click.echo(f"Checked {result.checked} rows; head seq {result.head_seq}, hash {result.head_hash}")
    if result.unsealed:
        click.echo(f"UNSEALED: {result.unsealed} rows have no place in the chain (written past the app?)", err=True)
    if result.broken is not None:
        click.echo(f"BROKEN: {result.broken.describe()}", err=True)
    raise SystemExit(0 if result.ok else 1)
