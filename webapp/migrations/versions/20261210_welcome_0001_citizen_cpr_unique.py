"""one citizen per CPR number

Revision ID: welcome_0001
Revises: audit_0001
Create Date: 2026-12-02 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'welcome_0001'
down_revision = 'audit_0001'
branch_labels = None
depends_on = None


def upgrade():
    # "Opret alligevel" used to let a second citizen with the same CPR number through. Stop with a
    # clear message (citizen ids only, never the number) rather than a bare integrity error: a
    # person must merge those citizens before the unique index can be built.
    rows = op.get_bind().execute(sa.text(
        "SELECT id, cpr FROM citizen WHERE cpr IN "
        "(SELECT cpr FROM citizen WHERE cpr IS NOT NULL GROUP BY cpr HAVING COUNT(*) > 1) ORDER BY cpr, id"
    )).all()
    if rows:
        groups = {}
        for row_id, cpr in rows:
            groups.setdefault(cpr, []).append(str(row_id))
        raise RuntimeError(
            "Citizens share a CPR number; merge them before upgrading. Citizen ids: "
            + "; ".join(", ".join(ids) for ids in groups.values())
        )
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.drop_index('ix_citizen_cpr')
        batch_op.create_index('ix_citizen_cpr', ['cpr'], unique=True)


def downgrade():
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.drop_index('ix_citizen_cpr')
        batch_op.create_index('ix_citizen_cpr', ['cpr'], unique=False)
