"""contacts per day and kind for the key figures (contact_day_count), filled from the contacts;
indexes for the distinct persons with ad hoc help, courses started, meeting hours and outreach visits

Revision ID: contactdays_0001
Revises: documentation_0001
Create Date: 2026-12-02 09:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'contactdays_0001'
down_revision = 'documentation_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'contact_day_count',
        sa.Column('local_date', sa.Date(), nullable=False),
        sa.Column('from_type', sa.String(length=20), nullable=False),
        sa.Column('channel', sa.String(length=12), nullable=False),
        sa.Column('partner', sa.String(length=30), nullable=False),
        sa.Column('ad_hoc', sa.Boolean(), nullable=False),
        sa.Column('with_citizen', sa.Boolean(), nullable=False),
        sa.Column('contacts', sa.Integer(), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('local_date', 'from_type', 'channel', 'partner', 'ad_hoc', 'with_citizen',
                                name=op.f('pk_contact_day_count')),
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index('ix_contact_ad_hoc_day', ['is_ad_hoc', 'local_date', 'citizen_id', 'deleted_at'],
                              unique=False)
        batch_op.create_index('ix_contact_outcome_day', ['outcome', 'local_date', 'citizen_id', 'deleted_at'],
                              unique=False)
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.create_index('ix_course_start', ['start_date', 'is_return'], unique=False)
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_hours', ['status', 'starts_at', 'kind', 'duration_minutes', 'staff1_id',
                                                   'staff2_id'], unique=False)
    with op.batch_alter_table('outreach_visit', schema=None) as batch_op:
        batch_op.create_index('ix_outreach_visit_date', ['visit_date', 'duration_minutes'], unique=False)
    contact = sa.table(
        'contact', sa.column('local_date', sa.Date), sa.column('from_type', sa.String), sa.column('channel', sa.String),
        sa.column('partner', sa.String), sa.column('is_ad_hoc', sa.Boolean), sa.column('outcome', sa.String),
        sa.column('citizen_id', sa.Integer), sa.column('deleted_at', sa.DateTime), sa.column('duration_minutes', sa.Integer),
    )
    ad_hoc = sa.case((sa.or_(contact.c.is_ad_hoc.is_(True), contact.c.outcome == 'ad_hoc_givet'), sa.true()),
                     else_=sa.false())
    with_citizen = sa.case((contact.c.citizen_id.is_not(None), sa.true()), else_=sa.false())
    keys = (contact.c.local_date, sa.func.coalesce(contact.c.from_type, ''), sa.func.coalesce(contact.c.channel, ''),
            sa.func.coalesce(contact.c.partner, ''), ad_hoc, with_citizen)
    rows = (sa.select(*keys, sa.func.count(), sa.func.coalesce(sa.func.sum(contact.c.duration_minutes), 0))
            .where(contact.c.deleted_at.is_(None), contact.c.local_date.is_not(None)).group_by(*keys))
    counts = sa.table('contact_day_count', *(sa.column(name) for name in (
        'local_date', 'from_type', 'channel', 'partner', 'ad_hoc', 'with_citizen', 'contacts', 'minutes')))
    op.execute(counts.insert().from_select(
        ['local_date', 'from_type', 'channel', 'partner', 'ad_hoc', 'with_citizen', 'contacts', 'minutes'], rows))


def downgrade():
    with op.batch_alter_table('outreach_visit', schema=None) as batch_op:
        batch_op.drop_index('ix_outreach_visit_date')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_hours')
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_index('ix_course_start')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_outcome_day')
        batch_op.drop_index('ix_contact_ad_hoc_day')
    op.drop_table('contact_day_count')
