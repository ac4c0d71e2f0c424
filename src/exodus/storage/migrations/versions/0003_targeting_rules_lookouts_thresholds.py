"""targeting rules with versions, lookouts and their notifications, port thresholds

Revision ID: 0003_targeting
Revises: 0002_people
Create Date: 2026-12-04 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_targeting"
down_revision = "0002_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "targeting_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rule_id"),
    )
    op.create_table(
        "targeting_rule_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(length=20), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rule_id", "version"),
    )
    op.create_index(
        "ix_targeting_rule_versions_rule_id", "targeting_rule_versions", ["rule_id"]
    )
    op.create_table(
        "lookouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("expires", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_by", sa.String(length=100), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_lookouts_kind", "lookouts", ["kind"])
    op.create_index("ix_lookouts_active", "lookouts", ["active"])
    op.create_table(
        "lookout_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lookout_id", sa.Integer(), nullable=False),
        sa.Column("filing_pk", sa.Integer(), nullable=False),
        sa.Column("filing_id", sa.String(length=64), nullable=False),
        sa.Column("port_of_export", sa.String(length=4), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["lookout_id"], ["lookouts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["filing_pk"], ["filings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("lookout_id", "filing_pk"),
    )
    op.create_index(
        "ix_lookout_notifications_lookout_id", "lookout_notifications", ["lookout_id"]
    )
    op.create_index(
        "ix_lookout_notifications_filing_pk", "lookout_notifications", ["filing_pk"]
    )
    op.create_index(
        "ix_lookout_notifications_created_at", "lookout_notifications", ["created_at"]
    )
    op.create_table(
        "port_thresholds",
        sa.Column("port", sa.String(length=4), nullable=False),
        sa.Column("review", sa.Float(), nullable=False),
        sa.Column("examine", sa.Float(), nullable=False),
        sa.Column("hold", sa.Float(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("port"),
    )
    # History signals count a party's filings by name: index the party names by role.
    op.create_index("ix_filing_parties_role_name", "filing_parties", ["role", "name"])
    op.create_index(
        "ix_filing_lines_hs6", "filing_lines", [sa.text("substr(schedule_b, 1, 6)")]
    )


def downgrade() -> None:
    op.drop_index("ix_filing_lines_hs6", table_name="filing_lines")
    op.drop_index("ix_filing_parties_role_name", table_name="filing_parties")
    op.drop_table("port_thresholds")
    op.drop_table("lookout_notifications")
    op.drop_table("lookouts")
    op.drop_table("targeting_rule_versions")
    op.drop_table("targeting_rules")
