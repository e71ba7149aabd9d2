"""aggregate summary: when each submitted assessment was superseded (any mode, same mode),
backfilled; summary counts per date and micro cell (storage/aggregate_summary.py keeps both)

Revision ID: 0013_aggregate_summary
Revises: 0010_api_tokens
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op


revision = '0013_aggregate_summary'
down_revision = '0015_plan_modules'
branch_labels = None
depends_on = None

# Latest is the last by (submitted_at, id); the summaries are built on first use.
BACKFILL = """
UPDATE assessments SET superseded_at = links.any_mode, superseded_in_mode_at = links.in_mode
FROM (SELECT id,
             lead(submitted_at) OVER (PARTITION BY enterprise_id, instrument_id,
                                      instrument_version ORDER BY submitted_at, id) AS any_mode,
             lead(submitted_at) OVER (PARTITION BY enterprise_id, instrument_id,
                                      instrument_version, mode
                                      ORDER BY submitted_at, id) AS in_mode
      FROM assessments WHERE status = 'submitted' AND submitted_at IS NOT NULL) AS links
WHERE links.id = assessments.id
  AND (links.any_mode IS NOT NULL OR links.in_mode IS NOT NULL)
"""


def upgrade() -> None:
    with op.batch_alter_table('assessments') as batch:
        batch.add_column(sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('superseded_in_mode_at', sa.DateTime(timezone=True),
                                   nullable=True))
    op.execute(BACKFILL)
    op.create_index('ix_assessments_as_of', 'assessments',
                    ['instrument_id', 'instrument_version', 'status', 'superseded_at',
                     'submitted_at'])
    op.create_table(
        'aggregate_snapshots',
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('as_of', name=op.f('pk_aggregate_snapshots')))
    op.create_table(
        'aggregate_counts',
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('instrument_id', sa.String(length=64), nullable=False),
        sa.Column('instrument_version', sa.String(length=32), nullable=False),
        sa.Column('mode', sa.String(length=16), nullable=False),
        sa.Column('district', sa.String(length=64), nullable=False),
        sa.Column('size_class', sa.String(length=16), nullable=False),
        sa.Column('industry_code', sa.String(length=16), nullable=False),
        sa.Column('level_id', sa.String(length=32), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.Column('total_sum', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('as_of', 'instrument_id', 'instrument_version', 'mode',
                                'district', 'size_class', 'industry_code', 'level_id',
                                name=op.f('pk_aggregate_counts')))


def downgrade() -> None:
    op.drop_table('aggregate_counts')
    op.drop_table('aggregate_snapshots')
    op.drop_index('ix_assessments_as_of', table_name='assessments')
    with op.batch_alter_table('assessments') as batch:
        batch.drop_column('superseded_in_mode_at')
        batch.drop_column('superseded_at')
