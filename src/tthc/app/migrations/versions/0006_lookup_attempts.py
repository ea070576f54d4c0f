"""lookup attempts counted per user and per dossier code; the catalogue state row

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 08:00:00

The old lookup_failure rows only serve a 15-minute rate limit, so they are not carried
over: the new table starts empty. The catalogue state row is created here, once, rather
than by the first import: imports lock it, and two first imports must not race to
create it.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

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
    state = sa.table(
        'catalog_state',
        sa.column('id', sa.Integer),
        sa.column('version', sa.Integer),
        sa.column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime()),
    )
    if not op.get_bind().execute(sa.text('SELECT 1 FROM catalog_state WHERE id = 1')).first():
        op.bulk_insert(state, [{'id': 1, 'version': 0, 'updated_at': datetime.now(UTC)}])


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
