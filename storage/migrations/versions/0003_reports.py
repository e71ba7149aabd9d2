"""reports: rendered PDF reports cached by a hash of their inputs

Revision ID: 0003_reports
Revises: 0002_catalogue
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_reports'
down_revision = '0002_catalogue'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cache_key', sa.String(length=64), nullable=False),
    sa.Column('report_id', sa.String(length=32), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('lang', sa.String(length=16), nullable=False),
    sa.Column('template_version', sa.String(length=32), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_reports_assessment_id_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('cache_key', name=op.f('uq_reports_cache_key'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_report_id'), ['report_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_report_id'))
        batch_op.drop_index(batch_op.f('ix_reports_assessment_id'))
    op.drop_table('reports')
