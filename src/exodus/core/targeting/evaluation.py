"""Turn enforcement cases into the filings their exporters would have filed, and score targeting.

`declared_fields` is the only door from a case row to the conversion: it keeps the
columns an exporter would declare (stated consignee and destination, declared
commodity, classification, value, transport mode, EEI status, exporter) and drops
everything the exporter would not write (outcome, true end user, true destination,
expected disposition, red-flag ids, label, summaries). Truth (the label) is read
only by the scoring side, through `Truth`.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from exodus.core.filings import Filing
from exodus.errors import InvalidInput

DECLARED_COLUMNS = (
    "case_id",
    "exporter_or_defendant",
    "exporter_location",
    "stated_consignee",
    "stated_destination",
    "commodity_declared",
    "classification_hs_eccn_usml",
    "value_usd",
    "value_note",
    "transport_mode",
    "eei_status",
)
FORBIDDEN_COLUMNS = (
    "outcome",
    "true_end_user",
    "true_destination",
    "expected_disposition",
    "red_flag_ids",
    "label",
    "summary",
    "commodity_actual",
    "red_flag_summary",
    "benign_trigger_flags",
)

VISIBLE, OUTSIDE, NO_FILING = (
    "seen in filing",
    "needs outside data",
    "no filing existed",
)
EXAMINED = ("examine", "hold")


def declared_fields(row: Mapping[str, str]) -> dict[str, str]:
    """Return only the columns an exporter would declare."""
    return {name: (row.get(name) or "").strip() for name in DECLARED_COLUMNS}


# -- reading the declared columns ---------------------------------------------

_ISO = re.compile(r"\b([A-Z]{2})\b")
_HS = re.compile(r"\bHS\s*(\d{4})\.?(\d{2})?")
_ECCN = re.compile(r"\b(\d[A-E]\d{3})(\.[a-z0-9.]+)?", re.IGNORECASE)
_USML = re.compile(r"USML\s*(?:Cat\.?\s*)?([IVX]+)(\([a-z]\))?")
_NO_EEI = re.compile(r"^(none|not declared|n/a|not disclosed|no eei)\b", re.IGNORECASE)
_NO_LICENSE = re.compile(
    r"no (state department )?license|nlr|without license|declared ear99", re.IGNORECASE
)
_WORDLESS = re.compile(
    r"not public|not disclosed|^n/?a\b|^none|not specified|declared detail not public",
    re.IGNORECASE,
)


def destinations(fields: Mapping[str, str]) -> list[str]:
    """Return the ISO-2 codes of the stated destination, in order."""
    return [
        c for c in _ISO.findall(fields["stated_destination"]) if c not in ("EU", "US")
    ]


def classification(fields: Mapping[str, str]) -> dict[str, str | None]:
    """Return hs6, eccn and usml read from the classification (and declared commodity)."""
    text = fields["classification_hs_eccn_usml"]
    declared = f"{fields['commodity_declared']} {text}"
    hs = _HS.search(text)
    eccn = _ECCN.search(text)
    usml = _USML.search(text)
    found: dict[str, str | None] = {
        "hs6": (hs.group(1) + (hs.group(2) or "")) if hs else None,
        "eccn": eccn.group(1).upper() + (eccn.group(2) or "") if eccn else None,
        "usml": usml.group(1) + (usml.group(2) or "") if usml else None,
    }
    if re.search(r"declared EAR99|EAR99/NLR", declared):
        found["eccn"] = "EAR99"  # what the exporter wrote, whatever the item was
    elif found["eccn"] is None and re.search(r"\bEAR99\b", text):
        found["eccn"] = "EAR99"
    return found


def visibility(fields: Mapping[str, str]) -> str:
    """Return how a case could be seen, by the README's three kinds.

    No filing existed: the EEI status says none, not declared or n/a, or the goods
    moved as a vehicle or aircraft. Seen in the filing: the declared facts carry a
    README marker (hub or embargoed destination, forwarder or trading house as
    consignee, CHPL HS code, controlled item declared without a license). Otherwise
    the scheme needs outside data (ownership, payments, leads).
    """
    mode = fields["transport_mode"].lower()
    if _NO_EEI.search(fields["eei_status"]) or mode.startswith(("land", "aircraft")):
        return NO_FILING
    dests = set(destinations(fields))
    codes = classification(fields)
    consignee = fields["stated_consignee"].lower()
    markers = [
        bool(dests & HUB_MARKERS),
        bool(re.search(r"forwarder|logistics|trading|freight", consignee)),
        bool(
            codes["hs6"]
            and codes["hs6"][:4] in ("8542", "8517", "8526", "8532", "8548")
        ),
        bool(
            (codes["eccn"] not in (None, "EAR99") or codes["usml"])
            and _NO_LICENSE.search(
                f"{fields['eei_status']} {fields['classification_hs_eccn_usml']}"
            )
        ),
        bool(
            codes["eccn"] == "EAR99"
            and "declared" in fields["classification_hs_eccn_usml"]
        ),
    ]
    return VISIBLE if any(markers) else OUTSIDE


# The README's hub list (FinCEN/BIS 2022 and 2023) plus the embargoed destinations.
HUB_MARKERS = frozenset(
    {
        "AM",
        "BR",
        "CN",
        "GE",
        "IN",
        "IL",
        "KZ",
        "KG",
        "MX",
        "NI",
        "RS",
        "SG",
        "ZA",
        "TW",
        "TJ",
        "TR",
        "AE",
        "UZ",
        "HK",
        "MO",
        "RU",
        "BY",
        "IR",
        "KP",
        "SY",
        "CU",
    }
)


def category_of(filing: Filing) -> str:
    """Return the control category a filing's most sensitive line belongs to."""
    dest = filing.country_of_destination
    for line in filing.lines:
        eccn = (line.eccn or "").upper()
        if (
            line.usml_category
            or re.match(r"^\dA5\d\d|^\d[A-E]6\d\d", eccn)
            or line.schedule_b[:4] in ("9301", "9302", "9303", "9305", "9306")
        ):
            return "military"
    for line in filing.lines:
        eccn = (line.eccn or "").upper()
        if (
            re.match(r"^[0-9][A-E]\d{3}", eccn)
            and eccn[2:5] in ("230", "231", "232")
            or eccn.startswith(("0A0", "0B0", "0C0"))
        ):
            return "nuclear"
        if re.match(r"^1C35|^1C351|^2B350", eccn):
            return "chemical"
        if re.match(r"^9[A-E]515|^9A012|^9A120|^7A10", eccn):
            return "wmd"
    if dest in ("IR", "KP", "SY", "CU", "RU", "BY"):
        return "sanctions"
    return "dual-use"


