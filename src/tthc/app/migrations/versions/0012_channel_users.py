"""channel users: people on Zalo (negative user ids), their keyboard, the photos they sent

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 16:40:00

New tables only; the running version ignores them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('channel_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('channel_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_file_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_channel_file_user_id'), ['user_id'], unique=False)

    op.create_table('channel_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('keyboard', sa.JSON(), nullable=True),
    sa.Column('keyboard_message', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('channel', 'external_id')
    )


def downgrade() -> None:
    op.drop_table('channel_user')
    with op.batch_alter_table('channel_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_file_user_id'))
        batch_op.drop_index(batch_op.f('ix_channel_file_created_at'))

    op.drop_table('channel_file')
