"""catalogue: solution modules, providers, settings, import log

Revision ID: 0002_catalogue
Revises: 0001_initial
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_catalogue'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalogue_modules',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=False),
    sa.Column('cost', sa.Integer(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_modules'))
    )
    op.create_table('catalogue_providers',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=32), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rating_total', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_providers'))
    )
    with op.batch_alter_table('catalogue_providers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalogue_providers_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_catalogue_providers_uscc'), ['uscc'], unique=False)
    op.create_table('catalogue_settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_catalogue_settings'))
    )
    op.create_table('catalogue_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('file', sa.String(length=255), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_catalogue_imports_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_imports'))
    )


def downgrade() -> None:
    op.drop_table('catalogue_imports')
    op.drop_table('catalogue_settings')
    with op.batch_alter_table('catalogue_providers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalogue_providers_uscc'))
        batch_op.drop_index(batch_op.f('ix_catalogue_providers_status'))
    op.drop_table('catalogue_providers')
    op.drop_table('catalogue_modules')