# -- building the filing --------------------------------------------------------

_GENERIC_CONSIGNEE = re.compile(
    r"unnamed|not public|not disclosed|^n/?a\b|^none|parties in|companies in|consignee in|customers?\b|"
    r"purchasers|buyers|intermediar|front compan|company$|^own |^self$|^itself|network|crew",
    re.IGNORECASE,
)


def _seed(case_id: str) -> int:
    return int(hashlib.sha256(case_id.encode()).hexdigest()[:8], 16)


@dataclass(frozen=True, slots=True)
class CaseDraft:
    """The exporter-side facts of a case, ready for the sample generator to dress as a filing."""

    case_id: str
    usppi: str
    consignee: str
    consignee_kind: str  # D, G, R, O
    destination: str
    hs6: str | None
    heading_hint: str
    eccn: str | None
    usml: str | None
    description: str | None
    value_usd: float
    mode: str  # air, ocean, truck, mail
    license_code: str
    visibility: str
    # What the stated consignee does, for a made-up name when the case names none:
    # Trading, Logistics, Distribution, Authority or Technologies.
    consignee_trade: str = "Technologies"
    # Which stated destination this draft ships to (0 for the first): an EEI names one
    # country of ultimate destination, so a case stating several files one per country.
    part: int = 0

    @property
    def filing_key(self) -> str:
        """Return what tells this draft's filing from the case's other filings."""
        return self.case_id if self.part == 0 else f"{self.case_id}-{self.destination}"


