"""Commerce Control List entries and the parsing of their license-requirement rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

Match = Literal["yes", "maybe", "no"]

ECCN_RE = re.compile(
    r"^(?P<eccn>\d[A-E]\d{3})(?:\.(?P<para>[a-z0-9.]+?))?\.?$", re.IGNORECASE
)
_PARA_WITH_ECCN = re.compile(
    r"\b(\d[A-E]\d{3})\.([a-z](?:\.[a-z0-9]+)*)", re.IGNORECASE
)
_PARA_BARE = re.compile(r"(?<![\w.])([a-z]\.\d+(?:\.[a-z0-9]+)*)\b")
_PARA_DOT = re.compile(r"(?<![\w])\.([a-z](?:\.[a-z0-9]+)*)\b")
_COLUMN = re.compile(r"\b(CB|NP|NS|MT|RS|FC|CC|AT)\s+Column\s+(\d)", re.IGNORECASE)
_CONDITION_WORDS = (" when ", " if ", "except those", "barrel length")
REASON_CODES = (
    "NS",
    "MT",
    "NP",
    "CB",
    "CW",
    "RS",
    "FC",
    "CC",
    "AT",
    "UN",
    "EI",
    "SL",
    "SS",
)


@dataclass(frozen=True, slots=True)
class ControlRow:
    """One row of an ECCN's License Requirements table.

    `column` names a Country Chart column (e.g. "NS2"); rows that bypass the chart
    carry a destination rule instead: `destinations` (a fixed set of ISO codes) or
    `all_except` (every destination but these).
    """

    reason: str
    control: str
    chart_text: str
    column: str | None = None
    destinations: frozenset[str] | None = None
    all_except: frozenset[str] | None = None
    entire_entry: bool = False
    paragraphs: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    conditional: bool = False

    def applies_to(self, paragraph: str) -> Match:
        """Tell whether this row covers the item paragraph ("" when unknown)."""
        if self.entire_entry:
            # "Entire entry except ... if ..." covers the item unless it is in an
            # excluded paragraph: the exporter must show the condition takes it out.
            if paragraph and any(_under(paragraph, ex) for ex in self.excluded):
                return "no"
            return "yes"
        if not self.paragraphs:
            # TODO: rows that name only other ECCNs' items ("technology for items
            # controlled by 7A001 to 7A004") stay conditional: software and technology
            # declared without its paragraph may need a license this cannot prove.
            return "maybe"
        if not paragraph:
            return "maybe"
        if any(_under(paragraph, ex) for ex in self.excluded):
            return "no"
        if any(_under(paragraph, ref) for ref in self.paragraphs):
            # A named paragraph is controlled unless the exporter shows the stated
            # condition (e.g. civil telecommunications use) takes it out.
            return "yes"
        if any(_under(ref, paragraph) for ref in self.paragraphs):
            return "maybe"
        return "no"


def _under(paragraph: str, ref: str) -> bool:
    return paragraph == ref or paragraph.startswith(ref + ".")


_RANGE = re.compile(
    r"\b(?P<pre>[a-z](?:\.[a-z0-9]+)*?)\.(?P<a>\d+)\s+(?:to|through)\s+"
    r"(?:\d[A-E]\d{3})?\.?(?P=pre)\.(?P<b>\d+)\b"
)
_CONDITIONAL = re.compile(
    r"\b(if|when|unless|provided|that|having|made from)\b", re.IGNORECASE
)


def flag_scope(flag: str, eccn: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Read which paragraphs an exception flag names: (only these, never these).

    "Yes for 1A004.a, .b" and "$500 for 0A501.c, .d" limit the exception to those
    paragraphs; "Yes, except 5A001.a" and "N/A for 6A003.a.3 through a.6" exclude
    paragraphs. Ranges ("a.2 to a.14") are expanded; parenthesised remarks are
    dropped; a clause with a condition ("if", "when", "unless") excludes nothing.
    """
    include: list[str] = []
    exclude: list[str] = []
    for original in flag.split(";"):
        segment = re.sub(r"\([^)]*\)", " ", original)
        segment = _DOTTED_LETTER_RANGE.sub(_expand_dotted, segment)
        segment = _RANGE.sub(_expand, segment)
        head, _, tail = segment.partition("except")
        # "N/A for 5B001.a (for 5A001.j)" names only part of the paragraph.
        narrowed = bool(re.search(r"\((?:for|when|if|unless)\b", original))
        conditional_tail = bool(_CONDITIONAL.search(tail)) or narrowed
        if "n/a" in head.lower():
            # "N/A for composites of 1A002.a having an organic matrix": only some.
            if not conditional_tail and not _CONDITIONAL.search(head):
                exclude.extend(_paragraph_refs(head, eccn))
            continue
        cut = _CONDITIONAL.search(head)
        include.extend(_paragraph_refs(head[: cut.start()] if cut else head, eccn))
        if tail and not conditional_tail:
            exclude.extend(_paragraph_refs(tail, eccn))
    return tuple(dict.fromkeys(include)), tuple(dict.fromkeys(exclude))


_DOTTED_LETTER_RANGE = re.compile(r"\.([a-z]) (?:to|through) \.([a-z])\b")


