"""aggregates: indexes for the bureaus' grouping queries (latest submission per enterprise,
district, size class, industry)

Revision ID: 0009_aggregates
Revises: 0005_organisations
Create Date: 2026-12-01
"""
from alembic import op


revision = '0009_aggregates'
down_revision = '0008_projects'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_assessments_latest', 'assessments',
                    ['instrument_id', 'instrument_version', 'status', 'enterprise_id',
                     'submitted_at'])
    op.create_index('ix_enterprises_district', 'enterprises', ['district'])
    op.create_index('ix_enterprises_size_class', 'enterprises', ['size_class'])
    op.create_index('ix_enterprises_industry_code', 'enterprises', ['industry_code'])


def downgrade() -> None:
    op.drop_index('ix_enterprises_industry_code', table_name='enterprises')
    op.drop_index('ix_enterprises_size_class', table_name='enterprises')
    op.drop_index('ix_enterprises_district', table_name='enterprises')
    op.drop_index('ix_assessments_latest', table_name='assessments')
