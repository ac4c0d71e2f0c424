"""Request and response models of the REST API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


def _unstorable(value: Any) -> str | None:
    """Return what makes `value` (text, or text inside lists and mappings) unfit to store, if anything."""
    if isinstance(value, str):
        if "\x00" in value:
            return "must not contain NUL characters"
        if any("\ud800" <= c <= "\udfff" for c in value):
            return "must not contain a lone UTF-16 surrogate (it is no character)"
        return None
    if isinstance(value, dict):
        return next((p for p in map(_unstorable, [*value, *value.values()]) if p), None)
    if isinstance(value, list | tuple):
        return next((p for p in map(_unstorable, value) if p), None)
    return None


class StrictBody(BaseModel):
    """A request body: a field it does not know is refused (a misspelt one would be dropped unseen).

    No text in it may hold a NUL or a lone surrogate, on any database: PostgreSQL
    refuses the first and no database can encode the second.
    """

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any, info: ValidationInfo) -> Any:
        if cls.model_fields[info.field_name].annotation == list[Any]:
            return value  # raw records, each checked (and refused alone) by the route
        problem = _unstorable(value)
        if problem:
            raise ValueError(problem)
        return value


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
    stale: int = 0
    rejected: int
    errors: list[str]
    warnings: list[str] = Field(default=[], description="records read but not stored (e.g. stale), each named")
    stored: bool


class TargetIn(StrictBody):
    filing_ids: list[str] = Field(min_length=1, max_length=10000, examples=[["X20261201030000042"]])


class TargetOut(BaseModel):
    filing_id: str
    score: float
    action: str
    ruleset: str
    reasons: list[ReasonOut]


class AlsoListedOut(BaseModel):
    entity_id: str = Field(examples=["SDN:17013"])
    source: str = Field(examples=["SDN"])
    score: float


class ScreenHitOut(BaseModel):
    entity_id: str = Field(examples=["EL:1234"])
    source: str = Field(examples=["EL"])
    entity_name: str
    matched_name: str
    score: float
    explanation: str
    programs: list[str] = []
    countries: list[str] = []
    also: list[AlsoListedOut] = []  # the same party on other lists


class ScreenIn(StrictBody):
    id: str | None = Field(default=None, max_length=100)
    # Checked per party (missing, empty, over 500 characters, unknown country): a bad
    # party is reported in its result by position and the others are screened.
    name: str | None = Field(default=None, examples=["Huawei Technologies Co Ltd"])
    country: str | None = Field(default=None, examples=["CN"])
    address: str | None = Field(default=None, max_length=500)


class ScreenBatchIn(StrictBody):
    # Each element is checked against ScreenIn on its own (see routes.post_screen): one of the
    # wrong type is answered with an error naming its position, and the others are screened.
    parties: list[Any] = Field(min_length=1, max_length=10000,
                               description="parties to screen, each as ScreenIn")
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)


class ScreenResult(BaseModel):
    id: str | None
    name: str
    hits: list[ScreenHitOut]
    error: str | None = Field(default=None, description="why this party was not screened, naming it and the field")


class StatsCell(BaseModel):
    port_of_export: str = Field(examples=["2720"])
    action: str = Field(examples=["hold"])
    filings: int
    mean_score: float


class StatsOut(BaseModel):
    total: int
    by_port_and_action: list[StatsCell]


class UserIn(StrictBody):
    username: str = Field(min_length=2, max_length=64, examples=["jsmith"])
    roles: list[str] = Field(min_length=1, max_length=10, examples=[["field_officer"]])
    ports: list[str] = Field(default=[], max_length=100, examples=[["2720"]])
    agencies: list[str] = Field(default=[], max_length=10, examples=[[]])
    password: str | None = Field(default=None, min_length=12, max_length=1024)
    display_name: str = Field(default="", max_length=200, examples=["J. Smith"])


class UserChange(StrictBody):
    """What to change in an account: each field given replaces the old value; one left out is kept."""

    roles: list[str] | None = Field(default=None, min_length=1, max_length=10, examples=[["field_officer"]])
    ports: list[str] | None = Field(default=None, max_length=100, examples=[["3801"]])
    agencies: list[str] | None = Field(default=None, max_length=10, examples=[None])


class UserOut(BaseModel):
    username: str
    display_name: str
    roles: list[str]
    ports: list[str]
    agencies: list[str]
    active: bool
    created_at: str
    created_by: str
    last_sign_in_at: str | None


class TokenIn(StrictBody):
    username: str = Field(min_length=2, max_length=64, examples=["aes-feed"])
    name: str = Field(min_length=1, max_length=100, examples=["nightly AES feed"])
    days: int | None = Field(default=None, ge=1, le=3650)


class TokenOut(BaseModel):
    id: int
    name: str
    user: str
    prefix: str
    created_at: str | None
    created_by: str
    expires_at: str | None
    revoked_at: str | None
    last_used_at: str | None


class TokenCreated(TokenOut):
    token: str = Field(description="the secret; shown this once and never stored")


class AuditEventOut(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    object_type: str
    object_id: str
    detail: dict[str, Any]
    remote: str | None
    hash: str


class AuditPage(BaseModel):
    total: int
    items: list[AuditEventOut]


class WhoAmI(BaseModel):
    username: str
    roles: list[str]
    ports: list[str]
    agencies: list[str]
    permissions: list[str]
    via: str
