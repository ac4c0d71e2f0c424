"""Spot controlled goods hidden in plain commodity descriptions."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace

from exodus.core.controls.ccl import split_eccn
from exodus.core.controls.declared import Finding
from exodus.core.controls.determination import CAS_RE, ItemQuery, Outcome, determine
from exodus.core.controls.reference import ChemicalListing, ReferenceData
from exodus.core.controls.textindex import Bm25Index, Hit, tokenize
from exodus.core.filings.model import CommodityLine
from exodus.errors import InvalidInput

log = logging.getLogger(__name__)

# Tuned on the evaluation set of benchmarks/controls_benchmark.py (see its report):
# the share of a description's IDF mass a CCL/USML text must explain to be flagged.
# At 0.60 the held-out half catches 93% of controlled paraphrases (entries that need a
# license to China) and flags 1.7% of ordinary HTS look-alikes (some are real
# short-supply items, e.g. western red cedar logs under 1C988).
DEFAULT_THRESHOLD = 0.60
MIN_MATCHED_TERMS = 2
_NAME_SPLIT = re.compile(r"[:;(]|\bC\.A\.S\b|\bCAS\b")
_MIN_NAME_CHARS = 6


@dataclass(slots=True)
class DescriptionIndex:
    """The text index and chemical-name table built once per reference edition."""

    index: Bm25Index
    names: dict[tuple[str, ...], tuple[ChemicalListing, ...]]
    longest_name: int
    threshold: float = DEFAULT_THRESHOLD
    matters: dict[tuple[str, str], bool] = field(default_factory=dict)
    searches: dict[str, list[Hit]] = field(default_factory=dict)  # wording -> best texts
    # wording -> its CAS and chemical-name findings (they read nothing else of the line)
    wordings: dict[str, tuple[Finding, ...]] = field(default_factory=dict)
    hts_lines: dict[str, list[str]] = field(default_factory=dict)  # code -> HTS texts

    def search(self, text: str) -> list[Hit]:
        """Return the closest control texts of a wording (remembered: wordings repeat)."""
        found = self.searches.get(text)
        if found is None:
            if len(self.searches) >= 100_000:
                self.searches.clear()
            found = self.searches[text] = self.index.search(text, limit=6)
        return found


_INDEXES: dict[int, DescriptionIndex] = {}


def description_index(ref: ReferenceData) -> DescriptionIndex:
    """Return the index for `ref`, building it on first use."""
    key = id(ref)
    found = _INDEXES.get(key)
    if found is None:
        found = _build(ref)
        _INDEXES[key] = found
    return found


def _build(ref: ReferenceData) -> DescriptionIndex:
    names: dict[tuple[str, ...], list[ChemicalListing]] = {}
    for chem in ref.chemicals + biological_listings(ref):
        for name in chemical_names(chem.name, 5 if chem.source == "1C351" else None):
            names.setdefault(tuple(tokenize(name)), []).append(chem)
    names.pop((), None)
    index = Bm25Index(control_documents(ref))
    log.info(
        "description index built: %d documents, %d chemical names",
        len(index.ids),
        len(names),
    )
    return DescriptionIndex(
        index,
        {k: tuple(v) for k, v in names.items()},
        max((len(k) for k in names), default=1),
    )


def chemical_names(text: str, min_chars: int | None = None) -> list[str]:
    """Return the usable names in a listed chemical's text (name and synonyms)."""
    found = []
    shortest = min_chars or _MIN_NAME_CHARS
    for part in _NAME_SPLIT.split(text):
        name = re.sub(r"\b(and its|its) .*$", "", part).strip(" ,.;)")
        name = re.sub(r"\b(mixtures?|salts?|esters?|isomers?)\b.*$", "", name).strip(
            " ,"
        )
        if len(name) < shortest or re.fullmatch(r"[\d\s,.-]+", name):
            continue
        if set(tokenize(name)) <= _GENERIC_CHEMICAL_WORDS:
            continue  # "FAMILY: ...", "Other names include: ..." are not names
        found.append(name)
    return found


