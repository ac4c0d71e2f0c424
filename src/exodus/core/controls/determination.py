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

from exodus.core.controls.ccl import CclEntry, in_flag_scope, split_eccn
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
# A declared end use in plain words, read as the Part 744 rule it points to. The most
# specific wording wins (military intelligence before military); several may apply.
END_USE_WORDS = (
    (
        "military_intelligence",
        r"\bmilitary[- ]intelligence\b|\bintelligence (?:service|agency|directorate)\b"
        r"|\bsignals intelligence\b",
    ),
    (
        "chemical_biological",
        r"\b(?:chemical|biological|bio)[- ]?weapons?\b|\bnerve agents?\b"
        r"|\bbioweapons?\b",
    ),
    (
        "nuclear",
        r"\bnuclear (?:weapons?|explosives?|explosive devices?|bombs?|warheads?)\b"
        r"|\b(?:uranium )?enrichment\b|\breprocessing\b|\bheavy water\b"
        r"|\bunsafeguarded\b",
    ),
    (
        "missile",
        r"\bmissiles?\b|\brockets?\b|\bballistic\b|\bunmanned aerial vehicles?\b"
        r"|\buavs?\b|\bspace launch",
    ),
    (
        "advanced_computing",
        r"\bsupercomput\w*|\badvanced[- ]node\b"
        r"|\bsemiconductor (?:fab|fabrication|manufacturing)",
    ),
    (
        "military",
        r"\bmilitary\b|\barmed forces\b|\barmy\b|\bnavy\b|\bnaval\b|\bair force\b"
        r"|\bministry of defen[cs]e\b|\bdefen[cs]e (?:ministry|forces|industry)\b"
        r"|\bweapons?\b|\bmunitions?\b",
    ),
)
_END_USE_RES = tuple(
    (kind, re.compile(words, re.IGNORECASE)) for kind, words in END_USE_WORDS
)
# 15 CFR 746.3(a)(1): reasons for control that need a license to Iraq.
IRAQ_REASONS = frozenset({"NS", "MT", "NP", "CW", "CB", "RS", "CC", "EI", "SI", "SL"})
# 15 CFR 746.3(a)(3): RS-controlled ECCNs licensed to Iraq.
IRAQ_RS_ECCNS = frozenset(
    {"0B999", "0D999", "1B999", "1C992", "1C995", "1C997", "1C999", "6A992"}
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
    # Nothing declared and nothing found that requires a license: the item is not
    # cleared until it is classified (EAR99 is a classification, not a default).
    CLASSIFICATION_NEEDED = "classification_needed"


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
    usml: str = ""  # USML category of a defense article, e.g. "XI(c)"
    # For an unclassified item: (classification, source, evidence) to check first.
    candidates: tuple[tuple[str, str, str], ...] = ()

    @property
    def license_required(self) -> bool:
        """Tell whether some authorization (license or exception) is known to be needed."""
        return self.outcome not in {
            Outcome.NO_LICENSE_REQUIRED,
            Outcome.CLASSIFICATION_NEEDED,
        }

    def reason_codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)

    def to_dict(self) -> dict[str, Any]:
        """Return the interchange form used by the API and CLI."""
        classification = self.eccn or ""
        if classification and self.paragraph:
            classification += "." + self.paragraph
        if self.jurisdiction == "ITAR" and self.usml:
            classification = f"USML {self.usml}"
        return {
            "outcome": self.outcome.value,
            "agencies": list(self.agencies),
            "license_exceptions": [e.to_dict() for e in self.license_exceptions],
            "reasons": [
                {"code": r.code, "text": r.text, "citation": r.citation}
                for r in self.reasons
            ],
            "jurisdiction": self.jurisdiction,
            "classification": classification or None,
            "destination": self.destination,
            "reference_edition": self.edition,
            "candidates": [
                {"classification": label, "source": source, "evidence": evidence}
                for label, source, evidence in self.candidates
            ],
        }


