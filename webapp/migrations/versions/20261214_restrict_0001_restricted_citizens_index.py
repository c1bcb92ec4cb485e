"""Restricted citizens (GDPR art. 18) are found by a partial index: lists, boards and the flush guard
ask "who is restricted?" often, and the answer is a handful of rows among thousands (#13)

Revision ID: restrict_0001
Revises: cpr_0001
Create Date: 2026-12-14 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'restrict_0001'
down_revision = 'cpr_0001'
branch_labels = None
depends_on = None

WHERE = sa.text("restricted_at IS NOT NULL")


def upgrade():
    op.create_index("ix_citizen_restricted", "citizen", ["restricted_at"], postgresql_where=WHERE, sqlite_where=WHERE)


def downgrade():
    op.drop_index("ix_citizen_restricted", table_name="citizen")
