"""REST API routes under /api."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, UploadFile
from pydantic import ValidationError

from exodus.api.deps import ApiRoute, DbSession, get_exodus, public, require
from exodus.api.schemas import (
    IngestOut,
    ScreenBatchIn,
    ScreenIn,
    ScreenResult,
    StatsOut,
    TargetIn,
    TargetOut,
    WorklistPage,
)
from exodus.auth import Permission, Principal
from exodus.auth.trail import note
from exodus.core.filings import ParsedRecord, parse_filing, read_filings_text
from exodus.core.text import decode_utf8, storable
from exodus.errors import InvalidInput, NotFound, RecordError, TooLarge
from exodus.services import filing_versions as fv
from exodus.services import worklist as wl
from exodus.services.app import Exodus
from exodus.services.screening import NameQuery, check_query, hit_dict, query_label, screen_names

router = APIRouter(prefix="/api", route_class=ApiRoute)
MAX_UPLOAD = 20 * 1024 * 1024
UPLOAD_KINDS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
UPLOAD_TYPES = {"text/csv", "application/json", "application/x-ndjson", "application/jsonl",
                "application/octet-stream", "text/plain", "application/vnd.ms-excel", ""}


@router.get("/health", tags=["system"])
def health(_: Annotated[Principal | None, Depends(public())]) -> dict[str, str]:
    """Tell that the service answers."""
    return {"status": "ok"}


@router.get("/worklist", response_model=WorklistPage, tags=["targeting"])
def get_worklist(
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.WORKLIST_READ))],
    port: Annotated[str | None, Query(max_length=4, description="Schedule D port code")] = None,
    action: Annotated[str | None, Query(description="release, review, examine or hold")] = None,
    destination: Annotated[str | None, Query(max_length=2)] = None,
    min_score: Annotated[float | None, Query(ge=0, le=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, object]:
    """Return the ranked worklist of the caller's ports, highest score first, with reasons."""
    flt = wl.WorklistFilter(port, action, destination, min_score, limit, offset,
                            allowed_ports=who.ports_for(Permission.WORKLIST_READ))
    total, items = wl.worklist(session, flt)
    note(session, who, "worklist.viewed", "worklist", port or "*",
         {"action": action, "destination": destination, "offset": offset, "shown": len(items)})
    # Commit now, before the page of results is serialised: the busiest audited read holds SQLite's write lock least.
    session.commit()
    return {"total": total, "items": items}


@router.get("/filings/{filing_id}", tags=["filings"])
def get_filing(
    filing_id: str,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.FILING_READ))],
) -> dict[str, object]:
    """Return a filing with its screening hits, targeting result and version history."""
    return wl.view_filing(session, who, filing_id, via="api")


@router.get("/filings/{filing_id}/versions", tags=["filings"])
def get_filing_versions(
    filing_id: str,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.FILING_READ))],
) -> dict[str, object]:
    """Return every stored version of a filing (who sent it, when, from where) and the fields each correction changed."""
    return fv.filing_versions(session, who, filing_id, via="api")


@router.get("/filings/{filing_id}/versions/{number}", tags=["filings"])
def get_filing_version(
    filing_id: str,
    number: int,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.FILING_READ))],
) -> dict[str, object]:
    """Return one stored version of a filing as it was received; 404 naming the versions there are."""
    return fv.filing_version(session, who, filing_id, number, via="api")


@router.get("/filings/{filing_id}/changes", tags=["filings"])
def get_filing_changes(
    filing_id: str,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.FILING_READ))],
    from_version: Annotated[int | None, Query(alias="from", ge=1, description="default: the version before `to`")] = None,
    to_version: Annotated[int | None, Query(alias="to", ge=1, description="default: the current version")] = None,
) -> dict[str, object]:
    """Return the fields (header, parties, lines) that differ between two versions of a filing: old and new value."""
    return fv.compare_versions(session, who, filing_id, from_version, to_version, via="api")


@router.post("/filings", response_model=IngestOut, tags=["filings"])
def post_filings(
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.FILING_WRITE))],
    filings: Annotated[list[Any], Body(max_length=10000, description="filings in the interchange schema")],
    strict: bool = False,
) -> dict[str, object]:
    """Store filings sent as a JSON array; bad ones (an element not an object too) are reported by position and field."""
    records = []
    for n, data in enumerate(filings, start=1):
        location = f"filing {n}"
        try:
            records.append(ParsedRecord(location, filing=parse_filing(data, location)))
        except RecordError as exc:
            records.append(ParsedRecord(location, error=exc))
    return exodus.ingest_parsed(records, actor=who.actor, strict=strict).to_dict()


def _upload_kind(name: str, content_type: str) -> str:
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = UPLOAD_KINDS.get(suffix)
    if kind is None:
        raise InvalidInput(f"{name!r}: upload a .jsonl or .csv file of filings")
    if content_type.split(";")[0].strip().lower() not in UPLOAD_TYPES:
        raise InvalidInput(f"{name!r}: content type {content_type!r} is not CSV or JSON Lines")
    return kind


