"""Read the facts OFAC writes into the Remarks field of its legacy files.

OFAC packs dates of birth, identity documents, nationalities and weak
aliases into one `;`-separated text, e.g.
"DOB 01 Jan 1960; POB Damascus, Syria; nationality Syria; Passport X123
(Syria); a.k.a. 'ABU ALI'". Segments that are not recognised stay in the
remarks text and are otherwise ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from exodus.core.lists.countries import to_iso2
from exodus.core.lists.model import Alias, AliasStrength, Identifier

# Document and registration labels OFAC uses before a number, longest first
# so that "Vessel Registration Identification IMO" wins over "IMO".
# fmt: off
_ID_LABELS = sorted(
    [
        "Passport", "Diplomatic Passport", "National ID No.", "Tax ID No.",
        "Registration Number", "Registration ID", "Government Gazette Number",
        "Legal Entity Number", "SWIFT/BIC", "IMO", "MMSI",
        "Vessel Registration Identification IMO", "Vessel Registration Identification",
        "Identification Number IMO", "Identification Number", "Company Number IMO",
        "Company Number", "Business Registration Number", "Business Number",
        "Commercial Registry Number", "Cedula No.", "C.U.R.P.", "R.F.C.", "NIT #",
        "RUC #", "RIF #", "D.N.I.", "C.R. No.", "Folio Mercantil No.",
        "Matricula Mercantil No", "Unified Social Credit Code (USCC)",
        "V.A.T. Number", "Economic Register Number (CBLS)", "Trade License No.",
        "Chamber of Commerce Number", "Central Registration System Number",
        "Istanbul Chamber of Comm. No.", "Birth Certificate Number",
        "Driver's License No.", "Electoral Registry No.", "BIK (RU)",
        "D-U-N-S Number", "Aircraft Manufacturer's Serial Number (MSN)",
        "Aircraft Tail Number", "Aircraft Construction Number "
        "(also called L/N or S/N or F/N)", "Personal ID Card", "Residency Number",
        "Public Security and Immigration No.", "Refugee ID Card", "Kenyan ID No.",
        "Social Security Number", "SSN", "Stateless Person ID Card",
        "Afghan Money Service Provider License Number", "License",
        "Branch Unit Number", "Certificate of Incorporation Number",
        "Enterprise Number", "Fiscal Code", "Israeli ID Number", "Pakistani CNIC",
        "Turkish Identification Number", "UAE Identification",
        "Digital Currency Address - XBT",
        "Digital Currency Address - ETH", "Digital Currency Address - USDT",
        "Digital Currency Address - XMR", "Digital Currency Address - LTC",
        "Digital Currency Address - TRX", "Digital Currency Address - BCH",
        "Email Address", "Website", "Phone Number",
    ],
    key=len,
    reverse=True,
)
# fmt: on
_ID_PATTERN = re.compile(
    r"^(?:alt\.\s+)?(?P<label>"
    + "|".join(re.escape(label) for label in _ID_LABELS)
    + r")\s+(?P<value>\S(?:.*?\S)?)"
    r"(?:\s+\((?P<country>[^()]+)\))?"
    r"(?:\s+(?:issued|expires|Expiration|Issue Date).*)?$",
)
_DOB = re.compile(r"^(?:alt\.\s+)?DOB\s+(?P<value>.+)$")
_POB = re.compile(r"^(?:alt\.\s+)?POB\s+(?P<value>.+)$")
_NATIONALITY = re.compile(r"^(?:alt\.\s+)?(?:nationality|citizen)\s+(?P<value>.+)$")
_ALIAS = re.compile(r"^(?P<kind>a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'(?P<name>.+)'$")
_GENDER = re.compile(r"^Gender\s+(?P<value>Male|Female)$")
_SEGMENT_SPLIT = re.compile(r";\s+")
_ALIAS_KIND = {"a.k.a.": "aka", "f.k.a.": "fka", "n.k.a.": "nka"}
# The types whose values are too short or too generic to identify a party.
_NOT_IDENTIFIERS = frozenset({"Phone Number", "Website", "Email Address"})


@dataclass(slots=True)
class RemarkFacts:
    """What one Remarks text says about the listed party."""

    dates_of_birth: list[str] = field(default_factory=list)
    places_of_birth: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    ids: list[Identifier] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    gender: str | None = None


def parse_remarks(text: str) -> RemarkFacts:
    """Return the dates of birth, IDs, nationalities and weak aliases in a remark."""
    facts = RemarkFacts()
    if not text:
        return facts
    for segment in _SEGMENT_SPLIT.split(text.strip().rstrip(".")):
        _read_segment(segment.strip(), facts)
    return facts


def _read_segment(segment: str, facts: RemarkFacts) -> None:
    if match := _ALIAS.match(segment):
        kind = _ALIAS_KIND[match["kind"]]
        facts.aliases.append(Alias(match["name"], AliasStrength.WEAK, kind))
    elif match := _DOB.match(segment):
        facts.dates_of_birth.extend(parse_ofac_dates(match["value"]))
    elif match := _POB.match(segment):
        facts.places_of_birth.append(match["value"])
    elif match := _NATIONALITY.match(segment):
        if code := to_iso2(match["value"]):
            facts.nationalities.append(code)
    elif match := _GENDER.match(segment):
        facts.gender = match["value"]
    elif match := _ID_PATTERN.match(segment):
        if match["label"] not in _NOT_IDENTIFIERS:
            facts.ids.append(_identifier(match))


def _identifier(match: re.Match[str]) -> Identifier:
    label = match["label"]
    value = match["value"]
    # "Vessel Registration Identification IMO 9116412" names the IMO number.
    if label.endswith(" IMO"):
        label = "IMO"
    country = to_iso2(match["country"]) if match["country"] else None
    return Identifier(type=label, value=value, country=country)


_DAY_MONTH_YEAR = ("%d %b %Y", "%d %B %Y")
_MONTH_YEAR = ("%b %Y", "%B %Y")


def parse_ofac_dates(value: str) -> list[str]:
    """Return ISO dates (YYYY, YYYY-MM or YYYY-MM-DD) from an OFAC DOB text.

    Handles "01 Jan 1960", "Jan 1960", "1960", "circa 1960" and ranges
    "1960 to 1962" (each year listed).
    """
    text = value.strip().removeprefix("circa ").strip()
    if " to " in text:
        return _year_range(text)
    for fmt in _DAY_MONTH_YEAR:
        try:
            return [datetime.strptime(text, fmt).date().isoformat()]
        except ValueError:
            pass
    for fmt in _MONTH_YEAR:
        try:
            return [datetime.strptime(text, fmt).strftime("%Y-%m")]
        except ValueError:
            pass
    if re.fullmatch(r"\d{4}", text):
        return [text]
    return []


def _year_range(text: str) -> list[str]:
    years = re.findall(r"\b(\d{4})\b", text)
    if len(years) != 2:
        return []
    start, end = int(years[0]), int(years[1])
    if not 0 <= end - start <= 20:
        return []
    return [str(year) for year in range(start, end + 1)]
