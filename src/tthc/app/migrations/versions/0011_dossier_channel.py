"""dossier channel: how a dossier was submitted (online, in person, by post)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 15:34:25

Read from the export's submission-channel column when it has one, for the online share
of the figures; NULL when the export does not say (SQLite adds the column in place).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_column('channel')

