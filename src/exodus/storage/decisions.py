"""Analysts' decisions on screening hits: true match or false positive, kept forever."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from exodus.storage.models import Base, UTCDateTime


class ScreeningDecisionRow(Base):
    """One analyst's decision on a (party, list entry) pair; revoked or superseded, never deleted."""

    __tablename__ = "screening_decisions"
    __table_args__ = (
        Index("ix_screening_decisions_party_entity", "party_key", "entity_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    party_key: Mapped[str] = mapped_column(String(600))  # normalised name | country
    party_name: Mapped[str] = mapped_column(String(500))
    party_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    entity_id: Mapped[str] = mapped_column(String(120))
    entity_source: Mapped[str] = mapped_column(String(20))
    entity_name: Mapped[str] = mapped_column(Text)
    entity_fingerprint: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(20))  # true_match, false_positive
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The hit's score when decided; a false positive on a strong hit needs a second
    # person's approval (approved_by, approved_at) before it sets the hit aside.
    hit_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True
    )
    revoked_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True
    )
    # One decision is in force per party and entry: a contrary one names the decision it
    # replaces (replaces_id), which is marked superseded (by whom, when, by which decision,
    # whose reason says why) once the new one is in force.
    replaces_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    superseded_by_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    superseded_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    superseded_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True
    )
