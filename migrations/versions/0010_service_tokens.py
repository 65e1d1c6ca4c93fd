"""service tokens of dashboard machines; the changes feed's index by type

Revision ID: 0010_service_tokens
Revises: 0009_meetings
Create Date: 2026-12-01 14:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_service_tokens'
down_revision = '0009_meetings'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_tokens',
    sa.Column('pokja_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_service_tokens_created_by_id_users')),
    sa.ForeignKeyConstraint(['pokja_id'], ['pokjas.id'], name=op.f('fk_service_tokens_pokja_id_pokjas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_tokens')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_service_tokens_secret_hash'))
    )
    with op.batch_alter_table('service_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_tokens_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_tokens_pokja_id'), ['pokja_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_pokja_type_seq', ['pokja_id', 'type', 'seq'], unique=False)


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_pokja_type_seq')

    with op.batch_alter_table('service_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_tokens_pokja_id'))
        batch_op.drop_index(batch_op.f('ix_service_tokens_created_by_id'))

    op.drop_table('service_tokens')
