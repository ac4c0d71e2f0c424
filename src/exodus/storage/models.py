"""Relational tables of Exodus (SQLAlchemy 2, SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class FilingRow(Base):
    """The current version of a filing; older versions live in filing_versions."""

    __tablename__ = "filings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[str] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    content_hash: Mapped[str] = mapped_column(String(64))
    filed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    export_date: Mapped[date] = mapped_column(Date, index=True)
    port_of_export: Mapped[str] = mapped_column(String(4), index=True)
    mode_of_transport: Mapped[str] = mapped_column(String(20))
    carrier: Mapped[str] = mapped_column(String(100))
    country_of_destination: Mapped[str] = mapped_column(String(2), index=True)
    usppi_name: Mapped[str] = mapped_column(String(500))
    consignee_name: Mapped[str] = mapped_column(String(500))
    total_value_usd: Mapped[float] = mapped_column(Float)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FilingVersionRow(Base):
    """Every version of every filing as it was received."""

    __tablename__ = "filing_versions"
    __table_args__ = (UniqueConstraint("filing_pk", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_pk: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_by: Mapped[str] = mapped_column(String(100))
    origin: Mapped[str] = mapped_column(String(500))


class PartyRow(Base):
    __tablename__ = "filing_parties"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_pk: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(500), index=True)
    address: Mapped[str] = mapped_column(String(500))
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))
    party_ref: Mapped[str | None] = mapped_column(String(64))
    type: Mapped[str | None] = mapped_column(String(1))


class LineRow(Base):
    __tablename__ = "filing_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_pk: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    schedule_b: Mapped[str] = mapped_column(String(10), index=True)
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(10))
    value_usd: Mapped[float] = mapped_column(Float)
    weight_kg: Mapped[float] = mapped_column(Float)
    eccn: Mapped[str | None] = mapped_column(String(20), index=True)
    usml_category: Mapped[str | None] = mapped_column(String(20))
    license_code: Mapped[str | None] = mapped_column(String(10))
    license_number: Mapped[str | None] = mapped_column(String(40))


class ListVersionRow(Base):
    """One load of one screening-list release."""

    __tablename__ = "list_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40), index=True)
    published: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    checksum: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(1000))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    loaded_by: Mapped[str] = mapped_column(String(100))
    entity_count: Mapped[int] = mapped_column(Integer)
    problem_count: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)


class ListEntityRow(Base):
    __tablename__ = "list_entities"
    __table_args__ = (Index("ix_list_entities_version_entity", "list_version_id", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id", ondelete="CASCADE"), index=True)
    entity_id: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class ScreeningHitRow(Base):
    """A screening hit of a filing party against a list entity."""

    __tablename__ = "screening_hits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_pk: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    party_role: Mapped[str] = mapped_column(String(40))
    party_name: Mapped[str] = mapped_column(String(500))
    entity_id: Mapped[str] = mapped_column(String(120), index=True)
    source: Mapped[str] = mapped_column(String(20))
    entity_name: Mapped[str] = mapped_column(Text)
    matched_name: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text)
    screened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TargetingResultRow(Base):
    """The outcome of targeting one filing version; `current` marks the latest."""

    __tablename__ = "targeting_results"
    __table_args__ = (Index("ix_targeting_current_port_score", "current", "port_of_export", "score"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_pk: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    filing_version: Mapped[int] = mapped_column(Integer)
    port_of_export: Mapped[str] = mapped_column(String(4))
    country_of_destination: Mapped[str] = mapped_column(String(2))
    score: Mapped[float] = mapped_column(Float)
    action: Mapped[str] = mapped_column(String(20), index=True)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    ruleset: Mapped[str] = mapped_column(String(64))
    targeted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    current: Mapped[bool] = mapped_column(Boolean, default=True)


class AuditEventRow(Base):
    """Append-only audit log; each entry carries the hash of the one before."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str] = mapped_column(String(200), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    remote: Mapped[str | None] = mapped_column(String(100))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The single row that serialises writers of the audit chain."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer, default=0)