@dataclass(slots=True)
class _Requirement:
    reason: Reason
    prohibited: bool = False
    coverable: frozenset[str] = frozenset()  # reason codes exceptions may overcome
    agency: str = "BIS"


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
    usml: str = ""
    unclassified: bool = False  # no ECCN, USML category or listed CAS given
    chemicals: tuple[ChemicalListing, ...] = ()
    requirements: list[_Requirement] = field(default_factory=list)
    notes: list[Reason] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    chart_reasons: set[str] = field(default_factory=set)
    no_exceptions: bool = False
    exceptions_only: set[str] | None = None
    transaction_exceptions: list[ExceptionOption] = field(default_factory=list)
    # Terms a Part 746 section sets on the exceptions it leaves available.
    embargo_terms: dict[str, ExceptionOption] = field(default_factory=dict)

    def restrict(self, symbols: set[str] | frozenset[str]) -> None:
        """Allow only `symbols` from now on (each rule can only narrow the choice)."""
        allowed = set(symbols)
        if self.exceptions_only is not None:
            allowed &= self.exceptions_only
        self.exceptions_only = allowed

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
            _Requirement(Reason(code, text, citation), prohibited, coverable, agency)
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
    """Determine the license requirement for `item` to `destination`.

    `end_use` is one of END_USES or the declared end use in plain words, which is
    read as the Part 744 rules it points to (see `end_use_kinds`).
    """
    dest = ref.country_code(destination)
    work = _Work(ref, dest, ref.chart_key(dest), item)
    kinds = end_use_kinds(end_use)
    if end_use and end_use.strip() not in END_USES:
        read = ", ".join(kinds) if kinds else "no end use controlled by Part 744"
        work.note(
            "END_USE_DECLARED",
            f"Declared end use {_short(end_use.strip(), 80)!r} read as: {read}.",
            "15 CFR 744.1(a)",
        )
    _classify(work)

    _party_rules(work, parties)
    if work.jurisdiction == "ITAR":
        _itar_rules(work, on or ref.effective)
    else:
        _ear_rules(work)
    _chemical_rules(work)
    for kind in kinds:
        _end_use_rules(work, kind)
    return _conclude(work)


def end_use_kinds(end_use: str | None) -> tuple[str, ...]:
    """Return the Part 744 end uses a declared end use names, most specific first.

    A code from END_USES is taken as it is; plain words ("for the navy", "uranium
    enrichment") are matched against END_USE_WORDS. Military intelligence implies no
    separate military finding (744.22 is the narrower rule).
    """
    text = (end_use or "").strip()
    if not text:
        return ()
    if text in END_USES:
        return (text,)
    if len(text) > 2000:
        raise InvalidInput("end use: at most 2000 characters")
    found = [kind for kind, pattern in _END_USE_RES if pattern.search(text)]
    if "military_intelligence" in found and "military" in found:
        found.remove("military")
    return tuple(found)


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
    # Not EAR99 by default: an item is EAR99 only once classified as such.
    work.unclassified = True


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
        label = (party.name or "a party").replace("_", " ")  # roles: ultimate_consignee
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
    work.restrict({"GOV"})
    work.require(
        "MEU",
        f"{label} is on the Military End-User List: a license is "
        "required (only License Exception GOV may apply).",
        "15 CFR 744.21(a); Supp. No. 7 to Part 744",
    )


