"""stats indexes: the dashboard statistics' groupings and filters, the action-needed view's
declined handoffs

Revision ID: 0011_stats_indexes
Revises: 0010_service_tokens
Create Date: 2026-12-01 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_stats_indexes'
down_revision = '0010_service_tokens'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_pokja_category_registered', ['pokja_id', 'category', 'registered_at'], unique=False)
        batch_op.create_index('ix_cases_pokja_election_registered', ['pokja_id', 'election', 'registered_at'], unique=False)
        batch_op.create_index('ix_cases_pokja_source_registered', ['pokja_id', 'source', 'registered_at'], unique=False)
        batch_op.create_index('ix_cases_pokja_kecamatan_registered', ['pokja_id', 'kecamatan', 'registered_at'], unique=False)

    with op.batch_alter_table('subjects', schema=None) as batch_op:
        batch_op.create_index('ix_subjects_case_type', ['case_id', 'subject_type'], unique=False)

    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.create_index('ix_handoffs_pokja_to_status', ['pokja_id', 'to_agency_id', 'status'], unique=False)
        batch_op.create_index('ix_handoffs_from_status', ['from_agency_id', 'status'], unique=False)

    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.create_index('ix_recommendations_pokja_addressee_status', ['pokja_id', 'addressee_agency_id', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_index('ix_recommendations_pokja_addressee_status')

    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.drop_index('ix_handoffs_from_status')
        batch_op.drop_index('ix_handoffs_pokja_to_status')

    with op.batch_alter_table('subjects', schema=None) as batch_op:
        batch_op.drop_index('ix_subjects_case_type')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_pokja_kecamatan_registered')
        batch_op.drop_index('ix_cases_pokja_source_registered')
        batch_op.drop_index('ix_cases_pokja_election_registered')
        batch_op.drop_index('ix_cases_pokja_category_registered')
