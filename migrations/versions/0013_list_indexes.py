"""list indexes: the case list by stage and holder, the full-access rule's handoffs and
shares as index-only scans, and the statistics that tell PostgreSQL a holder is one Pokja's

Revision ID: 0013_list_indexes
Revises: 0012_hardening
Create Date: 2026-12-01 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_list_indexes'
down_revision = '0012_hardening'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_pokja_stage_holder_registered', ['pokja_id', 'stage', 'holder_agency_id', 'registered_at', 'id'], unique=False)

    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.create_index('ix_handoffs_from_case', ['from_agency_id', 'case_id'], unique=False)
        batch_op.create_index('ix_handoffs_to_case', ['to_agency_id', 'case_id'], unique=False)

    with op.batch_alter_table('shares', schema=None) as batch_op:
        batch_op.create_index('ix_shares_agency_case_active', ['agency_id', 'case_id'], unique=False, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))

    if op.get_bind().dialect.name == 'postgresql':
        # pokja.models.case.CASES_POKJA_HOLDER_STATISTICS; ANALYZE fills it in.
        op.execute('CREATE STATISTICS st_cases_pokja_holder (dependencies) ON pokja_id, holder_agency_id FROM cases')
        op.execute('ANALYZE cases')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP STATISTICS IF EXISTS st_cases_pokja_holder')

    with op.batch_alter_table('shares', schema=None) as batch_op:
        batch_op.drop_index('ix_shares_agency_case_active', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))

    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.drop_index('ix_handoffs_to_case')
        batch_op.drop_index('ix_handoffs_from_case')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_pokja_stage_holder_registered')
