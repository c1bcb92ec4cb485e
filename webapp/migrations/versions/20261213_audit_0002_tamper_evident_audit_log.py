"""the audit log is tamper-evident: a hash chain, the retention path's audit_prune records, and
triggers that refuse every change but the sealing and the retention path (#13)

Revision ID: audit_0002
Revises: privacy_0001
Create Date: 2026-12-13 18:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'audit_0002'
down_revision = 'privacy_0001'
branch_labels = None
depends_on = None

REFUSED = "audit_event is append-only: rows are sealed once and deleted only by the retention path"
PRUNE_REFUSED = "audit_prune is insert-only"

# Every column but the chain's own three must stay as it was when a row is sealed.
CONTENT = ("id", "occurred_at", "user_id", "username", "action", "object_type", "object_id",
           "remote_addr", "details", "citizen_id", "roles")


def _sealing_only(is_same: str) -> str:
    same = " AND ".join(f"NEW.{c} {is_same} OLD.{c}" for c in CONTENT)
    return ("OLD.row_hash IS NULL AND OLD.chain_seq IS NULL AND NEW.row_hash IS NOT NULL "
            f"AND NEW.chain_seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND {same}")


PRUNED = "OLD.chain_seq IS NOT NULL AND EXISTS (SELECT 1 FROM audit_prune WHERE audit_prune.up_to_seq >= OLD.chain_seq)"

POSTGRESQL = [
    "CREATE FUNCTION audit_event_guard() RETURNS trigger AS $$ BEGIN "
    f"IF TG_OP = 'UPDATE' THEN IF {_sealing_only('IS NOT DISTINCT FROM')} THEN RETURN NEW; END IF; "
    f"ELSIF TG_OP = 'DELETE' THEN IF {PRUNED} THEN RETURN OLD; END IF; END IF; "
    f"RAISE EXCEPTION '{REFUSED}'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_event_guard BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_guard()",
    "CREATE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$ BEGIN "
    f"RAISE EXCEPTION '{REFUSED}'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()",
    "CREATE FUNCTION audit_prune_guard() RETURNS trigger AS $$ BEGIN "
    f"RAISE EXCEPTION '{PRUNE_REFUSED}'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_prune_guard BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_prune "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_prune_guard()",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_guard ON audit_event",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
    "DROP TRIGGER IF EXISTS audit_prune_guard ON audit_prune",
    "DROP FUNCTION IF EXISTS audit_event_guard()",
    "DROP FUNCTION IF EXISTS audit_refuse_truncate()",
    "DROP FUNCTION IF EXISTS audit_prune_guard()",
]
SQLITE = [
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    f"WHEN NOT ({_sealing_only('IS')}) BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    f"WHEN NOT ({PRUNED}) BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END",
    "CREATE TRIGGER audit_prune_no_update BEFORE UPDATE ON audit_prune "
    f"BEGIN SELECT RAISE(ABORT, '{PRUNE_REFUSED}'); END",
    "CREATE TRIGGER audit_prune_no_delete BEFORE DELETE ON audit_prune "
    f"BEGIN SELECT RAISE(ABORT, '{PRUNE_REFUSED}'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
    "DROP TRIGGER IF EXISTS audit_prune_no_update",
    "DROP TRIGGER IF EXISTS audit_prune_no_delete",
]


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    postgres = _postgres()
    # The old trigger refused every UPDATE, sealing included.
    op.execute("DROP TRIGGER IF EXISTS audit_event_no_update" + (" ON audit_event" if postgres else ""))
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS audit_event_refuse_update()")
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain_seq', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('row_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_event_chain_seq'), ['chain_seq'], unique=True)
    op.create_table('audit_prune',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pruned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('up_to_seq', sa.BigInteger(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('anchor_hash', sa.String(length=64), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('record_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_prune'))
    )
    # Existing rows have no chain yet: seal them in id order, a batch at a time. The hash is the
    # one documented in webapp/auditchain.py (it must never change, or old chains would break).
    from webapp.auditchain import seal

    bind = op.get_bind()
    while seal(bind, limit=5000):
        pass
    for statement in POSTGRESQL if postgres else SQLITE:
        op.execute(statement)


def downgrade():
    postgres = _postgres()
    for statement in POSTGRESQL_DROP if postgres else SQLITE_DROP:
        op.execute(statement)
    op.drop_table('audit_prune')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_chain_seq'))
        batch_op.drop_column('row_hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('chain_seq')
    if postgres:
        op.execute(
            "CREATE FUNCTION audit_event_refuse_update() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit_event is append-only'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_update()"
        )
    else:
        op.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
        )
