"""party history kept as filings are stored (filings, first filing, partners, forwarders)

History no longer counts parties by role and name in filing_parties, so the index
made for that goes (one index less to write per stored party).

Revision ID: 0005_party_history
Revises: 0004_screening_decisions
Create Date: 2026-12-05 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_party_history"
down_revision = "0004_screening_decisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "party_history",
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("filings", sa.Integer(), nullable=False),
        sa.Column("first_filed", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("role", "name", "country"),
    )
    op.create_table(
        "party_history_links",
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("other", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("role", "name", "country", "kind", "other"),
    )
    # Count what is stored already (the filing store keeps both tables up to date from now on).
    op.execute(
        "INSERT INTO party_history (role, name, country, filings, first_filed) "
        "SELECT p.role, p.name, p.country, COUNT(DISTINCT p.filing_pk), MIN(f.filed_at) "
        "FROM filing_parties p JOIN filings f ON f.id = p.filing_pk "
        "WHERE p.role IN ('usppi', 'ultimate_consignee') GROUP BY p.role, p.name, p.country"
    )
    for kind, other_role in (
        ("partner", "CASE p.role WHEN 'usppi' THEN 'ultimate_consignee' ELSE 'usppi' END"),
        ("forwarder", "'freight_forwarder'"),
    ):
        op.execute(
            "INSERT INTO party_history_links (role, name, country, kind, other) "
            f"SELECT DISTINCT p.role, p.name, p.country, '{kind}', o.name "
            f"FROM filing_parties p JOIN filing_parties o ON o.filing_pk = p.filing_pk AND o.role = {other_role} "
            "WHERE p.role IN ('usppi', 'ultimate_consignee')"
        )
    op.drop_index("ix_filing_parties_role_name", table_name="filing_parties")


def downgrade() -> None:
    op.create_index("ix_filing_parties_role_name", "filing_parties", ["role", "name"])
    op.drop_table("party_history_links")
    op.drop_table("party_history")
