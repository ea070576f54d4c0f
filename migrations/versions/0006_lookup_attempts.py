"""lookup attempts counted per user and per dossier code

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 08:00:00

The old lookup_failure rows only serve a 15-minute rate limit, so they are not carried
over: the new table starts empty.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('lookup_attempt',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_lookup_attempt_user_at', 'lookup_attempt', ['user_id', 'at'], unique=False)
    op.create_index('ix_lookup_attempt_code_at', 'lookup_attempt', ['code_hash', 'at'], unique=False)
    op.drop_index('ix_lookup_failure_user_at', table_name='lookup_failure')
    op.drop_table('lookup_failure')


def downgrade() -> None:
    op.create_table('lookup_failure',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_lookup_failure_user_at', 'lookup_failure', ['user_id', 'at'], unique=False)
    op.drop_index('ix_lookup_attempt_code_at', table_name='lookup_attempt')
    op.drop_index('ix_lookup_attempt_user_at', table_name='lookup_attempt')
    op.drop_table('lookup_attempt')
