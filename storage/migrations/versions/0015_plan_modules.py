"""plan_modules: the modules of each submitted assessment's default plan as rows (the bureaus'
plan demand). Not filled for assessments submitted before: that would plan every stored
result once inside the migration (docs/bureaus.md).

Revision ID: 0015_plan_modules
Revises: 0012_scenario_levels
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0015_plan_modules'
down_revision = '0014_staff_invitations'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assessment_plan_modules',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_plan_modules_assessment_id_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', 'module_id', name=op.f('pk_assessment_plan_modules'))
    )


def downgrade() -> None:
    op.drop_table('assessment_plan_modules')
