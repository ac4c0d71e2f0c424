"""License exceptions (15 CFR Part 740): which may apply, on what conditions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from exodus.core.controls.ccl import CclEntry, flag_scope, in_flag_scope, lvs_tier
from exodus.core.controls.reference import ReferenceData

STA_A5_REASONS = frozenset({"NS", "CB", "NP", "RS", "CC", "SL"})
TRANSACTION_EXCEPTIONS = {
    "TMP": (
        "Temporary export (tools of trade, exhibitions, news media...) returned "
        "within one year; not for items the destination's embargo excludes."
    ),
    "RPL": (
        "One-for-one replacement parts or servicing of items lawfully exported; "
        "no upgrade of capability."
    ),
    "GOV": (
        "Consigned to and for the official use of a U.S. Government agency or a "
        "cooperating government (740.11(b)/(c))."
    ),
}


@dataclass(frozen=True, slots=True)
class ExceptionOption:
    """A license exception that may authorize the export, and what must hold for it.

    `basis` is "eligible" when the item and destination meet the exception's terms as
    far as the data shows, "transaction" when it depends on facts of the transaction
    (temporary export, replacement part, government consignee).
    """

    symbol: str
    conditions: str
    citation: str
    basis: str = "eligible"
    covers: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        return {
            "symbol": self.symbol,
            "conditions": self.conditions,
            "citation": self.citation,
            "basis": self.basis,
        }


def eligible_exceptions(
    ref: ReferenceData,
    entry: CclEntry | None,
    paragraph: str,
    dest: str,
    chart_reasons: set[str],
    value_usd: float | None,
) -> list[ExceptionOption]:
    """Return the exceptions that may overcome the chart requirements of an item."""
    options: list[ExceptionOption] = []
    if entry is not None:
        for symbol in ("LVS", "GBS", "TSR", "STA", "ENC"):
            ok, why, covers = check_exception(
                ref, symbol, entry, paragraph, dest, value_usd, chart_reasons
            )
            if ok:
                options.append(
                    ExceptionOption(
                        symbol, why, _citation(ref, symbol), "eligible", covers
                    )
                )
    for symbol, conditions in TRANSACTION_EXCEPTIONS.items():
        options.append(
            ExceptionOption(symbol, conditions, _citation(ref, symbol), "transaction")
        )
    if dest == "CU" and (entry is None or entry.at_only):
        options.append(
            ExceptionOption(
                "SCP",
                "Support for the Cuban People: EAR99 or AT-only items meeting "
                "740.21 (e.g. for the Cuban private sector).",
                _citation(ref, "SCP"),
                "transaction",
            )
        )
    if entry is None:
        options.append(
            ExceptionOption(
                "GFT",
                "Gift parcel or humanitarian donation within 740.12 limits.",
                _citation(ref, "GFT"),
                "transaction",
            )
        )
    return options


def check_exception(
    ref: ReferenceData,
    symbol: str,
    entry: CclEntry | None,
    paragraph: str,
    dest: str,
    value_usd: float | None,
    chart_reasons: set[str] | None = None,
) -> tuple[bool, str, frozenset[str]]:
    """Tell whether `symbol` can apply to this item and destination, and why."""
    reasons = (
        set(chart_reasons) if chart_reasons else set(entry.reasons if entry else ())
    )
    checker = _CHECKERS.get(symbol)
    if checker is None:
        return (
            True,
            f"{symbol}: conditions of its Part 740 section must be met.",
            frozenset(),
        )
    if entry is None:
        return (
            False,
            f"{symbol} applies only to items on the CCL (not EAR99).",
            frozenset(),
        )
    return checker(ref, entry, paragraph, dest, value_usd, reasons)


def _lvs(
    ref: ReferenceData,
    entry: CclEntry,
    paragraph: str,
    dest: str,
    value: float | None,
    reasons: set[str],
) -> tuple[bool, str, frozenset[str]]:
    limit = lvs_tier(entry.flags.get("LVS", ""), paragraph, entry.eccn)
    if limit is None:
        return False, f"LVS is N/A for {entry.eccn}.", frozenset()
    if not ref.in_group(dest, "B"):
        return (
            False,
            f"LVS is only for Country Group B; {dest} is not in B.",
            frozenset(),
        )
    if _sensitive_600(ref, entry, dest):
        return False, "LVS is not available for 600-series items to D:5.", frozenset()
    if not in_flag_scope(paragraph, entry.flags.get("LVS", ""), entry.eccn):
        return (
            False,
            f"LVS for {entry.eccn} covers only: {entry.flags['LVS']}; "
            f"{entry.eccn}.{paragraph} is outside it.",
            frozenset(),
        )
    if value is not None and value > limit:
        return (
            False,
            (
                f"LVS limit for {entry.eccn} is ${limit:,.0f}; the value "
                f"${value:,.0f} exceeds it."
            ),
            frozenset(),
        )
    excluded = _na_reasons(entry.flags.get("LVS", ""))
    covers = frozenset(reasons - excluded)
    text = f"Net value per shipment at most ${limit:,.0f}; Country Group B destination."
    if excluded:
        text += f" Not for {', '.join(sorted(excluded))} reasons."
    return True, text, covers


def _gbs(
    ref: ReferenceData,
    entry: CclEntry,
    paragraph: str,
    dest: str,
    value: float | None,
    reasons: set[str],
) -> tuple[bool, str, frozenset[str]]:
    if not entry.flag_available("GBS"):
        return False, f"GBS is N/A for {entry.eccn}.", frozenset()
    if not ref.in_group(dest, "B"):
        return (
            False,
            f"GBS is only for Country Group B; {dest} is not in B.",
            frozenset(),
        )
    if _sensitive_600(ref, entry, dest):
        return False, "GBS is not available for 600-series items to D:5.", frozenset()
    flag = entry.flags["GBS"].strip()
    if not in_flag_scope(paragraph, flag, entry.eccn):
        return (
            False,
            f"GBS for {entry.eccn} covers only: {flag}; {entry.eccn}.{paragraph} is "
            "outside it.",
            frozenset(),
        )
    text = "Country Group B destination; overcomes NS requirements only."
    if flag.lower() != "yes":
        text += f" Item scope: {flag}"
    return True, text, frozenset({"NS"})


def _tsr(
    ref: ReferenceData,
    entry: CclEntry,
    paragraph: str,
    dest: str,
    value: float | None,
    reasons: set[str],
) -> tuple[bool, str, frozenset[str]]:
    if entry.product_group not in {"D", "E"} or not entry.flag_available("TSR"):
        return False, f"TSR is N/A for {entry.eccn}.", frozenset()
    if not ref.in_group(dest, "B"):
        return (
            False,
            f"TSR is only for Country Group B; {dest} is not in B.",
            frozenset(),
        )
    return (
        True,
        (
            "Software or technology to Country Group B with the consignee's written "
            "assurance (740.6(a)); NS only."
        ),
        frozenset({"NS"}),
    )


def _sta(
    ref: ReferenceData,
    entry: CclEntry,
    paragraph: str,
    dest: str,
    value: float | None,
    reasons: set[str],
) -> tuple[bool, str, frozenset[str]]:
    mt_only_in = _paragraphs_only(entry, "MT") if not paragraph else ()
    if "MT" in reasons and not mt_only_in:
        return False, "STA does not overcome MT requirements.", frozenset()
    if ref.in_group(dest, "A:5"):
        covers = STA_A5_REASONS
        text = "Country Group A:5 (740.20(c)(1))"
    elif ref.in_group(dest, "A:6"):
        covers = frozenset({"NS"})
        text = "Country Group A:6, NS only (740.20(c)(2))"
    else:
        return (
            False,
            f"STA is only for Country Groups A:5 and A:6; {dest} is in neither.",
            frozenset(),
        )
    barred = _sta_barred(entry, paragraph, dest, ref)
    if barred:
        return False, barred, frozenset()
    if dest == "AE":
        text += "; UAE only for entities in Supp. No. 8 to Part 740"
    text += "; prior consignee statement and notification (740.20(d)); EEI required."
    special = entry.flags.get("STA", "")
    if special:
        text += f" {special}"
    if "MT" in reasons and mt_only_in:
        # MT controls only some paragraphs and none is declared: STA stands for the
        # others, so the claim is not ineligible as declared (740.2(a)(13)).
        text += (
            f" Not for {', '.join(f'{entry.eccn}.{p}' for p in mt_only_in)} "
            "(MT, which STA does not overcome)."
        )
    return True, text, covers


def _paragraphs_only(entry: CclEntry, reason: str) -> tuple[str, ...]:
    """Return the paragraphs a reason for control is limited to, or () when it covers the entry."""
    rows = [r for r in entry.rows if r.reason == reason]
    if not rows or any(r.entire_entry or not r.paragraphs for r in rows):
        return ()
    return tuple(dict.fromkeys(p for r in rows for p in r.paragraphs))


def _enc(
    ref: ReferenceData,
    entry: CclEntry,
    paragraph: str,
    dest: str,
    value: float | None,
    reasons: set[str],
) -> tuple[bool, str, frozenset[str]]:
    if not entry.encryption:
        return (
            False,
            "ENC applies only to 5A002, 5B002, 5D002 and 5E002 items.",
            frozenset(),
        )
    if ref.in_group(dest, "E:1") or ref.in_group(dest, "E:2"):
        return False, "ENC is not available to Country Groups E:1 and E:2.", frozenset()
    return (
        True,
        (
            "Encryption item meeting 740.17 (self-classification report or BIS "
            "classification for (b)(2)/(b)(3) items; government end users limited outside "
            "Supp. No. 3 to Part 740)."
        ),
        frozenset({"NS", "EI"}),
    )


def _sta_barred(entry: CclEntry, paragraph: str, dest: str, ref: ReferenceData) -> str:
    """Read an STA flag's "may not be used to ship ... to Country Group A:5/A:6"."""
    flag = entry.flags.get("STA", "")
    for sentence in re.split(r"(?<=\.)\s+(?=\(?\d?\)?\s*[A-Z])", flag):
        if "may not be used" not in sentence:
            continue
        groups = [g for g in ("A:5", "A:6") if g in sentence]
        if not groups or not any(ref.in_group(dest, g) for g in groups):
            continue
        scope = "for " + sentence.split("ship", 1)[-1]
        if not in_flag_scope(paragraph, scope, entry.eccn):
            continue
        if not paragraph and any(flag_scope(scope, entry.eccn)):
            # The bar names paragraphs and none is declared: the claim may be good for
            # the others, so it is not ineligible as declared.
            continue
        return f"STA for {entry.eccn}: {sentence.strip()}"
    return ""


_CHECKERS = {"LVS": _lvs, "GBS": _gbs, "TSR": _tsr, "STA": _sta, "ENC": _enc}


def _sensitive_600(ref: ReferenceData, entry: CclEntry, dest: str) -> bool:
    """Tell whether 740.2(a)(12) bars the exception (600-series/9x515 to D:5)."""
    return (entry.is_600_series or entry.is_9x515) and ref.in_group(dest, "D:5")


def _na_reasons(flag: str) -> set[str]:
    match = re.search(r"N/A for ([A-Z, and]+?)(?:;|$|\.)", flag)
    if not match:
        return set()
    return {t for t in re.findall(r"\b[A-Z]{2}\b", match.group(1))}


def _citation(ref: ReferenceData, symbol: str) -> str:
    info = ref.license_exceptions.get(symbol)
    return info.citation if info else "15 CFR Part 740"
