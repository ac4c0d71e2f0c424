"""REST API routes under /api."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, UploadFile
from sqlalchemy.orm import Session

from exodus.api.deps import current_actor, get_exodus, get_session
from exodus.api.schemas import (
    IngestOut,
    ScreenBatchIn,
    ScreenIn,
    ScreenResult,
    TargetIn,
    TargetOut,
    WorklistPage,
)
from exodus.core.filings import ParsedRecord, parse_filing, read_filings_text
from exodus.errors import InvalidInput, RecordError
from exodus.services import worklist as wl
from exodus.services.app import Exodus
from exodus.services.screening import NameQuery, hit_dict, screen_names

router = APIRouter(prefix="/api")
MAX_UPLOAD = 20 * 1024 * 1024


@router.get("/health", tags=["system"])
def health() -> dict[str, str]:
    """Tell that the service answers."""
    return {"status": "ok"}


@router.get("/worklist", response_model=WorklistPage, tags=["targeting"])
def get_worklist(
    session: Annotated[Session, Depends(get_session)],
    port: Annotated[str | None, Query(max_length=4, description="Schedule D port code")] = None,
    action: Annotated[str | None, Query(description="release, review, examine or hold")] = None,
    destination: Annotated[str | None, Query(max_length=2)] = None,
    min_score: Annotated[float | None, Query(ge=0, le=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, object]:
    """Return the ranked worklist: current results, highest score first, with reasons."""
    total, items = wl.worklist(session, wl.WorklistFilter(port, action, destination, min_score, limit, offset))
    return {"total": total, "items": items}


@router.get("/filings/{filing_id}", tags=["filings"])
def get_filing(filing_id: str, session: Annotated[Session, Depends(get_session)]) -> dict[str, object]:
    """Return a filing with its screening hits, targeting result and version history."""
    return wl.filing_detail(session, filing_id)


@router.post("/filings", response_model=IngestOut, tags=["filings"])
def post_filings(
    exodus: Annotated[Exodus, Depends(get_exodus)],
    actor: Annotated[str, Depends(current_actor)],
    filings: Annotated[list[dict[str, object]], Body(max_length=10000, description="filings in the interchange schema")],
    strict: bool = False,
) -> dict[str, object]:
    """Store filings sent as a JSON array; bad ones are reported by position and field."""
    records = []
    for n, data in enumerate(filings, start=1):
        location = f"filing {n}"
        try:
            records.append(ParsedRecord(location, filing=parse_filing(data, location)))
        except RecordError as exc:
            records.append(ParsedRecord(location, error=exc))
    return exodus.ingest_parsed(records, actor=actor, strict=strict).to_dict()


@router.post("/filings/upload", response_model=IngestOut, tags=["filings"])
async def upload_filings(
    file: UploadFile,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    actor: Annotated[str, Depends(current_actor)],
    strict: bool = False,
) -> dict[str, object]:
    """Store filings from an uploaded .jsonl or .csv file."""
    name = file.filename or "upload"
    kind = "csv" if name.lower().endswith(".csv") else "jsonl" if name.lower().endswith((".jsonl", ".ndjson", ".json")) else None
    if kind is None:
        raise InvalidInput(f"{name}: upload a .jsonl or .csv file of filings")
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InvalidInput(f"{name}: larger than the {MAX_UPLOAD // (1024 * 1024)} MiB upload limit")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{name}: not UTF-8 text") from None
    return exodus.ingest_parsed(read_filings_text(text, name, kind), actor=actor, strict=strict).to_dict()


@router.post("/target", response_model=list[TargetOut], tags=["targeting"])
def post_target(body: TargetIn, exodus: Annotated[Exodus, Depends(get_exodus)]) -> list[dict[str, object]]:
    """Target stored filings now and return their results."""
    return [r.to_dict() for r in exodus.target(body.filing_ids)]


@router.get("/screen", response_model=ScreenResult, tags=["screening"])
def get_screen(
    exodus: Annotated[Exodus, Depends(get_exodus)],
    name: Annotated[str, Query(min_length=1, max_length=500)],
    country: Annotated[str | None, Query(max_length=2)] = None,
    threshold: Annotated[float | None, Query(ge=0, le=1)] = None,
) -> dict[str, object]:
    """Screen one name against the active lists; each hit explains itself."""
    hits = screen_names(exodus.index(), [NameQuery(name, country)], threshold)[0]
    return {"id": None, "name": name, "hits": [hit_dict(h) for h in hits]}


@router.post("/screen", response_model=list[ScreenResult], tags=["screening"])
def post_screen(body: ScreenBatchIn, exodus: Annotated[Exodus, Depends(get_exodus)]) -> list[dict[str, object]]:
    """Screen a batch of parties."""
    queries = [NameQuery(p.name, p.country, p.address, p.id) for p in body.parties]
    results = screen_names(exodus.index(), queries, body.threshold)
    return [{"id": q.id, "name": q.name, "hits": [hit_dict(h) for h in hits]} for q, hits in zip(queries, results, strict=True)]


