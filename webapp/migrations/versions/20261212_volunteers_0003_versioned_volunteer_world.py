"""the volunteer world's organisations and activities get the optimistic version check

Revision ID: volunteers_0003
Revises: messages_0001
Create Date: 2026-12-12 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'volunteers_0003'
down_revision = 'messages_0001'
branch_labels = None
depends_on = None

# The coordinator and the leader both keep them (webapp/versioning.py).
TABLES = ('volunteer_organisation', 'volunteer_activity')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
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
