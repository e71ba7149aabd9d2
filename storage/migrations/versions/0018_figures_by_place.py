"""figure summary per place: the further figures' rows lose the level (no figure is read by
level); every kept row is summed into its place, so listed summaries stay valid

Revision ID: 0018_figures_by_place
Revises: 0017_report_lookup
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op


revision = '0018_figures_by_place'
down_revision = '0017_report_lookup'
branch_labels = None
depends_on = None

PLACE = "as_of, instrument_id, instrument_version, mode, district, size_class, industry_code"
FIGURE = "figure, item, value"


def _create(with_level):
    level = [sa.Column('level_id', sa.String(length=32), nullable=False)] if with_level else []
    op.create_table(
        'aggregate_figures',
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('instrument_id', sa.String(length=64), nullable=False),
        sa.Column('instrument_version', sa.String(length=32), nullable=False),
        sa.Column('mode', sa.String(length=16), nullable=False),
        sa.Column('district', sa.String(length=64), nullable=False),
        sa.Column('size_class', sa.String(length=16), nullable=False),
        sa.Column('industry_code', sa.String(length=16), nullable=False),
        *level,
        sa.Column('figure', sa.String(length=16), nullable=False),
        sa.Column('item', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.Column('score_sum', sa.Float(), nullable=False),
        sa.Column('max_sum', sa.Float(), nullable=False),
        # a figure's rows of one date and mode are one range of the key: each read scans it
        sa.PrimaryKeyConstraint('as_of', 'instrument_id', 'instrument_version', 'mode',
                                'figure', 'item', 'value', 'district', 'size_class',
                                'industry_code', *(['level_id'] if with_level else []),
                                name=op.f('pk_aggregate_figures')))


def upgrade() -> None:
    op.execute(f"CREATE TABLE aggregate_figures_by_place AS SELECT {PLACE}, {FIGURE}, "
               f"sum(n) AS n, sum(score_sum) AS score_sum, sum(max_sum) AS max_sum "
               f"FROM aggregate_figures GROUP BY {PLACE}, {FIGURE}")
    op.drop_table('aggregate_figures')
    _create(with_level=False)
    op.execute(f"INSERT INTO aggregate_figures ({PLACE}, {FIGURE}, n, score_sum, max_sum) "
               f"SELECT {PLACE}, {FIGURE}, n, score_sum, max_sum FROM aggregate_figures_by_place")
    op.drop_table('aggregate_figures_by_place')


def downgrade() -> None:
    # the level of a figure row is not known: the summaries are built again on first use
    op.drop_table('aggregate_figures')
    _create(with_level=True)
    op.execute("DELETE FROM aggregate_counts")
    op.execute("DELETE FROM aggregate_snapshots")
