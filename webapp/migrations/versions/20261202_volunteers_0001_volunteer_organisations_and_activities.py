"""volunteer organisations and their activities

Revision ID: volunteers_0001
Revises: keyfigures_0002
Create Date: 2026-12-02 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'volunteers_0001'
down_revision = 'keyfigures_0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('volunteer_organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('contact_person', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_organisation'))
    )
    op.create_table('volunteer_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('when_text', sa.String(length=200), nullable=False),
    sa.Column('weekdays', sa.String(length=40), nullable=False),
    sa.Column('for_whom', sa.Text(), nullable=False),
    sa.Column('places_free', sa.Integer(), nullable=True),
    sa.Column('open_to_all', sa.Boolean(), nullable=False),
    sa.Column('can_handle', sa.Text(), nullable=False),
    sa.Column('cannot_handle', sa.Text(), nullable=False),
    sa.Column('theme', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('places_free IS NULL OR places_free >= 0', name=op.f('ck_volunteer_activity_places_not_negative')),
    sa.ForeignKeyConstraint(['organisation_id'], ['volunteer_organisation.id'], name=op.f('fk_volunteer_activity_organisation_id_volunteer_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_activity'))
    )
    with op.batch_alter_table('volunteer_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_activity_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_volunteer_activity_theme', ['theme', 'active'], unique=False)


def downgrade():
    with op.batch_alter_table('volunteer_activity', schema=None) as batch_op:
        batch_op.drop_index('ix_volunteer_activity_theme')
        batch_op.drop_index(batch_op.f('ix_volunteer_activity_organisation_id'))
    op.drop_table('volunteer_activity')
    op.drop_table('volunteer_organisation')