_GENERIC_CHEMICAL_WORDS = frozenset(
    {"family", "name", "include", "dialkyl", "dihydro", "chemical", "compound"}
)


_BIO_TAIL = re.compile(
    r",.*$|\bidentified as\b.*$|\bas follows\b.*$|\bformerly\b.*$|\bor$|\ba\.k\.a\..*$"
)


_BIO_VAGUE = re.compile(r"\b(?:strain|small colony|subtype|includes|members)\b", re.I)
_BIO_GENERIC = frozenset({"toxin", "viru", "viruse", "bacteria", "fungi"})


def biological_listings(ref: ReferenceData) -> tuple[ChemicalListing, ...]:
    """Return the 1C351 agents and toxins as listings named by their item text."""
    found = []
    for paragraph, text in ref.bio_agents:
        if "[Reserved]" in text:
            continue
        names = [re.sub(r"\s+", " ", text).strip(" ;.:")]
        names += re.findall(r"\(([^)]+)\)", text)
        for name in names:
            name = re.sub(r"\([^)]*\)", "", name)
            name = _BIO_TAIL.sub("", name).strip(" ;.:,")
            if len(name) < 5 or _BIO_VAGUE.search(name):
                continue
            if set(tokenize(name)) <= _BIO_GENERIC:
                continue  # "T-2 toxin" tokenizes to "toxin" alone
            found.append(ChemicalListing("1C351", paragraph, name, ""))
    return tuple(found)


def control_documents(ref: ReferenceData) -> list[tuple[str, str, str]]:
    """Return (doc id, label, text) for every CCL heading and paragraph and USML title."""
    docs: list[tuple[str, str, str]] = []
    for entry in ref.ccl.values():
        docs.append((entry.eccn, entry.eccn, _clean(entry.heading)))
        for paragraph, text in entry.items:
            text = _clean(text)
            if paragraph and len(tokenize(text)) >= 2:
                docs.append((f"{entry.eccn}.{paragraph}", entry.eccn, text))
    for category in ref.usml.values():
        docs.append(
            (f"USML {category.roman}", f"USML {category.roman}", _clean(category.title))
        )
    return docs


def _clean(text: str) -> str:
    text = re.sub(
        r"\((see|these items|this entry)[^)]*\)", " ", text, flags=re.IGNORECASE
    )
    return text.replace("“", "").replace("”", "").replace("[Reserved]", "")


def flag_description(
    ref: ReferenceData, line: CommodityLine, destination: str
) -> list[Finding]:
    """Return findings where a line's wording or code points to a controlled item."""
    built = description_index(ref)
    text = line.description or ""
    findings = _wording_findings(ref, built, line, text)
    findings.extend(_chpl_findings(ref, line, destination))
    declared = split_eccn(line.eccn)[0] if line.eccn else "EAR99"
    if declared == "EAR99" and not line.usml_category:
        findings.extend(_text_findings(ref, built, line, text, destination))
    return findings


def _wording_findings(
    ref: ReferenceData, built: DescriptionIndex, line: CommodityLine, text: str
) -> list[Finding]:
    """Return the CAS and chemical-name findings of a wording (remembered: wordings repeat)."""
    found = built.wordings.get(text)
    if found is None:
        fresh = _cas_findings(ref, line, text)
        fresh.extend(_name_findings(built, line, text, fresh))
        if len(built.wordings) >= 100_000:
            built.wordings.clear()
        built.wordings[text] = tuple(fresh)
        return fresh
    return [f if f.line_no == line.line_no else replace(f, line_no=line.line_no) for f in found]


def _cas_findings(ref: ReferenceData, line: CommodityLine, text: str) -> list[Finding]:
    findings = []
    for match in CAS_RE.finditer(text):
        number = match.group(0)
        listed = ref.chemicals_by_cas.get(number)
        if not listed or not _cas_checksum(number):
            continue
        findings.append(_chemical_finding(line, "CAS_LISTED", number, listed))
    return findings


def _cas_checksum(number: str) -> bool:
    """Tell whether a CAS number's check digit is right."""
    digits = number.replace("-", "")
    body, check = digits[:-1], int(digits[-1])
    total = sum((i + 1) * int(d) for i, d in enumerate(reversed(body)))
    return total % 10 == check


