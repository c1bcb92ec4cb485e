"""CPR numbers are encrypted at rest; a keyed hash takes over exact search and uniqueness (#13)

Revision ID: cpr_0001
Revises: totp_0001
Create Date: 2026-12-13 13:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
from flask import current_app

from webapp.datakey import current_key, decrypt, encrypt, keyed_hash, reading_keys


# revision identifiers, used by Alembic.
revision = 'cpr_0001'
down_revision = 'totp_0001'
branch_labels = None
depends_on = None

# Frozen copies of webapp/citizens/models.py's contexts: stored values depend on them.
CPR_CONTEXT = b"citizen.cpr"
CPR_KEY_CONTEXT = b"citizen.cpr/search-key"
STORED_LENGTH = 63  # webapp/datakey.py stored_length(10)
BATCH = 2000

citizen = sa.table('citizen', sa.column('id', sa.Integer), sa.column('cpr', sa.String), sa.column('cpr_key', sa.String))


def _convert(read, write_cpr, write_key):
    """Rewrite every citizen's CPR in batches by id (never all rows in memory)."""
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(sa.select(citizen.c.id, citizen.c.cpr).where(citizen.c.id > last,
                            citizen.c.cpr.is_not(None)).order_by(citizen.c.id).limit(BATCH)).all()
        if not rows:
            return
        for row_id, value in rows:
            digits = read(value)
            bind.execute(citizen.update().where(citizen.c.id == row_id)
                         .values(cpr=write_cpr(digits), cpr_key=write_key(digits)))
        last = rows[-1][0]


def upgrade():
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.drop_index('ix_citizen_cpr')
        batch_op.alter_column('cpr', type_=sa.String(length=STORED_LENGTH), existing_type=sa.String(length=10))
        batch_op.add_column(sa.Column('cpr_key', sa.String(length=64), nullable=True))
    key = current_key(current_app.config)
    _convert(lambda value: value,
             lambda digits: encrypt(digits, key, CPR_CONTEXT),
             lambda digits: keyed_hash(digits, key, CPR_KEY_CONTEXT))
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.create_index('ix_citizen_cpr_key', ['cpr_key'], unique=True)


def downgrade():
    keys = reading_keys(current_app.config)
    _convert(lambda value: decrypt(value, keys, CPR_CONTEXT), lambda digits: digits, lambda digits: None)
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.drop_index('ix_citizen_cpr_key')
        batch_op.drop_column('cpr_key')
        batch_op.alter_column('cpr', type_=sa.String(length=10), existing_type=sa.String(length=STORED_LENGTH))
        batch_op.create_index('ix_citizen_cpr', ['cpr'], unique=True)