def _consignee(fields: Mapping[str, str]) -> tuple[str, str, str]:
    """Return the consignee's name ("" when the case names none), AES type and trade."""
    text = fields["stated_consignee"]
    lowered = text.lower()
    kind, trade = "D", "Technologies"
    # A front company presents itself as an ordinary firm, so only a stated trading
    # house or intermediary gets a trading name.
    if re.search(r"trading|intermediar", lowered):
        kind, trade = "R", "Trading"
    elif re.search(r"reseller|distributor|retail", lowered):
        kind, trade = "R", "Distribution"
    elif re.search(r"ministry|government|embassy|military|defen[cs]e of", lowered):
        kind, trade = "G", "Authority"
    elif re.search(r"forwarder|logistics|freight", lowered):
        kind, trade = "O", "Logistics"
    # A description ("named Indian telecom maker", "parties in the UAE") is no name to file.
    if not text or text[0].islower() or _GENERIC_CONSIGNEE.search(text):
        return "", kind, trade
    name = re.split(r"[;/(]| - |, (?=[A-Z][a-z]+$)", text)[0].strip().strip("'\"")
    return name, kind, trade


def _usppi(fields: Mapping[str, str]) -> str:
    text = fields["exporter_or_defendant"]
    if not text or re.search(r"unnamed|not public|^none|^n/?a", text, re.IGNORECASE):
        return ""
    return re.split(r"[;(]| - ", text)[0].strip()


def _mode(fields: Mapping[str, str]) -> str:
    text = fields["transport_mode"].lower()
    for word, mode in (
        ("postal", "mail"),
        ("parcel", "mail"),
        ("ocean", "ocean"),
        ("container", "ocean"),
        ("ro-ro", "ocean"),
        ("truck", "truck"),
        ("land", "truck"),
        ("rail", "truck"),
    ):
        if word in text:
            return mode
    return "air"


def _license(fields: Mapping[str, str], eccn: str | None, usml: str | None) -> str:
    status = fields["eei_status"]
    for pattern, code in (
        (r"BIS license", "C30"),
        (r"DSP-5", "S05"),
        (r"126\.5", "SCA"),
        (r"\bSTA\b", "C59"),
        (r"\bLVS\b", "C35"),
        (r"\bGOV\b", "C42"),
        (r"\bAGR\b", "C51"),
        (r"\bTMP\b", "C40"),
        (r"\bRPL\b", "C41"),
    ):
        if re.search(pattern, status):
            return code
    if usml and not _NO_LICENSE.search(status):
        return "S05"
    return "C33"  # NLR: what an exporter who cites no license declares


_VALUE_DECLARED = re.compile(r"declared\s+(?:USD\s*)?([\d,]+)")
_FAMILY_HEADINGS = (
    (r"firearm|rifle|pistol|weapon", "9303"),
    (r"ammunition|munition", "9306"),
    (r"scope", "901310"),
    (r"night vision|XII", "900510"),
    (r"laser", "901320"),
    (r"thermal|6A003", "852589"),
    (r"hydrophone|6A001|oceanograph", "901480"),
    (r"pressure transducer|2B230", "902620"),
    (r"carbon fib|1C010", "681511"),
    (r"wafer|9A515", "381800"),
    (r"vehicle|0A606|9A610", "8710"),
    (r"aircraft engine", "841191"),
    (r"aircraft|aerospace|avionic|VIII", "880730"),
    (r"UAV", "880730"),
    (r"turbine|power generation", "841182"),
    (r"marine", "890690"),
    (r"computer|video card|3A090|4A090", "847150"),
    (r"laptop|smartphone|5A992", "847130"),
    (r"encryption|5A002|web-filtering|telecom|communications", "851762"),
    (
        r"converter|microcontroller|semiconductor|integrated circuit|microelectronic|chip|electronic|3A001|8542",
        "854239",
    ),
    (r"sodium fluoride|1C350|chemical", "282611"),
    (r"medicine|pharma", "300490"),
    (r"rice", "100630"),
    (r"pump", "841370"),
    (r"brake", "880730"),
    (r"inspection", "903141"),
    (r"camera|lighting", "852589"),
    (r"instrument", "903180"),
    (r"crime-control|0A98", "930400"),
)


