"""volunteer requests and matches, and group runs that carry on as volunteer groups

Revision ID: volunteers_0002
Revises: volunteers_0001
Create Date: 2026-12-12 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'volunteers_0002'
down_revision = 'volunteers_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('volunteer_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('guide_conversation_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('wishes', sa.Text(), nullable=False),
    sa.Column('considerations', sa.Text(), nullable=False),
    sa.Column('themes', sa.String(length=200), nullable=False),
    sa.Column('weekdays', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('close_reason', sa.String(length=300), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'], name=op.f('fk_volunteer_request_citizen_id_citizen'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_volunteer_request_course_id_course'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['guide_conversation_id'], ['guide_conversation.id'], name=op.f('fk_volunteer_request_guide_conversation_id_guide_conversation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_volunteer_request_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_volunteer_request_closed_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_request'))
    )
    with op.batch_alter_table('volunteer_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_request_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index('ix_volunteer_request_status', ['status', 'created_at'], unique=False)

    op.create_table('volunteer_match',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('version_saved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version_saved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'], name=op.f('fk_volunteer_match_citizen_id_citizen'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['volunteer_request.id'], name=op.f('fk_volunteer_match_request_id_volunteer_request'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['activity_id'], ['volunteer_activity.id'], name=op.f('fk_volunteer_match_activity_id_volunteer_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_volunteer_match_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['version_saved_by_id'], ['user.id'], name=op.f('fk_volunteer_match_version_saved_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_match'))
    )
    with op.batch_alter_table('volunteer_match', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_match_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_match_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_match_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index('ix_volunteer_match_state', ['state'], unique=False)

    op.create_table('volunteer_match_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('comment', sa.String(length=500), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['match_id'], ['volunteer_match.id'], name=op.f('fk_volunteer_match_step_match_id_volunteer_match'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_volunteer_match_step_recorded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_match_step'))
    )
    with op.batch_alter_table('volunteer_match_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_match_step_match_id'), ['match_id'], unique=False)

    with op.batch_alter_table('group_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('continues_in_organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('continues_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('continues_note', sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_group_run_continues_in_organisation_id_volunteer_organisation'), 'volunteer_organisation',
            ['continues_in_organisation_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('group_run', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_group_run_continues_in_organisation_id_volunteer_organisation'),
                                 type_='foreignkey')
        batch_op.drop_column('continues_note')
        batch_op.drop_column('continues_from')
        batch_op.drop_column('continues_in_organisation_id')
    op.drop_table('volunteer_match_step')
    op.drop_table('volunteer_match')
    op.drop_table('volunteer_request')
