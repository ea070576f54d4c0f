"""drop dossier indexes no query uses

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 09:00:00

Every dossier import writes each of a table's indexes for every row (600,000 a year).
Reports read dossiers by the day they were received (ix_dossier_received_at stays) and
group level or agency in memory; nothing filters by procedure code, level or status,
so those three indexes cost imports and served nobody.
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for name in ('ix_dossier_level', 'ix_dossier_procedure_code', 'ix_dossier_status'):
        op.drop_index(name, table_name='dossier')


def downgrade() -> None:
    op.create_index('ix_dossier_status', 'dossier', ['status'], unique=False)
    op.create_index('ix_dossier_procedure_code', 'dossier', ['procedure_code'], unique=False)
    op.create_index('ix_dossier_level', 'dossier', ['level'], unique=False)
