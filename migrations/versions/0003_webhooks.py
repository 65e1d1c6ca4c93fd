"""webhooks: agencies' webhook subscriptions and the outbox of notification deliveries

Revision ID: 0003_webhooks
Revises: 0002_cases
Create Date: 2026-11-23 15:00:29.970769

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_webhooks'
down_revision = '0002_cases'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('webhook_subscriptions',
    sa.Column('pokja_id', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('events', sa.JSON(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('secret', sa.String(length=128), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_webhook_subscriptions_agency_id_agencies')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_webhook_subscriptions_created_by_id_users')),
    sa.ForeignKeyConstraint(['pokja_id'], ['pokjas.id'], name=op.f('fk_webhook_subscriptions_pokja_id_pokjas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_subscriptions'))
    )
    with op.batch_alter_table('webhook_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_subscriptions_active'), ['active'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_subscriptions_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_subscriptions_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_subscriptions_pokja_id'), ['pokja_id'], unique=False)

    op.create_table('webhook_outbox',
    sa.Column('pokja_id', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('subscription_id', sa.Uuid(), nullable=False),
    sa.Column('event_type', sa.Enum('handoff.received', 'handoff.accepted', 'handoff.declined', 'handoff.withdrawn', 'case.shared', 'recommendation.received', 'escalation.received', 'deadline.approaching', 'deadline.passed', name='webhook_event_type', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'delivered', 'dead', name='outbox_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claim_token', sa.Uuid(), nullable=True),
    sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_status_code', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint("(status = 'pending') = (next_attempt_at IS NOT NULL)", name=op.f('ck_webhook_outbox_scheduled_iff_pending')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_webhook_outbox_agency_id_agencies')),
    sa.ForeignKeyConstraint(['pokja_id'], ['pokjas.id'], name=op.f('fk_webhook_outbox_pokja_id_pokjas')),
    sa.ForeignKeyConstraint(['subscription_id'], ['webhook_subscriptions.id'], name=op.f('fk_webhook_outbox_subscription_id_webhook_subscriptions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_outbox')),
    sa.UniqueConstraint('subscription_id', 'dedupe_key', name=op.f('uq_webhook_outbox_subscription_id_dedupe_key'))
    )
    with op.batch_alter_table('webhook_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_outbox_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_outbox_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_outbox_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_outbox_pokja_id'), ['pokja_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_outbox_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_outbox_subscription_id'), ['subscription_id'], unique=False)



def downgrade():
    with op.batch_alter_table('webhook_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_outbox_subscription_id'))
        batch_op.drop_index(batch_op.f('ix_webhook_outbox_status'))
        batch_op.drop_index(batch_op.f('ix_webhook_outbox_pokja_id'))
        batch_op.drop_index(batch_op.f('ix_webhook_outbox_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_webhook_outbox_created_at'))
        batch_op.drop_index(batch_op.f('ix_webhook_outbox_agency_id'))

    op.drop_table('webhook_outbox')
    with op.batch_alter_table('webhook_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_subscriptions_pokja_id'))
        batch_op.drop_index(batch_op.f('ix_webhook_subscriptions_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_webhook_subscriptions_agency_id'))
        batch_op.drop_index(batch_op.f('ix_webhook_subscriptions_active'))

    op.drop_table('webhook_subscriptions')
