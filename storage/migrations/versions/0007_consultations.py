"""consultations: on-site assessments, their history and evidence, client assignments, T0 marks

Revision ID: 0007_consultations
Revises: 0005_organisations
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_consultations'
down_revision = '0005_organisations'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mode', sa.String(length=16), server_default='self',
                                      nullable=False))
        batch_op.add_column(sa.Column('baseline_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint('mode', "mode IN ('self', 'on_site')")

    op.create_table('on_site_assessments',
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('self_answers', sa.JSON(), nullable=False),
        sa.Column('source_assessment_id', sa.Integer(), nullable=True),
        sa.Column('corrects_id', sa.Integer(), nullable=True),
        sa.Column('item_states', sa.JSON(), nullable=False),
        sa.Column('consultant_id', sa.Integer(), nullable=True),
        sa.Column('reviewer_id', sa.Integer(), nullable=True),
        sa.Column('review_comment', sa.Text(), nullable=True),
        sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('signature', sa.JSON(), nullable=True),
        sa.Column('self_result', sa.JSON(), nullable=True),
        sa.Column('report_number', sa.String(length=32), nullable=True),
        sa.Column('verification_code', sa.String(length=32), nullable=True),
        sa.CheckConstraint("state IN ('assessing', 'in_review', 'signed')",
                           name=op.f('ck_on_site_assessments_state')),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], ondelete='CASCADE',
                                name=op.f('fk_on_site_assessments_assessment_id_assessments')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE',
                                name=op.f('fk_on_site_assessments_organisation_id_organisations')),
        sa.ForeignKeyConstraint(['source_assessment_id'], ['assessments.id'], ondelete='SET NULL',
                                name=op.f('fk_on_site_assessments_source_assessment_id_assessments')),
        sa.ForeignKeyConstraint(['corrects_id'], ['assessments.id'], ondelete='SET NULL',
                                name=op.f('fk_on_site_assessments_corrects_id_assessments')),
        sa.ForeignKeyConstraint(['consultant_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_on_site_assessments_consultant_id_users')),
        sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_on_site_assessments_reviewer_id_users')),
        sa.PrimaryKeyConstraint('assessment_id', name=op.f('pk_on_site_assessments')),
        sa.UniqueConstraint('report_number', name=op.f('uq_on_site_assessments_report_number')),
    )
    op.create_index(op.f('ix_on_site_assessments_organisation_id'), 'on_site_assessments',
                    ['organisation_id'])

    op.create_table('on_site_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.String(length=64), nullable=True),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('old', sa.JSON(), nullable=True),
        sa.Column('new', sa.JSON(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.CheckConstraint("kind IN ('answer', 'state', 'evidence', 'submitted', 'sent_back', "
                           "'signed')", name=op.f('ck_on_site_changes_kind')),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], ondelete='CASCADE',
                                name=op.f('fk_on_site_changes_assessment_id_assessments')),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_on_site_changes_actor_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_on_site_changes')),
    )
    op.create_index('ix_on_site_changes_assessment_item', 'on_site_changes',
                    ['assessment_id', 'item_id'])

    op.create_table('evidence_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.String(length=64), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('media_type', sa.String(length=255), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('uploaded_by', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], ondelete='CASCADE',
                                name=op.f('fk_evidence_files_assessment_id_assessments')),
        sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_evidence_files_uploaded_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_files')),
    )
    op.create_index(op.f('ix_evidence_files_assessment_id'), 'evidence_files', ['assessment_id'])
    op.create_index(op.f('ix_evidence_files_sha256'), 'evidence_files', ['sha256'])

    op.create_table('client_assignments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('enterprise_id', sa.Integer(), nullable=False),
        sa.Column('consultant_id', sa.Integer(), nullable=False),
        sa.Column('assigned_by', sa.Integer(), nullable=True),
        sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE',
                                name=op.f('fk_client_assignments_organisation_id_organisations')),
        sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], ondelete='CASCADE',
                                name=op.f('fk_client_assignments_enterprise_id_enterprises')),
        sa.ForeignKeyConstraint(['consultant_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_client_assignments_consultant_id_users')),
        sa.ForeignKeyConstraint(['assigned_by'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_client_assignments_assigned_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_client_assignments')),
        sa.UniqueConstraint('organisation_id', 'enterprise_id',
                            name=op.f('uq_client_assignments_organisation_id_enterprise_id')),
    )
    op.create_index(op.f('ix_client_assignments_enterprise_id'), 'client_assignments',
                    ['enterprise_id'])
    op.create_index(op.f('ix_client_assignments_consultant_id'), 'client_assignments',
                    ['consultant_id'])


def downgrade() -> None:
    op.drop_table('client_assignments')
    op.drop_table('evidence_files')
    op.drop_table('on_site_changes')
    op.drop_table('on_site_assessments')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_constraint('mode', type_='check')
        batch_op.drop_column('baseline_at')
        batch_op.drop_column('mode')
