"""Declared versus required: check a filing line's claims against the determination."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from exodus.core.controls.ccl import ENCRYPTION_ECCNS, split_eccn
from exodus.core.controls.determination import Determination, ItemQuery, Outcome
from exodus.core.controls.exceptions import check_exception
from exodus.core.controls.reference import AesLicenseCode, ReferenceData
from exodus.core.filings.model import CommodityLine, Filing

log = logging.getLogger(__name__)

NLR_CODES = frozenset({"C33", "C32"})
CHECKED_EXCEPTIONS = frozenset({"LVS", "GBS", "TSR", "STA", "ENC"})
# License number formats as AES filers report them (FACTS_rules_engine.md, [V]).
NUMBER_FORMATS = {
    "BIS": (re.compile(r"^[A-Z]\d{6}$"), "one letter and six digits, e.g. D123456"),
    "DDTC": (re.compile(r"^05\d{7}$"), "nine digits starting with 05"),
    "DEA": (
        re.compile(r"^(\d{5}|[A-Z]{2}\d{7})$"),
        "five digits, or two letters and seven digits",
    ),
}
# License codes that only some destinations can use: AGR and SCP are Cuba-only
# (740.18, 740.21); CCD reaches Cuba, Russia and Belarus (746.2(a)(1)(xiii),
# 746.8(c)(2)(vii)).
CODE_DESTINATIONS = {
    "C51": frozenset({"CU"}),
    "C58": frozenset({"CU", "RU", "BY"}),
    "C62": frozenset({"CU"}),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found on a filing line, with the rule it breaks and the evidence."""

    code: str
    severity: str  # low, medium, high
    text: str
    citation: str
    line_no: int
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "text": self.text,
            "citation": self.citation,
            "line_no": self.line_no,
            "evidence": dict(self.evidence),
        }


def item_from_line(line: CommodityLine) -> ItemQuery:
    """Return the ItemQuery a commodity line describes."""
    return ItemQuery(
        eccn=line.eccn or None,
        usml=line.usml_category or None,
        hts=line.schedule_b or None,
        description=line.description or None,
        value_usd=line.value_usd,
        weight_kg=line.weight_kg or None,  # a line without weight reads as 0 kg
    )


def check_line(
    ref: ReferenceData,
    filing: Filing,
    line: CommodityLine,
    determination: Determination,
) -> list[Finding]:
    """Return the findings where the line's declarations differ from what is required."""
    checker = _LineCheck(ref, filing, line, determination)
    checker.commodity_code()
    checker.eccn()
    checker.license()
    return checker.findings


