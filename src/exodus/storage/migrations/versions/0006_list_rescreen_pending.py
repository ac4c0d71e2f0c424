"""list versions remember the filings still to re-screen after an update

Revision ID: 0006_list_rescreen_pending
Revises: 0005_party_history
Create Date: 2026-12-06 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_list_rescreen_pending"
down_revision = "0005_party_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("list_versions") as batch:
        batch.add_column(sa.Column("rescreen_pending", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("list_versions") as batch:
        batch.drop_column("rescreen_pending")
