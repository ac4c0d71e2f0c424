"""Export-control reference data, loaded once per edition and judged by date.

An edition is a folder of reference files. The bundled folder
`exodus/data/reference/` is the base edition; a newer edition lives in
`editions/<id>/` beside it, holds an `edition.json` ({"effective": "YYYY-MM-DD",
"note": "..."}) and only the files that changed, with the same relative paths.
Editions stack: a file missing from an edition is read from the newest earlier
edition that has it, then from the base. A filing is judged by the newest edition
whose effective date is on or before its export date.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from exodus.core.controls.ccl import CclEntry, lvs_limit, parse_row, reasons_from
from exodus.errors import DataSourceError, InvalidInput

log = logging.getLogger(__name__)

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "data" / "reference"
BASE_EDITION = "base"
# Vintage of the Country Chart, country groups and CCL in the base edition.
BASE_EFFECTIVE = date(2026, 7, 23)
GROUP_LABELS = (
    "A:1",
    "A:2",
    "A:3",
    "A:4",
    "A:5",
    "A:6",
    "B",
    "D:1",
    "D:2",
    "D:3",
    "D:4",
    "D:5",
    "E:1",
    "E:2",
)
# ISO 3166-2 codes of the regions of Ukraine under 15 CFR 746.6.
COVERED_REGIONS = {
    "UA-43": "Crimea region of Ukraine",
    "UA-40": "Crimea region of Ukraine (Sevastopol)",
    "UA-14": "so-called Donetsk People's Republic (DNR) region of Ukraine",
    "UA-09": "so-called Luhansk People's Republic (LNR) region of Ukraine",
}
_REGION_ALIASES = {
    "crimea": "UA-43",
    "sevastopol": "UA-40",
    "dnr": "UA-14",
    "donetsk": "UA-14",
    "lnr": "UA-09",
    "luhansk": "UA-09",
}


@dataclass(frozen=True, slots=True)
class ChartRow:
    """A destination's row of the Commerce Country Chart."""

    marks: frozenset[str]
    footnotes: tuple[int, ...] = ()
    embargo_pointer: str = ""


@dataclass(frozen=True, slots=True)
class LicenseException:
    symbol: str
    section: str
    title: str
    citation: str


@dataclass(frozen=True, slots=True)
class UsmlCategory:
    roman: str
    number: int
    title: str


@dataclass(frozen=True, slots=True)
class ItarProscription:
    """A 22 CFR 126.1 destination and its policy."""

    iso2: str
    country: str
    list_part: str  # "(d)(1)" or "(d)(2)"
    paragraph: str
    policy: str
    case_by_case: bool
    security_forces_only: bool


@dataclass(frozen=True, slots=True)
class EmbargoProgram:
    iso2: str
    regime: str
    agency: str
    program: str
    citation: str
    scope: str


@dataclass(frozen=True, slots=True)
class EmbargoException:
    """A License Exception a Part 746 section leaves available, on its terms."""

    symbol: str
    conditions: str
    citation: str


@dataclass(frozen=True, slots=True)
class ChemicalListing:
    """A chemical named on a control list, keyed by CAS number where it has one."""

    source: str  # "1C350", "1C355", "DEA"
    paragraph: str  # e.g. "1C350.b.22", "DEA List I item 3"
    name: str
    cas: str
    schedule: str = ""  # CWC schedule, or DEA list "I"/"II"
    threshold_kg: float | None = None
    threshold_text: str = ""
    no_threshold: bool = False


@dataclass(frozen=True, slots=True)
class AesLicenseCode:
    code: str
    agency: str
    description: str
    number_field: str
    eccn_reporting: str
    ear99_allowed: str
    allowed_eics: str
    allowed_mot: str
    status: str
    removed_on: date | None = None
    retired: bool = False

    @property
    def exception_symbol(self) -> str | None:
        """Return the License Exception symbol this code reports, if any."""
        symbol = self.number_field.strip().upper()
        # C33 reports "NLR" in the license number field: no License Exception.
        return symbol if re.fullmatch(r"[A-Z]{3}", symbol) and symbol != "NLR" else None


@dataclass(frozen=True, slots=True)
class Gap:
    gap_id: str
    missing: str
    effect: str


