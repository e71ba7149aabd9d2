"""answer_notes: per-question notes on a draft's answers (carried over, answer again, ...)

Revision ID: 0006_answer_notes
Revises: 0004_accounts
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_answer_notes'
down_revision = '0004_accounts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer_notes', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('answer_notes')
