"""the key figures' first and last ORS score of a course: an index-only probe per course; the
persons with ad hoc help read partial indexes of live contacts with a known citizen; covering
indexes for closed courses, group meetings and attendance in a period

Revision ID: keyfigures_0002
Revises: contactdays_0001
Create Date: 2026-12-02 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

KNOWN_AND_LIVE = "citizen_id IS NOT NULL AND deleted_at IS NULL"


# revision identifiers, used by Alembic.
revision = 'keyfigures_0002'
down_revision = 'contactdays_0001'
branch_labels = None
depends_on = None


COVERING = (
    ('course', 'ix_course_closed', ['end_date', 'stop_reason', 'goal_attainment']),
    ('group_meeting', 'ix_group_meeting_hours', ['starts_at', 'cancelled', 'id', 'run_id', 'duration_minutes']),
    ('group_attendance', 'ix_group_attendance_meeting_status', ['meeting_id', 'status', 'citizen_id']),
)


def upgrade():
    for table, name, columns in COVERING:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_outcome_day')
        batch_op.drop_index('ix_contact_ad_hoc_day')
    for name, first in (('ix_contact_ad_hoc_day', 'is_ad_hoc'), ('ix_contact_outcome_day', 'outcome')):
        op.create_index(name, 'contact', [first, 'local_date', 'citizen_id'], unique=False,
                        sqlite_where=sa.text(KNOWN_AND_LIVE), postgresql_where=sa.text(KNOWN_AND_LIVE))
    with op.batch_alter_table('fit_score', schema=None) as batch_op:
        batch_op.create_index('ix_fit_score_course_ors',
                              ['course_id', 'scale', 'skipped', 'session_at', 'id', 'total_tenths'], unique=False)


def downgrade():
    for table, name, _columns in reversed(COVERING):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
    op.drop_index('ix_contact_outcome_day', table_name='contact')
    op.drop_index('ix_contact_ad_hoc_day', table_name='contact')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index('ix_contact_ad_hoc_day', ['is_ad_hoc', 'local_date', 'citizen_id', 'deleted_at'],
                              unique=False)
        batch_op.create_index('ix_contact_outcome_day', ['outcome', 'local_date', 'citizen_id', 'deleted_at'],
                              unique=False)
    with op.batch_alter_table('fit_score', schema=None) as batch_op:
        batch_op.drop_index('ix_fit_score_course_ors')