@dataclass(frozen=True, slots=True)
class Edition:
    edition_id: str
    effective: date
    path: Path
    note: str = ""


@dataclass(slots=True)
class ReferenceData:
    """Everything the controls core needs, with lookups precomputed at load."""

    edition: str
    effective: date
    ccl: dict[str, CclEntry]
    chart: dict[str, ChartRow]
    chart_footnotes: dict[int, str]
    groups: dict[str, frozenset[str]]  # ISO2 -> country groups
    group_members: dict[str, frozenset[str]]  # group -> ISO2 set
    group_labels: dict[str, str]
    license_exceptions: dict[str, LicenseException]
    usml: dict[str, UsmlCategory]
    itar_126_1: dict[str, ItarProscription]
    embargoes: dict[str, tuple[EmbargoProgram, ...]]
    embargo_exceptions: dict[str, tuple[EmbargoException, ...]]  # ISO2 -> allowed
    chemicals_by_cas: dict[str, tuple[ChemicalListing, ...]]
    chemicals: tuple[ChemicalListing, ...]
    bio_agents: tuple[tuple[str, str], ...]
    chpl: dict[str, str]  # HS-6 -> tier
    hts10: dict[str, str]  # 10 digits -> description path
    hs6: frozenset[str]
    aes_license_codes: dict[str, AesLicenseCode]
    export_information_codes: dict[str, str]
    mot_codes: dict[str, str]
    ports: dict[str, dict[str, str]]
    countries: dict[str, str]  # ISO2 -> name
    country_aliases: dict[str, str]  # lowered name -> ISO2
    transshipment_hubs: frozenset[str]
    un_arms_embargo: frozenset[str]
    end_use_countries: dict[str, frozenset[str]]  # "MEU"/"MIEU" -> ISO2
    cwc_not_party: frozenset[str]
    gaps: tuple[Gap, ...]
    notes: list[str] = field(default_factory=list)

    def country_code(self, destination: str) -> str:
        """Return the ISO code (or ISO 3166-2 region) for a destination name or code."""
        text = destination.strip()
        upper = text.upper()
        if upper in COVERED_REGIONS:
            return upper
        if len(upper) == 2 and upper in self.countries:
            return upper
        lowered = text.lower()
        if lowered in _REGION_ALIASES:
            return _REGION_ALIASES[lowered]
        if lowered in self.country_aliases:
            return self.country_aliases[lowered]
        raise InvalidInput(f"unknown destination {destination!r}")

    def chart_key(self, iso2: str) -> str:
        """Return the Country Chart row a destination is judged by (HK -> CN)."""
        if iso2 in COVERED_REGIONS:
            return "UA"
        if iso2 == "HK":
            return "CN"  # 85 FR 83788: Hong Kong is governed by the China entry.
        if iso2 == "LI":
            return "CH"  # Footnote 5: Liechtenstein follows Switzerland.
        return iso2

    def in_group(self, iso2: str, group: str) -> bool:
        return group in self.groups.get(self.chart_key(iso2), frozenset())


# ----------------------------------------------------------------------------
# Editions


def list_editions(root: Path | None = None) -> list[Edition]:
    """Return the editions under `root`, oldest first, the base edition first."""
    base = Path(root) if root else DEFAULT_ROOT
    found = [Edition(BASE_EDITION, _base_effective(base), base, "bundled base edition")]
    editions_dir = base / "editions"
    if editions_dir.is_dir():
        for folder in sorted(editions_dir.iterdir()):
            manifest = folder / "edition.json"
            if not manifest.is_file():
                continue
            meta = json.loads(manifest.read_text(encoding="utf-8"))
            found.append(
                Edition(
                    folder.name,
                    date.fromisoformat(meta["effective"]),
                    folder,
                    str(meta.get("note", "")),
                )
            )
    found.sort(key=lambda e: (e.edition_id != BASE_EDITION, e.effective))
    return found


def _base_effective(base: Path) -> date:
    manifest = base / "edition.json"
    if manifest.is_file():
        return date.fromisoformat(json.loads(manifest.read_text("utf-8"))["effective"])
    return BASE_EFFECTIVE


