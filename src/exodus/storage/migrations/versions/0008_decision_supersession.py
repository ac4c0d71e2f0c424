"""one screening decision in force per party and list entry: a contrary one supersedes it

Revision ID: 0008_decision_supersession
Revises: 0007_decision_approval
Create Date: 2026-12-08 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_decision_supersession"
down_revision = "0007_decision_approval"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screening_decisions") as batch:
        batch.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("superseded_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("superseded_by", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("screening_decisions") as batch:
        batch.drop_column("superseded_at")
        batch.drop_column("superseded_by")
        batch.drop_column("superseded_by_id")
        batch.drop_column("replaces_id")
