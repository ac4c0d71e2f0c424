"""License determinations worked by hand from the regulations.

Each case names the rule it checks. Country Chart marks are those of the bundled
Supp. No. 1 to Part 738 (eCFR 2026-07-23); CCL rows are those of Supp. No. 1 to Part 774.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest

from exodus.core.controls import (
    ItemQuery,
    Outcome,
    PartyStatus,
    determine,
    load_reference,
)

LR = Outcome.LICENSE_REQUIRED
NLR = Outcome.NO_LICENSE_REQUIRED
EXC = Outcome.LICENSE_EXCEPTION_MAY_APPLY
PROHIBITED = Outcome.PROHIBITED

EL_ALL = PartyStatus(
    "Example Tech Co.",
    frozenset({"EL"}),
    "For all items subject to the EAR. (See § 744.11 of the EAR)",
    "Presumption of denial.",
)
EL_NOT_EAR99 = PartyStatus(
    "Example Institute",
    frozenset({"EL"}),
    "For all items subject to the EAR other than EAR99 items.",
    "Case-by-case review.",
)
EL_ECCN = PartyStatus(
    "Narrow Entry Ltd",
    frozenset({"EL"}),
    "For items classified under ECCN 3A001.",
    "Presumption of denial.",
)


@dataclass
class Case:
    item: ItemQuery
    dest: str
    outcome: Outcome
    code: str | None = None
    agency: str | None = None
    exception: str | None = None
    no_exception: str | None = None
    parties: tuple[PartyStatus, ...] = ()
    end_use: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


CASES = {
    # 3A001 NS applies to entire entry -> NS Column 2; China is marked NS2 (738.4(a)(2)).
    "3A001.a.1 to CN": Case(ItemQuery(eccn="3A001.a.1"), "CN", LR, "NS2", "BIS"),
    # Hong Kong has no row and follows China (85 FR 83788).
    "3A001.a.1 to HK": Case(ItemQuery(eccn="3A001.a.1"), "HK", LR, "NS2"),
    # UK row carries no NS2/AT1 mark: no license required for 3A001.a.1.
    "3A001.a.1 to GB": Case(ItemQuery(eccn="3A001.a.1"), "GB", NLR, "NLR"),
    # Germany has no NS2 mark either (A:1 partner).
    "3A001.a.1 to DE": Case(ItemQuery(eccn="3A001.a.1"), "DE", NLR, "NLR"),
    # 3A001.b.2 MMIC: NS Column 1; France is marked NS1 -> license, GBS is N/A for
    # b.2 outside civil telecom, but STA covers NS to A:5 (740.20(c)(1)).
    "3A001.b.2 to FR": Case(
        ItemQuery(eccn="3A001.b.2"), "FR", EXC, "NS1", exception="STA"
    ),
    # 3A001 NS2 to Brazil (Country Group B): GBS may apply (740.4), and STA does not
    # (Brazil is not in A:5/A:6).
    "3A001.a.2 to BR": Case(
        ItemQuery(eccn="3A001.a.2"),
        "BR",
        EXC,
        "NS2",
        exception="GBS",
        no_exception="STA",
    ),
    # LVS $1500 for 9A515 is not available to D:5 for 9x515 items (740.2(a)(12)); RS
    # applies to 9A515.y for China (742.6(a)(7)).
    "9A515.y to CN": Case(
        ItemQuery(eccn="9A515.y"), "CN", LR, "RS", no_exception="LVS"
    ),
    # 9A515.y to Germany: the .y RS row names only China, Russia, Venezuela.
    "9A515.y to DE": Case(ItemQuery(eccn="9A515.y"), "DE", NLR, "NLR"),
    # 5A002: NS1 to China marked; EI (742.15) everywhere but Canada; ENC may apply.
    "5A002 to CN": Case(ItemQuery(eccn="5A002"), "CN", EXC, "NS1", exception="ENC"),
    # 5A002 to UK: no NS1 mark, but EI still requires a license; ENC overcomes it.
    "5A002 to GB": Case(ItemQuery(eccn="5A002"), "GB", EXC, "EI", exception="ENC"),
    # 5A002 to Canada: EI excludes Canada; UK-style blank chart row -> NLR.
    "5A002 to CA": Case(ItemQuery(eccn="5A002"), "CA", NLR, "NLR"),
    # 5A002 to Iran: 746.7(a)(1)(i) + ITSR; ENC not available to E:1.
    "5A002 to IR": Case(
        ItemQuery(eccn="5A002"), "IR", LR, "EMBARGO_IR_EAR", "OFAC", no_exception="ENC"
    ),
    # 5D002 software also ENC-eligible to Germany (EI requires a license).
    "5D002 to DE": Case(ItemQuery(eccn="5D002"), "DE", EXC, "NS1", exception="ENC"),
    # EAR99 to Germany, no listed party: NLR (738.4(a)(2)(ii)(B)).
    "EAR99 to DE": Case(ItemQuery(eccn="EAR99"), "DE", NLR, "NLR"),
    # EAR99 to Iran: OFAC ITSR 560.204 prohibits export of U.S. goods unless authorized.
    "EAR99 to IR": Case(ItemQuery(eccn="EAR99"), "IR", LR, "EMBARGO_IR_OFAC", "OFAC"),
    # EAR99 to Cuba: 746.2(a) license for all items subject to the EAR; SCP may apply.
    "EAR99 to CU": Case(
        ItemQuery(eccn="EAR99"), "CU", LR, "EMBARGO_CU", "BIS", exception="SCP"
    ),
    # EAR99 to North Korea: 746.4(a) all items except EAR99 food and medicine.
    "EAR99 to KP": Case(
        ItemQuery(eccn="EAR99", hts="8471300100"), "KP", LR, "EMBARGO_KP"
    ),
    # EAR99 food (HTS chapter 10) to North Korea is excepted from 746.4(a).
    "EAR99 rice to KP": Case(
        ItemQuery(eccn="EAR99", hts="1006309020"), "KP", NLR, "NLR"
    ),
    # EAR99 to Syria: 746.9(a) all items except EAR99 food and medicine.
    "EAR99 to SY": Case(
        ItemQuery(eccn="EAR99", hts="8413702004"), "SY", LR, "EMBARGO_SY"
    ),
    # EAR99 medicine (3004) to Syria is excepted from 746.9(a).
    "EAR99 medicine to SY": Case(ItemQuery(eccn="EAR99", hts="3004900000"), "SY", NLR),
    # Crimea (UA-43): 746.6(a)(1) any item subject to the EAR; OFAC 31 CFR 589.
    "EAR99 to Crimea": Case(
        ItemQuery(eccn="EAR99", hts="8413702004"),
        "UA-43",
        LR,
        "EMBARGO_UA_REGION",
        "OFAC",
    ),
    # Rest of Ukraine: EAR99 NLR, with a note to confirm the region (fn 8/9).
    "EAR99 to UA": Case(ItemQuery(eccn="EAR99"), "UA", NLR, "UA_REGIONS"),
    # Russia: 746.8(a)(1) license for any item in any ECCN, even AT-only 5A992.
    "5A992 to RU": Case(ItemQuery(eccn="5A992.c"), "RU", LR, "EMBARGO_RU_BY"),
    # Belarus: same 746.8(a)(1) rule.
    "3A991 to BY": Case(ItemQuery(eccn="3A991"), "BY", LR, "EMBARGO_RU_BY"),
    # EAR99 integrated circuits (CHPL Tier 1 HS 8542.31) to Russia need a license.
    "EAR99 chips to RU": Case(
        ItemQuery(eccn="EAR99", hts="8542310000"), "RU", LR, "EMBARGO_RU_BY_CHPL"
    ),
    # EAR99 furniture to Russia: not CHPL; HTS supplements not bundled -> gap note.
    "EAR99 chairs to RU": Case(
        ItemQuery(eccn="EAR99", hts="9401710011"), "RU", NLR, "RU_BY_HTS_GAP"
    ),
    # 5A992 (AT only) to China: AT1 not marked for China -> NLR.
    "5A992 to CN": Case(ItemQuery(eccn="5A992.c"), "CN", NLR, "NLR"),
    # Entity List entry "all items subject to the EAR" reaches EAR99 (744.11).
    "EAR99 to EL party": Case(
        ItemQuery(eccn="EAR99"), "CN", LR, "ENTITY_LIST", "BIS", parties=(EL_ALL,)
    ),
    # Entity List entry excluding EAR99 does not reach EAR99.
    "EAR99 to EL other than EAR99": Case(
        ItemQuery(eccn="EAR99"), "CN", NLR, "EL_OUT_OF_SCOPE", parties=(EL_NOT_EAR99,)
    ),
    # Entity List entry naming 3A001 reaches 3A001 to the UK, and bars exceptions.
    "3A001 to EL ECCN party in GB": Case(
        ItemQuery(eccn="3A001.a.1"), "GB", LR, "ENTITY_LIST", parties=(EL_ECCN,)
    ),
    # Denied Persons List: no dealings at all (736.2(b)(4)).
    "EAR99 to DPL party": Case(
        ItemQuery(eccn="EAR99"),
        "DE",
        PROHIBITED,
        "DPL",
        parties=(PartyStatus("Denied GmbH", frozenset({"DPL"})),),
    ),
    # OFAC SDN: blocked, prohibited; OFAC is the agency.
    "EAR99 to SDN party": Case(
        ItemQuery(eccn="EAR99"),
        "AE",
        PROHIBITED,
        "SDN",
        "OFAC",
        parties=(PartyStatus("Blocked FZE", frozenset({"SDN"})),),
    ),
    # NPWMD designation: license for any item subject to the EAR (744.8(a)(1)).
    "EAR99 to NPWMD party": Case(
        ItemQuery(eccn="EAR99"),
        "AE",
        PROHIBITED,
        "NPWMD",
        parties=(
            PartyStatus("Proliferator LLC", frozenset({"SDN"}), programs=("NPWMD",)),
        ),
    ),
    # Unverified List: no license exceptions (744.15(b)); 3A001 NS2 to India is NLR
    # on the chart, so the UVL leaves NLR standing but says so.
    "3A001 to UVL party in IN": Case(
        ItemQuery(eccn="3A001.a.1"),
        "IN",
        NLR,
        "UVL",
        parties=(PartyStatus("Unverified Pvt", frozenset({"UVL"})),),
    ),
    # UVL party where GBS would have applied (Brazil): no exception, license required.
    "3A001 to UVL party in BR": Case(
        ItemQuery(eccn="3A001.a.2"),
        "BR",
        LR,
        "UVL",
        no_exception="GBS",
        parties=(PartyStatus("Unverified Ltda", frozenset({"UVL"})),),
    ),
    # MEU party in China, CCL item: 744.21; only GOV may apply.
    "3A991 to MEU party": Case(
        ItemQuery(eccn="3A991"),
        "CN",
        LR,
        "MEU",
        exception="GOV",
        parties=(PartyStatus("Aero Institute", frozenset({"MEU"})),),
    ),
    # Military-intelligence end use in China: 744.22 any item subject to the EAR.
    "EAR99 MIEU in CN": Case(
        ItemQuery(eccn="EAR99"), "CN", LR, "MIEU", end_use="military_intelligence"
    ),
    # Military-intelligence end use in France is outside 744.22's countries.
    "EAR99 MIEU in FR": Case(
        ItemQuery(eccn="EAR99"), "FR", NLR, "NLR", end_use="military_intelligence"
    ),
    # Nuclear end use: 744.2 any item subject to the EAR.
    "EAR99 nuclear end use": Case(
        ItemQuery(eccn="EAR99"), "PK", LR, "NUCLEAR_END_USE", end_use="nuclear"
    ),
    # USML XI(c) to France: DDTC license always (123.1).
    "USML XI(c) to FR": Case(ItemQuery(usml="XI(c)"), "FR", LR, "USML", "DDTC"),
    # Any USML article to China: 126.1(d)(1) policy of denial.
    "USML XI to CN": Case(ItemQuery(usml="XI"), "CN", PROHIBITED, "ITAR_126_1", "DDTC"),
    # USML to Iran: 126.1(d)(1).
    "USML IV to IR": Case(ItemQuery(usml="IV"), "IR", PROHIBITED, "ITAR_126_1"),
    # USML to Iraq: 126.1(f) policy of denial with case-by-case exceptions.
    "USML I to IQ": Case(ItemQuery(usml="I"), "IQ", LR, "ITAR_126_1", "DDTC"),
    # USML to Canada: license unless the 126.5 exemption fits.
    "USML VIII to CA": Case(
        ItemQuery(usml="VIII(h)"), "CA", LR, "USML", exception="ITAR-126.5"
    ),
    # Thiodiglycol CAS 111-48-8 is 1C350.b.22 (Schedule 2): CB2 not marked for Germany.
    "thiodiglycol to DE": Case(
        ItemQuery(cas="111-48-8"), "DE", NLR, "CLASSIFIED_BY_CAS"
    ),
    # ... CB2 marked for China: license required, LVS/GBS N/A.
    "thiodiglycol to CN": Case(
        ItemQuery(cas="111-48-8"), "CN", LR, "CB2", no_exception="GBS"
    ),
    # ... Egypt is not a CWC State Party: CW license for Schedule 2 (742.18).
    "thiodiglycol to EG": Case(ItemQuery(cas="111-48-8"), "EG", LR, "CW"),
    # ... Syria is E:1: AT license for 1C350 to E:1, and the 746.9 embargo.
    "thiodiglycol to SY": Case(ItemQuery(cas="111-48-8"), "SY", LR, "AT_1C350"),
    # Benzyl cyanide (DEA List I, 1 kg threshold): 5 kg export is regulated.
    "benzyl cyanide 5 kg to MX": Case(
        ItemQuery(cas="140-29-4", weight_kg=5.0), "MX", LR, "DEA_LISTED", "DEA"
    ),
    # ... 0.2 kg is below threshold.
    "benzyl cyanide 0.2 kg to MX": Case(
        ItemQuery(cas="140-29-4", weight_kg=0.2), "MX", NLR, "DEA_BELOW_THRESHOLD"
    ),
    # Footnote 10: 0A501 firearms to the UK need a license despite a blank row.
    "0A501 to GB": Case(ItemQuery(eccn="0A501.a"), "GB", LR, "FOOTNOTE_10"),
    # 0A501 to Libya: UN reason for control and 746.1(b) arms embargo.
    "0A501 to LY": Case(ItemQuery(eccn="0A501.a"), "LY", LR, "UN"),
    # 0A983 (specially designed implements of torture) needs a license everywhere.
    "0A983 to CA": Case(ItemQuery(eccn="0A983"), "CA", LR, "ALL_DESTINATIONS"),
    # An ECCN that does not exist cannot be cleared.
    "unknown ECCN": Case(ItemQuery(eccn="3A777"), "DE", LR, "ECCN_UNKNOWN"),
    # 3A090.a (advanced ICs): RS worldwide (742.6(a)(6)(iii)(A)), not in the chart.
    "3A090.a to DE": Case(ItemQuery(eccn="3A090.a"), "DE", LR, "RS"),
    # 3A002 NS applies to entire entry -> NS Column 2; China is marked.
    "3A002 to CN": Case(ItemQuery(eccn="3A002.a"), "CN", LR, "NS2"),
}


@pytest.fixture(scope="module")
def ref():
    return load_reference()


@pytest.mark.parametrize("name", sorted(CASES))
def test_determination(ref, name):
    case = CASES[name]
    result = determine(
        ref, case.item, case.dest, parties=case.parties, end_use=case.end_use
    )
    assert result.outcome is case.outcome, (name, result.to_dict())
    codes = result.reason_codes()
    if case.code:
        assert case.code in codes, (name, codes)
    if case.agency:
        assert case.agency in result.agencies, (name, result.agencies)
    symbols = {e.symbol for e in result.license_exceptions}
    if case.exception:
        assert case.exception in symbols, (name, symbols)
    if case.no_exception:
        assert case.no_exception not in symbols, (name, symbols)
    for reason in result.reasons:
        assert reason.citation and reason.text


def test_at_least_forty_cases():
    assert len(CASES) >= 40


def test_to_dict_shape(ref):
    data = determine(ref, ItemQuery(eccn="5A002"), "CN").to_dict()
    assert set(data) == {"outcome", "agencies", "license_exceptions", "reasons"}
    assert data["outcome"] == "license_exception_may_apply"
    assert {"code", "text", "citation"} == set(data["reasons"][0])
    assert any(e["symbol"] == "ENC" for e in data["license_exceptions"])


def test_lvs_value_limit(ref):
    # 5A002 "components" carry LVS $500; to the UK (Group B) 400 fits, 900 does not.
    small = determine(ref, ItemQuery(eccn="5A002", value_usd=400), "GB")
    large = determine(ref, ItemQuery(eccn="5A002", value_usd=900), "GB")
    assert "LVS" in {e.symbol for e in small.license_exceptions}
    assert "LVS" not in {e.symbol for e in large.license_exceptions}


def test_macau_has_its_own_row_but_not_d5(ref):
    # Macau is not in D:5; 3A090.c applies to "Macau or D:5" (742.6(a)(6)(i)(B)).
    assert not ref.in_group("MO", "D:5")
    result = determine(ref, ItemQuery(eccn="3A090.c"), "MO")
    assert result.outcome is LR and "RS" in result.reason_codes()


def test_unknown_destination_rejected(ref):
    from exodus.errors import InvalidInput

    with pytest.raises(InvalidInput):
        determine(ref, ItemQuery(eccn="EAR99"), "Atlantis")


def test_determine_is_fast(ref):
    items = [
        ItemQuery(eccn="3A001.a.1"),
        ItemQuery(eccn="EAR99", hts="8542310000"),
        ItemQuery(eccn="5A002"),
        ItemQuery(cas="111-48-8"),
    ]
    start = time.perf_counter()
    for _ in range(500):
        for item in items:
            determine(ref, item, "CN")
    per_call = (time.perf_counter() - start) / 2000
    assert per_call < 0.001
