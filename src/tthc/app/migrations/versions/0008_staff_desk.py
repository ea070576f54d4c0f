"""staff desk: pending uploads, who asked unanswered questions, one audit journal

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 10:00:00

The catalogue's audit table becomes the journal of every staff change (dossier imports,
mapped questions, role changes too): renamed, rows kept. Outbox rows may now carry a
message that is not about a dossier event (the answer to an unanswered question), kept to
one per user and question by a unique key. Users who blocked the bot are remembered, so
nothing more is queued for them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('catalog_audit', schema=None) as batch_op:
        batch_op.drop_index('ix_catalog_audit_at')
    op.rename_table('catalog_audit', 'audit_log')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)

    with op.batch_alter_table('unanswered_query', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default='open'))
        batch_op.add_column(sa.Column('resolved_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.add_column(sa.Column('resolved_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column('resolved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    op.create_table('unanswered_ask',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('normalized', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('unanswered_ask', schema=None) as batch_op:
        batch_op.create_index('ix_unanswered_ask_normalized', ['normalized'], unique=False)
        batch_op.create_index('ix_unanswered_ask_at', ['at'], unique=False)

    op.create_table('pending_upload',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('preview', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pending_upload', schema=None) as batch_op:
        batch_op.create_index('ix_pending_upload_user_id', ['user_id'], unique=False)

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('event_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('dedupe', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_index('ix_outbox_user_dedupe', ['user_id', 'dedupe'], unique=True)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blocked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('blocked_at')
    op.execute('DELETE FROM outbox WHERE event_id IS NULL')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_user_dedupe')
        batch_op.drop_column('dedupe')
        batch_op.alter_column('event_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('pending_upload', schema=None) as batch_op:
        batch_op.drop_index('ix_pending_upload_user_id')
    op.drop_table('pending_upload')
    with op.batch_alter_table('unanswered_ask', schema=None) as batch_op:
        batch_op.drop_index('ix_unanswered_ask_at')
        batch_op.drop_index('ix_unanswered_ask_normalized')
    op.drop_table('unanswered_ask')
    with op.batch_alter_table('unanswered_query', schema=None) as batch_op:
        batch_op.drop_column('resolved_at')
        batch_op.drop_column('resolved_by')
        batch_op.drop_column('resolved_code')
        batch_op.drop_column('status')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_at')
    op.rename_table('audit_log', 'catalog_audit')
    with op.batch_alter_table('catalog_audit', schema=None) as batch_op:
        batch_op.create_index('ix_catalog_audit_at', ['at'], unique=False)
