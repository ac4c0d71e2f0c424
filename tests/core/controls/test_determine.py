"""License determinations worked by hand from the regulations.

Each case names the rule it checks. Country Chart marks are those of the bundled
Supp. No. 1 to Part 738 (eCFR 2026-07-23); CCL rows are those of Supp. No. 1 to Part 774.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from exodus.core.controls import (
    ItemQuery,
    end_use_kinds,
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
    """One determination worked by hand: the rule it checks and what it must give."""

    rule: str  # the regulation the expected answer rests on
    item: ItemQuery
    dest: str
    outcome: Outcome
    code: str | None = None
    agency: str | None = None
    exception: str | None = None
    no_exception: str | None = None
    parties: tuple[PartyStatus, ...] = ()
    end_use: str | None = None
    absent: str | None = None  # a reason code that must not appear
    jurisdiction: str = ""


def eccn(code: str) -> ItemQuery:
    return ItemQuery(eccn=code)


MEU_PARTY = PartyStatus("Aero Institute", frozenset({"MEU"}))
UVL_PARTY = PartyStatus("Unverified Ltda", frozenset({"UVL"}))

CASES = {
    # -- reasons for control read on the Country Chart ------------------------------
    "3A001.a.1 to CN": Case(
        "738.4(a)(2): 3A001 NS applies to entire entry -> NS Column 2; China NS2 = X",
        eccn("3A001.a.1"), "CN", LR, "NS2", "BIS"),
    "3A001.a.1 to HK": Case(
        "85 FR 83788: Hong Kong has no chart row and is treated as China",
        eccn("3A001.a.1"), "HK", LR, "NS2"),
    "3A001.a.1 to GB": Case(
        "738.4(a)(2)(ii)(B): UK row has no NS2/AT1 mark -> NLR",
        eccn("3A001.a.1"), "GB", NLR, "NLR"),
    "3A001.a.1 to DE": Case(
        "738.4(a)(2)(ii)(B): Germany row has no NS2 mark -> NLR",
        eccn("3A001.a.1"), "DE", NLR, "NLR"),
    "3A001.b.2 to FR": Case(
        "3A001 NS row for b.2 -> NS Column 1, France NS1 = X; the 3A001 STA flag bars "
        "b.2 to A:5/A:6 unless for civil telecommunications (740.20)",
        eccn("3A001.b.2"), "FR", LR, "NS1", no_exception="STA"),
    "6A003.a.1 to IL": Case(
        "6A003 NS -> NS2, Israel NS2 = X; STA to A:6 (740.20(c)(2)) is barred only for "
        "6A003.b.3/b.4",
        eccn("6A003.a.1"), "IL", EXC, "NS2", exception="STA"),
    "6A003.b.4.a to IL": Case(
        "6A003 STA flag: not for 6A003.b.3 or b.4 to Country Group A:6 (Israel)",
        eccn("6A003.b.4.a"), "IL", LR, "RS1", no_exception="STA"),
    "3A901 worldwide": Case(
        "3A901 NS and RS: 'Worldwide control' (742.4(a)(5), 742.6(a)(10)); IEC may apply",
        eccn("3A901"), "DE", LR, "NS", exception="IEC"),
    "9A610.y to CN": Case(
        "9A610.y RS to 'China, Russia, or Venezuela' (742.6(a)(7))",
        eccn("9A610.y"), "CN", LR, "RS"),
    "9A610.a to CN": Case(
        "9A610 NS applies to entire entry except .b, .x (if for .b aircraft) and .y -> NS1",
        eccn("9A610.a"), "CN", LR, "NS1"),
    "3B001.b to CN": Case(
        "3B001 NS row 'a.1 to a.3, b, e, f.2 to f.4, g to j' -> NS2; China NS2 = X",
        eccn("3B001.b"), "CN", LR, "NS2"),
    "3A001.a.2 to BR": Case(
        "740.4: GBS 'Yes for 3A001.a.1.b, a.2 to a.14' to Group B; Brazil not A:5/A:6 "
        "so no STA",
        eccn("3A001.a.2"), "BR", EXC, "NS2", exception="GBS", no_exception="STA"),
    "3A001.a.1.a to BR": Case(
        "740.4: a.1.a is outside the GBS paragraphs; MT row for a.1.a -> MT1, Brazil "
        "MT1 = X; LVS N/A for MT",
        eccn("3A001.a.1.a"), "BR", LR, "MT1", no_exception="GBS"),
    "7A003.a to CN": Case(
        "7A003 NS applies to entire entry -> NS Column 1; China NS1 = X; MT only for .d",
        eccn("7A003.a"), "CN", LR, "NS1", absent="MT1"),
    "7A003.a to FR": Case(
        "NS1 marked for France; STA covers NS to A:5 (740.20(c)(1)); LVS/GBS N/A",
        eccn("7A003.a"), "FR", EXC, "NS1", exception="STA", no_exception="GBS"),
    "2B001.a to PK": Case(
        "2B001 NS -> NS2 and NP (2B001.a) -> NP1; Pakistan marks both",
        eccn("2B001.a"), "PK", LR, "NP1"),
    "2B001.a to BR": Case(
        "2B001: Brazil NS2 = X, NP1 blank; GBS N/A for 2B001",
        eccn("2B001.a"), "BR", LR, "NS2", no_exception="GBS", absent="NP1"),
    "0A979 to CN": Case(
        "0A979 CC applies to entire entry -> CC Column 1; China CC1 = X",
        eccn("0A979"), "CN", LR, "CC1"),
    "0A979 to GB": Case(
        "0A979: UK row has no CC1 mark -> NLR",
        eccn("0A979"), "GB", NLR, "NLR"),
    "0A501.a to CA": Case(
        "0A501 FC -> FC Column 1; Canada FC1 = X (firearms convention)",
        eccn("0A501.a"), "CA", LR, "FC1"),
    "9A515.y to CN": Case(
        "9A515.y RS to China, Russia or Venezuela (742.6(a)(7)); LVS barred for 9x515 "
        "to D:5 (740.2(a)(12))",
        eccn("9A515.y"), "CN", LR, "RS", no_exception="LVS"),
    "9A515.y to DE": Case(
        "9A515.y: the RS row names only China, Russia, Venezuela; NS/RS1 exclude .y",
        eccn("9A515.y"), "DE", NLR, "NLR"),
    "6A003.b.4.b to IN": Case(
        "Country Chart footnote 7: RS2 license for 6A003.b.4.b to India; STA covers RS "
        "to A:5",
        eccn("6A003.b.4.b"), "IN", EXC, "FOOTNOTE_7", exception="STA"),
    "3A090.a to DE": Case(
        "3A090.a RS to any destination worldwide (742.6(a)(6)(iii)(A)), outside the "
        "chart",
        eccn("3A090.a"), "DE", LR, "RS"),
    "3A090.a to AE lists AIA not HBM": Case(
        "3A090 flags: AIA 'Yes, for 3A090.a'; HBM only 'for 3A090.c' (740.25)",
        eccn("3A090.a"), "AE", LR, "RS", exception="AIA", no_exception="HBM"),
    "3A090.c to MO": Case(
        "742.6(a)(6)(i)(B): 3A090.c to 'Macau or D:5'; Macau is not in D:5",
        eccn("3A090.c"), "MO", LR, "RS"),
    "3A002 to CN": Case(
        "3A002 NS applies to entire entry -> NS Column 2; China NS2 = X",
        eccn("3A002.a"), "CN", LR, "NS2"),
    "0A983 to CA": Case(
        "738.3(a)(1): 0A983 implements of torture need a license to all destinations",
        eccn("0A983"), "CA", LR, "ALL_DESTINATIONS"),
    "unknown ECCN": Case(
        "Supp. No. 1 to Part 774: 3A777 does not exist, the item cannot be cleared",
        eccn("3A777"), "DE", LR, "ECCN_UNKNOWN"),
    "4A611 without its table": Case(
        "Supp. No. 1 to Part 774: the bundled CCL lacks 4A611's License Requirements; "
        "never cleared by default",
        eccn("4A611"), "DE", LR, "CCL_REQUIREMENTS_MISSING"),
    "0A501.a to GB": Case(
        "Country Chart footnote 10: license for 0A501 (except .y) to the UK, blank row",
        eccn("0A501.a"), "GB", LR, "FOOTNOTE_10"),
    "0A501.y to AU": Case(
        "Footnote 10 excepts 0A501.y; Australia's row is blank otherwise",
        eccn("0A501.y"), "AU", NLR, "NLR", absent="FOOTNOTE_10"),
    # -- encryption ---------------------------------------------------------------------
    "5A002 to CN": Case(
        "5A002 NS -> NS1 (China = X) and EI (742.15); ENC may overcome both (740.17)",
        eccn("5A002"), "CN", EXC, "NS1", exception="ENC"),
    "5A002 to GB": Case(
        "742.15: EI license to all destinations but Canada, despite a blank UK row; ENC",
        eccn("5A002"), "GB", EXC, "EI", exception="ENC"),
    "5A002 to CA": Case(
        "742.15: EI excludes Canada; Canada has no NS1 mark -> NLR",
        eccn("5A002"), "CA", NLR, "NLR"),
    "5A002 to IR": Case(
        "746.7(a)(1)(i) and (c): license, no exceptions; ENC not for E:1",
        eccn("5A002"), "IR", LR, "EMBARGO_IR_EAR", "OFAC", no_exception="ENC"),
    "5D002 to DE": Case(
        "5D002 NS1 (Germany = X) and EI; ENC (740.17) may apply",
        eccn("5D002"), "DE", EXC, "NS1", exception="ENC"),
    "5A002 to RU": Case(
        "746.8(a)(1) and (c)(2)(vi): any CCL item; ENC only for listed civil end users",
        eccn("5A002"), "RU", LR, "EMBARGO_RU_BY", exception="ENC"),
    "5A002 to IQ": Case(
        "746.3(c) leaves ENC available for Iraq; NS1 and EI covered by ENC",
        eccn("5A002"), "IQ", EXC, "EI", exception="ENC", no_exception="STA"),
    "5A992 to CN": Case(
        "5A992 mass-market: AT only; China has no AT1 mark -> NLR",
        eccn("5A992.c"), "CN", NLR, "NLR"),
    "5A992 to SY": Case(
        "746.9(a): every item subject to the EAR except EAR99 food and medicine",
        eccn("5A992.c"), "SY", LR, "EMBARGO_SY", exception="TSU", no_exception="RPL"),
    # -- embargoes and sanctioned destinations ------------------------------------------
    "EAR99 to IR": Case(
        "31 CFR 560.204 (ITSR): no export of U.S. goods to Iran unless OFAC authorizes",
        eccn("EAR99"), "IR", LR, "EMBARGO_IR_OFAC", "OFAC"),
    "EAR99 to CU": Case(
        "746.2(a): license for all items subject to the EAR; SCP (746.2(a)(1)(xiv))",
        eccn("EAR99"), "CU", LR, "EMBARGO_CU", "BIS", exception="SCP"),
    "EAR99 to KP": Case(
        "746.4(a): all items except EAR99 food and medicine",
        ItemQuery(eccn="EAR99", hts="8471300100"), "KP", LR, "EMBARGO_KP"),
    "EAR99 rice to KP": Case(
        "746.4(a) excepts EAR99 food, but OFAC's North Korea program still bars exports",
        ItemQuery(eccn="EAR99", hts="1006309020"), "KP", LR, "EMBARGO_KP_OFAC", "OFAC",
        absent="EMBARGO_KP"),
    "EAR99 to SY": Case(
        "746.9(a): all items except EAR99 food and medicine",
        ItemQuery(eccn="EAR99", hts="8413702004"), "SY", LR, "EMBARGO_SY"),
    "EAR99 medicine to SY": Case(
        "746.9(a) excepts EAR99 medicine (HTS 3004)",
        ItemQuery(eccn="EAR99", hts="3004900000"), "SY", NLR),
    "EAR99 to Crimea": Case(
        "746.6(a)(1): any item subject to the EAR; OFAC 31 CFR 589 too",
        ItemQuery(eccn="EAR99", hts="8413702004"), "UA-43", LR, "EMBARGO_UA_REGION",
        "OFAC"),
    "EAR99 medicine to DNR": Case(
        "746.6(a)(2) excepts EAR99 medicine; OFAC's covered-regions ban remains",
        ItemQuery(eccn="EAR99", hts="3004900000"), "UA-14", LR, "OFAC_UA_REGION",
        "OFAC", absent="EMBARGO_UA_REGION"),
    "EAR99 to UA": Case(
        "Rest of Ukraine: NLR, with a note to confirm the region (footnotes 8-9)",
        eccn("EAR99"), "UA", NLR, "UA_REGIONS"),
    "5A992 to RU": Case(
        "746.8(a)(1): license for any item in any ECCN, even AT-only 5A992",
        eccn("5A992.c"), "RU", LR, "EMBARGO_RU_BY"),
    "3A991 to BY": Case(
        "746.8(a)(1) applies to Belarus; RPL is not among 746.8(c)(2)'s exceptions",
        eccn("3A991"), "BY", LR, "EMBARGO_RU_BY", exception="CCD", no_exception="RPL"),
    "EAR99 chips to RU": Case(
        "746.8(a)(5)-(7): CHPL Tier 1 HS 8542.31 items need a license to Russia",
        ItemQuery(eccn="EAR99", hts="8542310000"), "RU", LR, "EMBARGO_RU_BY_CHPL"),
    "EAR99 chairs to RU": Case(
        "Not on the CHPL; the Part 746 HTS supplements are not bundled -> gap note",
        ItemQuery(eccn="EAR99", hts="9401710011"), "RU", NLR, "RU_BY_HTS_GAP"),
    "1C992 to IQ": Case(
        "746.3(a)(3) and the 1C992 RS row: licensed to Iraq for RS reasons",
        eccn("1C992"), "IQ", LR, "RS"),
    "2E903 with no RS chart mark to IQ": Case(
        "746.3(a)(1): NS and RS items need a license to Iraq; 2E903 is worldwide anyway",
        eccn("2E903"), "IQ", LR, "NS"),
    "1E355 to IQ": Case(
        "746.3(a)(1): CW-controlled items need a license to Iraq",
        eccn("1E355"), "IQ", LR, "EMBARGO_IQ"),
    "0A501.a to LY": Case(
        "746.1(b)(2)-(3): UN reason for control and Libya under a UN arms embargo",
        eccn("0A501.a"), "LY", LR, "UN"),
    "6A003.b.4.a to LY": Case(
        "746.1(b)(3)-(4): UN row covers 6A003.b.3/b.4; only GOV may apply",
        eccn("6A003.b.4.a"), "LY", LR, "UN", exception="GOV", no_exception="TMP"),
    "6A003.a.1 to LY": Case(
        "6A003 UN row names b.3 and b.4 only; NS2 still marked for Libya",
        eccn("6A003.a.1"), "LY", LR, "NS2", absent="UN"),
    "0A979 to VE": Case(
        "CC1 marked for Venezuela; OFAC's Venezuela program named (31 CFR part 591)",
        eccn("0A979"), "VE", LR, "OFAC_PROGRAM"),
    # -- end users and end uses -----------------------------------------------------------
    "EAR99 to EL party": Case(
        "744.11: Entity List 'all items subject to the EAR' reaches EAR99",
        eccn("EAR99"), "CN", LR, "ENTITY_LIST", "BIS", parties=(EL_ALL,)),
    "EAR99 to EL other than EAR99": Case(
        "744.11: an entry 'other than EAR99 items' does not reach EAR99",
        eccn("EAR99"), "CN", NLR, "EL_OUT_OF_SCOPE", parties=(EL_NOT_EAR99,)),
    "3A001 to EL ECCN party in GB": Case(
        "744.11: an entry naming 3A001 reaches 3A001 even to the UK; no exceptions",
        eccn("3A001.a.1"), "GB", LR, "ENTITY_LIST", parties=(EL_ECCN,)),
    "EAR99 to DPL party": Case(
        "736.2(b)(4) General Prohibition 4: no dealing with a denied person",
        eccn("EAR99"), "DE", PROHIBITED, "DPL",
        parties=(PartyStatus("Denied GmbH", frozenset({"DPL"})),)),
    "EAR99 to SDN party": Case(
        "31 CFR chapter V (OFAC blocking): an SDN's property is blocked; OFAC decides",
        eccn("EAR99"), "AE", PROHIBITED, "SDN", "OFAC",
        parties=(PartyStatus("Blocked FZE", frozenset({"SDN"})),)),
    "EAR99 to NPWMD party": Case(
        "744.8(a)(1): NPWMD designation, license for any item subject to the EAR",
        eccn("EAR99"), "AE", PROHIBITED, "NPWMD",
        parties=(PartyStatus("Proliferator LLC", frozenset({"SDN"}), programs=("NPWMD",)),)),
    "3A001 to UVL party in IN": Case(
        "744.15(b): no exceptions for a UVL party; 3A001 NS2 to India is NLR anyway",
        eccn("3A001.a.1"), "IN", NLR, "UVL", parties=(PartyStatus("Unverified Pvt", frozenset({"UVL"})),)),
    "3A001 to UVL party in BR": Case(
        "744.15(b): GBS would have applied to Brazil, but not with a UVL party",
        eccn("3A001.a.2"), "BR", LR, "UVL", no_exception="GBS", parties=(UVL_PARTY,)),
    "3A991 to MEU party": Case(
        "744.21 and Supp. No. 7 to Part 744: MEU party; only GOV",
        eccn("3A991"), "CN", LR, "MEU", exception="GOV", parties=(MEU_PARTY,)),
    "MEU party in RU narrows the embargo exceptions": Case(
        "744.21 (only GOV) and 746.8(c)(2): the narrower set wins",
        ItemQuery(eccn="EAR99", hts="8542310000"), "RU", LR, "MEU", exception="GOV",
        no_exception="TMP", parties=(MEU_PARTY,)),
    "EAR99 MIEU in CN": Case(
        "744.22(a): military-intelligence end use in China, any item subject to the EAR",
        eccn("EAR99"), "CN", LR, "MIEU", end_use="military_intelligence"),
    "EAR99 MIEU in FR": Case(
        "744.22: France is not among Burma, Cambodia, China, Russia, Venezuela, E:1/E:2",
        eccn("EAR99"), "FR", NLR, "NLR", end_use="military_intelligence"),
    "EAR99 nuclear end use": Case(
        "744.2(a): known nuclear explosive or unsafeguarded fuel-cycle end use",
        eccn("EAR99"), "PK", LR, "NUCLEAR_END_USE", end_use="nuclear"),
    "end use in words: navy in RU": Case(
        "744.21: military end use in Russia reaches every item subject to the EAR",
        eccn("EAR99"), "RU", LR, "MILITARY_END_USE", end_use="spare parts for the navy"),
    "end use in words: enrichment": Case(
        "744.2(a): uranium enrichment is a nuclear end use",
        eccn("EAR99"), "CN", LR, "NUCLEAR_END_USE", end_use="uranium enrichment plant"),
    "end use in words: civil": Case(
        "Part 744 names no civil hospital end use: NLR, the reading is noted",
        eccn("EAR99"), "DE", NLR, "END_USE_DECLARED", end_use="hospital laboratory"),
    "military end use in IQ": Case(
        "746.3(a)(4) and (c): military end use in Iraq, any item, no exception",
        eccn("EAR99"), "IQ", LR, "MILITARY_END_USE_IQ", no_exception="TMP",
        end_use="military"),
    # -- USML: always State ---------------------------------------------------------------
    "USML XI(c) to FR": Case(
        "22 CFR 123.1(a): a DDTC license for any permanent export of a defense article",
        ItemQuery(usml="XI(c)"), "FR", LR, "USML", "DDTC", jurisdiction="ITAR"),
    "USML XI to CN": Case(
        "22 CFR 126.1(a), (d)(1): China, policy of denial",
        ItemQuery(usml="XI"), "CN", PROHIBITED, "ITAR_126_1", "DDTC"),
    "USML IV to IR": Case(
        "22 CFR 126.1(d)(1): Iran",
        ItemQuery(usml="IV"), "IR", PROHIBITED, "ITAR_126_1"),
    "USML I to IQ": Case(
        "22 CFR 126.1(f): Iraq, denial with case-by-case exceptions",
        ItemQuery(usml="I"), "IQ", LR, "ITAR_126_1", "DDTC"),
    "USML XV(a) to RU": Case(
        "22 CFR 126.1(l): Russia, case-by-case only for government space cooperation",
        ItemQuery(usml="XV(a)"), "RU", LR, "ITAR_126_1"),
    "USML VIII to CA": Case(
        "22 CFR 126.5: Canadian exemption may apply, otherwise a DDTC license",
        ItemQuery(usml="VIII(h)"), "CA", LR, "USML", exception="ITAR-126.5"),
    "USML to a debarred party": Case(
        "22 CFR 127.7: a debarred person may not take part in ITAR exports",
        ItemQuery(usml="XI"), "FR", PROHIBITED, "ITAR_DEBARRED",
        parties=(PartyStatus("Debarred Arms SA", frozenset({"DTC"})),)),
    "9A007 is subject to the ITAR": Case(
        "CCL 9A007: 'These items are subject to the ITAR' -> DDTC",
        eccn("9A007"), "DE", LR, "USML", "DDTC", jurisdiction="ITAR"),
    # -- chemicals and biologicals ----------------------------------------------------------
    "thiodiglycol to DE": Case(
        "CAS 111-48-8 = 1C350.b.22; CB2 not marked for Germany, Germany a CWC party",
        ItemQuery(cas="111-48-8"), "DE", NLR, "CLASSIFIED_BY_CAS"),
    "thiodiglycol to CN": Case(
        "1C350 CB2: China CB2 = X; LVS and GBS N/A",
        ItemQuery(cas="111-48-8"), "CN", LR, "CB2", no_exception="GBS"),
    "thiodiglycol to EG": Case(
        "742.18 / 1C350 CW: Schedule 2 chemical to a State not Party (Egypt)",
        ItemQuery(cas="111-48-8"), "EG", LR, "CW"),
    "thiodiglycol to SY": Case(
        "1C350 AT: license to Country Group E:1; and 746.9",
        ItemQuery(cas="111-48-8"), "SY", LR, "AT_CHEMICAL"),
    "phosgene to EG": Case(
        "1C355 CW: Schedule 3 (1C355.b.1.a) to a State not Party: license unless EUC",
        ItemQuery(cas="75-44-5"), "EG", LR, "CW", jurisdiction="EAR"),
    "PFIB to DE": Case(
        "1C355.a.1.a (Schedule 2): CW only to States not Party; no chart rows",
        ItemQuery(cas="382-21-8"), "DE", NLR, "CLASSIFIED_BY_CAS", jurisdiction="EAR"),
    "PFIB to IR": Case(
        "746.7(a)(1)(i) names 1C355 for Iran",
        ItemQuery(cas="382-21-8"), "IR", LR, "EMBARGO_IR_EAR"),
    "Bacillus anthracis to CN": Case(
        "1C351 CB applies to entire entry -> CB2; China CB2 = X",
        eccn("1C351.c.1"), "CN", LR, "CB2"),
    "Bacillus anthracis to DE": Case(
        "1C351: Germany marks CB1 only, which covers d.15/d.16 toxins -> NLR",
        eccn("1C351.c.1"), "DE", NLR, "NLR"),
    "ricin to CN": Case(
        "1C351 CB row for d.15 and d.16 -> CB1; China CB1 = X",
        eccn("1C351.d.15"), "CN", LR, "CB1"),
    "benzyl cyanide 5 kg to MX": Case(
        "21 CFR 1310.04(f): List I, 1 kg threshold; 5 kg is regulated",
        ItemQuery(cas="140-29-4", weight_kg=5.0), "MX", LR, "DEA_LISTED", "DEA"),
    "benzyl cyanide 0.2 kg to MX": Case(
        "21 CFR 1310.04(f): below the 1 kg threshold",
        ItemQuery(eccn="EAR99", cas="140-29-4", weight_kg=0.2), "MX", NLR, "DEA_BELOW_THRESHOLD"),
    "benzyl cyanide, weight unknown": Case(
        "21 CFR 1310.04(f): an unknown quantity is treated as at or above threshold",
        ItemQuery(cas="140-29-4"), "MX", LR, "DEA_LISTED", no_exception="TMP"),
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
    assert result.outcome is case.outcome, (name, case.rule, result.to_dict())
    codes = result.reason_codes()
    if case.code:
        assert case.code in codes, (name, case.rule, codes)
    if case.absent:
        assert case.absent not in codes, (name, case.rule, codes)
    if case.jurisdiction:
        assert result.jurisdiction == case.jurisdiction, (name, result.jurisdiction)
    if case.agency:
        assert case.agency in result.agencies, (name, result.agencies)
    symbols = {e.symbol for e in result.license_exceptions}
    if case.exception:
        assert case.exception in symbols, (name, symbols)
    if case.no_exception:
        assert case.no_exception not in symbols, (name, symbols)
    for reason in result.reasons:
        assert reason.citation and reason.text


def test_at_least_forty_cases_each_citing_its_rule():
    assert len(CASES) >= 40
    assert all(re.search(r"\d|footnote|CCL|Supp", c.rule) for c in CASES.values())
    kinds = {
        "chart": ("NS1", "NS2", "MT1", "NP1", "CC1", "FC1", "CB1", "CB2", "RS"),
        "embargo": ("EMBARGO_CU", "EMBARGO_IR_OFAC", "EMBARGO_KP", "EMBARGO_SY",
                    "EMBARGO_RU_BY", "EMBARGO_IQ", "EMBARGO_UA_REGION", "UN"),
        "end user": ("ENTITY_LIST", "MEU", "MIEU", "DPL", "SDN", "UVL"),
        "usml": ("USML", "ITAR_126_1"),
        "chemical": ("CW", "AT_CHEMICAL", "DEA_LISTED", "CLASSIFIED_BY_CAS"),
        "encryption": ("EI",),
    }
    covered = {c.code for c in CASES.values()}
    for kind, codes in kinds.items():
        assert set(codes) <= covered, (kind, set(codes) - covered)


def test_to_dict_shape(ref):
    data = determine(ref, ItemQuery(eccn="5A002"), "CN").to_dict()
    assert {"outcome", "agencies", "license_exceptions", "reasons"} <= set(data)
    assert data["classification"] == "5A002" and data["destination"] == "CN"
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
    assert not ref.in_group("MO", "D:5") and "MO" in ref.chart


def test_embargo_exceptions_carry_the_part_746_terms(ref):
    # 746.8(c)(2)(iv): BAG to Russia excludes firearms and ammunition.
    result = determine(ref, ItemQuery(eccn="3A991"), "RU")
    bag = next(e for e in result.license_exceptions if e.symbol == "BAG")
    assert "firearms" in bag.conditions and "746.8(c)(2)(iv)" in bag.citation
    # ENC is named by 746.3(c) for Iraq, but 3A001 is no encryption item.
    iraq = determine(ref, ItemQuery(eccn="3A001.a.1"), "IQ")
    assert "ENC" not in {e.symbol for e in iraq.license_exceptions}


def test_end_use_words():
    assert end_use_kinds("military intelligence directorate") == ("military_intelligence",)
    assert end_use_kinds("ballistic missile program") == ("missile",)
    assert end_use_kinds("nuclear") == ("nuclear",)
    assert end_use_kinds("hospital laboratory") == ()
    assert end_use_kinds(None) == ()


def test_unknown_destination_rejected(ref):
    from exodus.errors import InvalidInput

    with pytest.raises(InvalidInput):
        determine(ref, ItemQuery(eccn="EAR99"), "Atlantis")
