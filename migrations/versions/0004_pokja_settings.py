"""pokja settings: declared calendar days, clock overrides, violation tracks, case clock extensions

Revision ID: 0004_pokja_settings
Revises: 0003_webhooks
Create Date: 2026-11-23 15:50:48.071290

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_pokja_settings'
down_revision = '0003_webhooks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pokja_days',
    sa.Column('pokja_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('off', 'working', name='pokja_day_kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_pokja_days_created_by_id_users')),
    sa.ForeignKeyConstraint(['pokja_id'], ['pokjas.id'], name=op.f('fk_pokja_days_pokja_id_pokjas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pokja_days')),
    sa.UniqueConstraint('pokja_id', 'day', name=op.f('uq_pokja_days_pokja_id_day'))
    )
    with op.batch_alter_table('pokja_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pokja_days_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pokja_days_pokja_id'), ['pokja_id'], unique=False)

    op.create_table('case_clock_extensions',
    sa.Column('pokja_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('clock', sa.Enum('report_window', 'initial_review', 'decision', 'decision_extension', 'crime_to_police', 'police_to_prosecutor', 'handoff_acceptance', 'recommendation_follow_up', 'military_police_investigation', name='extended_clock', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('extension_clock', sa.Enum('report_window', 'initial_review', 'decision', 'decision_extension', 'crime_to_police', 'police_to_prosecutor', 'handoff_acceptance', 'recommendation_follow_up', 'military_police_investigation', name='extension_clock', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('unit', sa.Enum('calendar', 'working', name='extension_unit', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_clock_extensions_case_id_cases')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_case_clock_extensions_created_by_id_users')),
    sa.ForeignKeyConstraint(['pokja_id'], ['pokjas.id'], name=op.f('fk_case_clock_extensions_pokja_id_pokjas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_clock_extensions')),
    sa.UniqueConstraint('case_id', 'clock', name=op.f('uq_case_clock_extensions_case_id_clock'))
    )
    with op.batch_alter_table('case_clock_extensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_clock_extensions_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_clock_extensions_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_clock_extensions_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_clock_extensions_pokja_id'), ['pokja_id'], unique=False)

    with op.batch_alter_table('pokjas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clock_overrides', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
        batch_op.add_column(sa.Column('violation_tracks', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))



def downgrade():
    with op.batch_alter_table('pokjas', schema=None) as batch_op:
        batch_op.drop_column('violation_tracks')
        batch_op.drop_column('clock_overrides')

    with op.batch_alter_table('case_clock_extensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_clock_extensions_pokja_id'))
        batch_op.drop_index(batch_op.f('ix_case_clock_extensions_due_at'))
        batch_op.drop_index(batch_op.f('ix_case_clock_extensions_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_case_clock_extensions_case_id'))

    op.drop_table('case_clock_extensions')
    with op.batch_alter_table('pokja_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pokja_days_pokja_id'))
        batch_op.drop_index(batch_op.f('ix_pokja_days_created_by_id'))

    op.drop_table('pokja_days')
