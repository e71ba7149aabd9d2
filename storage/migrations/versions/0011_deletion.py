"""deletion: an enterprise's deletion leaves a tombstone (enterprises.deleted_at), the records
the rules keep (retained_records, until purge_after), and audit records that may be redacted
once their period ended (audit_records.redacted_at; the triggers allow that one change only)

Revision ID: 0011_deletion
Revises: 0010_api_tokens
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_deletion'
down_revision = '0012_scenario_levels'
branch_labels = None
depends_on = None

REFUSAL = "audit records are append-only"
# A redaction keeps id, seq, at, action and both hashes, sets redacted_at once and empties the
# rest (enterprise_id 0); services/retention.py makes it, services/audit.py verifies around it.
REDACTION = ("OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND NEW.id = OLD.id "
             "AND NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.action = OLD.action "
             "AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash "
             "AND NEW.enterprise_id = 0 AND NEW.actor_user IS NULL "
             "AND NEW.actor_organisation IS NULL AND NEW.object_type IS NULL "
             "AND NEW.object_id IS NULL AND NEW.consent_id IS NULL AND NEW.purpose IS NULL")
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_records_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {allow}
    RAISE EXCEPTION '{refusal}';
END $$;
"""
SQLITE_UPDATE_TRIGGER = ("CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records "
                         "{when}BEGIN SELECT RAISE(ABORT, '" + REFUSAL + "'); END")


def _triggers(redaction_allowed: bool) -> None:
    if op.get_bind().dialect.name == "postgresql":
        allow = (f"IF TG_OP = 'UPDATE' AND {REDACTION} THEN RETURN NEW; END IF;"
                 if redaction_allowed else "")
        op.execute(POSTGRES_FUNCTION.format(allow=allow, refusal=REFUSAL))
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_records_no_update")
        op.execute(SQLITE_UPDATE_TRIGGER.format(
            when=f"WHEN NOT ({REDACTION}) " if redaction_allowed else ""))


def upgrade() -> None:
    op.add_column('enterprises', sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('audit_records', sa.Column('redacted_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('retained_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('purge_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_retained_records_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retained_records'))
    )
    with op.batch_alter_table('retained_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retained_records_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_retained_records_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_retained_records_purge_after'), ['purge_after'], unique=False)
        batch_op.create_index(batch_op.f('ix_retained_records_reference'), ['reference'], unique=False)
    _triggers(redaction_allowed=True)


def downgrade() -> None:
    _triggers(redaction_allowed=False)
    with op.batch_alter_table('retained_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retained_records_reference'))
        batch_op.drop_index(batch_op.f('ix_retained_records_purge_after'))
        batch_op.drop_index(batch_op.f('ix_retained_records_kind'))
        batch_op.drop_index(batch_op.f('ix_retained_records_enterprise_id'))
    op.drop_table('retained_records')
    # Plain ALTER TABLE (no batch rebuild), so SQLite keeps the audit triggers.
    op.drop_column('audit_records', 'redacted_at')
    op.drop_column('enterprises', 'deleted_at')
