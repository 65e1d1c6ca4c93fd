"""read path: the access log of personal-data reads, composite indexes for the case list

Revision ID: 0008_read_path
Revises: 0005_recommendations
Create Date: 2026-12-01 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_read_path'
down_revision = '0005_recommendations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('personal_data_reads',
    sa.Column('pokja_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('agency_id', sa.Uuid(), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('digest_event_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_data_reads'))
    )
    with op.batch_alter_table('personal_data_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_data_reads_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_data_reads_digest_event_id'), ['digest_event_id'], unique=False)
        batch_op.create_index('ix_personal_data_reads_pokja_read_at', ['pokja_id', 'read_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_data_reads_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_pokja_registered', ['pokja_id', 'registered_at', 'id'], unique=False)
        batch_op.create_index('ix_cases_pokja_updated', ['pokja_id', 'updated_at', 'id'], unique=False)
        batch_op.create_index('ix_cases_pokja_stage_registered', ['pokja_id', 'stage', 'registered_at', 'id'], unique=False)
        batch_op.create_index('ix_cases_pokja_holder_registered', ['pokja_id', 'holder_agency_id', 'registered_at', 'id'], unique=False)

    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.create_index('ix_agencies_pokja_kind', ['pokja_id', 'kind'], unique=False)


def downgrade():
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_index('ix_agencies_pokja_kind')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_pokja_holder_registered')
        batch_op.drop_index('ix_cases_pokja_stage_registered')
        batch_op.drop_index('ix_cases_pokja_updated')
        batch_op.drop_index('ix_cases_pokja_registered')

    with op.batch_alter_table('personal_data_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_data_reads_user_id'))
        batch_op.drop_index('ix_personal_data_reads_pokja_read_at')
        batch_op.drop_index(batch_op.f('ix_personal_data_reads_digest_event_id'))
        batch_op.drop_index(batch_op.f('ix_personal_data_reads_case_id'))

    op.drop_table('personal_data_reads')