def _expand_dotted(match: re.Match[str]) -> str:
    first, last = match.group(1), match.group(2)
    if not first < last:
        return match.group(0)
    return ", ".join(f".{chr(c)}" for c in range(ord(first), ord(last) + 1))


def _expand(match: re.Match[str]) -> str:
    pre, first, last = match.group("pre"), int(match.group("a")), int(match.group("b"))
    if not 0 < last - first < 60:
        return match.group(0)
    return ", ".join(f"{pre}.{n}" for n in range(first, last + 1))


def in_flag_scope(paragraph: str, flag: str, eccn: str) -> bool:
    """Tell whether an item paragraph may fall within an exception flag's scope."""
    if not paragraph:
        return True
    include, exclude = flag_scope(flag, eccn)
    if any(_under(paragraph, ref) for ref in exclude):
        return False
    if not include:
        return True
    return any(_under(paragraph, ref) or _under(ref, paragraph) for ref in include)


@dataclass(frozen=True, slots=True)
class CclEntry:
    """One ECCN of Supplement No. 1 to Part 774 with what licensing needs of it."""

    eccn: str
    category: str
    product_group: str
    heading: str
    reasons: frozenset[str]
    rows: tuple[ControlRow, ...]
    flags: dict[str, str]
    related_controls: str = ""
    items: tuple[tuple[str, str], ...] = ()
    lvs_limit_usd: float | None = None
    itar_pointer: bool = False
    is_600_series: bool = False
    is_9x515: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def at_only(self) -> bool:
        """Tell whether anti-terrorism is the entry's only reason for control."""
        return self.reasons <= {"AT"}

    @property
    def encryption(self) -> bool:
        return self.eccn in ENCRYPTION_ECCNS

    def flag_available(self, symbol: str) -> bool:
        """Tell whether the entry's exception flag for `symbol` is not plain N/A."""
        text = self.flags.get(symbol, "").strip()
        return bool(text) and not text.upper().startswith("N/A")


ENCRYPTION_ECCNS = frozenset({"5A002", "5B002", "5D002", "5E002"})


def split_eccn(code: str) -> tuple[str, str]:
    """Split "3A001.a.1" into ("3A001", "a.1"); EAR99 gives ("EAR99", "")."""
    text = code.strip().upper().replace(" ", "")
    if text in {"EAR99", "EAR-99"}:
        return "EAR99", ""
    match = ECCN_RE.match(text)
    if not match:
        return text, ""
    para = (match.group("para") or "").lower().strip(".")
    return match.group("eccn").upper(), para


def parse_row(
    raw: dict[str, Any], groups: dict[str, frozenset[str]], eccn: str = ""
) -> ControlRow:
    """Build a ControlRow from an upstream License Requirements row."""
    control = str(raw.get("control") or "").strip()
    chart = str(raw.get("countryChart") or "").strip()
    reason = control.split(" ", 1)[0].upper() if control else ""
    if control.lower().startswith("russian industry sector"):
        reason = "RU_SECTOR"  # 746.8(a)(4): Russian industry sector sanctions
    scope = control.split("applies to", 1)[1] if "applies to" in control else control
    column_match = _COLUMN.search(chart)
    column = (
        f"{column_match.group(1).upper()}{column_match.group(2)}"
        if column_match
        else None
    )
    destinations, all_except = _destination_rule(chart + " " + control, groups)
    included, excluded = _scope(scope, eccn)
    conditional = bool(set(included) & set(excluded))
    lowered = f" {scope.lower()} "
    if any(word in lowered for word in _CONDITION_WORDS):
        conditional = True
    if conditional:
        excluded = tuple(e for e in excluded if e not in included)
    # EI rows of 5x002 entries cover the whole entry (742.15) however they are worded.
    # "entire entry as applicable for ... 5A001.f.1" names a part of the entry.
    entire = (
        "entire entry" in scope.lower() and "as applicable" not in scope.lower()
    ) or reason == "EI"
    return ControlRow(
        reason=reason,
        control=control,
        chart_text=chart,
        column=column,
        destinations=None if column else destinations,
        all_except=None if column else all_except,
        entire_entry=entire,
        paragraphs=() if entire else included,
        excluded=excluded,
        conditional=conditional,
    )


