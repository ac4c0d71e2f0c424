"""Turn what Exodus knows about a filing into signals that rules fire on.

Inputs come from the other parts of the core: screening hits per party, license
determinations and declared-versus-required findings per line, description flags.
Each signal keeps the evidence a person needs to check it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from exodus.core.filings import Filing
from exodus.core.targeting.model import Signal

SEVERITY_STRENGTH = {"low": 0.4, "medium": 0.7, "high": 1.0}


class HitLike(Protocol):
    entity_id: str
    source: str
    entity_name: str
    matched_name: str
    score: float
    explanation: str


class FindingLike(Protocol):
    code: str
    severity: str
    text: str
    citation: str
    line_no: int


def screening_signals(hits_by_role: Mapping[str, Sequence[HitLike]]) -> list[Signal]:
    """Return one `party.listed` signal per screening hit, strength = match score."""
    signals = []
    for role, hits in hits_by_role.items():
        for hit in hits:
            entity = getattr(hit, "entity", None)
            signals.append(Signal(
                code="party.listed",
                text=f"{role.replace('_', ' ')} matches {hit.source} entry {hit.entity_name!r} "
                     f"(score {hit.score:.2f}): {hit.explanation}",
                subject=role,
                strength=float(hit.score),
                evidence={
                    "source": hit.source, "entity_id": hit.entity_id, "entity_name": hit.entity_name,
                    "matched_name": hit.matched_name, "score": round(float(hit.score), 3), "role": role,
                    "programs": list(getattr(entity, "programs", ()) or ()),
                },
            ))
    return signals


def determination_signals(line_no: int, determination: Any) -> list[Signal]:
    """Return `determination.<outcome>` for a line, with its reasons and citations."""
    outcome = str(getattr(determination, "outcome", ""))
    outcome = getattr(outcome, "value", outcome)
    if not outcome or outcome == "no_license_required":
        return []
    reasons = [
        {"code": getattr(r, "code", ""), "text": getattr(r, "text", ""), "citation": getattr(r, "citation", "")}
        for r in getattr(determination, "reasons", ())
    ]
    agencies = sorted(str(getattr(a, "value", a)) for a in getattr(determination, "agencies", ()))
    summary = "; ".join(f"{r['text']} ({r['citation']})" for r in reasons[:3])
    return [Signal(
        code=f"determination.{outcome}",
        text=f"line {line_no}: {outcome.replace('_', ' ')} — {summary}",
        subject=f"line {line_no}",
        evidence={"line_no": line_no, "agencies": agencies, "reasons": reasons,
                  "reason_codes": [r["code"] for r in reasons]},
    )]


def finding_signals(findings: Iterable[FindingLike], prefix: str = "line") -> list[Signal]:
    """Return one signal per controls finding: `<prefix>.<finding code in lower case>`."""
    signals = []
    for finding in findings:
        evidence = dict(getattr(finding, "evidence", {}) or {})
        evidence.update({"line_no": finding.line_no, "citation": finding.citation, "severity": finding.severity})
        signals.append(Signal(
            code=f"{prefix}.{finding.code.lower()}",
            text=f"line {finding.line_no}: {finding.text}" + (f" ({finding.citation})" if finding.citation else ""),
            subject=f"line {finding.line_no}",
            strength=SEVERITY_STRENGTH.get(str(finding.severity), 0.7),
            evidence=evidence,
        ))
    return signals


def filing_signals(filing: Filing) -> list[Signal]:
    """Return signals read from the filing alone (routing and party roles)."""
    signals = []
    if filing.routed_export:
        signals.append(Signal("filing.routed_export", "the foreign buyer's agent arranged the export (routed export)"))
    forwarder = filing.freight_forwarder
    if forwarder is not None and forwarder.country != "US":
        signals.append(Signal("filing.foreign_forwarder", f"freight forwarder {forwarder.name!r} is abroad ({forwarder.country})",
                              subject="freight_forwarder", evidence={"country": forwarder.country}))
    return signals
