"""staff_invitations: withdrawn_at and sent_at, so admins withdraw and send again

Revision ID: 0014_staff_invitations
Revises: 0010_api_tokens
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0014_staff_invitations'
down_revision = '0011_deletion'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff_invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('staff_invitations', schema=None) as batch_op:
        batch_op.drop_column('sent_at')
        batch_op.drop_column('withdrawn_at')
