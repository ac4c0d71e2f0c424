"""Turn what Exodus knows about a filing into signals that rules fire on.

Inputs come from the other parts of the core: screening hits per party, license
determinations and declared-versus-required findings per line, description flags.
Each signal keeps the evidence a person needs to check it.
"""

from __future__ import annotations

import difflib
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


def screening_signals(hits_by_role: Mapping[str, Sequence[HitLike]], filing: Filing | None = None) -> list[Signal]:
    """Return one `party.listed` signal per screening hit, strength = match score.

    `country` in the evidence tells whether the filing party's country is one the
    listed entry carries (`agrees`), none it carries (`differs`: the name alone
    matches, as with a lawful firm abroad that shares a listed firm's name), or
    cannot be told (`unknown`: the entry or the party has no country).
    """
    countries = {p.role.value: (p.country or "").upper() for p in filing.parties} if filing else {}
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
                    "country": country_agreement(countries.get(role, ""), entity),
                },
            ))
    return signals


def country_agreement(country: str, entity: Any) -> str:
    """Return agrees, differs or unknown for a party's country against a listed entry's countries."""
    listed = {str(c).upper() for c in getattr(entity, "countries", ()) or ()}
    listed |= {str(a.country).upper() for a in getattr(entity, "addresses", ()) or () if getattr(a, "country", None)}
    if not country or not listed:
        return "unknown"
    return "agrees" if country.upper() in listed else "differs"


# Reason codes of a license determination that rest on a party's listing, those that
# prohibit the export whoever the parties are, and codes that are notes rather than
# requirements. A determination made by a party's listing alone is only as sure as
# the screening hit behind it, which the party rules already weigh: its `basis` is
# then "party"; otherwise "item" (the item, the destination or the end use decides).
PARTY_REASONS = frozenset({"DPL", "SDN", "NPWMD", "SDGT", "ITAR_DEBARRED", "ENTITY_LIST", "MEU"})
PARTY_PROHIBITIONS = frozenset({"DPL", "SDN", "ITAR_DEBARRED"})
NOTE_REASONS = frozenset({
    "NLR", "CHART_CONDITIONAL", "CLASSIFICATION_NEEDED", "CLASSIFIED_BY_CAS", "CW_PARAGRAPH", "DEA_BELOW_THRESHOLD", "DOE_810",
    "EL_OUT_OF_SCOPE", "END_USE_DECLARED", "FOOTNOTE_3", "ITAR_POINTER", "MEU_EAR99", "NRC_RELATED",
    "OFAC_PROGRAM", "RU_BY_HTS_GAP", "UA_REGIONS", "UN_CONDITIONAL", "USML_UNKNOWN", "UVL",
})


def determination_basis(determination: Any) -> str:
    """Return "party" when a party's listing alone makes the outcome, else "item".

    A prohibition counts as the party's when a party prohibition is among its
    reasons and no destination prohibition (ITAR 126.1) is; a license requirement
    when every requirement among its reasons is a party one.
    """
    outcome = getattr(getattr(determination, "outcome", ""), "value", getattr(determination, "outcome", ""))
    codes = {str(getattr(r, "code", "")) for r in getattr(determination, "reasons", ())}
    if str(outcome) == "prohibited":
        # TODO: when a listed party prohibits the export, the determination does not say
        # whether the item would also need a license the filing lacks; that evidence is lost.
        return "party" if codes & PARTY_PROHIBITIONS and "ITAR_126_1" not in codes else "item"
    required = codes - NOTE_REASONS
    return "party" if required and required <= PARTY_REASONS else "item"


def determination_signals(line_no: int, determination: Any) -> list[Signal]:
    """Return `determination.<outcome>` for a line, with its reasons, citations and basis."""
    outcome = str(getattr(determination, "outcome", ""))
    outcome = getattr(outcome, "value", outcome)
    if not outcome or outcome in {"no_license_required", "classification_needed"}:
        # An unclassified line is not cleared, but that alone is no sign of diversion:
        # its HTS and description flags speak for it.
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
                  "reason_codes": [r["code"] for r in reasons], "basis": determination_basis(determination)},
    )]


