"""Read models for the port worklist and the filing page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exodus.auth import Permission, Principal
from exodus.auth.trail import deny, note
from exodus.core.countries import is_country
from exodus.core.filings.model import to_cents
from exodus.core.ports import check_port
from exodus.core.targeting.model import Action
from exodus.errors import InvalidInput, NotFound, PermissionDenied
from exodus.storage.filings import filing_history
from exodus.storage.models import FilingRow, FilingVersionRow, ScreeningHitRow, TargetingResultRow

MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class WorklistFilter:
    port: str | None = None
    action: str | None = None
    destination: str | None = None
    min_score: float | None = None
    limit: int = 100
    offset: int = 0
    # The ports the reader may see; None means every port. Set from the reader's scope.
    allowed_ports: frozenset[str] | None = None

    def checked(self) -> WorklistFilter:
        if self.action is not None and self.action not in {a.value for a in Action}:
            raise InvalidInput(f"action must be one of {', '.join(a.value for a in Action)}, got {self.action!r}")
        if not 1 <= self.limit <= MAX_PAGE:
            raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}, got {self.limit}")
        if self.offset < 0:
            raise InvalidInput(f"offset must not be negative, got {self.offset}")
        if self.destination and not is_country(self.destination.upper()):
            raise InvalidInput(f"destination must be an ISO 3166-1 alpha-2 country code, got {self.destination!r}")
        if self.port:
            check_port(self.port)
        if self.port and self.allowed_ports is not None and self.port not in self.allowed_ports:
            raise PermissionDenied(f"port {self.port} is outside your scope; you see the worklist of "
                                   f"{', '.join(sorted(self.allowed_ports)) or 'no port'}")
        return self


def worklist(session: Session, flt: WorklistFilter) -> tuple[int, list[dict[str, Any]]]:
    """Return the total and one page of current targeting results, highest score first."""
    flt = flt.checked()
    query = (
        select(TargetingResultRow, FilingRow)
        .join(FilingRow, FilingRow.id == TargetingResultRow.filing_pk)
        .where(TargetingResultRow.current.is_(True))
    )
    if flt.allowed_ports is not None:
        query = query.where(TargetingResultRow.port_of_export.in_(sorted(flt.allowed_ports)))
    if flt.port:
        query = query.where(TargetingResultRow.port_of_export == flt.port)
    if flt.action:
        query = query.where(TargetingResultRow.action == flt.action)
    if flt.destination:
        query = query.where(TargetingResultRow.country_of_destination == flt.destination.upper())
    if flt.min_score is not None:
        query = query.where(TargetingResultRow.score >= flt.min_score)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = session.execute(
        query.order_by(TargetingResultRow.score.desc(), FilingRow.filing_id).limit(flt.limit).offset(flt.offset)
    ).all()
    items = [
        {
            "filing_id": f.filing_id, "score": r.score, "action": r.action, "port_of_export": f.port_of_export,
            "country_of_destination": f.country_of_destination, "export_date": f.export_date.isoformat(),
            "usppi": f.usppi_name, "ultimate_consignee": f.consignee_name,
            "total_value_usd": to_cents(f.total_value_usd), "reasons": r.reasons, "targeted_at": r.targeted_at.isoformat(),
        }
        for r, f in page
    ]
    return total, items


def ports_in_use(session: Session, allowed_ports: frozenset[str] | None = None) -> list[str]:
    query = select(FilingRow.port_of_export).distinct().order_by(FilingRow.port_of_export)
    if allowed_ports is not None:
        query = query.where(FilingRow.port_of_export.in_(sorted(allowed_ports)))
    return list(session.execute(query).scalars())


def sender_account(actor: str) -> str:
    """Return the account named in an audit actor: user:NAME, cli:NAME or token:NAME#ID."""
    return actor.partition(":")[2].partition("#")[0]


