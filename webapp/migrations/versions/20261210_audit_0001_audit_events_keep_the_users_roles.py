"""audit events keep the user's roles

Revision ID: audit_0001
Revises: 6aa6f1e8cea7
Create Date: 2026-12-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'audit_0001'
down_revision = '6aa6f1e8cea7'
branch_labels = None
depends_on = None


def upgrade():
    # Adding a nullable column is a plain ALTER TABLE on both databases (no table copy), so the
    # append-only trigger stays in place; older rows keep NULL ("role not recorded").
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('roles', sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('roles')