def select_edition(
    editions: list[Edition], edition: str | None, on: date | None
) -> Edition:
    """Pick the named edition, else the newest in force on `on`, else the newest."""
    if edition is not None:
        for candidate in editions:
            if candidate.edition_id == edition:
                return candidate
        raise InvalidInput(f"unknown reference edition {edition!r}")
    if on is None:
        return editions[-1]
    in_force = [e for e in editions if e.effective <= on]
    return in_force[-1] if in_force else editions[0]


def load_reference(
    edition: str | None = None,
    on: date | None = None,
    *,
    root: Path | str | None = None,
) -> ReferenceData:
    """Return the reference data of an edition (by id, or the one in force on `on`)."""
    base = Path(root).resolve() if root else DEFAULT_ROOT
    chosen = select_edition(list_editions(base), edition, on)
    ref = _load_cached(str(base), chosen.edition_id)
    if on is not None and on < chosen.effective:
        log.info("no edition in force on %s; using %s", on, chosen.edition_id)
    return ref


@lru_cache(maxsize=16)
def _load_cached(root: str, edition_id: str) -> ReferenceData:
    editions = list_editions(Path(root))
    chain: list[Edition] = []
    for candidate in editions:
        chain.append(candidate)
        if candidate.edition_id == edition_id:
            break
    return _Loader(chain).load()


