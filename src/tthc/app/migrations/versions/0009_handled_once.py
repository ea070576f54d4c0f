"""handled once: updates and drafts that must take effect once

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 14:00:00

An update Telegram delivers twice, or to two instances, and a draft sent by a double tap
landing on two instances, take effect once: their key is inserted in the same transaction
as their effect. Rows are kept a day (redeliveries come within minutes).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('handled_once',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('handled_once', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handled_once_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('handled_once', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handled_once_at'))
    op.drop_table('handled_once')
