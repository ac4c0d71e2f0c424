"""analysts' decisions on screening hits (true match, false positive)

Revision ID: 0004_screening_decisions
Revises: 0003_targeting
Create Date: 2026-12-05 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_screening_decisions"
down_revision = "0003_targeting"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screening_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_key", sa.String(length=600), nullable=False),
        sa.Column("party_name", sa.String(length=500), nullable=False),
        sa.Column("party_country", sa.String(length=2), nullable=True),
        sa.Column("entity_id", sa.String(length=120), nullable=False),
        sa.Column("entity_source", sa.String(length=20), nullable=False),
        sa.Column("entity_name", sa.Text(), nullable=False),
        sa.Column("entity_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_by", sa.String(length=100), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_screening_decisions_party_entity",
        "screening_decisions",
        ["party_key", "entity_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_screening_decisions_party_entity", "screening_decisions")
    op.drop_table("screening_decisions")