class _Loader:
    """Reads one edition, looking each file up in the newest edition that has it."""

    def __init__(self, chain: list[Edition]) -> None:
        self.chain = chain
        self.edition = chain[-1]

    def path(self, relative: str) -> Path:
        for edition in reversed(self.chain):
            candidate = edition.path / relative
            if candidate.is_file():
                return candidate
        raise DataSourceError(f"reference file {relative!r} is missing")

    def rows(self, relative: str) -> list[dict[str, str]]:
        with self.path(relative).open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))

    def load(self) -> ReferenceData:
        countries, aliases = self._countries()
        groups, members = self._groups(aliases)
        ref = ReferenceData(
            edition=self.edition.edition_id,
            effective=self.edition.effective,
            ccl=self._ccl(members),
            chart=self._chart(aliases),
            chart_footnotes={
                int(r["footnote"]): r["text"]
                for r in self.rows("ear/country_chart_footnotes.csv")
            },
            groups=groups,
            group_members=members,
            group_labels={
                r["group"]: r["label"]
                for r in self.rows("ear/country_group_labels.csv")
            },
            license_exceptions=self._exceptions(),
            usml=self._usml(),
            itar_126_1=self._itar(),
            embargoes=self._embargoes(),
            embargo_exceptions=self._embargo_exceptions(),
            chemicals_by_cas={},
            chemicals=self._chemicals(),
            bio_agents=tuple(
                (r["eccn_paragraph"], r["text"])
                for r in self.rows("chemicals/ecc_1c351_biological_agents_toxins.csv")
            ),
            chpl={
                r["hs6"]: r["tier"]
                for r in self.rows("russia/chpl_common_high_priority_list_hs6.csv")
            },
            hts10={},
            hs6=frozenset(),
            aes_license_codes=self._license_codes(),
            export_information_codes={
                r["eic"]: r["description"]
                for r in self.rows("aes/export_information_codes.csv")
            },
            mot_codes={
                r["code"]: r["description"]
                for r in self.rows("aes/mode_of_transport_codes.csv")
            },
            ports={r["port_code"]: r for r in self.rows("aes/schedule_d_ports.csv")},
            countries=countries,
            country_aliases=aliases,
            transshipment_hubs=frozenset(
                r["iso2"] for r in self.rows("russia/transshipment_hubs.csv")
            ),
            un_arms_embargo=frozenset(
                r["iso2"] for r in self.rows("ear/un_arms_embargo_746_1.csv")
            ),
            end_use_countries=self._end_use(members),
            cwc_not_party=frozenset(
                r["iso2"] for r in self.rows("chemicals/cwc_states_not_party.csv")
            ),
            gaps=tuple(
                Gap(r["gap_id"], r["missing"], r["effect"])
                for r in self.rows("gaps.csv")
            ),
        )
        by_cas: dict[str, list[ChemicalListing]] = {}
        for chem in ref.chemicals:
            if chem.cas:
                by_cas.setdefault(chem.cas, []).append(chem)
        ref.chemicals_by_cas = {k: tuple(v) for k, v in by_cas.items()}
        ref.hts10 = self._hts()
        ref.hs6 = frozenset(code[:6] for code in ref.hts10)
        log.info(
            "reference edition %s loaded: %d ECCNs, %d HTS lines",
            ref.edition,
            len(ref.ccl),
            len(ref.hts10),
        )
        return ref

    # -- countries and groups ------------------------------------------------

    def _countries(self) -> tuple[dict[str, str], dict[str, str]]:
        countries: dict[str, str] = {}
        aliases: dict[str, str] = {}
        for row in self.rows("countries/iso3166_1.csv"):
            iso2 = row["alpha_2"]
            countries[iso2] = row["name"]
            for key in ("name", "official_name", "common_name", "alpha_3"):
                if row.get(key):
                    aliases[row[key].lower()] = iso2
        countries.setdefault("XK", "Kosovo")
        for row in self.rows("countries/ear_country_name_to_iso2.csv"):
            aliases[row["ear_country_name"].lower()] = row["iso_alpha_2"]
        for name, iso2 in _EXTRA_ALIASES.items():
            aliases[name] = iso2
        return countries, aliases

    def _groups(
        self, aliases: dict[str, str]
    ) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
        groups: dict[str, frozenset[str]] = {}
        for row in self.rows("ear/country_groups.csv"):
            iso2 = aliases[row["country"].lower()]
            groups[iso2] = frozenset(g for g in GROUP_LABELS if row.get(g) == "X")
        if "CN" in groups:
            groups["HK"] = groups[
                "CN"
            ]  # Hong Kong is no longer a separate destination.
        members: dict[str, set[str]] = {g: set() for g in GROUP_LABELS}
        for iso2, labels in groups.items():
            for label in labels:
                members[label].add(iso2)
        return groups, {g: frozenset(v) for g, v in members.items()}

    def _chart(self, aliases: dict[str, str]) -> dict[str, ChartRow]:
        chart: dict[str, ChartRow] = {}
        for row in self.rows("ear/country_chart.csv"):
            iso2 = aliases[row["country"].lower()]
            marks = frozenset(c for c in _COLUMNS if row.get(c) == "X")
            notes = tuple(int(n) for n in row["footnotes"].split(";") if n.strip())
            chart[iso2] = ChartRow(marks, notes, row.get("embargo_pointer", ""))
        return chart

    def _end_use(self, members: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
        rules: dict[str, frozenset[str]] = {}
        for row in self.rows("ear/end_use_rules.csv"):
            found = {c for c in row["countries"].split(";") if c}
            for group in (g for g in row["groups"].split(";") if g):
                found |= members.get(group, frozenset())
            if "CN" in found:
                found.add("HK")
            rules[row["rule"]] = frozenset(found)
        return rules

    # -- CCL and exceptions ---------------------------------------------------

    def _ccl(self, members: dict[str, frozenset[str]]) -> dict[str, CclEntry]:
        data = json.loads(self.path("ear/ccl.ecfr-2026-07-23.json").read_text("utf-8"))
        flags_csv = {r["eccn"]: r for r in self.rows("ear/ccl_eccns.csv")}
        return {
            raw["eccn"]: _entry(raw, flags_csv.get(raw["eccn"], {}), members)
            for raw in data["entries"]
        }

    def _exceptions(self) -> dict[str, LicenseException]:
        found: dict[str, LicenseException] = {}
        for row in self.rows("ear/license_exceptions.csv"):
            for symbol in row["symbols"].split(";"):
                found[symbol] = LicenseException(
                    symbol,
                    row["section_number"],
                    row["title"],
                    f"15 CFR {row['section_number']}",
                )
        return found

    # -- ITAR, sanctions ------------------------------------------------------

    def _usml(self) -> dict[str, UsmlCategory]:
        return {
            r["roman"]: UsmlCategory(r["roman"], int(r["category"]), r["title"])
            for r in self.rows("itar/usml_categories.csv")
        }

    def _itar(self) -> dict[str, ItarProscription]:
        found: dict[str, ItarProscription] = {}
        for row in self.rows("itar/22cfr126_1_d1_d2_split.csv"):
            found[row["iso2"]] = ItarProscription(
                iso2=row["iso2"],
                country=row["country"],
                list_part=row["list_126_1"],
                paragraph=row["paragraph"],
                policy=row["policy"],
                case_by_case=row["case_by_case_exceptions"] == "Y",
                security_forces_only="forces" in row["policy"],
            )
        if "CN" in found:
            found["HK"] = found["CN"]
        return found

    def _embargoes(self) -> dict[str, tuple[EmbargoProgram, ...]]:
        found: dict[str, list[EmbargoProgram]] = {}
        for row in self.rows("sanctions/country_embargo_programs.csv"):
            program = EmbargoProgram(
                row["iso2"],
                row["regime"],
                row["agency"],
                row["program_or_rule"],
                row["legal_citation"],
                row["scope_summary"],
            )
            found.setdefault(row["iso2"], []).append(program)
        return {k: tuple(v) for k, v in found.items()}

    def _embargo_exceptions(self) -> dict[str, tuple[EmbargoException, ...]]:
        found: dict[str, list[EmbargoException]] = {}
        for row in self.rows("ear/embargo_license_exceptions.csv"):
            option = EmbargoException(row["symbol"], row["conditions"], row["citation"])
            for dest in row["destinations"].split(";"):
                found.setdefault(dest.strip(), []).append(option)
        return {k: tuple(v) for k, v in found.items()}

    # -- chemicals ---------------------------------------------------------------

    def _chemicals(self) -> tuple[ChemicalListing, ...]:
        found: list[ChemicalListing] = []
        for row in self.rows("chemicals/ecc_1c350_australia_group_precursors.csv"):
            found.append(
                ChemicalListing(
                    "1C350",
                    row["eccn_paragraph"],
                    row["chemical_name"],
                    row["cas"].strip(),
                    row["cwc_schedule"],
                )
            )
        for row in self.rows("chemicals/ecc_1c355_cwc_chemicals_not_ag.csv"):
            if row["text"].strip() == "[Reserved]":
                continue
            found.append(
                ChemicalListing(
                    "1C355",
                    row["eccn_paragraph"],
                    row["text"],
                    row["cas"].strip(),
                    row["cwc_schedule"],
                )
            )
        for row in self.rows("chemicals/dea_21cfr1310_listed_chemicals.csv"):
            threshold = (
                row["threshold_all_transactions_list_i"]
                or row["threshold_import_export_list_ii"]
                or row["threshold_export_designated_countries_list_ii"]
            )
            found.append(
                ChemicalListing(
                    "DEA",
                    f"21 CFR 1310.02 List {row['list']} item {row['item_no']}",
                    row["chemical"],
                    row["cas_parent_k_unverified"].strip(),
                    row["list"],
                    threshold_kg=_kilograms(threshold),
                    threshold_text=threshold,
                    no_threshold=row["no_threshold_1310_04g"] == "Y",
                )
            )
        return tuple(found)

    # -- HTS and AES -------------------------------------------------------------

    def _hts(self) -> dict[str, str]:
        lines: dict[str, str] = {}
        stack: list[tuple[int, str]] = []
        for row in self.rows("hts/hts_2025_basic_edition.csv"):
            indent = int(row["Indent"] or 0)
            text = row["Description"].strip().rstrip(":")
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, text))
            digits = row["HTS Number"].replace(".", "")
            if len(digits) == 10:
                lines[digits] = " > ".join(t for _, t in stack if t)
        return lines

    def _license_codes(self) -> dict[str, AesLicenseCode]:
        changes = {
            r["license_code"]: r for r in self.rows("aes/license_code_changes.csv")
        }
        found: dict[str, AesLicenseCode] = {}
        for row in self.rows("aes/eei_license_codes.csv"):
            change = changes.get(row["license_code"], {})
            removed = (
                date.fromisoformat(change["effective"])
                if change.get("change") == "removed" and change.get("effective")
                else None
            )
            found[row["license_code"]] = AesLicenseCode(
                code=row["license_code"],
                agency=row["agency"],
                description=row["description"],
                number_field=row["report_in_license_number_field"],
                eccn_reporting=row["eccn_reporting"],
                ear99_allowed=row["ear99_allowed"],
                allowed_eics=row["allowed_export_information_codes"],
                allowed_mot=row["allowed_mot"],
                status=row["status"],
                removed_on=removed,
                retired=change.get("change") == "removed"
                and not change.get("effective"),
            )
        return found