def finding_signals(findings: Iterable[FindingLike], prefix: str = "line",
                    determinations: Mapping[int, Any] | None = None) -> list[Signal]:
    """Return one signal per controls finding: `<prefix>.<finding code in lower case>`.

    With the line determinations, each finding also carries the `basis` of its
    line's determination (see determination_basis); without them, "item".
    """
    signals = []
    for finding in findings:
        evidence = dict(getattr(finding, "evidence", {}) or {})
        evidence.update({"line_no": finding.line_no, "citation": finding.citation, "severity": finding.severity})
        known = determinations.get(finding.line_no) if determinations is not None else None
        evidence["basis"] = determination_basis(known) if known is not None else "item"
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


# Every signal code the producers above, the red-flag and history checks
# (redflags.py) and lookouts emit, so that a rule naming a misspelt signal is
# refused rather than never firing. A new signal must be added here.
FINDING_CODES = (
    "BIOLOGICAL_AGENT_NAME", "CAS_LISTED", "CHEMICAL_NAME", "CHPL_DESTINATION",
    "DESCRIPTION_RESEMBLES_CONTROLLED", "ECCN_MISSING", "ECCN_UNKNOWN", "ENC_NLR", "EXPORT_PROHIBITED",
    "LICENSE_CODE_AGENCY", "LICENSE_CODE_DESTINATION", "LICENSE_CODE_EAR99", "LICENSE_CODE_ECCN",
    "LICENSE_CODE_JURISDICTION", "LICENSE_CODE_MISSING", "LICENSE_CODE_MOT", "LICENSE_CODE_REMOVED",
    "LICENSE_CODE_UNKNOWN", "LICENSE_EXCEPTION_INELIGIBLE", "LICENSE_EXCEPTION_NOT_AVAILABLE",
    "LICENSE_NUMBER_MALFORMED", "LICENSE_NUMBER_MISSING", "NLR_LICENSE_REQUIRED",
    "SCHEDULE_B_MALFORMED", "SCHEDULE_B_NOT_IN_HTS", "SCHEDULE_B_UNKNOWN",
)
REDFLAG_NAMES = (
    "chpl_item", "consignee_intermediary", "controlled_item", "cover_description", "free_trade_zone",
    "household_goods_region", "hs_suggests_controlled", "late_filing", "reseller_in_hub",
    "residential_address", "sensitive_family", "shared_address", "third_country", "transshipment_hub",
    "uav_component", "usppi_parcel_forwarder", "value_near_threshold",
)
HISTORY_NAMES = (
    "changed_after_filing", "consignee_many_exporters", "consignee_many_forwarders", "consignee_new",
    "unit_value_outlier", "usppi_new",
)
DETERMINATION_OUTCOMES = ("license_required", "license_exception_may_apply", "prohibited")
LOOKOUT_KINDS = ("party", "address", "hs", "eccn", "country", "port", "carrier", "route")

SIGNAL_CODES: frozenset[str] = frozenset(
    ["party.listed", "filing.routed_export", "filing.foreign_forwarder"]
    + [f"determination.{o}" for o in DETERMINATION_OUTCOMES]
    + [f"line.{c.lower()}" for c in FINDING_CODES]
    + [f"redflag.{n}" for n in REDFLAG_NAMES]
    + [f"history.{n}" for n in HISTORY_NAMES]
    + [f"lookout.{k}" for k in LOOKOUT_KINDS]
)


def known_signal(code: str) -> bool:
    """Tell whether a rule's signal condition can match: a known code or a dotted prefix of one."""
    return any(known == code or known.startswith(code + ".") for known in SIGNAL_CODES)


def closest_signal(code: str) -> str | None:
    """Return the known signal code nearest in spelling to `code`, if any is close."""
    found = difflib.get_close_matches(code, sorted(SIGNAL_CODES), n=1, cutoff=0.6)
    return found[0] if found else None