def unreadable_filing_ids(session: Session, who: Principal, filing_ids: list[str]) -> list[str]:
    """Return the ids among `filing_ids` that `who` may not see, each once, in the order given.

    Those are filings not stored, filings outside the ports its `filing.read` is limited
    to, and, for a caller without `filing.read` (a feed), filings whose current version
    another account sent. All look alike, so the existence of a filing does not leak.
    """
    wanted = list(dict.fromkeys(filing_ids))
    reads = who.allows(Permission.FILING_READ)
    ports = who.ports_for(Permission.FILING_READ) if reads else None
    latest: dict[str, tuple[int, str]] = {}  # filing id -> (version, sender) of its current version
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start:start + 1000]
        query = (select(FilingRow.filing_id, FilingVersionRow.version, FilingVersionRow.received_by)
                 .join(FilingVersionRow, FilingVersionRow.filing_pk == FilingRow.id, isouter=True)
                 .where(FilingRow.filing_id.in_(chunk)))
        if ports is not None:
            query = query.where(FilingRow.port_of_export.in_(sorted(ports)))
        for filing_id, version, sender in session.execute(query):
            if filing_id not in latest or (version or 0) > latest[filing_id][0]:
                latest[filing_id] = (version or 0, sender or "")
    if reads:
        return [f for f in wanted if f not in latest]
    return [f for f in wanted if f not in latest or sender_account(latest[f][1]) != who.username]


def filing_detail(session: Session, filing_id: str, allowed_ports: frozenset[str] | None = None) -> dict[str, Any]:
    """Return the filing page model: the filing, its hits, its current result and its history.

    A filing outside `allowed_ports` is reported as missing, so its existence does not leak.
    """
    query = select(FilingRow).where(FilingRow.filing_id == filing_id)
    if allowed_ports is not None:
        query = query.where(FilingRow.port_of_export.in_(sorted(allowed_ports)))
    row = session.execute(query).scalar_one_or_none()
    if row is None:
        raise NotFound(f"no filing with id {filing_id!r}")
    result = session.execute(
        select(TargetingResultRow).where(TargetingResultRow.filing_pk == row.id, TargetingResultRow.current.is_(True))
    ).scalar_one_or_none()
    hits = session.execute(
        select(ScreeningHitRow).where(ScreeningHitRow.filing_pk == row.id).order_by(ScreeningHitRow.score.desc())
    ).scalars()
    return {
        "filing": row.payload,
        "version": row.version,
        "updated_at": row.updated_at.isoformat(),
        "result": None if result is None else {
            "score": result.score, "action": result.action, "reasons": result.reasons,
            "ruleset": result.ruleset, "targeted_at": result.targeted_at.isoformat(),
        },
        "screening_hits": [
            {"party_role": h.party_role, "party_name": h.party_name, "entity_id": h.entity_id, "source": h.source,
             "entity_name": h.entity_name, "matched_name": h.matched_name, "score": h.score, "explanation": h.explanation}
            for h in hits
        ],
        "history": [
            {"version": v.version, "received_at": v.received_at.isoformat(), "received_by": v.received_by, "origin": v.origin}
            for v in filing_history(session, row.id)
        ],
    }


def view_filing(session: Session, who: Principal, filing_id: str, *, via: str, part: str | None = None) -> dict[str, Any]:
    """Return the filing page model for `who` (its ports only) and record in the audit log that it was viewed.

    A filing of another port is answered as missing (NotFound), but the audit log
    records the refusal (`access.denied`, limited per account), committed at once: the error rolls the
    session back, so `session` must hold nothing else unwritten.
    """
    ports = who.ports_for(Permission.FILING_READ)
    try:
        detail = filing_detail(session, filing_id, ports)
    except NotFound:
        found = None if ports is None else session.execute(
            select(FilingRow.port_of_export).where(FilingRow.filing_id == filing_id)).scalar_one_or_none()
        if found is not None:
            deny(session, who, "filing", filing_id,
                 {"permission": Permission.FILING_READ.value, "via": via, **({"part": part} if part else {}),
                  "reason": f"filing of port {found}, outside the account's ports ({', '.join(sorted(ports or ())) or 'none'})"})
            session.commit()
        raise
    note(session, who, "filing.viewed", "filing", filing_id,
         {"version": detail["version"], "via": via, **({"part": part} if part else {})})
    return detail


def aggregates(session: Session) -> dict[str, Any]:
    """Return counts of current results by port and action: numbers only, no names."""
    rows = session.execute(
        select(TargetingResultRow.port_of_export, TargetingResultRow.action, func.count(),
               func.avg(TargetingResultRow.score))
        .where(TargetingResultRow.current.is_(True))
        .group_by(TargetingResultRow.port_of_export, TargetingResultRow.action)
        .order_by(TargetingResultRow.port_of_export, TargetingResultRow.action)
    ).all()
    cells = [{"port_of_export": p, "action": a, "filings": n, "mean_score": round(float(m or 0), 1)}
             for p, a, n, m in rows]
    return {"total": sum(c["filings"] for c in cells), "by_port_and_action": cells}