_COLUMNS = (
    "CB1",
    "CB2",
    "CB3",
    "NP1",
    "NP2",
    "NS1",
    "NS2",
    "MT1",
    "RS1",
    "RS2",
    "FC1",
    "CC1",
    "CC2",
    "CC3",
    "AT1",
    "AT2",
)
_EXTRA_ALIASES = {
    "hong kong": "HK",
    "macao": "MO",
    "macau": "MO",
    "russia": "RU",
    "iran": "IR",
    "syria": "SY",
    "north korea": "KP",
    "south korea": "KR",
    "uk": "GB",
    "great britain": "GB",
    "uae": "AE",
    "taiwan": "TW",
    "burma": "MM",
    "myanmar": "MM",
    "turkey": "TR",
    "turkiye": "TR",
    "türkiye": "TR",
    "vietnam": "VN",
    "laos": "LA",
    "venezuela": "VE",
    "bolivia": "BO",
    "kosovo": "XK",
    "usa": "US",
    "united states": "US",
    "czechia": "CZ",
    "moldova": "MD",
}


def _entry(
    raw: dict[str, Any], flat: dict[str, str], members: dict[str, frozenset[str]]
) -> CclEntry:
    rows = tuple(
        parse_row(r, members, raw["eccn"]) for r in raw.get("countryChart") or ()
    )
    flags = {k: str(v) for k, v in (raw.get("licenceExceptionFlags") or {}).items()}
    heading = raw.get("heading") or ""
    items = tuple(
        (str(i.get("paragraph") or ""), str(i.get("text") or ""))
        for i in raw.get("items") or ()
        if i.get("kind") == "item"
    )
    lvs_text = _with_lvs_tiers(flags.get("LVS", ""), raw.get("items") or ())
    if lvs_text:
        flags["LVS"] = lvs_text
    return CclEntry(
        eccn=raw["eccn"],
        category=raw["category"],
        product_group=raw["productGroup"],
        heading=heading,
        reasons=reasons_from(raw.get("reasonForControl"), rows),
        rows=rows,
        flags=flags,
        related_controls=raw.get("relatedControls") or "",
        items=items,
        lvs_limit_usd=lvs_limit(lvs_text),
        # "These items are subject to the ITAR" entries carry no controls of their own
        # (1C355 names the ITAR only to exclude what it covers, and has reasons).
        itar_pointer="subject to the ITAR" in heading
        and not rows
        and not (raw.get("reasonForControl") or "").strip(),
        is_600_series=flat.get("is_600_series", "") in {"True", "Y", "1", "true"},
        is_9x515=flat.get("is_9x515", "") in {"True", "Y", "1", "true"},
    )