class _LineCheck:
    def __init__(
        self,
        ref: ReferenceData,
        filing: Filing,
        line: CommodityLine,
        det: Determination,
    ) -> None:
        self.ref, self.filing, self.line, self.det = ref, filing, line, det
        self.findings: list[Finding] = []
        self.code = (line.license_code or "").strip().upper()
        self.eccn_code, self.paragraph = (
            split_eccn(line.eccn) if line.eccn else ("", "")
        )

    def add(
        self, code: str, severity: str, text: str, citation: str, **evidence: Any
    ) -> None:
        self.findings.append(
            Finding(code, severity, text, citation, self.line.line_no, evidence)
        )

    # -- commodity code -------------------------------------------------------

    def commodity_code(self) -> None:
        """Check the Schedule B / HTS number exists (10 digits, HS-6 at least)."""
        raw = self.line.schedule_b or ""
        digits = re.sub(r"[.\s-]", "", raw)
        if not re.fullmatch(r"\d{10}", digits):
            self.add(
                "SCHEDULE_B_MALFORMED",
                "medium",
                f"Commodity code {raw!r} is not ten digits.",
                "15 CFR 30.6(a)(12)",
                schedule_b=raw,
            )
            return
        if digits[:6] not in self.ref.hs6:
            self.add(
                "SCHEDULE_B_UNKNOWN",
                "high",
                f"Commodity code {raw}: HS-6 "
                f"{digits[:6]} does not exist in the Harmonized System.",
                "15 CFR 30.6(a)(12)",
                schedule_b=raw,
                hs6=digits[:6],
            )
        elif digits not in self.ref.hts10:
            self.add(
                "SCHEDULE_B_NOT_IN_HTS",
                "low",
                f"Commodity code {raw} is not an HTS "
                "2025 ten-digit line; Schedule B splits can differ from HTS, so "
                "check it against Schedule B.",
                "15 CFR 30.6(a)(12)",
                schedule_b=raw,
                hs6=digits[:6],
            )

    # -- ECCN -------------------------------------------------------------------

    def eccn(self) -> None:
        """Check the ECCN exists, and is reported where the EAR requires it."""
        det, line = self.det, self.line
        if (
            self.eccn_code
            and self.eccn_code != "EAR99"
            and self.eccn_code not in self.ref.ccl
        ):
            self.add(
                "ECCN_UNKNOWN",
                "high",
                f"ECCN {line.eccn!r} is not on the Commerce Control List.",
                "15 CFR 774, Supp. No. 1",
                eccn=line.eccn,
            )
            return
        if line.eccn or det.jurisdiction != "EAR":
            return
        entry = self.ref.ccl.get(det.eccn or "")
        if entry is not None and not entry.at_only:
            self.add(
                "ECCN_MISSING",
                "high",
                f"The item is {entry.eccn} (controlled for "
                f"{', '.join(sorted(entry.reasons))}) but no ECCN was reported.",
                "15 CFR 758.1(g)(3)",
                resolved_eccn=entry.eccn,
            )
            return
        aes = self.ref.aes_license_codes.get(self.code)
        if aes is not None and aes.eccn_reporting.startswith("Mandatory"):
            self.add(
                "ECCN_MISSING",
                "medium",
                f"License code {self.code} requires an ECCN and none was reported.",
                "AESTIR Appendix F",
                license_code=self.code,
            )

    # -- license code and number ------------------------------------------------

    def license(self) -> None:
        """Check the license code fits the item, jurisdiction, destination and date."""
        det = self.det
        if det.outcome is Outcome.PROHIBITED:
            self.add(
                "EXPORT_PROHIBITED",
                "high",
                "The determination is prohibited: " + _reason_summary(det),
                _first_citation(det),
                outcome=det.outcome.value,
            )
        if not self.code:
            severity = "high" if det.license_required else "medium"
            self.add(
                "LICENSE_CODE_MISSING",
                severity,
                "No license code was reported.",
                "15 CFR 30.6(c)(1)",
                outcome=det.outcome.value,
            )
            return
        aes = self.ref.aes_license_codes.get(self.code)
        if aes is None:
            self.add(
                "LICENSE_CODE_UNKNOWN",
                "high",
                f"License code {self.code!r} is not an AES license code.",
                "AESTIR Appendix F",
                license_code=self.code,
            )
            return
        if self._removed(aes):
            return
        self._jurisdiction(aes)
        self._nlr(aes)
        self._exception(aes)
        self._code_scope(aes)
        self._number(aes)

    def _removed(self, aes: AesLicenseCode) -> bool:
        export_date = self.filing.export_date
        if aes.removed_on is not None and export_date >= aes.removed_on:
            self.add(
                "LICENSE_CODE_REMOVED",
                "high",
                f"License code {aes.code} was removed "
                f"from AES on {aes.removed_on.isoformat()}; the export date is "
                f"{export_date.isoformat()}.",
                "AESTIR Appendix F",
                license_code=aes.code,
                removed_on=aes.removed_on.isoformat(),
            )
            return True
        if aes.retired:
            self.add(
                "LICENSE_CODE_REMOVED",
                "high",
                f"License code {aes.code} is retired "
                "(corrections and cancellations only).",
                "AESTIR Appendix F",
                license_code=aes.code,
            )
            return True
        return False

    def _jurisdiction(self, aes: AesLicenseCode) -> None:
        det = self.det
        if det.jurisdiction == "ITAR" and aes.agency == "BIS":
            self.add(
                "LICENSE_CODE_JURISDICTION",
                "high",
                f"EAR license code {aes.code} on "
                "a USML item: defense articles need a DDTC license or exemption.",
                "22 CFR 123.1(a)",
                license_code=aes.code,
                usml=self.line.usml_category,
            )
        elif det.jurisdiction == "EAR" and aes.agency == "DDTC":
            self.add(
                "LICENSE_CODE_JURISDICTION",
                "high",
                f"DDTC license code {aes.code} on an item subject to the EAR.",
                "15 CFR 734.3",
                license_code=aes.code,
                eccn=self.line.eccn,
            )
        elif (
            det.license_required
            and aes.agency not in det.agencies
            and aes.agency not in {"Other"}
            and aes.code not in NLR_CODES
            and det.outcome is not Outcome.PROHIBITED
            and aes.agency != "BIS"
        ):
            self.add(
                "LICENSE_CODE_AGENCY",
                "medium",
                f"License code {aes.code} is a "
                f"{aes.agency} authorization; the determination needs "
                f"{', '.join(det.agencies)}.",
                _first_citation(det),
                license_code=aes.code,
                agencies=list(det.agencies),
            )
        elif (
            det.license_required
            and aes.agency == "BIS"
            and "BIS" not in det.agencies
            and aes.code not in NLR_CODES
        ):
            self.add(
                "LICENSE_CODE_AGENCY",
                "medium",
                f"BIS license code {aes.code}, but "
                f"the authorization needed is from {', '.join(det.agencies)}.",
                _first_citation(det),
                license_code=aes.code,
                agencies=list(det.agencies),
            )

    def _nlr(self, aes: AesLicenseCode) -> None:
        det = self.det
        if aes.code not in NLR_CODES:
            return
        if self.eccn_code in ENCRYPTION_ECCNS:
            self.add(
                "ENC_NLR",
                "high",
                f"{self.eccn_code} cannot be exported NLR; use "
                "License Exception ENC (C50) or a license.",
                "15 CFR 740.17; AESTIR Appendix F",
                eccn=self.line.eccn,
            )
            return
        if det.license_required and det.outcome is not Outcome.PROHIBITED:
            self.add(
                "NLR_LICENSE_REQUIRED",
                "high",
                f"Filed NLR ({aes.code}) but "
                f"{det.outcome.value.replace('_', ' ')}: " + _reason_summary(det),
                _first_citation(det),
                license_code=aes.code,
                outcome=det.outcome.value,
            )

    def _exception(self, aes: AesLicenseCode) -> None:
        symbol = aes.exception_symbol
        det = self.det
        if symbol is None or det.jurisdiction != "EAR":
            return
        entry = self.ref.ccl.get(det.eccn or "")
        if symbol in CHECKED_EXCEPTIONS:
            ok, why, _ = check_exception(
                self.ref,
                symbol,
                entry,
                det.paragraph,
                det.destination,
                self.line.value_usd,
            )
            if not ok:
                self.add(
                    "LICENSE_EXCEPTION_INELIGIBLE",
                    "high",
                    f"License Exception {symbol} claimed ({aes.code}) but {why}",
                    _exc_cite(symbol),
                    license_code=aes.code,
                    symbol=symbol,
                    destination=det.destination,
                )
                return
        offered = {o.symbol for o in det.license_exceptions}
        if (
            det.license_required
            and det.outcome is not Outcome.PROHIBITED
            and symbol not in offered
        ):
            self.add(
                "LICENSE_EXCEPTION_NOT_AVAILABLE",
                "high",
                f"License Exception "
                f"{symbol} ({aes.code}) cannot authorize this export: "
                + _reason_summary(det),
                _first_citation(det),
                license_code=aes.code,
                symbol=symbol,
                offered=sorted(offered),
            )

    def _code_scope(self, aes: AesLicenseCode) -> None:
        """Check destination, ECCN list and mode of transport the code allows."""
        allowed = CODE_DESTINATIONS.get(aes.code)
        if allowed is not None and self.det.destination not in allowed:
            self.add(
                "LICENSE_CODE_DESTINATION",
                "high",
                f"License code {aes.code} is only for exports to "
                f"{', '.join(sorted(allowed))}; destination is {self.det.destination}.",
                "AESTIR Appendix F",
                license_code=aes.code,
            )
        listed = re.findall(
            r"\b\d[A-E]\d{3}\b", aes.eccn_reporting + " " + aes.description
        )
        if (
            listed
            and aes.exception_symbol != "ENC"
            and self.eccn_code
            and self.eccn_code not in listed
            and aes.code != "C60"
        ):
            self.add(
                "LICENSE_CODE_ECCN",
                "high",
                f"License code {aes.code} allows only "
                f"ECCNs {', '.join(sorted(set(listed)))}; the line reports "
                f"{self.line.eccn}.",
                "AESTIR Appendix F",
                license_code=aes.code,
            )
        if aes.ear99_allowed == "N" and (self.eccn_code in {"", "EAR99"}):
            self.add(
                "LICENSE_CODE_EAR99",
                "medium",
                f"License code {aes.code} may not be used for EAR99 items.",
                "AESTIR Appendix F",
                license_code=aes.code,
            )
        if not _mot_allowed(aes.allowed_mot, self.filing.mode_of_transport):
            self.add(
                "LICENSE_CODE_MOT",
                "low",
                f"License code {aes.code} is not allowed "
                f"with mode of transport {self.filing.mode_of_transport} "
                f"({aes.allowed_mot}).",
                "AESTIR Appendix F",
                license_code=aes.code,
            )

    def _number(self, aes: AesLicenseCode) -> None:
        """Check the license number is present and in the issuing agency's format."""
        if not aes.number_field.startswith("License number"):
            return
        number = (self.line.license_number or "").strip().upper()
        agency = (
            "DEA" if aes.code == "OPA" and "DEA" in self.det.agencies else aes.agency
        )
        # "License number or OPA": the partner agency's number, or the word OPA.
        alternative = aes.number_field.partition(" or ")[2].strip().upper()
        if alternative and number == alternative:
            return
        if not number and agency == aes.agency and alternative:
            return
        if not number:
            self.add(
                "LICENSE_NUMBER_MISSING",
                "high",
                f"License code {aes.code} needs a "
                f"{agency} license number and none was reported.",
                "AESTIR Appendix F",
                license_code=aes.code,
            )
            return
        pattern = NUMBER_FORMATS.get(agency)
        if pattern and not pattern[0].match(number):
            self.add(
                "LICENSE_NUMBER_MALFORMED",
                "medium",
                f"{agency} license number {number!r} is not {pattern[1]}.",
                "AESTIR Appendix F",
                license_code=aes.code,
                license_number=number,
            )


def _mot_allowed(rule: str, mot: str) -> bool:
    text = rule.strip()
    if not text or text == "All" or not mot:
        return True
    codes = set(re.findall(r"\d{2}", text))
    if text.startswith("All except"):
        return mot not in codes
    if "only" in text:
        return mot in codes
    return True


def _reason_summary(det: Determination) -> str:
    texts = [r.text for r in det.reasons if r.code not in {"CHART_CONDITIONAL", "NLR"}]
    return " ".join(texts[:2]) if texts else det.outcome.value


def _first_citation(det: Determination) -> str:
    for reason in det.reasons:
        if reason.code not in {"CHART_CONDITIONAL", "NLR", "CLASSIFIED_BY_CAS"}:
            return reason.citation
    return "15 CFR 738.4"


def _exc_cite(symbol: str) -> str:
    sections = {
        "LVS": "740.3",
        "GBS": "740.4",
        "TSR": "740.6",
        "ENC": "740.17",
        "STA": "740.20",
    }
    return f"15 CFR {sections.get(symbol, 'Part 740')}"
