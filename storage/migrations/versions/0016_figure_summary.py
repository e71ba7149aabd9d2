"""figure summary: the further figures' sums per summary micro cell
(storage/aggregate_summary.py keeps them with the counts); every listed summary is dropped so
that both are built again on first use

Revision ID: 0016_figure_summary
Revises: 0013_aggregate_summary
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op


revision = '0016_figure_summary'
down_revision = '0013_aggregate_summary'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'aggregate_figures',
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('instrument_id', sa.String(length=64), nullable=False),
        sa.Column('instrument_version', sa.String(length=32), nullable=False),
        sa.Column('mode', sa.String(length=16), nullable=False),
        sa.Column('district', sa.String(length=64), nullable=False),
        sa.Column('size_class', sa.String(length=16), nullable=False),
        sa.Column('industry_code', sa.String(length=16), nullable=False),
        sa.Column('level_id', sa.String(length=32), nullable=False),
        sa.Column('figure', sa.String(length=16), nullable=False),
        sa.Column('item', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.Column('score_sum', sa.Float(), nullable=False),
        sa.Column('max_sum', sa.Float(), nullable=False),
        # a figure's rows of one date and mode are one range of the key: each read scans it
        sa.PrimaryKeyConstraint('as_of', 'instrument_id', 'instrument_version', 'mode',
                                'figure', 'item', 'value', 'district', 'size_class',
                                'industry_code', 'level_id', name=op.f('pk_aggregate_figures')))
    # summaries listed before this table have no figures: built again on first use
    op.execute("DELETE FROM aggregate_counts")
    op.execute("DELETE FROM aggregate_snapshots")


def downgrade() -> None:
    op.drop_table('aggregate_figures')
