"""a false positive on a strong screening hit waits for a second person's approval

Revision ID: 0007_decision_approval
Revises: 0006_list_rescreen_pending
Create Date: 2026-12-07 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_decision_approval"
down_revision = "0006_list_rescreen_pending"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screening_decisions") as batch:
        batch.add_column(sa.Column("hit_score", sa.Float(), nullable=True))
        batch.add_column(sa.Column("needs_approval", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("approved_by", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("screening_decisions") as batch:
        batch.drop_column("approved_at")
        batch.drop_column("approved_by")
        batch.drop_column("needs_approval")
        batch.drop_column("hit_score")
