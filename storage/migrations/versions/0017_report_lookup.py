"""report lookup: stored reports found by a key of their inputs with the plan's basis in place
of the plan (reports.document.lookup_key), so a stored file is sent without making the plan

Revision ID: 0017_report_lookup
Revises: 0016_figure_summary
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op


revision = '0017_report_lookup'
down_revision = '0016_figure_summary'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Reports stored before have no key yet: the first request for each makes its plan once,
    # finds the file by its cache key and keeps the key (services.reports.cached).
    op.create_table(
        'report_lookups',
        sa.Column('lookup_key', sa.String(length=64), nullable=False),
        sa.Column('stored_report_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['stored_report_id'], ['reports.id'],
                                name=op.f('fk_report_lookups_stored_report_id_reports'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('lookup_key', name=op.f('pk_report_lookups')))
    with op.batch_alter_table('report_lookups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_lookups_stored_report_id'),
                              ['stored_report_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('report_lookups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_lookups_stored_report_id'))
    op.drop_table('report_lookups')
