"""Relational tables of Exodus (SQLAlchemy 2, SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime
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
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A moment stored with its time zone and always read back in UTC.

    PostgreSQL keeps the zone; SQLite keeps none and hands back naive times, so
    every moment is written in UTC and a naive value read is taken as that UTC.
    A naive value written (or compared) is taken as UTC too.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class FilingRow(Base):
    """The current version of a filing; older versions live in filing_versions."""

    __tablename__ = "filings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[str] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    content_hash: Mapped[str] = mapped_column(String(64))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    export_date: Mapped[date] = mapped_column(Date, index=True)
    port_of_export: Mapped[str] = mapped_column(String(4), index=True)
    mode_of_transport: Mapped[str] = mapped_column(String(20))
    carrier: Mapped[str] = mapped_column(String(100))
    country_of_destination: Mapped[str] = mapped_column(String(2), index=True)
    usppi_name: Mapped[str] = mapped_column(String(500))
    consignee_name: Mapped[str] = mapped_column(String(500))
    total_value_usd: Mapped[float] = mapped_column(Float)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FilingVersionRow(Base):
    """Every version of every filing as it was received."""

    __tablename__ = "filing_versions"
    __table_args__ = (UniqueConstraint("filing_pk", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_pk: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
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


class PartyHistoryRow(Base):
    """How many stored filings name a party in a role, and when the first was filed.

    Kept up to date by the filing store (storage/party_history.py) for the roles
    history signals read, so a batch reads its parties' history without counting
    every filing they ever made.
    """

    __tablename__ = "party_history"

    role: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(500), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    filings: Mapped[int] = mapped_column(Integer)
    first_filed: Mapped[datetime] = mapped_column(UTCDateTime())


class PartyHistoryLinkRow(Base):
    """A distinct name a party has traded with: its partner (USPPI or consignee) or a forwarder."""

    __tablename__ = "party_history_links"

    role: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(500), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # partner, forwarder
    other: Mapped[str] = mapped_column(String(500), primary_key=True)


class ListVersionRow(Base):
    """One load of one screening-list release."""

    __tablename__ = "list_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40), index=True)
    published: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checksum: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(1000))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    loaded_by: Mapped[str] = mapped_column(String(100))
    entity_count: Mapped[int] = mapped_column(Integer)
    problem_count: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    # Filing ids still to re-screen against this version (None: nothing pending).
    rescreen_pending: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True), nullable=True)


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
    screened_at: Mapped[datetime] = mapped_column(UTCDateTime())


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
    targeted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    current: Mapped[bool] = mapped_column(Boolean, default=True)


class AuditEventRow(Base):
    """Append-only audit log; each entry carries the hash of the one before."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
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


class UserRow(Base):
    """A person or machine account; roles and scopes are data checked by exodus.auth."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(200))
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    ports: Mapped[list[Any]] = mapped_column(JSON, default=list)
    agencies: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(100))
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WebSessionRow(Base):
    """A signed-in browser; the cookie holds a secret whose SHA-256 is `token_hash`."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    remote: Mapped[str | None] = mapped_column(String(100))


class ApiTokenRow(Base):
    """A machine credential acting as its user; only the SHA-256 of the secret is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SignInAttemptRow(Base):
    """One sign-in attempt, kept to throttle guessing per account and per address."""

    __tablename__ = "signin_attempts"
    __table_args__ = (Index("ix_signin_attempts_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    username: Mapped[str] = mapped_column(String(64), index=True)
    remote: Mapped[str] = mapped_column(String(100), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class TargetingRuleRow(Base):
    """The current state of one targeting rule; its versions live in targeting_rule_versions."""

    __tablename__ = "targeting_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(80), unique=True)
    version: Mapped[int] = mapped_column(Integer)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(100))


class TargetingRuleVersionRow(Base):
    """Every version of every rule: what it said, who changed it, when and why."""

    __tablename__ = "targeting_rule_versions"
    __table_args__ = (UniqueConstraint("rule_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(20))  # seeded, created, changed, retired
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text)


class LookoutRow(Base):
    """A watch an analyst placed on a party, address, code, country, port, carrier or route."""

    __tablename__ = "lookouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    value: Mapped[str] = mapped_column(String(500))
    reason: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(10))
    expires: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled_by: Mapped[str | None] = mapped_column(String(100))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LookoutNotificationRow(Base):
    """A filing matched a lookout; the analyst who placed it is told once per filing."""

    __tablename__ = "lookout_notifications"
    __table_args__ = (UniqueConstraint("lookout_id", "filing_pk"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lookout_id: Mapped[int] = mapped_column(ForeignKey("lookouts.id", ondelete="CASCADE"), index=True)
    filing_pk: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    filing_id: Mapped[str] = mapped_column(String(64))
    port_of_export: Mapped[str] = mapped_column(String(4))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    read_by: Mapped[str | None] = mapped_column(String(100))


class PortThresholdRow(Base):
    """Score thresholds one port works to (ports without a row use the defaults)."""

    __tablename__ = "port_thresholds"

    port: Mapped[str] = mapped_column(String(4), primary_key=True)
    review: Mapped[float] = mapped_column(Float)
    examine: Mapped[float] = mapped_column(Float)
    hold: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text)