def heading_hint(fields: Mapping[str, str]) -> str:
    """Return an HS heading for a case whose classification gives no HS code."""
    text = f"{fields['classification_hs_eccn_usml']} {fields['commodity_declared']}"
    for pattern, heading in _FAMILY_HEADINGS:
        if re.search(pattern, text, re.IGNORECASE):
            return heading
    return "847989"  # machines having individual functions, n.e.s.


def _description(fields: Mapping[str, str]) -> str | None:
    text = fields["commodity_declared"]
    if not text or _WORDLESS.search(text):
        return None
    text = re.sub(r"\(.*?\)", "", text)
    text = re.split(r",\s*USD|;", text)[0]
    return text.strip(" '\"") or None


def declared_value_usd(fields: Mapping[str, str]) -> float | None:
    """Return the stated value in USD, None when none is stated (the value is then unknown).

    Raises InvalidInput naming the field when the value is not a number of dollars.
    """
    text = fields["value_usd"]
    if not text:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise InvalidInput(f"field 'value_usd': {text!r} is not an amount in USD")
    return value


def draft(row: Mapping[str, str]) -> CaseDraft | None:
    """Return the exporter-side draft of a case to its first stated destination, or None."""
    found = drafts(row)
    return found[0] if found else None


def drafts(row: Mapping[str, str]) -> list[CaseDraft]:
    """Return one exporter-side draft per stated destination (none when no destination was stated).

    "Parties in Taiwan and Hong Kong" means shipments to each, and each shipment's EEI
    names its own country of ultimate destination; the declared facts are otherwise
    the same.
    """
    fields = declared_fields(row)
    dests = list(dict.fromkeys(destinations(fields)))
    if not dests:
        return []
    codes = classification(fields)
    consignee, kind, trade = _consignee(fields)
    declared_value = _VALUE_DECLARED.search(fields["value_note"])
    stated = declared_value_usd(fields)
    value = (
        float(declared_value.group(1).replace(",", ""))
        if declared_value
        else stated or 0.0
    )
    first = CaseDraft(
        case_id=fields["case_id"],
        usppi=_usppi(fields),
        consignee=consignee,
        consignee_kind=kind,
        destination=dests[0],
        hs6=codes["hs6"],
        heading_hint=heading_hint(fields),
        eccn=codes["eccn"],
        usml=codes["usml"],
        description=_description(fields),
        value_usd=value,
        mode=_mode(fields),
        license_code=_license(fields, codes["eccn"], codes["usml"]),
        visibility=visibility(fields),
        consignee_trade=trade,
    )
    return [first] + [
        replace(first, destination=dest, part=n) for n, dest in enumerate(dests[1:], 1)
    ]


def draft_seed(case: CaseDraft) -> int:
    """Return a seed that makes a case's synthetic details the same on every run."""
    return _seed(case.filing_key)


def draft_seed_of(case_id: str) -> int:
    """Return a seed for synthetic facts around a case (its trading past), from its id only."""
    return _seed(f"past {case_id}")


# -- scoring --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scored:
    """One evaluated filing: its truth, visibility kind, category and targeting outcome."""

    filing_id: str
    violation: bool
    visibility: str  # for violations; "" for lawful filings
    category: str
    score: float
    action: str
    case_id: str = ""
    rules: tuple[str, ...] = ()  # ids of the rules that fired, strongest first