def _name_findings(
    built: DescriptionIndex, line: CommodityLine, text: str, already: list[Finding]
) -> list[Finding]:
    tokens = tokenize(text)
    seen = {f.evidence.get("trigger") for f in already}
    findings = []
    for size in range(min(built.longest_name, len(tokens)), 0, -1):
        for start in range(len(tokens) - size + 1):
            key = tuple(tokens[start : start + size])
            listed = built.names.get(key)
            if not listed:
                continue
            trigger = " ".join(key)
            if trigger in seen or any(trigger in str(s) for s in seen):
                continue
            seen.add(trigger)
            findings.append(_chemical_finding(line, "CHEMICAL_NAME", trigger, listed))
    return findings


def _chemical_finding(
    line: CommodityLine, code: str, trigger: str, listed: tuple[ChemicalListing, ...]
) -> Finding:
    candidates = sorted(
        {c.paragraph if c.source != "DEA" else f"DEA List {c.schedule}" for c in listed}
    )
    controlled = any(c.source in {"1C350", "1C355", "1C351"} for c in listed)
    if all(c.source == "1C351" for c in listed):
        code, citation = "BIOLOGICAL_AGENT_NAME", "15 CFR 774 ECCN 1C351"
        what = "a CCL-listed human or animal pathogen or toxin"
    elif controlled:
        citation, what = "15 CFR 774 ECCN 1C350/1C355", "a CCL-listed chemical"
    else:
        citation, what = "21 CFR 1310.02", "a DEA listed chemical"
    return Finding(
        code,
        "high" if controlled else "medium",
        f"Description names {what} ({trigger}): {', '.join(candidates)}.",
        citation,
        line.line_no,
        {
            "trigger": trigger,
            "candidates": candidates,
            "names": [c.name[:80] for c in listed],
        },
    )


def _chpl_findings(
    ref: ReferenceData, line: CommodityLine, destination: str
) -> list[Finding]:
    hs6 = re.sub(r"\D", "", line.schedule_b or "")[:6]
    tier = ref.chpl.get(hs6)
    if not tier:
        return []
    try:
        dest = ref.country_code(destination)
    except InvalidInput:
        return []
    if dest in {"RU", "BY"}:
        severity, where = "high", "Russia/Belarus"
    elif dest in ref.transshipment_hubs:
        severity, where = "medium", "a named Russia/Belarus transshipment hub"
    else:
        return []
    return [
        Finding(
            "CHPL_DESTINATION",
            severity,
            f"HS {hs6} is on the Common High "
            f"Priority List ({tier}) and goes to {where} ({dest}).",
            "BIS CHPL (2024-02-23); 15 CFR 746.8",
            line.line_no,
            {"hs6": hs6, "tier": tier, "destination": dest},
        )
    ]


def _text_findings(
    ref: ReferenceData,
    built: DescriptionIndex,
    line: CommodityLine,
    text: str,
    destination: str,
) -> list[Finding]:
    hits = built.search(text)
    good = [
        h
        for h in hits
        if h.score >= built.threshold
        and len(h.matched) >= MIN_MATCHED_TERMS
        and candidate_matters(ref, h.label, destination)
    ][:3]
    if not good:
        return []
    best = good[0]
    candidates = [
        {
            "candidate": h.label,
            "doc": h.doc_id,
            "score": round(h.score, 3),
            "trigger_words": list(h.matched),
        }
        for h in good
    ]
    # Said as declared: an EAR99 line claims the item is uncontrolled; a line with
    # no classification claims nothing.
    declared = (
        "the line was declared EAR99"
        if line.eccn and split_eccn(line.eccn)[0] == "EAR99"
        else "no ECCN or USML category was declared"
    )
    return [
        Finding(
            "DESCRIPTION_RESEMBLES_CONTROLLED",
            "medium",
            f"Description resembles {best.doc_id} ({', '.join(best.matched)}; "
            f"score {best.score:.2f}) but {declared}.",
            "15 CFR 758.1(g)(3)",
            line.line_no,
            {"trigger": " ".join(best.matched), "candidates": candidates},
        )
    ]


