"""License determination: does this item need a license to this destination and party.

The order follows the EAR's own steps (15 CFR 732): jurisdiction (USML or EAR),
classification, the Country Chart with its footnotes (738.4), embargoes (Part 746),
end-user and end-use rules (Part 744), then license exceptions (Part 740). Every
requirement found is kept as a reason with its citation, so a liaison can check it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from exodus.core.controls.ccl import CclEntry, split_eccn
from exodus.core.controls.exceptions import ExceptionOption, eligible_exceptions
from exodus.core.controls.reference import (
    COVERED_REGIONS,
    ChemicalListing,
    ReferenceData,
)
from exodus.errors import InvalidInput

log = logging.getLogger(__name__)

CAS_RE = re.compile(r"\b(\d{2,7})-(\d{2})-(\d)\b")
END_USES = frozenset(
    {
        "military",
        "military_intelligence",
        "nuclear",
        "missile",
        "chemical_biological",
        "advanced_computing",
    }
)
# 15 CFR 738.3(a)(1): entries licensed to all destinations, outside the chart.
ALL_DESTINATION_ECCNS = {
    "0A983": "none",
    "5A980": "GOV",
    "5D980": "GOV",
    "5E980": "none",
}
# 15 CFR 746.7(a)(1)(i): ECCNs named for Iran besides those with chart columns.
IRAN_LISTED_ECCNS = frozenset(
    {
        "0A503",
        "0A980",
        "0A982",
        "0A983",
        "0E982",
        "1C355",
        "1C395",
        "1C980",
        "1C982",
        "1C983",
        "1C984",
        "2A994",
        "2D994",
        "2E994",
        "5A980",
        "5D980",
        "5E980",
    }
)
FIREARM_FOOTNOTE_10 = (
    "0A501",
    "0A502",
    "0A504.i",
    "0A505.a",
    "0A505.x",
    "0A506",
    "0A507",
    "0A508",
    "0A509",
    "0D501",
    "0D505",
    "0E501",
    "0E504",
    "0E505",
)


class Outcome(StrEnum):
    LICENSE_REQUIRED = "license_required"
    NO_LICENSE_REQUIRED = "no_license_required"
    LICENSE_EXCEPTION_MAY_APPLY = "license_exception_may_apply"
    PROHIBITED = "prohibited"


@dataclass(frozen=True, slots=True)
class ItemQuery:
    """What is known of one item: any of its classification, codes and wording."""

    eccn: str | None = None  # "3A001", "3A001.a.1" or "EAR99"
    usml: str | None = None  # "XI", "XI(c)", "11"
    cas: str | None = None
    hts: str | None = None  # Schedule B / HTS, 6 to 10 digits
    description: str | None = None
    value_usd: float | None = None
    weight_kg: float | None = None


@dataclass(frozen=True, slots=True)
class PartyStatus:
    """The list hits of one party of the transaction.

    `sources` are list codes (EL, DPL, MEU, SDN, UVL, DTC, ...); for an Entity List
    hit, `license_requirement` and `license_policy` are the entry's own columns.
    """

    name: str = ""
    sources: frozenset[str] = frozenset()
    license_requirement: str | None = None
    license_policy: str | None = None
    programs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    text: str
    citation: str


@dataclass(slots=True)
class Determination:
    """The answer for one item, destination and set of parties, with its reasons."""

    outcome: Outcome
    agencies: tuple[str, ...]
    license_exceptions: tuple[ExceptionOption, ...]
    reasons: tuple[Reason, ...]
    jurisdiction: str = "EAR"  # EAR, ITAR
    eccn: str | None = None  # classification used, e.g. "1C350" found from a CAS
    paragraph: str = ""
    destination: str = ""
    edition: str = ""
    chemicals: tuple[ChemicalListing, ...] = ()

    @property
    def license_required(self) -> bool:
        """Tell whether some authorization (license or exception) is needed."""
        return self.outcome is not Outcome.NO_LICENSE_REQUIRED

    def reason_codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)

    def to_dict(self) -> dict[str, Any]:
        """Return the interchange form used by the API and CLI."""
        return {
            "outcome": self.outcome.value,
            "agencies": list(self.agencies),
            "license_exceptions": [e.to_dict() for e in self.license_exceptions],
            "reasons": [
                {"code": r.code, "text": r.text, "citation": r.citation}
                for r in self.reasons
            ],
        }


@dataclass(slots=True)
class _Requirement:
    reason: Reason
    prohibited: bool = False
    coverable: frozenset[str] = frozenset()  # reason codes exceptions may overcome


@dataclass(slots=True)
class _Work:
    """What the rules found so far for one determination."""

    ref: ReferenceData
    dest: str
    chart_key: str
    item: ItemQuery
    entry: CclEntry | None = None
    eccn: str | None = None
    paragraph: str = ""
    jurisdiction: str = "EAR"
    chemicals: tuple[ChemicalListing, ...] = ()
    requirements: list[_Requirement] = field(default_factory=list)
    notes: list[Reason] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    chart_reasons: set[str] = field(default_factory=set)
    no_exceptions: bool = False
    exceptions_only: set[str] | None = None
    transaction_exceptions: list[ExceptionOption] = field(default_factory=list)

    def require(
        self,
        code: str,
        text: str,
        citation: str,
        agency: str = "BIS",
        *,
        prohibited: bool = False,
        coverable: frozenset[str] = frozenset(),
    ) -> None:
        self.requirements.append(
            _Requirement(Reason(code, text, citation), prohibited, coverable)
        )
        self.agency(agency)

    def note(self, code: str, text: str, citation: str) -> None:
        self.notes.append(Reason(code, text, citation))

    def agency(self, name: str) -> None:
        if name not in self.agencies:
            self.agencies.append(name)

    @property
    def is_ear99(self) -> bool:
        return (
            self.jurisdiction == "EAR" and self.entry is None and self.eccn == "EAR99"
        )


def determine(
    ref: ReferenceData,
    item: ItemQuery,
    destination: str,
    *,
    parties: Sequence[PartyStatus] = (),
    end_use: str | None = None,
    on: date | None = None,
) -> Determination:
    """Determine the license requirement for `item` to `destination`."""
    if end_use is not None and end_use not in END_USES:
        raise InvalidInput(
            f"unknown end use {end_use!r}; expected one of {sorted(END_USES)}"
        )
    dest = ref.country_code(destination)
    work = _Work(ref, dest, ref.chart_key(dest), item)
    _classify(work)

    _party_rules(work, parties)
    if work.jurisdiction == "ITAR":
        _itar_rules(work, on or ref.effective)
    else:
        _ear_rules(work, end_use)
    _chemical_rules(work)
    _end_use_rules(work, end_use)
    return _conclude(work)


# ----------------------------------------------------------------------------
# Classification


def _classify(work: _Work) -> None:
    """Settle jurisdiction and ECCN from the USML category, ECCN, CAS or wording."""
    ref, item = work.ref, work.item
    work.chemicals = _chemicals_of(ref, item)
    if item.usml:
        work.jurisdiction = "ITAR"
        return
    if item.eccn:
        eccn, paragraph = split_eccn(item.eccn)
        work.eccn, work.paragraph = eccn, paragraph
        if eccn == "EAR99":
            return
        entry = ref.ccl.get(eccn)
        if entry is None:
            work.require(
                "ECCN_UNKNOWN",
                f"ECCN {item.eccn!r} is not on the Commerce Control List; the "
                "item cannot be cleared until it is classified.",
                "15 CFR 774, Supp. No. 1",
            )
            return
        work.entry = entry
        if entry.itar_pointer:
            work.jurisdiction = "ITAR"
            work.note("ITAR_POINTER", f"{eccn}: {entry.heading}", "22 CFR 120-130")
        return
    listed = [c for c in work.chemicals if c.source in {"1C350", "1C355"}]
    if listed:
        eccn, paragraph = split_eccn(listed[0].paragraph)
        work.eccn, work.paragraph, work.entry = eccn, paragraph, ref.ccl.get(eccn)
        work.note(
            "CLASSIFIED_BY_CAS",
            f"CAS {listed[0].cas} ({_short(listed[0].name)}) is listed in "
            f"{listed[0].paragraph}.",
            "15 CFR 774, Supp. No. 1, ECCN " + eccn,
        )
        return
    work.eccn = "EAR99"


def _chemicals_of(ref: ReferenceData, item: ItemQuery) -> tuple[ChemicalListing, ...]:
    numbers = []
    if item.cas:
        numbers.append(item.cas.strip())
    if item.description and "-" in item.description:
        numbers.extend(m.group(0) for m in CAS_RE.finditer(item.description))
    found: list[ChemicalListing] = []
    for number in numbers:
        found.extend(ref.chemicals_by_cas.get(number, ()))
    return tuple(found)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ----------------------------------------------------------------------------
# Parties and end uses


def _party_rules(work: _Work, parties: Sequence[PartyStatus]) -> None:
    """Apply list-based prohibitions and license requirements (Parts 744, 764; OFAC)."""
    for party in parties:
        sources = {s.upper() for s in party.sources}
        label = party.name or "a party"
        if "DPL" in sources:
            work.require(
                "DPL",
                f"{label} is on the Denied Persons List: no export may "
                "be made to or with a denied person.",
                "15 CFR 736.2(b)(4); 15 CFR 764.3(a)(2)",
                prohibited=True,
            )
        if "SDN" in sources:
            work.require(
                "SDN",
                f"{label} is a Specially Designated National: its property "
                "is blocked and U.S. persons may not deal with it.",
                "31 CFR chapter V (OFAC blocking regulations)",
                "OFAC",
                prohibited=True,
            )
        programs = {p.upper().strip("[]") for p in party.programs}
        if "NPWMD" in programs:
            work.require(
                "NPWMD",
                f"{label} is designated under the NPWMD program: a "
                "license is required for any item subject to the EAR.",
                "15 CFR 744.8(a)(1)",
            )
        if programs & {"SDGT", "FTO", "SDT"}:
            work.require(
                "SDGT",
                f"{label} is designated as a terrorist party: a license "
                "is required for any item subject to the EAR.",
                "15 CFR 744.12-744.14",
            )
        if "DTC" in sources and work.jurisdiction == "ITAR":
            work.require(
                "ITAR_DEBARRED",
                f"{label} is debarred under the ITAR.",
                "22 CFR 127.7",
                "DDTC",
                prohibited=True,
            )
        if "EL" in sources and work.jurisdiction == "EAR":
            _entity_list(work, party, label)
        if "MEU" in sources and work.jurisdiction == "EAR":
            _meu_party(work, label)
        if "UVL" in sources:
            work.no_exceptions = True
            work.note(
                "UVL",
                f"{label} is on the Unverified List: no license exception "
                "may be used, a UVL statement is required and EEI must be filed.",
                "15 CFR 744.15(b); 15 CFR 758.1(b)(8)",
            )


def _entity_list(work: _Work, party: PartyStatus, label: str) -> None:
    requirement = (party.license_requirement or "").strip()
    policy = (party.license_policy or "").strip()
    applies, scope = _entity_scope(requirement, work)
    if not applies:
        work.note(
            "EL_OUT_OF_SCOPE",
            f"{label} is on the Entity List, but its license "
            f"requirement ({scope}) does not reach this item.",
            "15 CFR 744.11; Supp. No. 4 to Part 744",
        )
        return
    text = f"{label} is on the Entity List; license requirement: {scope}."
    if policy:
        text += f" Review policy: {policy}."
    work.no_exceptions = True
    work.require("ENTITY_LIST", text, "15 CFR 744.11; Supp. No. 4 to Part 744")


def _entity_scope(requirement: str, work: _Work) -> tuple[bool, str]:
    """Tell whether an Entity List license requirement covers the item."""
    text = requirement.lower()
    if not text:
        return (
            True,
            "not stated in the list data; treated as all items subject to the EAR",
        )
    named = set(re.findall(r"\b\d[a-e]\d{3}\b", text))
    if "all items subject to the ear" in text:
        if work.is_ear99 and re.search(
            r"(other than|except|excluding)[^.]*ear99", text
        ):
            return False, requirement
        return True, requirement
    if named:
        return (work.eccn or "").lower() in named, requirement
    return True, requirement + " (scope not machine-readable; treated as all items)"


def _meu_party(work: _Work, label: str) -> None:
    in_russia = work.dest in {"RU", "BY"}
    if work.is_ear99 and not in_russia:
        work.note(
            "MEU_EAR99",
            f"{label} is on the Military End-User List; EAR99 items "
            "are outside Supp. No. 2 to Part 744 for this destination.",
            "15 CFR 744.21; Supp. No. 7 to Part 744",
        )
        return
    work.exceptions_only = {"GOV"}
    work.require(
        "MEU",
        f"{label} is on the Military End-User List: a license is "
        "required (only License Exception GOV may apply).",
        "15 CFR 744.21(a); Supp. No. 7 to Part 744",
    )


def _end_use_rules(work: _Work, end_use: str | None) -> None:
    """Apply the knowledge-based end-use controls of Part 744."""
    if end_use is None:
        return
    dest = work.dest
    if (
        end_use == "military_intelligence"
        and dest in work.ref.end_use_countries["MIEU"]
    ):
        work.exceptions_only = {"GOV"}
        work.require(
            "MIEU",
            "Known military-intelligence end use or end user in a "
            "destination named by 744.22: a license is required for any item "
            "subject to the EAR.",
            "15 CFR 744.22(a)",
        )
    elif end_use == "military" and dest in work.ref.end_use_countries["MEU"]:
        if work.is_ear99 and dest not in {"RU", "BY"}:
            work.note(
                "MEU_EAR99",
                "Military end use: EAR99 items are outside Supp. No. 2 "
                "to Part 744 for this destination.",
                "15 CFR 744.21(a)",
            )
            return
        work.exceptions_only = {"GOV"}
        work.require(
            "MILITARY_END_USE",
            "Known military end use or end user in a "
            "destination named by 744.21: a license is required.",
            "15 CFR 744.21(a)",
        )
    elif end_use == "nuclear":
        work.require(
            "NUCLEAR_END_USE",
            "Known nuclear end use (nuclear explosive, "
            "unsafeguarded fuel-cycle activity): a license is required for any "
            "item subject to the EAR.",
            "15 CFR 744.2(a)",
        )
        if work.entry is not None and work.entry.product_group in {"D", "E"}:
            work.agency("DOE")
            work.note(
                "DOE_810",
                "Assistance to foreign atomic energy activities may need "
                "DOE authorization.",
                "10 CFR 810.2",
            )
    elif end_use == "missile":
        work.require(
            "MISSILE_END_USE",
            "Known rocket-system or unmanned aerial vehicle "
            "end use: a license is required.",
            "15 CFR 744.3(a)",
        )
    elif end_use == "chemical_biological":
        work.require(
            "CB_END_USE",
            "Known chemical or biological weapons end use: a "
            "license is required for any item subject to the EAR.",
            "15 CFR 744.4(a)",
        )
    elif end_use == "advanced_computing" and (
        work.ref.in_group(dest, "D:5") or dest == "MO"
    ):
        work.require(
            "ADVANCED_COMPUTING_END_USE",
            "Supercomputer or advanced-node "
            "integrated-circuit end use in Macau or Country Group D:5: a license "
            "is required (744.23 text not bundled).",
            "15 CFR 744.23",
        )


# ----------------------------------------------------------------------------
# ITAR


def _itar_rules(work: _Work, on: date) -> None:
    """Apply the ITAR: a DDTC license always, 126.1 policy of denial by destination."""
    category = _usml_category(work)
    what = f"USML Category {category}" if category else "a defense article"
    work.require(
        "USML",
        f"{what} is subject to the ITAR: a DDTC license (or ITAR "
        "exemption) is required for any permanent export.",
        "22 CFR 123.1(a)",
        "DDTC",
    )
    entry = work.ref.itar_126_1.get(work.dest)
    if entry is None:
        if work.dest == "CA":
            work.transaction_exceptions.append(
                ExceptionOption(
                    "ITAR-126.5",
                    "Canadian exemption: only for articles and end users "
                    "that 126.5 and its Supplement No. 1 allow.",
                    "22 CFR 126.5",
                    "transaction",
                )
            )
        return
    citation = f"22 CFR 126.1(a), {entry.list_part}"
    if entry.paragraph:
        citation += f", ({entry.paragraph})"
    if entry.list_part == "(d)(1)":
        work.require(
            "ITAR_126_1",
            f"{entry.country} is proscribed by 126.1: policy of "
            "denial for defense articles; ITAR exemptions do not apply.",
            citation,
            "DDTC",
            prohibited=True,
        )
        return
    text = f"{entry.country} is named in 126.1: {entry.policy}."
    if entry.iso2 == "CY" and date(2024, 10, 1) <= on <= date(2025, 9, 30):
        text += " The denial policy is suspended from 2024-10-01 to 2025-09-30."
    work.require("ITAR_126_1", text, citation, "DDTC")


def _usml_category(work: _Work) -> str:
    raw = (work.item.usml or "").strip().upper()
    match = re.match(r"^(?:CAT(?:EGORY)?\.?\s*)?([IVXL]+|\d+)", raw)
    if not match:
        return ""
    token = match.group(1)
    if token.isdigit():
        for cat in work.ref.usml.values():
            if cat.number == int(token):
                return cat.roman + raw[match.end() :]
        token = ""
    if token and token not in work.ref.usml:
        work.note(
            "USML_UNKNOWN", f"USML category {raw!r} does not exist.", "22 CFR 121.1"
        )
    return raw


# ----------------------------------------------------------------------------
# EAR


def _ear_rules(work: _Work, end_use: str | None) -> None:
    """Apply the Country Chart, its footnotes and the Part 746 embargoes."""
    entry = work.entry
    if entry is not None:
        _all_destinations(work, entry)
        _chart_rules(work, entry)
        _footnote_rules(work, entry)
        _nrc_note(work, entry)
    _embargo_rules(work)


def _all_destinations(work: _Work, entry: CclEntry) -> None:
    rule = ALL_DESTINATION_ECCNS.get(entry.eccn)
    if entry.eccn in {"5A001", "5D001", "5E001"} and work.paragraph.startswith("f.1"):
        rule = "GOV"
    if rule is None:
        return
    if rule == "GOV":
        work.exceptions_only = {"GOV"}
    else:
        work.no_exceptions = True
    work.require(
        "ALL_DESTINATIONS",
        f"{entry.eccn} requires a license to all "
        "destinations; the Country Chart does not apply.",
        "15 CFR 738.3(a)(1)",
    )


def _chart_rules(work: _Work, entry: CclEntry) -> None:
    """Read each License Requirements row against the destination (738.4(a)(2))."""
    row_marks = work.ref.chart.get(work.chart_key)
    marks = row_marks.marks if row_marks else frozenset()
    for row in entry.rows:
        if row.reason == "UN":
            _un_rule(work, entry)
            continue
        match = row.applies_to(work.paragraph)
        if match == "no":
            continue
        hit, where = _row_hits(work, row, marks)
        if not hit:
            continue
        label = where
        if match == "maybe":
            work.note(
                "CHART_CONDITIONAL",
                f"{entry.eccn}: {row.control} -> {label}; "
                "a license is required if the item is covered.",
                "15 CFR 738.4(a)(2); 15 CFR 774 Supp. No. 1",
            )
            continue
        code = row.column or row.reason
        # Column rows can be overcome by the general exceptions; rows that bypass the
        # chart only by the exceptions their entry names (ENC for EI; AIA, ACM...).
        tag = (
            row.reason if row.column or row.reason == "EI" else f"{row.reason}-special"
        )
        work.chart_reasons.add(tag)
        marked = "is marked" if row.column else "is covered"
        text = (
            f"{entry.eccn} is controlled for {row.reason} ({label}) and "
            f"{work.dest} {marked}: a license is required."
        )
        if row.conditional:
            text += f" Row: {_short(row.control, 200)}"
        work.require(
            code,
            text,
            "15 CFR 738.4(a)(2); Supp. No. 1 to Part 738",
            coverable=frozenset({tag}),
        )
        if not row.column and row.reason != "EI":
            _special_exceptions(work, entry)


def _special_exceptions(work: _Work, entry: CclEntry) -> None:
    """List the entry-specific exceptions (AIA, ACM, LPP, HBM...) named in its flags."""
    listed = {o.symbol for o in work.transaction_exceptions}
    for symbol in ("AIA", "ACM", "LPP", "HBM", "NAC", "ACA"):
        if entry.flag_available(symbol) and symbol not in listed:
            info = work.ref.license_exceptions.get(symbol)
            work.transaction_exceptions.append(
                ExceptionOption(
                    symbol,
                    f"{entry.eccn}: {entry.flags[symbol]}",
                    info.citation if info else "15 CFR Part 740",
                    "transaction",
                )
            )


def _row_hits(work: _Work, row: Any, marks: frozenset[str]) -> tuple[bool, str]:
    if row.column:
        return row.column in marks, f"Country Chart column {row.column}"
    if row.destinations is not None:
        return (
            work.dest in row.destinations or work.chart_key in row.destinations,
            _short(row.chart_text, 120),
        )
    if row.all_except is not None:
        return (
            work.chart_key not in row.all_except and work.dest not in row.all_except,
            _short(row.chart_text, 120),
        )
    return False, row.chart_text


def _un_rule(work: _Work, entry: CclEntry) -> None:
    if work.dest in work.ref.un_arms_embargo:
        work.require(
            "UN",
            f"{entry.eccn} is controlled for UN reasons and {work.dest} is "
            "under a UN arms embargo: a license is required.",
            "15 CFR 746.1(b)",
        )


def _footnote_rules(work: _Work, entry: CclEntry) -> None:
    row = work.ref.chart.get(work.chart_key)
    if row is None:
        return
    full = f"{entry.eccn}.{work.paragraph}" if work.paragraph else entry.eccn
    for number in row.footnotes:
        text = work.ref.chart_footnotes.get(number, "")
        if number == 10 and any(full.startswith(code) for code in FIREARM_FOOTNOTE_10):
            if entry.eccn == "0A501" and work.paragraph.startswith("y"):
                continue
            work.require(
                "FOOTNOTE_10",
                f"Country Chart footnote 10: {_short(text, 90)}",
                "Supp. No. 1 to Part 738, footnote 10",
            )
        elif number == 7 and full.startswith(("6A003.b.4.b", "9A515.e")):
            work.require(
                "FOOTNOTE_7",
                text,
                "Supp. No. 1 to Part 738, footnote 7",
                coverable=frozenset({"RS"}),
            )
        elif number == 3 and entry.eccn == "0A919":
            work.note("FOOTNOTE_3", text, "15 CFR 742.6(a)(3)")
        elif number in {2, 4} and entry.eccn == "6A003":
            work.note(f"FOOTNOTE_{number}", text, "Supp. No. 1 to Part 738")


def _nrc_note(work: _Work, entry: CclEntry) -> None:
    if "Nuclear Regulatory Commission" in entry.related_controls:
        work.agency("NRC")
        work.note(
            "NRC_RELATED",
            f"{entry.eccn}: related items are under NRC export "
            "licensing (10 CFR part 110); check the item is not one of them.",
            "10 CFR 110.1",
        )


def _embargo_rules(work: _Work) -> None:
    """Apply the Part 746 embargoes and OFAC country programs."""
    dest, entry = work.dest, work.entry
    on_ccl = entry is not None
    exempt_food = _food_or_medicine(work.item) and not on_ccl
    if dest == "CU":
        work.require(
            "EMBARGO_CU",
            "Cuba: a license is required for all items subject to "
            "the EAR (narrow exceptions only).",
            "15 CFR 746.2(a)",
        )
        work.agency("OFAC")
        work.exceptions_only = {
            "SCP",
            "TMP",
            "RPL",
            "TSU",
            "GFT",
            "AGR",
            "CCD",
            "GOV",
            "BAG",
            "AVS",
        }
    elif dest == "IR":
        if entry is not None and (entry.rows or entry.eccn in IRAN_LISTED_ECCNS):
            work.require(
                "EMBARGO_IR_EAR",
                "Iran: a license is required for items on the "
                "CCL with a Country Chart reason or a listed ECCN.",
                "15 CFR 746.7(a)(1)(i)",
            )
        work.require(
            "EMBARGO_IR_OFAC",
            "Iran: export of any goods from the United States "
            "is prohibited unless authorized by OFAC (ITSR).",
            "31 CFR 560.204; 15 CFR 746.7",
            "OFAC",
        )
        work.no_exceptions = True
    elif dest == "KP":
        if not exempt_food:
            work.require(
                "EMBARGO_KP",
                "North Korea: a license is required for every "
                "item subject to the EAR except EAR99 food and medicine.",
                "15 CFR 746.4(a)",
            )
        work.agency("OFAC")
        work.exceptions_only = {"GOV", "TMP", "TSU", "BAG", "GFT"}
    elif dest == "SY":
        if not exempt_food:
            work.require(
                "EMBARGO_SY",
                "Syria: a license is required for every item "
                "subject to the EAR except EAR99 food and medicine.",
                "15 CFR 746.9(a)",
            )
        work.exceptions_only = {"TMP", "GOV", "TSU", "BAG", "AVS"}
    elif dest in COVERED_REGIONS:
        if not exempt_food:
            work.require(
                "EMBARGO_UA_REGION",
                f"{COVERED_REGIONS[dest]}: a license is "
                "required for every item subject to the EAR except EAR99 food "
                "and medicine.",
                "15 CFR 746.6(a)",
            )
        work.require(
            "OFAC_UA_REGION",
            "Exports of goods to the covered regions of Ukraine "
            "are prohibited unless authorized by OFAC.",
            "31 CFR part 589",
            "OFAC",
        )
        work.no_exceptions = True
    elif dest in {"RU", "BY"}:
        _russia_rules(work, on_ccl)
    elif dest == "UA":
        work.note(
            "UA_REGIONS",
            "Destinations in Crimea, DNR or LNR fall under 746.6; "
            "confirm the consignee's region.",
            "Supp. No. 1 to Part 738, fn 8-9",
        )


def _russia_rules(work: _Work, on_ccl: bool) -> None:
    name = "Russia" if work.dest == "RU" else "Belarus"
    if on_ccl:
        work.require(
            "EMBARGO_RU_BY",
            f"{name}: a license is required for any item in any "
            "ECCN on the CCL (policy of denial).",
            "15 CFR 746.8(a)(1); Supp. No. 1 to Part 738, fn 6",
        )
        work.exceptions_only = {"GOV", "TMP", "BAG", "CCD", "TSU", "RPL"}
        return
    hs6 = (work.item.hts or "").replace(".", "")[:6]
    tier = work.ref.chpl.get(hs6)
    if tier:
        work.require(
            "EMBARGO_RU_BY_CHPL",
            f"{name}: HS {hs6} is on the Common High "
            f"Priority List ({tier}); these items need a license to {name} under "
            "the Part 746 HTS supplements.",
            "15 CFR 746.8(a)(5)-(6)",
        )
        work.exceptions_only = {"GOV", "TMP", "BAG"}
        return
    work.note(
        "RU_BY_HTS_GAP",
        f"{name}: EAR99 items listed by HTS in Supps. 2, 4, 5 and "
        "6 to Part 746 need a license; those tables are not bundled, so this item "
        "was not checked against them.",
        "15 CFR 746.8(a)(4)-(7)",
    )


def _food_or_medicine(item: ItemQuery) -> bool:
    """Tell whether the HTS code is food (chapters 1-24) or medicine (3003, 3004)."""
    digits = (item.hts or "").replace(".", "")
    if len(digits) < 4 or not digits[:2].isdigit():
        return False
    return 1 <= int(digits[:2]) <= 24 or digits[:4] in {"3003", "3004"}


# ----------------------------------------------------------------------------
# Chemicals


def _chemical_rules(work: _Work) -> None:
    """Apply CW (745), AT for 1C350 and DEA listed-chemical rules."""
    if work.entry is not None and work.entry.eccn == "1C350":
        _cw_rules(work)
    for chem in work.chemicals:
        if chem.source == "DEA":
            _dea_rule(work, chem)


def _cw_rules(work: _Work) -> None:
    para = work.paragraph
    schedule = para[:1]
    if work.dest in work.ref.cwc_not_party and schedule == "b":
        work.require(
            "CW",
            "CWC Schedule 2 chemical to a State not Party to the CWC: a "
            "license is required.",
            "15 CFR 742.18; 15 CFR 774 ECCN 1C350 (CW)",
        )
        work.no_exceptions = True
    elif work.dest in work.ref.cwc_not_party and schedule == "c":
        work.require(
            "CW",
            "CWC Schedule 3 chemical to a State not Party to the CWC: a "
            "license is required unless an End-Use Certificate was obtained "
            "before export.",
            "15 CFR 742.18; 15 CFR 745.2",
        )
    if work.ref.in_group(work.dest, "E:1"):
        work.require(
            "AT_1C350",
            "1C350 chemical to Country Group E:1: a license is "
            "required for AT reasons.",
            "15 CFR 774 ECCN 1C350 (AT); 15 CFR 742.8",
        )
    if not para:
        work.note(
            "CW_PARAGRAPH",
            "1C350 paragraph unknown: CW rules for Schedule 2/3 "
            "chemicals could not be applied.",
            "15 CFR 742.18",
        )


def _dea_rule(work: _Work, chem: ChemicalListing) -> None:
    weight = work.item.weight_kg
    over = chem.no_threshold or (
        weight is not None
        and chem.threshold_kg is not None
        and weight >= chem.threshold_kg
    )
    if not over and weight is not None:
        work.note(
            "DEA_BELOW_THRESHOLD",
            f"DEA List {chem.schedule} chemical "
            f"{_short(chem.name, 60)} below its threshold ({chem.threshold_text}).",
            "21 CFR 1310.04(f)",
        )
        return
    text = (
        f"DEA List {chem.schedule} chemical {_short(chem.name, 60)} "
        f"(threshold: {chem.threshold_text or 'none, any quantity'}): the export is a "
        "regulated transaction needing DEA advance notice or permit."
    )
    if weight is None and not chem.no_threshold:
        text += " Quantity unknown, treated as at or above threshold."
    work.require("DEA_LISTED", text, "21 CFR 1310.04; 21 CFR 1313.21", "DEA")


# ----------------------------------------------------------------------------
# Conclusion


def _conclude(work: _Work) -> Determination:
    options: list[ExceptionOption] = []
    if work.jurisdiction == "EAR":
        options = eligible_exceptions(
            work.ref,
            work.entry,
            work.paragraph,
            work.dest,
            work.chart_reasons,
            work.item.value_usd,
        )
        options = [
            o for o in options if o.basis != "eligible" or o.covers & work.chart_reasons
        ]
    options += work.transaction_exceptions
    options = _filter_options(work, options)
    outcome = _outcome(work, options)
    if outcome is Outcome.PROHIBITED:
        options = []
    reasons = [r.reason for r in work.requirements] + work.notes
    if outcome is Outcome.NO_LICENSE_REQUIRED:
        reasons.insert(0, Reason("NLR", _nlr_text(work), "15 CFR 738.4(a)(2)(ii)(B)"))
        options = []
    agencies = work.agencies or (["DDTC"] if work.jurisdiction == "ITAR" else ["BIS"])
    return Determination(
        outcome=outcome,
        agencies=tuple(agencies),
        license_exceptions=tuple(options),
        reasons=tuple(reasons),
        jurisdiction=work.jurisdiction,
        eccn=work.eccn if work.jurisdiction == "EAR" else None,
        paragraph=work.paragraph,
        destination=work.dest,
        edition=work.ref.edition,
        chemicals=work.chemicals,
    )


def _filter_options(
    work: _Work, options: list[ExceptionOption]
) -> list[ExceptionOption]:
    if work.no_exceptions:
        return []
    if work.exceptions_only is not None:
        return [o for o in options if o.symbol in work.exceptions_only]
    return options


def _outcome(work: _Work, options: list[ExceptionOption]) -> Outcome:
    if any(r.prohibited for r in work.requirements):
        return Outcome.PROHIBITED
    if not work.requirements:
        return Outcome.NO_LICENSE_REQUIRED
    covering = [o for o in options if o.basis == "eligible"]
    for requirement in work.requirements:
        if not requirement.coverable:
            return Outcome.LICENSE_REQUIRED
        if not any(requirement.coverable <= o.covers for o in covering):
            return Outcome.LICENSE_REQUIRED
    return Outcome.LICENSE_EXCEPTION_MAY_APPLY


def _nlr_text(work: _Work) -> str:
    if work.entry is None:
        return (
            "EAR99: no license required (NLR) absent an embargo, a listed party or "
            "a prohibited end use."
        )
    return (
        f"{work.entry.eccn}: no Country Chart X for its reasons for control to "
        f"{work.dest}; no license required (NLR)."
    )