@dataclass(slots=True)
class Figures:
    cases: int = 0
    caught: int = 0
    lawful: int = 0
    lawful_examined: int = 0

    @property
    def recall(self) -> float | None:
        return self.caught / self.cases if self.cases else None

    @property
    def lawful_examined_share(self) -> float | None:
        return self.lawful_examined / self.lawful if self.lawful else None

    @property
    def precision(self) -> float | None:
        """Return the share of violations among the filings this slice sends to examine or hold."""
        examined = self.caught + self.lawful_examined
        return self.caught / examined if examined else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "caught": self.caught,
            "recall": _round(self.recall),
            "lawful": self.lawful,
            "lawful_examined": self.lawful_examined,
            "lawful_examined_share": _round(self.lawful_examined_share),
            "precision": _round(self.precision),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _keyed(at: dict[int, float]) -> dict[str, float]:
    return {str(k): round(v, 4) for k, v in sorted(at.items())}


def precision_at(items: Sequence[Scored], top: Iterable[int]) -> dict[int, float]:
    """Return the share of violations among the k highest scores, for each k no larger than the set.

    Ties are broken by filing id, so the figure does not depend on input order.
    """
    ranked = sorted(items, key=lambda s: (-s.score, s.filing_id))
    return {k: sum(s.violation for s in ranked[:k]) / k for k in top if 0 < k <= len(ranked)}


# The targets for the cases visible in filing data (README, "Proof on real cases").
TARGET_RECALL = 0.95
TARGET_LAWFUL_EXAMINED = 0.02


@dataclass(slots=True)
class Report:
    overall: Figures = field(default_factory=Figures)
    by_category: dict[str, Figures] = field(default_factory=dict)
    by_visibility: dict[str, Figures] = field(default_factory=dict)
    by_visibility_category: dict[str, Figures] = field(default_factory=dict)
    # Halves of the case rows (violations and look-alikes), to see whether figures hold
    # on cases the rules were not looked at with: split name -> half -> figures.
    splits: dict[str, dict[str, Figures]] = field(default_factory=dict)
    precision_at: dict[int, float] = field(default_factory=dict)
    # The same among the filings of one category, and among the violations of one
    # visibility kind with all lawful filings: slice -> k -> precision.
    precision_at_by_category: dict[str, dict[int, float]] = field(default_factory=dict)
    precision_at_by_visibility: dict[str, dict[int, float]] = field(default_factory=dict)
    missed: list[Scored] = field(default_factory=list)
    lawful_examined: list[Scored] = field(default_factory=list)

    def targets(self) -> dict[str, Any]:
        """Return the targets for visible cases, the figures measured and whether both are met."""
        visible = self.by_visibility.get(VISIBLE, Figures())
        recall, share = visible.recall, self.overall.lawful_examined_share
        return {
            "visibility": VISIBLE,
            "recall": _round(recall),
            "recall_target": TARGET_RECALL,
            "lawful_examined_share": _round(share),
            "lawful_examined_target": TARGET_LAWFUL_EXAMINED,
            "met": recall is not None and share is not None
            and recall >= TARGET_RECALL and share <= TARGET_LAWFUL_EXAMINED,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "targets": self.targets(),
            "overall": self.overall.to_dict(),
            "by_category": {
                k: v.to_dict() for k, v in sorted(self.by_category.items())
            },
            "by_visibility": {
                k: v.to_dict() for k, v in sorted(self.by_visibility.items())
            },
            "by_visibility_category": {
                k: v.to_dict() for k, v in sorted(self.by_visibility_category.items())
            },
            "splits": {
                name: {half: f.to_dict() for half, f in halves.items()}
                for name, halves in self.splits.items()
            },
            "precision_at": _keyed(self.precision_at),
            "precision_at_by_category": {
                name: _keyed(at) for name, at in sorted(self.precision_at_by_category.items())
            },
            "precision_at_by_visibility": {
                name: _keyed(at) for name, at in sorted(self.precision_at_by_visibility.items())
            },
            "missed": [
                {
                    "case_id": s.case_id,
                    "visibility": s.visibility,
                    "category": s.category,
                    "score": s.score,
                    "action": s.action,
                    "rules": list(s.rules),
                }
                for s in self.missed
            ],
            "lawful_examined": [
                {
                    "filing_id": s.filing_id,
                    "case_id": s.case_id,
                    "category": s.category,
                    "score": s.score,
                    "action": s.action,
                    "rules": list(s.rules),
                }
                for s in self.lawful_examined
            ],
        }