def candidate_matters(ref: ReferenceData, label: str, destination: str) -> bool:
    """Tell whether a candidate classification would need a license to `destination`.

    A USML category always does; a CCL entry does when its determination for the
    destination is anything but no license required (e.g. AT-only 2A992 valves are NLR
    to Germany but need a license to Iran). Answers are cached per edition.
    """
    if label.startswith("USML"):
        return True
    key = (label, destination)
    cache = description_index(ref).matters
    if key not in cache:
        try:
            result = determine(ref, ItemQuery(eccn=label), destination)
        except InvalidInput:
            cache[key] = True
        else:
            cache[key] = result.outcome is not Outcome.NO_LICENSE_REQUIRED
    return cache[key]


def best_matches(ref: ReferenceData, text: str, limit: int = 3) -> list[Hit]:
    """Return the closest CCL/USML texts for a description, for review screens."""
    return description_index(ref).index.search(text, limit=limit)


# The share of an HTS line's IDF mass a CCL/USML text must explain to be offered as a
# candidate classification: HTS wording is generic ("parts thereof"), so it is read
# more strictly than a filer's description and only as a hint to check.
HTS_CANDIDATE_THRESHOLD = 0.25
# A description is only a hint here too, so it is read less strictly than for a flag.
DESCRIPTION_CANDIDATE_THRESHOLD = 0.30
MAX_HTS_LINES = 30
# Words of HTS headings that say nothing about what an item is.
_HTS_GENERIC = frozenset(
    {"part", "thereof", "other", "similar", "containing", "article", "accessory",
     "including", "whether", "combined", "use", "heading", "excluding", "example"}
)


def classification_candidates(
    ref: ReferenceData, item: ItemQuery, destination: str
) -> tuple[tuple[str, str, str], ...]:
    """Return (classification, source, evidence) an unclassified item should be checked
    against: CCL entries and USML categories whose text resembles the item's HTS lines
    or its description, best first, those needing a license to `destination` first."""
    built = description_index(ref)
    found: dict[str, tuple[float, str, str]] = {}

    def keep(hits: list[Hit], threshold: float, source: str) -> None:
        for hit in hits:
            telling = [w for w in hit.matched if w not in _HTS_GENERIC]
            if hit.score < threshold or len(telling) < MIN_MATCHED_TERMS:
                continue
            if hit.label not in found or found[hit.label][0] < hit.score:
                found[hit.label] = (hit.score, source, ", ".join(hit.matched))

    code = re.sub(r"\D", "", item.hts or "")[:10]
    if code not in built.hts_lines:
        if len(built.hts_lines) >= 100_000:
            built.hts_lines.clear()
        built.hts_lines[code] = hts_texts(ref, code)
    for text in built.hts_lines[code]:
        # The whole path, then its last two levels (the chapter heading dominates it).
        keep(built.search(text), HTS_CANDIDATE_THRESHOLD, "hts")
        keep(built.search(" ".join(text.split(" > ")[-2:])), HTS_CANDIDATE_THRESHOLD, "hts")
    if item.description:
        keep(built.search(item.description), DESCRIPTION_CANDIDATE_THRESHOLD, "description")
    ranked = sorted(
        found.items(),
        key=lambda kv: (not candidate_matters(ref, kv[0], destination), -kv[1][0]),
    )
    return tuple((label, source, words) for label, (_, source, words) in ranked[:5])


def hts_texts(ref: ReferenceData, code: str) -> list[str]:
    """Return the HTS description paths of the 10-digit lines a code covers.

    A code not in HTS 2025 (a Schedule B split) falls back to its 8-, 6- then 4-digit
    prefix.
    """
    digits = re.sub(r"\D", "", code)[:10]
    for size in (len(digits), 8, 6, 4):
        if size < 4 or size > len(digits):
            continue
        prefix = digits[:size]
        texts = sorted({t for k, t in ref.hts10.items() if k.startswith(prefix)})
        if texts:
            return texts[:MAX_HTS_LINES]
    return []