def _scope(scope: str, eccn: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (named, excluded) paragraphs; "(except .b.5)" remarks exclude too."""
    remarks = re.findall(r"\(except ([^)]*)\)", scope)
    main = re.sub(r"\(except [^)]*\)", " ", scope)
    head, _, tail = main.partition("except")
    excluded = _paragraph_refs(tail, eccn) + _paragraph_refs(" , ".join(remarks), eccn)
    return _paragraph_refs(head, eccn), tuple(dict.fromkeys(excluded))


def _paragraph_refs(text: str, eccn: str) -> tuple[str, ...]:
    """Return the paragraphs of `eccn` a control text names (other ECCNs dropped).

    Ranges are expanded ("a.1 to a.3" -> a.1, a.2, a.3; "g to j" -> g, h, i, j), and
    bare letters in a list that follows one of the entry's own paragraphs count
    ("3B001.a.1 to a.3, b, e, f.2" names b and e).
    """
    text = _RANGE.sub(_expand, _DOTTED_LETTER_RANGE.sub(_expand_dotted, text))
    refs: list[str] = []
    own = False
    for match in _PARA_WITH_ECCN.finditer(text):
        if not eccn or match.group(1).upper() == eccn:
            refs.append(match.group(2).lower().rstrip("."))
            own = True
    stripped = _PARA_WITH_ECCN.sub(" ", text)
    for pattern in (_PARA_BARE, _PARA_DOT):
        for match in pattern.finditer(stripped):
            ref = match.group(1).lower().rstrip(".")
            if ref not in refs:
                refs.append(ref)
    if own:
        listed = _LETTER_RANGE.sub(_expand_letters, stripped)
        for match in _BARE_LETTER.finditer(listed):
            if match.group(1) not in refs:
                refs.append(match.group(1))
    return tuple(refs)


_LETTER_RANGE = re.compile(
    r"(?<=, )([a-z]) (?:to|through) ([a-z])(?=,|\s+and\b|\s*$|\.)"
)
_BARE_LETTER = re.compile(
    r"(?:(?<=, )|(?<=, and )|(?<=, or ))([a-z])"
    r"(?=,|\s+and\b|\s+or\b|\s*;|\.?\s*$|\s*\()"
)


def _expand_letters(match: re.Match[str]) -> str:
    first, last = match.group(1), match.group(2)
    if not "a" <= first < last <= "z":
        return match.group(0)
    return ", ".join(chr(c) for c in range(ord(first), ord(last) + 1))


def _destination_rule(
    text: str, groups: dict[str, frozenset[str]]
) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    lowered = text.lower()
    if "all destinations, except canada" in lowered or "refer to § 742.15" in lowered:
        # 742.15 (EI): a license is required to all destinations except Canada [K].
        return None, frozenset({"CA"})
    if (
        "any destination worldwide" in lowered
        or "worldwide control" in lowered
        or "required for all destinations" in lowered
    ):
        return None, frozenset()
    if re.search(r"china,\s*russia,?\s*or\s*venezuela", lowered):
        return frozenset({"CN", "HK", "RU", "VE"}), None
    if "country group" in lowered and ("d:1" in lowered or "d:5" in lowered):
        return _group_rule(lowered, groups), None
    if "see § 746.8" in lowered:
        return frozenset({"RU", "BY"}), None
    if lowered.startswith("a license is required"):
        named = {
            iso for name, iso in _NAMED_DESTINATIONS.items() if f" to {name}" in lowered
        }
        if named:
            return frozenset(named), None
    return None, None


# Destinations some rows name in words ("... to North Korea for anti-terrorism").
_NAMED_DESTINATIONS = {"north korea": "KP", "iraq": "IQ", "pakistan": "PK"}


def _group_rule(lowered: str, groups: dict[str, frozenset[str]]) -> frozenset[str]:
    found: set[str] = set()
    head, _, excluded_part = lowered.partition("excluding")
    for label in ("D:1", "D:2", "D:3", "D:4", "D:5", "E:1", "E:2"):
        if label.lower() in head:
            found |= groups.get(label, frozenset())
    if "united arab emirates" in head:
        found.add("AE")
    if "macau" in head:
        found.add("MO")
    if "d:5" in head:
        found.add("HK")
    for label in ("A:5", "A:6"):
        if label.lower() in excluded_part:
            found -= groups.get(label, frozenset())
    return frozenset(found)


def lvs_limit(text: str) -> float | None:
    """Return the first dollar amount of an LVS flag, or None when LVS is N/A."""
    match = re.search(r"\$\s?([\d,]+)", text or "")
    if not match:
        return None
    return float(match.group(1).replace(",", ""))


def lvs_tier(flag: str, paragraph: str, eccn: str) -> float | None:
    """Return the LVS value limit that applies to a paragraph, or None when LVS is N/A.

    A flag may set tiers ("N/A for 5A001.a; $5000 for 5A001.b.1 ...; $3000 for
    5A001.c"): a declared paragraph takes the tier that names it; with no paragraph
    declared, LVS may apply up to the highest tier, since the item may be in it.
    """
    tiers = []
    for segment in (flag or "").split(";"):
        match = re.search(r"\$\s?([\d,]+)", segment)
        if match:
            tiers.append((float(match.group(1).replace(",", "")), segment))
    if not tiers:
        return None
    if paragraph and len(tiers) > 1:
        for amount, segment in tiers:
            include, _ = flag_scope(segment, eccn)
            if any(_under(paragraph, ref) for ref in include):
                return amount
    return max(amount for amount, _ in tiers)


def reasons_from(
    entry_reason: str | None, rows: tuple[ControlRow, ...]
) -> frozenset[str]:
    """Return the reason codes of an entry, read from its rows when the field is blank."""
    parts = (entry_reason or "").split(",")
    found = {r.strip(" .").upper() for r in parts if r.strip(" .")}
    for row in rows:
        if row.reason in REASON_CODES:
            found.add(row.reason)
    return frozenset(found)
