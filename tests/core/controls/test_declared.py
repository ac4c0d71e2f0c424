"""Declared versus required: one test per failure check_line reports."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from exodus.core.controls import check_line, determine, item_from_line, load_reference
from exodus.core.filings.model import CommodityLine, Filing, Party, PartyRole


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def _filing(
    dest: str,
    line: CommodityLine,
    export_date: date = date(2026, 12, 2),
    mot: str = "40",
) -> Filing:
    usppi = Party(PartyRole.USPPI, "Acme Exports Inc", "US")
    consignee = Party(PartyRole.ULTIMATE_CONSIGNEE, "Buyer Ltd", dest)
    return Filing(
        "X20261201000001",
        datetime(2026, 12, 1, 9, 30),
        export_date,
        "2704",
        mot,
        "Carrier",
        dest,
        usppi,
        consignee,
        (line,),
    )


def _line(**changes) -> CommodityLine:
    base = CommodityLine(
        1,
        "8542310015",
        "processors",
        10,
        "NO",
        1000.0,
        1.0,
        eccn="EAR99",
        license_code="C33",
    )
    return replace(base, **changes)


def _codes(ref, dest: str, line: CommodityLine, **kwargs) -> set[str]:
    filing = _filing(dest, line, **kwargs)
    det = determine(ref, item_from_line(line), dest)
    return {f.code for f in check_line(ref, filing, line, det)}


def test_clean_ear99_nlr_line_has_no_findings(ref):
    assert _codes(ref, "DE", _line()) == set()


def test_nlr_where_license_required(ref):
    # 3A001.a.1 to China needs an NS2 license; C33 is wrong.
    line = _line(eccn="3A001.a.1", license_code="C33")
    assert "NLR_LICENSE_REQUIRED" in _codes(ref, "CN", line)


def test_encryption_cannot_be_nlr(ref):
    line = _line(eccn="5A002", license_code="C33", schedule_b="8517620010")
    assert "ENC_NLR" in _codes(ref, "DE", line)


def test_ear_code_on_usml_item(ref):
    line = _line(
        eccn=None, usml_category="XI(c)", license_code="C30", license_number="D123456"
    )
    assert "LICENSE_CODE_JURISDICTION" in _codes(ref, "FR", line)


def test_ddtc_code_on_ear_item(ref):
    line = _line(eccn="3A001.a.1", license_code="S05", license_number="050123456")
    assert "LICENSE_CODE_JURISDICTION" in _codes(ref, "CN", line)


def test_gbs_to_non_b_country(ref):
    # GBS is only for Country Group B; China is not in B.
    line = _line(eccn="3A001.a.2", license_code="C36")
    assert "LICENSE_EXCEPTION_INELIGIBLE" in _codes(ref, "CN", line)


def test_gbs_to_b_country_is_accepted(ref):
    line = _line(eccn="3A001.a.2", license_code="C36")
    assert _codes(ref, "BR", line) == set()


def test_lvs_over_value_limit(ref):
    # 5A002 components: LVS $500; the line is worth $1,000.
    line = _line(eccn="5A002", license_code="C35", schedule_b="8517620010")
    assert "LICENSE_EXCEPTION_INELIGIBLE" in _codes(ref, "GB", line)


def test_sta_claimed_without_paragraph_where_mt_and_the_bar_cover_some_paragraphs(ref):
    # 3A001: MT only for a.1.a, a.5.a and z.2; the STA bar only for b.2, b.3 and z.
    # With no paragraph declared, STA to Australia (A:5) may stand, so it is not
    # ineligible as declared; the MT and barred paragraphs themselves stay ineligible.
    line = _line(eccn="3A001", license_code="C59", schedule_b="8542390010")
    assert "LICENSE_EXCEPTION_INELIGIBLE" not in _codes(ref, "AU", line)
    for paragraph in ("3A001.a.1.a", "3A001.b.2"):
        barred = _line(eccn=paragraph, license_code="C59", schedule_b="8542390010")
        assert "LICENSE_EXCEPTION_INELIGIBLE" in _codes(ref, "AU", barred)


def test_sta_claimed_where_mt_covers_the_whole_entry(ref):
    # 7A103: MT applies to the entire entry, which STA does not overcome.
    line = _line(eccn="7A103", license_code="C59", schedule_b="9014200080")
    assert "LICENSE_EXCEPTION_INELIGIBLE" in _codes(ref, "AU", line)


def test_lvs_tiers_of_3a001_follow_the_paragraph(ref):
    # 3A001 LVS: $1500 for .c, $3000 for .b.1 ..., $5000 for .a and b.4 to b.7; N/A
    # for 3A001.z and for items outside the tiers. Brazil is in Country Group B.
    def ineligible(eccn: str, value: float) -> bool:
        line = _line(eccn=eccn, license_code="C35", schedule_b="8542390010", value_usd=value)
        return "LICENSE_EXCEPTION_INELIGIBLE" in _codes(ref, "BR", line)

    assert not ineligible("3A001", 1200.0)
    assert not ineligible("3A001.c", 1400.0)
    assert ineligible("3A001.c", 2000.0)
    assert not ineligible("3A001.a.2", 4000.0)
    assert ineligible("3A001.a.2", 6000.0)
    assert ineligible("3A001", 6000.0)
    assert ineligible("3A001.b.8", 1000.0)


def test_enc_claimed_for_non_encryption_item(ref):
    line = _line(eccn="3A001.a.2", license_code="C50")
    assert "LICENSE_EXCEPTION_INELIGIBLE" in _codes(ref, "DE", line)


def test_exception_barred_by_unverified_party(ref):
    line = _line(eccn="3A001.a.2", license_code="C36")
    filing = _filing("BR", line)
    from exodus.core.controls import PartyStatus

    det = determine(
        ref,
        item_from_line(line),
        "BR",
        parties=[PartyStatus("Unverified Ltda", frozenset({"UVL"}))],
    )
    codes = {f.code for f in check_line(ref, filing, line, det)}
    assert "LICENSE_EXCEPTION_NOT_AVAILABLE" in codes


def test_bis_license_number_missing_and_malformed(ref):
    missing = _line(eccn="3A001.a.1", license_code="C30")
    bad = _line(eccn="3A001.a.1", license_code="C30", license_number="12345")
    good = _line(eccn="3A001.a.1", license_code="C30", license_number="D123456")
    assert "LICENSE_NUMBER_MISSING" in _codes(ref, "CN", missing)
    assert "LICENSE_NUMBER_MALFORMED" in _codes(ref, "CN", bad)
    assert _codes(ref, "CN", good) == set()


def test_ddtc_license_number_format(ref):
    bad = _line(
        eccn=None, usml_category="XI(c)", license_code="S05", license_number="123456789"
    )
    good = _line(
        eccn=None, usml_category="XI(c)", license_code="S05", license_number="050123456"
    )
    assert "LICENSE_NUMBER_MALFORMED" in _codes(ref, "FR", bad)
    assert "LICENSE_NUMBER_MALFORMED" not in _codes(ref, "FR", good)


def test_unknown_eccn(ref):
    assert "ECCN_UNKNOWN" in _codes(ref, "DE", _line(eccn="3A777"))


def test_eccn_missing_for_chemical_found_by_cas(ref):
    # Thiodiglycol (1C350.b.22, CB/CW/AT) filed without an ECCN.
    line = _line(
        eccn=None, description="thiodiglycol CAS 111-48-8", schedule_b="2930901000"
    )
    assert "ECCN_MISSING" in _codes(ref, "DE", line)


def test_eccn_missing_when_code_requires_it(ref):
    # C50 (ENC) requires 5A002/5B002/5D002/5E002 reported.
    line = _line(eccn=None, license_code="C50", schedule_b="8517620010")
    assert "ECCN_MISSING" in _codes(ref, "DE", line)


def test_schedule_b_unknown_and_not_in_hts(ref):
    assert "SCHEDULE_B_UNKNOWN" in _codes(ref, "DE", _line(schedule_b="9999990000"))
    assert "SCHEDULE_B_NOT_IN_HTS" in _codes(ref, "DE", _line(schedule_b="8542310099"))
    assert "SCHEDULE_B_MALFORMED" in _codes(ref, "DE", _line(schedule_b="85423"))


def test_removed_codes_by_export_date(ref):
    c32 = _line(eccn="3A991", license_code="C32")
    assert "LICENSE_CODE_REMOVED" in _codes(ref, "DE", c32)
    assert "LICENSE_CODE_REMOVED" not in _codes(
        ref, "DE", c32, export_date=date(2016, 9, 30)
    )
    c37 = _line(eccn="3A001.a.2", license_code="C37")
    assert "LICENSE_CODE_REMOVED" in _codes(
        ref, "DE", c37, export_date=date(2020, 6, 26)
    )


def test_unknown_and_missing_license_code(ref):
    assert "LICENSE_CODE_UNKNOWN" in _codes(ref, "DE", _line(license_code="C99"))
    assert "LICENSE_CODE_MISSING" in _codes(ref, "DE", _line(license_code=None))


def test_cuba_only_code_to_other_destination(ref):
    line = _line(license_code="C62")
    assert "LICENSE_CODE_DESTINATION" in _codes(ref, "MX", line)


def test_bis_code_where_ofac_authorizes(ref):
    # EAR99 to Iran is an OFAC matter; a BIS license code does not fit.
    line = _line(license_code="C30", license_number="D123456")
    assert "LICENSE_CODE_AGENCY" in _codes(ref, "IR", line)


def test_prohibited_line(ref):
    line = _line(
        eccn=None, usml_category="XI", license_code="S05", license_number="050123456"
    )
    assert "EXPORT_PROHIBITED" in _codes(ref, "CN", line)


def test_finding_to_dict(ref):
    line = _line(eccn="3A001.a.1", license_code="C33")
    filing = _filing("CN", line)
    det = determine(ref, item_from_line(line), "CN")
    finding = check_line(ref, filing, line, det)[0].to_dict()
    assert set(finding) == {
        "code",
        "severity",
        "text",
        "citation",
        "line_no",
        "evidence",
    }
    assert finding["severity"] in {"low", "medium", "high"}


def test_license_code_for_other_eccns(ref):
    # C53 (APP) is for ECCN 4A003 only; the line reports 3A001.
    line = _line(eccn="3A001.a.2", license_code="C53")
    assert "LICENSE_CODE_ECCN" in _codes(ref, "DE", line)


def test_license_code_not_for_ear99(ref):
    no_ear99 = [c for c in ref.aes_license_codes.values() if c.ear99_allowed == "N" and not c.removed_on
                and not c.retired and c.agency == "BIS"]
    assert no_ear99, "the AES table names codes that EAR99 items may not use"
    line = _line(eccn="EAR99", license_code=no_ear99[0].code, license_number="D123456")
    assert "LICENSE_CODE_EAR99" in _codes(ref, "DE", line)


def test_license_code_not_allowed_with_mode_of_transport(ref):
    # C43 (GFT) is not allowed with MOT 70 (fixed transport installations).
    line = _line(license_code="C43")
    assert "LICENSE_CODE_MOT" in _codes(ref, "DE", line, mot="70")
    assert "LICENSE_CODE_MOT" not in _codes(ref, "DE", line, mot="40")


def test_ccd_reaches_russia_but_not_mexico(ref):
    # 746.8(c)(2)(vii): CCD may overcome the Russia requirement; C58 is not for Mexico.
    assert "LICENSE_CODE_DESTINATION" not in _codes(ref, "RU", _line(eccn="5A992.c", license_code="C58"))
    assert "LICENSE_CODE_DESTINATION" in _codes(ref, "MX", _line(eccn="5A992.c", license_code="C58"))


def test_dea_permit_number_format(ref):
    # OPA (other agency) on a DEA-listed chemical: the permit number is DEA's format.
    chem = dict(eccn="EAR99", description="Benzyl cyanide CAS 140-29-4", schedule_b="2926901200",
                license_code="OPA", weight_kg=50.0)
    assert "LICENSE_NUMBER_MALFORMED" in _codes(ref, "MX", _line(**chem, license_number="D123456"))
    assert "LICENSE_NUMBER_MALFORMED" not in _codes(ref, "MX", _line(**chem, license_number="PA1234567"))


def test_missing_weight_is_unknown_not_zero(ref):
    # A line without weight must not pass a DEA threshold as "0 kg".
    line = _line(eccn="EAR99", description="Benzyl cyanide CAS 140-29-4", weight_kg=0.0)
    det = determine(ref, item_from_line(line), "MX")
    assert "DEA_LISTED" in det.reason_codes()


# One line per kind of failure the issue lists; each must become a targeting reason.
FAILURES = {
    "NLR_LICENSE_REQUIRED": ("CN", dict(eccn="3A001.a.1", license_code="C33")),
    "ENC_NLR": ("DE", dict(eccn="5A002", license_code="C33", schedule_b="8517620010")),
    "LICENSE_CODE_MISSING": ("CN", dict(eccn="3A001.a.1", license_code=None)),
    "LICENSE_CODE_JURISDICTION": ("FR", dict(eccn=None, usml_category="XI(c)", license_code="C30",
                                             license_number="D123456")),
    "LICENSE_CODE_AGENCY": ("IR", dict(license_code="C30", license_number="D123456")),
    "LICENSE_CODE_DESTINATION": ("MX", dict(license_code="C62")),
    "LICENSE_CODE_ECCN": ("DE", dict(eccn="3A001.a.2", license_code="C53")),
    "LICENSE_CODE_UNKNOWN": ("DE", dict(license_code="C99")),
    "LICENSE_CODE_REMOVED": ("DE", dict(eccn="3A991", license_code="C32")),
    "LICENSE_NUMBER_MISSING": ("CN", dict(eccn="3A001.a.1", license_code="C30")),
    "LICENSE_NUMBER_MALFORMED": ("CN", dict(eccn="3A001.a.1", license_code="C30", license_number="12345")),
    "ECCN_UNKNOWN": ("DE", dict(eccn="3A777")),
    "ECCN_MISSING": ("DE", dict(eccn=None, description="thiodiglycol CAS 111-48-8", schedule_b="2930901000")),
    "LICENSE_EXCEPTION_INELIGIBLE": ("CN", dict(eccn="3A001.a.2", license_code="C36")),
    "SCHEDULE_B_UNKNOWN": ("DE", dict(schedule_b="9999990000")),
    "SCHEDULE_B_MALFORMED": ("DE", dict(schedule_b="85423")),
    "EXPORT_PROHIBITED": ("CN", dict(eccn=None, usml_category="XI", license_code="S05", license_number="050123456")),
}


@pytest.mark.parametrize("code", sorted(FAILURES))
def test_each_failure_becomes_a_targeting_reason(ref, code):
    from exodus.core.targeting import signals as sig
    from exodus.core.targeting.engine import fire
    from exodus.core.targeting.rules import default_rules

    dest, changes = FAILURES[code]
    line = _line(**changes)
    filing = _filing(dest, line)
    det = determine(ref, item_from_line(line), dest)
    findings = [f for f in check_line(ref, filing, line, det) if f.code == code]
    assert findings, f"{code} not reported"
    signals = sig.finding_signals(findings)
    if code == "EXPORT_PROHIBITED":
        signals += sig.determination_signals(line.line_no, det)
    reasons = fire(default_rules(), signals, filing.export_date)
    assert reasons, f"no targeting rule fires on {code}"
    assert any(findings[0].text in r.text or det.outcome.value in r.text.replace(" ", "_") for r in reasons)
