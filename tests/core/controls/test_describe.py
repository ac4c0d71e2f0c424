"""Controlled goods hidden in plain descriptions: caught and not caught."""

from __future__ import annotations


import pytest

from exodus.core.controls import (
    build_eval_set,
    candidate_matters,
    flag_description,
    load_reference,
)
from exodus.core.filings.model import CommodityLine


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def _line(description: str, schedule_b: str = "9999999999", eccn: str | None = None):
    return CommodityLine(1, schedule_b, description, 1, "NO", 500.0, 2.0, eccn=eccn)


def _codes(ref, description: str, dest: str = "DE", **kwargs) -> set[str]:
    return {f.code for f in flag_description(ref, _line(description, **kwargs), dest)}


def test_cas_number_of_cw_precursor(ref):
    findings = flag_description(
        ref, _line("Industrial solvent, CAS 111-48-8, 4 drums"), "AE"
    )
    cas = [f for f in findings if f.code == "CAS_LISTED"]
    assert cas and cas[0].severity == "high"
    assert "1C350.b.22" in cas[0].evidence["candidates"]


def test_cas_with_bad_check_digit_ignored(ref):
    assert "CAS_LISTED" not in _codes(ref, "solvent CAS 111-48-9")


def test_chemical_names(ref):
    assert "CHEMICAL_NAME" in _codes(ref, "THIODIGLYCOL 99% 200 KG")
    findings = flag_description(ref, _line("benzyl cyanide reagent grade"), "MX")
    assert any(
        f.code == "CHEMICAL_NAME" and "DEA List I" in f.evidence["candidates"]
        for f in findings
    )


def test_chpl_to_russia_and_hubs(ref):
    chips = {"schedule_b": "8542310015"}
    ru = flag_description(ref, _line("electronic components", **chips), "RU")
    assert [f.severity for f in ru if f.code == "CHPL_DESTINATION"] == ["high"]
    hub = flag_description(ref, _line("electronic components", **chips), "KG")
    assert [f.severity for f in hub if f.code == "CHPL_DESTINATION"] == ["medium"]
    assert "CHPL_DESTINATION" not in _codes(ref, "electronic components", "FR", **chips)


@pytest.mark.parametrize(
    "text",
    [
        "machine tool spindle assembly",
        "FREQUENCY SYNTHESIZER MODULE",
        "unmanned aerial vehicle airframe",
        "digital oscilloscope",
    ],
)
def test_controlled_wording_caught(ref, text):
    # Russia: every CCL entry needs a license (746.8(a)(1)), so every match matters.
    assert "DESCRIPTION_RESEMBLES_CONTROLLED" in _codes(ref, text, "RU")


@pytest.mark.parametrize(
    "text",
    [
        "valve for garden hose",
        "pressure gauge for tire",
        "cotton t-shirts, men's",
        "wooden dining chairs",
        "frozen shrimp",
    ],
)
def test_ordinary_goods_not_flagged(ref, text):
    assert _codes(ref, text, "RU") == set()


def test_at_only_candidate_flagged_only_where_it_matters(ref):
    # 2A992 stainless-steel valves are AT-only: NLR to Germany, a license to Iran.
    text = "Valves for pipelines, stainless steel"
    assert "DESCRIPTION_RESEMBLES_CONTROLLED" not in _codes(ref, text, "DE")
    assert "DESCRIPTION_RESEMBLES_CONTROLLED" in _codes(ref, text, "IR")


@pytest.mark.parametrize("eccn, says", [("EAR99", "declared EAR99"), ("ear99", "declared EAR99"),
                                         (None, "no ECCN or USML category was declared")])
def test_resemblance_says_what_was_declared(ref, eccn, says):
    found = [f for f in flag_description(ref, _line("frequency synthesizer module", eccn=eccn), "RU")
             if f.code == "DESCRIPTION_RESEMBLES_CONTROLLED"]
    assert found and found[0].text.endswith(f"{says}.")


def test_declared_eccn_suppresses_text_match(ref):
    assert "DESCRIPTION_RESEMBLES_CONTROLLED" not in _codes(
        ref, "machine tool spindle assembly", eccn="2B008"
    )


def test_finding_names_trigger_words(ref):
    found = next(
        f
        for f in flag_description(ref, _line("frequency synthesizer"), "CN")
        if f.code == "DESCRIPTION_RESEMBLES_CONTROLLED"
    )
    assert "synthesizer" in found.evidence["trigger"]
    assert found.evidence["candidates"][0]["candidate"].startswith("3A")


def test_eval_set_recall_and_false_positives(ref):
    lines = [x for x in build_eval_set(ref)[1::4] if x.kind in {"text", "ordinary"}]
    caught = flagged = controlled = ordinary = 0
    for item in lines:
        if item.controlled and not candidate_matters(ref, item.label, "CN"):
            continue
        hit = "DESCRIPTION_RESEMBLES_CONTROLLED" in _codes(ref, item.text, "CN")
        if item.controlled:
            controlled += 1
            caught += hit
        else:
            ordinary += 1
            flagged += hit
    assert controlled > 300 and ordinary > 500
    assert caught / controlled > 0.85
    assert flagged / ordinary < 0.03


def test_biological_agent_names(ref):
    found = flag_description(ref, _line("Bacillus anthracis culture, research sample"), "DE")
    bio = [f for f in found if f.code == "BIOLOGICAL_AGENT_NAME"]
    assert bio and bio[0].evidence["candidates"] == ["1C351.c.1"] and bio[0].severity == "high"
    assert "BIOLOGICAL_AGENT_NAME" in _codes(ref, "RICIN 1 mg reference standard")
    # "T-2 toxin" would reduce to the bare word "toxin": it is not used as a name.
    assert _codes(ref, "toxin removal filter cartridge") == set()
    assert _codes(ref, "yellow fever vaccine, 10 doses") == set()


def test_chemical_and_biological_eval_lines_are_caught(ref):
    lines = [x for x in build_eval_set(ref) if x.kind in {"chemical", "biological"}]
    assert len(lines) > 150
    names = {"CAS_LISTED", "CHEMICAL_NAME", "BIOLOGICAL_AGENT_NAME"}
    caught = sum(bool(_codes(ref, x.text) & names) for x in lines)
    # One chemical form in six runs the words together and is not expected to match.
    assert caught / len(lines) > 0.75


def test_ordinary_lines_rarely_name_a_listed_chemical(ref):
    ordinary = [x for x in build_eval_set(ref) if x.kind == "ordinary"][::3]
    names = {"CAS_LISTED", "CHEMICAL_NAME", "BIOLOGICAL_AGENT_NAME"}
    flagged = sum(bool(_codes(ref, x.text) & names) for x in ordinary)
    assert flagged / len(ordinary) < 0.02