@router.post("/filings/upload", response_model=IngestOut, tags=["filings"])
async def upload_filings(
    file: UploadFile,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.FILING_WRITE))],
    strict: bool = False,
) -> dict[str, object]:
    """Store filings from an uploaded .jsonl or .csv file (at most 20 MiB of UTF-8 text)."""
    name = file.filename or "upload"
    kind = _upload_kind(name, file.content_type or "")
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise TooLarge(f"{name!r}: larger than the {MAX_UPLOAD // (1024 * 1024)} MiB upload limit")
    text = decode_utf8(data, name)
    return exodus.ingest_parsed(read_filings_text(text, name, kind), actor=who.actor, strict=strict).to_dict()


@router.post("/target", response_model=list[TargetOut], tags=["targeting"])
def post_target(
    body: TargetIn,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.TARGETING_RUN))],
) -> list[dict[str, object]]:
    """Target stored filings now and return their results; 404 naming the ids not stored.

    A caller without `filing.read` (a feed) may target only filings whose current version
    its own account sent: the reasons name parties and list entries. Any other id is
    answered as not stored, so a feed learns nothing of other filers' filings.
    """
    with exodus.db.session() as session:
        unknown = wl.unreadable_filing_ids(session, who, body.filing_ids)
    if unknown:
        shown = ", ".join(unknown[:20]) + (f" and {len(unknown) - 20} more" if len(unknown) > 20 else "")
        yours = "" if who.allows(Permission.FILING_READ) else f" sent by {who.username}"
        raise NotFound(f"no stored filing{yours} with id {shown}; nothing was targeted")
    results = [r.to_dict() for r in exodus.target(body.filing_ids)]
    with exodus.db.session() as session:
        note(session, who, "targeting.run", "filing", ",".join(body.filing_ids[:20]),
             {"requested": len(body.filing_ids), "targeted": len(results)})
    return results


def _audit_screening(exodus: Exodus, who: Principal, queries: list[NameQuery], hits: int) -> None:
    with exodus.db.session() as session:
        note(session, who, "screening.queried", "party", queries[0].name[:200],
             {"names": [q.name for q in queries[:50]], "countries": [q.country for q in queries[:50]],
              "queries": len(queries), "hits": hits})


@router.get("/screen", response_model=ScreenResult, tags=["screening"])
def get_screen(
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.SCREENING_QUERY))],
    name: Annotated[str, Query(min_length=1, max_length=500)],
    country: Annotated[str | None, Query(max_length=2)] = None,
    threshold: Annotated[float | None, Query(ge=0, le=1)] = None,
) -> dict[str, object]:
    """Screen one name against the active lists; each hit explains itself."""
    query = NameQuery(name, country)
    hits = screen_names(exodus.index(), [query], threshold)[0]
    _audit_screening(exodus, who, [query], len(hits))
    return {"id": None, "name": name, "hits": [hit_dict(h) for h in hits]}


@router.post("/screen", response_model=list[ScreenResult], tags=["screening"])
def post_screen(
    body: ScreenBatchIn,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.SCREENING_QUERY))],
) -> list[dict[str, object]]:
    """Screen a batch of parties; a bad one is answered with an error naming it, the others are screened."""
    queries: list[NameQuery] = []
    errors: dict[int, str] = {}
    for n, data in enumerate(body.parties):
        # Checked one by one, as POST /api/filings does: a party of the wrong type fails alone.
        try:
            party = ScreenIn.model_validate(data)
        except ValidationError as exc:
            given = data if isinstance(data, dict) else {}
            name, country, address, pid = (given.get(k) if isinstance(given.get(k), str) else None
                                           for k in ("name", "country", "address", "id"))
            # Kept for the answer and the audit entry: text no database can store is shown replaced.
            name, country, address, pid = (storable(v) if v is not None else None
                                           for v in (name, country, address, pid))
            queries.append(NameQuery(name or "", country, address, pid))
            errors[n] = f"{query_label(n + 1, queries[-1])}: {_first_problem(exc)}"
            continue
        query = NameQuery(party.name or "", party.country, party.address, party.id)
        queries.append(query)
        try:
            if party.name is None:
                raise InvalidInput(f"{query_label(n + 1, query)}: field 'name' is required")
            check_query(query, query_label(n + 1, query))
        except InvalidInput as exc:
            errors[n] = exc.detail
    good = [q for n, q in enumerate(queries) if n not in errors]
    found = iter(screen_names(exodus.index(), good, body.threshold) if good else [])
    results = [[] if n in errors else next(found) for n in range(len(queries))]
    _audit_screening(exodus, who, good or queries, sum(len(h) for h in results))
    return [{"id": q.id, "name": q.name, "hits": [hit_dict(h) for h in hits], "error": errors.get(n)}
            for n, (q, hits) in enumerate(zip(queries, results, strict=True))]


def _first_problem(exc: ValidationError) -> str:
    """Say what is wrong with a batch element, naming the field ("party" for the element itself)."""
    problem = exc.errors()[0]
    field = ".".join(str(part) for part in problem.get("loc", ())) or "party"
    where = "the party" if field == "party" else f"field {field!r}"
    return f"{where}: {str(problem.get('msg', 'invalid')).removeprefix('Value error, ')}"


@router.get("/stats", response_model=StatsOut, tags=["targeting"])
def get_stats(
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.STATS_READ))],
) -> dict[str, object]:
    """Return counts of current targeting results by port and action (numbers only)."""
    return wl.aggregates(session)
