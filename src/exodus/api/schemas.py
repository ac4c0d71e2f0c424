"""Request and response models of the REST API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ReasonOut(BaseModel):
    rule_id: str
    category: str
    weight: float
    contribution: float
    text: str
    subject: str = ""
    evidence: dict[str, Any] = {}


class WorklistItem(BaseModel):
    filing_id: str = Field(examples=["X20261201030000042"])
    score: float = Field(examples=[87.5])
    action: str = Field(examples=["hold"])
    port_of_export: str = Field(examples=["2720"])
    country_of_destination: str = Field(examples=["AE"])
    export_date: str
    usppi: str
    ultimate_consignee: str
    total_value_usd: float
    reasons: list[ReasonOut]
    targeted_at: str


class WorklistPage(BaseModel):
    total: int
    items: list[WorklistItem]


class IngestOut(BaseModel):
    read: int
    created: int
    corrected: int
    unchanged: int
    rejected: int
    errors: list[str]
    stored: bool


class TargetIn(BaseModel):
    filing_ids: list[str] = Field(min_length=1, max_length=10000, examples=[["X20261201030000042"]])


class TargetOut(BaseModel):
    filing_id: str
    score: float
    action: str
    ruleset: str
    reasons: list[ReasonOut]


class ScreenHitOut(BaseModel):
    entity_id: str = Field(examples=["EL:1234"])
    source: str = Field(examples=["EL"])
    entity_name: str
    matched_name: str
    score: float
    explanation: str
    programs: list[str] = []
    countries: list[str] = []


class ScreenIn(BaseModel):
    id: str | None = Field(default=None, max_length=100)
    name: str = Field(min_length=1, max_length=500, examples=["Huawei Technologies Co Ltd"])
    country: str | None = Field(default=None, max_length=2, examples=["CN"])
    address: str | None = Field(default=None, max_length=500)


class ScreenBatchIn(BaseModel):
    parties: list[ScreenIn] = Field(min_length=1, max_length=10000)
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)


class ScreenResult(BaseModel):
    id: str | None
    name: str
    hits: list[ScreenHitOut]
