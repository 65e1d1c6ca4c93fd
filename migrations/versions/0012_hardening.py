"""hardening: login throttles, the audit key id per event, a case's clock settings fixed at
registration, the receipt dates of recommendation and escalation letters

Revision ID: 0012_hardening
Revises: 0011_stats_indexes
Create Date: 2026-12-01 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_hardening'
down_revision = '0011_stats_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttles',
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('scope', 'key', name=op.f('pk_login_throttles'))
    )
    with op.batch_alter_table('login_throttles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttles_locked_until'), ['locked_until'], unique=False)

    # Events recorded before this migration keep their plain SHA-256 (key_id NULL).
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_id', sa.String(length=32), nullable=True))

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clock_settings', sa.JSON(), nullable=True))
    # Existing cases keep the clocks they have been shown with: their Pokja's settings now.
    op.execute(
        "UPDATE cases SET clock_settings = "
        "(SELECT pokjas.clock_overrides FROM pokjas WHERE pokjas.id = cases.pokja_id)"
    )

    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_on', sa.Date(), nullable=True))
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_column('received_on')
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_column('received_on')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('clock_settings')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('key_id')
    with op.batch_alter_table('login_throttles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttles_locked_until'))
    op.drop_table('login_throttles')