def _count(figures: Figures, item: Scored) -> None:
    examined = item.action in EXAMINED
    if item.violation:
        figures.cases += 1
        figures.caught += examined
    else:
        figures.lawful += 1
        figures.lawful_examined += examined


SPLIT_SEED = 2026


def split_halves(case_id: str, seed: int = SPLIT_SEED) -> dict[str, str]:
    """Return, for each split, the half a case row falls in.

    "by id": even or odd case number (V-012 is even); "seeded": a hash of the id and
    `seed` decides, so the halves mix violations and look-alikes of every kind.
    """
    digits = re.sub(r"\D", "", case_id)
    parity = "even ids" if digits and int(digits) % 2 == 0 else "odd ids"
    coin = hashlib.sha256(f"{seed}:{case_id}".encode()).digest()[0] % 2
    return {"by id": parity, "seeded": f"half {'AB'[coin]} (seed {seed})"}


def _split(report: Report, item: Scored, seed: int) -> None:
    """Count a case row in its half of each split: all its rows, and the visible ones."""
    for name, half in split_halves(item.case_id, seed).items():
        halves = report.splits.setdefault(name, {})
        _count(halves.setdefault(half, Figures()), item)
        if item.violation and item.visibility == VISIBLE:
            _count(halves.setdefault(f"{half} / {VISIBLE}", Figures()), item)


def evaluate(items: Sequence[Scored], top: Iterable[int] = (10, 25, 50, 100),
             split_seed: int = SPLIT_SEED) -> Report:
    """Return recall, lawful share examined and precision among the top-ranked filings.

    Recall counts a case as caught at examine or hold. Lawful filings (generated
    trade and the lawful look-alike rows) count on the lawful side, split by
    category; visibility kinds split the violations and carry all lawful filings;
    each visibility-and-category pair carries the lawful filings of its category.
    Splits halve the case rows (see split_halves); each half counts its own
    violations and look-alike rows, and carries the generated lawful filings too.
    Precision at k is the share of violations among the k highest scores (ties
    broken by filing id, so the figure does not depend on input order): overall,
    within each category, and for each visibility kind among its violations and all
    lawful filings. Each slice's `precision` is the share of violations among the
    filings it sends to examine or hold.
    """
    top = tuple(top)
    report = Report()
    generated = Figures()
    for item in items:
        _count(report.overall, item)
        _count(report.by_category.setdefault(item.category, Figures()), item)
        if item.case_id:
            _split(report, item, split_seed)
        else:
            _count(generated, item)
        if item.violation:
            _count(report.by_visibility.setdefault(item.visibility, Figures()), item)
            key = f"{item.visibility} / {item.category}"
            _count(report.by_visibility_category.setdefault(key, Figures()), item)
            if item.action not in EXAMINED:
                report.missed.append(item)
        elif item.action in EXAMINED:
            report.lawful_examined.append(item)
    for kind in report.by_visibility.values():
        kind.lawful, kind.lawful_examined = (
            report.overall.lawful,
            report.overall.lawful_examined,
        )
    for key, figures in report.by_visibility_category.items():
        lawful = report.by_category[key.split(" / ")[1]]
        figures.lawful, figures.lawful_examined = lawful.lawful, lawful.lawful_examined
    suffix = f" / {VISIBLE}"
    for halves in report.splits.values():
        for half, figures in halves.items():
            if not half.endswith(suffix):
                figures.lawful += generated.lawful
                figures.lawful_examined += generated.lawful_examined
        for half, figures in halves.items():
            if half.endswith(suffix):
                base = halves[half[: -len(suffix)]]
                figures.lawful, figures.lawful_examined = base.lawful, base.lawful_examined
    report.precision_at = precision_at(items, top)
    for category in report.by_category:
        report.precision_at_by_category[category] = precision_at(
            [s for s in items if s.category == category], top)
    lawful = [s for s in items if not s.violation]
    for kind in report.by_visibility:
        report.precision_at_by_visibility[kind] = precision_at(
            [s for s in items if s.violation and s.visibility == kind] + lawful, top)
    return report
