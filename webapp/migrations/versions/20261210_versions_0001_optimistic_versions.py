"""optimistic version checks: a version counter and who saved last on records two people edit

Revision ID: versions_0001
Revises: welcome_0001
Create Date: 2026-12-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'versions_0001'
down_revision = 'welcome_0001'
branch_labels = None
depends_on = None

# Handover drafts, citizen details, group runs, outreach requests, direct-proposal decisions.
TABLES = ('handover', 'citizen', 'group_run', 'outreach_request', 'direct_authority_proposal')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            # Existing rows start at version 1, like new ones.
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))
            batch_op.add_column(sa.Column('version_saved_at', sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column('version_saved_by_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f'fk_{table}_version_saved_by_id_user'), 'user', ['version_saved_by_id'], ['id'],
                ondelete='SET NULL',
            )


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_version_saved_by_id_user'), type_='foreignkey')
            batch_op.drop_column('version_saved_by_id')
            batch_op.drop_column('version_saved_at')
            batch_op.drop_column('version')
