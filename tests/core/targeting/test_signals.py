"""Signals from screening hits and license determinations carry what the rules weigh them by."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from exodus.core.controls.declared import Finding
from exodus.core.controls.determination import Outcome, Reason
from exodus.core.filings import parse_filing
from exodus.core.targeting import signals as sig
from tests.conftest import filing_data


@dataclass
class Hit:
    source: str
    score: float
    entity: object
    entity_id: str = "SDN-1"
    entity_name: str = "Sterling Shipping Inc"
    matched_name: str = "STERLING SHIPPING"
    explanation: str = "sterling=sterling; shipping=shipping"


def entity(*countries: str, addresses: tuple[str, ...] = ()) -> object:
    return SimpleNamespace(countries=countries, programs=("SDGT",),
                           addresses=tuple(SimpleNamespace(country=c) for c in addresses))


def test_country_agreement_between_the_party_and_the_list_entry() -> None:
    assert sig.country_agreement("AE", entity("AE")) == "agrees"
    assert sig.country_agreement("AE", entity(addresses=("AE",))) == "agrees"
    assert sig.country_agreement("US", entity("CN", "HK")) == "differs"
    assert sig.country_agreement("US", entity()) == "unknown"
    assert sig.country_agreement("", entity("CN")) == "unknown"


def test_screening_signals_read_the_country_of_the_party_that_matched() -> None:
    data = filing_data(freight_forwarder={"name": "Sterling Shipping Ltd", "address": "1 Dock Rd",
                                          "city": "Houston", "country": "US"})
    filing = parse_filing(data, "t")
    hits = {"freight_forwarder": [Hit("SDN", 0.93, entity("AE"))],
            "ultimate_consignee": [Hit("EL", 0.9, entity(filing.ultimate_consignee.country))]}
    found = {s.subject: s for s in sig.screening_signals(hits, filing)}
    assert found["freight_forwarder"].evidence["country"] == "differs"
    assert found["ultimate_consignee"].evidence["country"] == "agrees"
    assert found["freight_forwarder"].strength == 0.93
    assert {s.evidence["country"] for s in sig.screening_signals(hits)} == {"unknown"}


def det(outcome: Outcome, *codes: str) -> SimpleNamespace:
    return SimpleNamespace(outcome=outcome, agencies=("BIS",), reasons=tuple(Reason(c, c, "cfr") for c in codes))


def test_determination_basis_tells_party_listings_from_item_requirements() -> None:
    assert sig.determination_basis(det(Outcome.LICENSE_REQUIRED, "ENTITY_LIST")) == "party"
    assert sig.determination_basis(det(Outcome.LICENSE_REQUIRED, "ENTITY_LIST", "UVL", "OFAC_PROGRAM")) == "party"
    assert sig.determination_basis(det(Outcome.LICENSE_REQUIRED, "ENTITY_LIST", "NS1")) == "item"
    assert sig.determination_basis(det(Outcome.LICENSE_REQUIRED, "EMBARGO_RU_BY")) == "item"
    # a listed party's prohibition is the party's even when the item needs a license too
    assert sig.determination_basis(det(Outcome.PROHIBITED, "SDN", "NS1")) == "party"
    assert sig.determination_basis(det(Outcome.PROHIBITED, "ITAR_126_1", "USML")) == "item"
    assert sig.determination_basis(det(Outcome.PROHIBITED, "DPL", "ITAR_126_1")) == "item"
    (signal,) = sig.determination_signals(3, det(Outcome.LICENSE_REQUIRED, "MEU"))
    assert signal.code == "determination.license_required" and signal.evidence["basis"] == "party"
    assert sig.determination_signals(1, det(Outcome.NO_LICENSE_REQUIRED, "NLR")) == []


def test_findings_carry_the_basis_of_their_line() -> None:
    findings = [Finding("NLR_LICENSE_REQUIRED", "high", "filed NLR", "cfr", 1),
                Finding("NLR_LICENSE_REQUIRED", "high", "filed NLR", "cfr", 2)]
    lines = {1: det(Outcome.LICENSE_REQUIRED, "ENTITY_LIST"), 2: det(Outcome.LICENSE_REQUIRED, "NS2")}
    assert [s.evidence["basis"] for s in sig.finding_signals(findings, determinations=lines)] == ["party", "item"]
    assert [s.evidence["basis"] for s in sig.finding_signals(findings)] == ["item", "item"]