def _with_lvs_tiers(flag: str, items: Any) -> str:
    """Return an LVS flag with the value tiers the source prints apart from it.

    3A001 prints its LVS tiers ("Yes for:", "$1500: 3A001.c.") as text lines ahead of
    its list of items, so the flag alone reads as if LVS were N/A for the entire entry.
    """
    if not flag or "$" in flag:
        return flag
    tiers = []
    for item in items:
        if item.get("kind") == "item":
            break
        found = re.match(r"^\$\s?([\d,]+):\s*(.+)$", str(item.get("text") or "").strip())
        if found:
            # "b.2 (exported or reexported for use in civil telecommunications ...)":
            # LVS rests on an end use the filing does not show, so the paragraph is
            # left out of the tier (the flag's N/A for it stands).
            refs = _END_USE_REF.sub("", found.group(2).rstrip("."))
            tiers.append(f"${found.group(1)} for {refs}")
    return "; ".join([flag.rstrip(".")] + tiers) if tiers else flag


_END_USE_REF = re.compile(r"\s*\b[a-z](?:\.\d+)*\s*\((?:exported or reexported )?for use in[^)]*\),?")


def _kilograms(text: str) -> float | None:
    """Convert the first mass in a DEA threshold ("1.7 kilograms", "500 grams") to kg."""
    match = re.search(r"([\d,.]+)\s*(kilograms?|grams?)", text or "")
    if not match:
        return None
    value = float(match.group(1).replace(",", ""))
    return value if match.group(2).startswith("kilo") else value / 1000.0