def _end_use_rules(work: _Work, end_use: str) -> None:
    """Apply the knowledge-based end-use controls of Part 744 (and 746.3(a)(4))."""
    dest = work.dest
    if (
        end_use == "military_intelligence"
        and dest in work.ref.end_use_countries["MIEU"]
    ):
        work.restrict({"GOV"})
        work.require(
            "MIEU",
            "Known military-intelligence end use or end user in a "
            "destination named by 744.22: a license is required for any item "
            "subject to the EAR.",
            "15 CFR 744.22(a)",
        )
    elif end_use == "military" and dest == "IQ" and work.jurisdiction == "EAR":
        work.no_exceptions = True
        work.require(
            "MILITARY_END_USE_IQ",
            "Known military end use or military end user in Iraq: a license is "
            "required for any item subject to the EAR; no license exception applies.",
            "15 CFR 746.3(a)(4), (c)",
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
        work.restrict({"GOV"})
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
    category = work.usml = _usml_category(work)
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
    raw = (work.item.usml or "").strip()
    match = re.match(r"^(?:CAT(?:EGORY)?\.?\s*)?([IVXL]+|\d+)", raw.upper())
    if not match:
        return ""
    token = match.group(1)
    rest = raw[match.end() :].replace(" ", "").lower()  # paragraphs: "(c)", "(a)(1)"
    if token.isdigit():
        for cat in work.ref.usml.values():
            if cat.number == int(token):
                return cat.roman + rest
        token = ""
    if token and token not in work.ref.usml:
        work.note(
            "USML_UNKNOWN", f"USML category {raw!r} does not exist.", "22 CFR 121.1"
        )
    return f"{token}{rest}" if token else raw


# ----------------------------------------------------------------------------
# EAR


def _ear_rules(work: _Work) -> None:
    """Apply the Country Chart, its footnotes and the Part 746 embargoes."""
    entry = work.entry
    if entry is not None:
        _all_destinations(work, entry)
        _rowless_entry(work, entry)
        _chart_rules(work, entry)
        _footnote_rules(work, entry)
        _nrc_note(work, entry)
    _embargo_rules(work)
    _ofac_programs(work)


def _all_destinations(work: _Work, entry: CclEntry) -> None:
    rule = ALL_DESTINATION_ECCNS.get(entry.eccn)
    if entry.eccn in {"5A001", "5D001", "5E001"} and work.paragraph.startswith("f.1"):
        rule = "GOV"
    if rule is None:
        return
    if rule == "GOV":
        work.restrict({"GOV"})
    else:
        work.no_exceptions = True
    work.require(
        "ALL_DESTINATIONS",
        f"{entry.eccn} requires a license to all "
        "destinations; the Country Chart does not apply.",
        "15 CFR 738.3(a)(1)",
    )


def _rowless_entry(work: _Work, entry: CclEntry) -> None:
    """Refuse to clear an entry whose License Requirements the bundled CCL lacks."""
    if entry.rows or entry.eccn in ALL_DESTINATION_ECCNS or entry.eccn in CW_SCHEDULES:
        return
    if entry.reasons and entry.at_only:
        return  # AT Column 1 marks only E:1 rows, which Part 746 governs
    work.require(
        "CCL_REQUIREMENTS_MISSING",
        f"{entry.eccn}: its License Requirements table is not in the bundled CCL "
        f"(reasons: {', '.join(sorted(entry.reasons)) or 'none given'}); the item "
        "cannot be cleared here.",
        f"15 CFR 774, Supp. No. 1, ECCN {entry.eccn}",
    )


def _chart_rules(work: _Work, entry: CclEntry) -> None:
    """Read each License Requirements row against the destination (738.4(a)(2))."""
    row_marks = work.ref.chart.get(work.chart_key)
    marks = row_marks.marks if row_marks else frozenset()
    for row in entry.rows:
        match = row.applies_to(work.paragraph)
        if match == "no":
            continue
        if row.reason == "UN":
            _un_rule(work, entry, match)
            continue
        hit, where = _row_hits(work, row, marks)
        if hit is None:
            work.note(
                "CHART_UNREAD",
                f"{entry.eccn}: {_short(row.control, 120)} -> "
                f"{_short(row.chart_text, 160)} (destination rule not "
                "machine-readable; check it).",
                "15 CFR 738.4(a)(2); 15 CFR 774 Supp. No. 1",
            )
            continue
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
        citation = (
            "15 CFR 738.4(a)(2); Supp. No. 1 to Part 738"
            if row.column
            else f"15 CFR 774, Supp. No. 1, ECCN {entry.eccn} (License Requirements)"
        )
        work.require(code, text, citation, coverable=frozenset({tag}))
        if not row.column and row.reason != "EI":
            _special_exceptions(work, entry)


def _special_exceptions(work: _Work, entry: CclEntry) -> None:
    """List the entry-specific exceptions (AIA, ACM, LPP, HBM...) named in its flags."""
    listed = {o.symbol for o in work.transaction_exceptions}
    for symbol in ("AIA", "ACM", "LPP", "HBM", "NAC", "ACA", "IEC"):
        if (
            entry.flag_available(symbol)
            and symbol not in listed
            and in_flag_scope(work.paragraph, entry.flags[symbol], entry.eccn)
        ):
            info = work.ref.license_exceptions.get(symbol)
            work.transaction_exceptions.append(
                ExceptionOption(
                    symbol,
                    f"{entry.eccn}: {entry.flags[symbol]}",
                    info.citation if info else "15 CFR Part 740",
                    "transaction",
                )
            )


def _row_hits(work: _Work, row: Any, marks: frozenset[str]) -> tuple[bool | None, str]:
    """Tell whether a row's column or destination rule reaches the destination.

    None when the row names neither a column nor a destination rule this can read.
    """
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
    text = row.chart_text.strip().lower()
    if text.startswith("n/a") or "see § 746.1(b)" in text:
        return False, row.chart_text
    return None, row.chart_text


def _un_rule(work: _Work, entry: CclEntry, match: str) -> None:
    """746.1(b): UN-controlled items need a license to UN arms-embargoed countries."""
    if work.dest not in work.ref.un_arms_embargo:
        return
    if match == "maybe":
        work.note(
            "UN_CONDITIONAL",
            f"{entry.eccn}: UN controls apply to some of its paragraphs and "
            f"{work.dest} is under a UN arms embargo; a license is required if the "
            "item is one of them.",
            "15 CFR 746.1(b)(3)",
        )
        return
    work.require(
        "UN",
        f"{entry.eccn} is controlled for UN reasons and {work.dest} is "
        "under a UN arms embargo: a license is required.",
        "15 CFR 746.1(b)(3)",
    )
    # Only GOV; Iraq, North Korea and Iran follow their own sections (746.1(b)(4)).
    if work.dest not in {"IQ", "KP", "IR"}:
        work.restrict({"GOV"})


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
    """Apply the Part 746 embargoes and the comprehensive OFAC country programs."""
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
        _ofac_agency(work, "OFAC maintains its own controls on transactions with Cuba")
        _embargo_exceptions(work)
    elif dest == "IR":
        if entry is not None and (
            any(row.column for row in entry.rows) or entry.eccn in IRAN_LISTED_ECCNS
        ):
            work.require(
                "EMBARGO_IR_EAR",
                f"Iran: {entry.eccn} carries a Country Chart column or is named in "
                "746.7(a)(1)(i): a license is required (an OFAC authorization also "
                "authorizes the export under the EAR, 746.7(a)(2)).",
                "15 CFR 746.7(a)(1)(i), (a)(2)",
            )
        program = _ofac_program(work.ref, dest)
        work.require(
            "EMBARGO_IR_OFAC",
            "Iran: export of any goods from the United States "
            "is prohibited unless authorized by OFAC (ITSR).",
            f"{program.citation if program else '31 CFR part 560'} (560.204); "
            "15 CFR 746.7(e)",
            "OFAC",
        )
        work.no_exceptions = True  # 746.7(c)
    elif dest == "KP":
        if not exempt_food:
            work.require(
                "EMBARGO_KP",
                "North Korea: a license is required for every "
                "item subject to the EAR except EAR99 food and medicine.",
                "15 CFR 746.4(a)",
            )
        program = _ofac_program(work.ref, dest)
        work.require(
            "EMBARGO_KP_OFAC",
            "North Korea: exportation of goods from the United States is prohibited "
            "unless authorized by OFAC, food and medicine included.",
            program.citation if program else "31 CFR part 510",
            "OFAC",
        )
        _embargo_exceptions(work)
    elif dest == "SY":
        # TODO: the 746.9 text bundled is the eCFR of about 2025-01; OFAC's Syria
        # program was revoked in 2025 and 746.9 may have changed since (gap SYRIA_2025).
        if not exempt_food:
            work.require(
                "EMBARGO_SY",
                "Syria: a license is required for every item "
                "subject to the EAR except EAR99 food and medicine.",
                "15 CFR 746.9(a)",
            )
        _embargo_exceptions(work)
    elif dest in COVERED_REGIONS:
        if not exempt_food:
            work.require(
                "EMBARGO_UA_REGION",
                f"{COVERED_REGIONS[dest]}: a license is "
                "required for every item subject to the EAR except EAR99 food "
                "and medicine.",
                "15 CFR 746.6(a)(1)-(2)",
            )
        work.require(
            "OFAC_UA_REGION",
            "Exports of goods to the covered regions of Ukraine "
            "are prohibited unless authorized by OFAC.",
            "31 CFR part 589",
            "OFAC",
        )
        _embargo_exceptions(work)
    elif dest in {"RU", "BY"}:
        _russia_rules(work, on_ccl)
    elif dest == "IQ":
        _iraq_rules(work)
    elif dest == "UA":
        work.note(
            "UA_REGIONS",
            "Destinations in Crimea, DNR or LNR fall under 746.6; "
            "confirm the consignee's region.",
            "Supp. No. 1 to Part 738, fn 8-9",
        )


def _embargo_exceptions(work: _Work) -> None:
    """Allow only the exceptions the destination's Part 746 section names, on terms."""
    allowed = work.ref.embargo_exceptions.get(work.dest, ())
    work.restrict({option.symbol for option in allowed})
    for option in allowed:
        info = work.ref.license_exceptions.get(option.symbol)
        if info is None:
            continue  # e.g. CIV in 746.3(c): no longer in Part 740
        work.embargo_terms[option.symbol] = ExceptionOption(
            option.symbol,
            option.conditions,
            f"{option.citation}; {info.citation}",
            "transaction",
        )


def _ofac_program(ref: ReferenceData, dest: str) -> Any:
    return next((p for p in ref.embargoes.get(dest, ()) if p.agency == "OFAC"), None)


def _ofac_agency(work: _Work, text: str) -> None:
    program = _ofac_program(work.ref, work.dest)
    work.agency("OFAC")
    if program is not None:
        work.note(
            "OFAC_PROGRAM",
            f"{text}: {program.program}; an OFAC authorization may also be needed.",
            program.citation,
        )


def _ofac_programs(work: _Work) -> None:
    """Name the list-based OFAC programs of the destination (blocked parties)."""
    if work.dest in {"CU", "IR", "KP"} or work.dest in COVERED_REGIONS:
        return  # comprehensive programs, applied above
    for program in work.ref.embargoes.get(work.dest, ()):
        if program.agency != "OFAC":
            continue
        work.note(
            "OFAC_PROGRAM",
            f"{program.program}: dealings with blocked persons of this country "
            "are prohibited; the parties' screening hits decide (SDN).",
            program.citation,
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
        _embargo_exceptions(work)
        return
    _embargo_exceptions(work)
    hs6 = (work.item.hts or "").replace(".", "")[:6]
    tier = work.ref.chpl.get(hs6)
    if tier:
        work.require(
            "EMBARGO_RU_BY_CHPL",
            f"{name}: HS {hs6} is on the Common High Priority List ({tier}), "
            f"items BIS lists as needing a license to {name} under the Part 746 "
            "HTS supplements (those tables are not bundled).",
            "15 CFR 746.8(a)(5)-(7); BIS Common High Priority List",
        )
        return
    work.note(
        "RU_BY_HTS_GAP",
        f"{name}: EAR99 items listed by HTS in Supps. 2, 4, 5 and "
        "6 to Part 746 need a license; those tables are not bundled, so this item "
        "was not checked against them.",
        "15 CFR 746.8(a)(4)-(7)",
    )


def _iraq_rules(work: _Work) -> None:
    """746.3(a)(1)-(3): reasons for control and RS ECCNs licensed to Iraq."""
    entry = work.entry
    if entry is None:
        return
    # The item's own reasons: rows that cover its paragraph, and reasons with no row
    # (e.g. CW for 1C355, which the chart does not grade).
    graded = {row.reason for row in entry.rows}
    own = {r.reason for r in entry.rows if r.applies_to(work.paragraph) == "yes"}
    own |= entry.reasons - graded
    met = {tag.split("-")[0] for tag in work.chart_reasons}
    if entry.eccn in IRAQ_RS_ECCNS:
        own.discard("RS")  # licensed to Iraq under (a)(3) instead
    reasons = sorted((own & IRAQ_REASONS) - met)
    for reason in reasons:
        work.require(
            "EMBARGO_IQ",
            f"Iraq: {entry.eccn} is controlled for {reason} reasons; a license is "
            "required for such items to Iraq.",
            "15 CFR 746.3(a)(1)",
            coverable=frozenset({reason}),
        )
    if entry.eccn in IRAQ_RS_ECCNS and not work.chart_reasons & {"RS", "RS-special"}:
        work.require(
            "EMBARGO_IQ",
            f"Iraq: {entry.eccn} is licensed to Iraq for RS reasons.",
            "15 CFR 746.3(a)(3)",
        )
    if reasons or entry.eccn in IRAQ_RS_ECCNS or work.chart_reasons:
        _embargo_exceptions(work)


def _food_or_medicine(item: ItemQuery) -> bool:
    """Tell whether the HTS code is food (chapters 1-24) or medicine (3003, 3004)."""
    digits = (item.hts or "").replace(".", "")
    if len(digits) < 4 or not digits[:2].isdigit():
        return False
    return 1 <= int(digits[:2]) <= 24 or digits[:4] in {"3003", "3004"}


# ----------------------------------------------------------------------------
# Chemicals


def _chemical_rules(work: _Work) -> None:
    """Apply CW (742.18, 745), AT for 1C350/1C355 and DEA listed-chemical rules."""
    if work.entry is not None and work.entry.eccn in CW_SCHEDULES:
        _cw_rules(work, work.entry.eccn)
    for chem in work.chemicals:
        if chem.source == "DEA":
            _dea_rule(work, chem)


# CWC schedule of each paragraph letter, read from the entries' CW text.
CW_SCHEDULES = {
    "1C350": {"b": "2", "c": "3"},
    "1C355": {"a": "2", "b": "3"},
    # 1C395.a mixtures are licensed like Schedule 2; .b test kits by their contents.
    "1C395": {"a": "2", "b": ""},
}


def _cw_rules(work: _Work, eccn: str) -> None:
    """CW: Schedule 2 to States not Party need a license; Schedule 3 unless an EUC."""
    schedule = CW_SCHEDULES[eccn].get(work.paragraph[:1], "")
    not_party = work.dest in work.ref.cwc_not_party
    if not_party and schedule == "2":
        work.require(
            "CW",
            f"{eccn}: CWC Schedule 2 chemical to a State not Party to the CWC: a "
            "license is required.",
            f"15 CFR 742.18; 15 CFR 774 ECCN {eccn} (CW)",
        )
        work.no_exceptions = True
    elif not_party and schedule == "3":
        work.require(
            "CW",
            f"{eccn}: CWC Schedule 3 chemical to a State not Party to the CWC: a "
            "license is required unless an End-Use Certificate issued by the "
            "importing government was obtained before export.",
            "15 CFR 742.18; 15 CFR 745.2",
        )
    elif not_party:
        work.require(
            "CW",
            f"{eccn} to a State not Party to the CWC: a license is required for "
            "Schedule 2 chemicals (and for Schedule 3 ones unless an End-Use "
            "Certificate was obtained); the schedule was not given.",
            f"15 CFR 742.18; 15 CFR 774 ECCN {eccn} (CW)",
        )
    if work.ref.in_group(work.dest, "E:1"):
        work.require(
            "AT_CHEMICAL",
            f"{eccn} chemical to Country Group E:1: a license is required for AT "
            "reasons.",
            f"15 CFR 774 ECCN {eccn} (AT); 15 CFR 742.8, 742.9, 742.19",
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
    options = _with_embargo_terms(work, options)
    options = _filter_options(work, options)
    outcome = _outcome(work, options)
    if outcome is Outcome.PROHIBITED:
        options = []
    reasons = [r.reason for r in work.requirements] + work.notes
    candidates: tuple[tuple[str, str, str], ...] = ()
    if work.unclassified:
        candidates = _candidates(work)
        reasons.insert(0, _unclassified_reason(candidates))
        if outcome is Outcome.NO_LICENSE_REQUIRED:
            outcome = Outcome.CLASSIFICATION_NEEDED
            options = []
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
        usml=work.usml,
        candidates=candidates,
    )


def _candidates(work: _Work) -> tuple[tuple[str, str, str], ...]:
    """Return the ECCNs and USML categories the HTS text and wording point to."""
    # Imported here: describe builds its index from, and judges candidates with, this module.
    from exodus.core.controls.describe import classification_candidates

    return classification_candidates(work.ref, work.item, work.dest)


def _unclassified_reason(candidates: tuple[tuple[str, str, str], ...]) -> Reason:
    text = (
        "No ECCN or USML category was given: the item cannot be cleared until it is "
        "classified (EAR99 only for an item subject to the EAR and described by no "
        "CCL entry)."
    )
    if candidates:
        text += " Candidates to check: " + ", ".join(
            dict.fromkeys(label for label, _, _ in candidates)
        ) + "."
    else:
        text += " The HTS code and description point to no CCL entry or USML category."
    return Reason(
        "CLASSIFICATION_NEEDED", text, "15 CFR 732.3(b); 15 CFR 734.3(c); 22 CFR 121.1"
    )


def _with_embargo_terms(
    work: _Work, options: list[ExceptionOption]
) -> list[ExceptionOption]:
    """Put the Part 746 terms on the exceptions an embargo leaves, and add the rest."""
    if not work.embargo_terms:
        return options
    merged: list[ExceptionOption] = []
    seen: set[str] = set()
    for option in options:
        if option.symbol in seen:
            continue
        seen.add(option.symbol)
        terms = work.embargo_terms.get(option.symbol)
        if terms is not None:
            option = ExceptionOption(
                option.symbol,
                f"{terms.conditions} {option.conditions}".strip()
                if option.basis == "eligible"
                else terms.conditions,
                terms.citation,
                option.basis,
                option.covers,
            )
        merged.append(option)
    merged += [
        t
        for symbol, t in work.embargo_terms.items()
        if symbol not in seen and symbol not in ITEM_BOUND_EXCEPTIONS
    ]
    return merged


# Exceptions whose eligibility is a property of the item, checked in exceptions.py:
# an embargo naming them does not make them available to other items.
ITEM_BOUND_EXCEPTIONS = frozenset({"LVS", "GBS", "TSR", "STA", "ENC", "APP"})


def _filter_options(
    work: _Work, options: list[ExceptionOption]
) -> list[ExceptionOption]:
    if work.no_exceptions:
        return []
    if work.requirements and all(r.agency != "BIS" for r in work.requirements):
        # EAR License Exceptions authorize nothing DDTC, OFAC or DEA requires.
        return [o for o in options if o.symbol.startswith("ITAR")]
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
