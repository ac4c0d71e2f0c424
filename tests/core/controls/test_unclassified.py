"""An item with no ECCN or USML category is not cleared until classified."""

from __future__ import annotations

import pytest

from exodus.core.controls import ItemQuery, Outcome, determine, load_reference


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def _labels(det):
    return [label for label, _, _ in det.candidates]


def test_ammunition_to_china_without_classification_is_not_cleared(ref):
    det = determine(ref, ItemQuery(hts="9306304100", description="Cartridges for rifles, 7.62mm"), "CN")
    assert det.outcome is Outcome.CLASSIFICATION_NEEDED
    assert not det.license_required  # not known to need one, but not cleared either
    out = det.to_dict()
    assert out["classification"] is None
    assert out["reasons"][0]["code"] == "CLASSIFICATION_NEEDED"
    # HTS chapter 93 points to firearms/ammunition entries or USML categories.
    assert any(label.startswith(("0A5", "0B5", "USML")) for label in _labels(det))


def test_integrated_circuits_without_classification_list_ccl_candidates(ref):
    det = determine(ref, ItemQuery(hts="8542.31"), "CN")
    assert det.outcome is Outcome.CLASSIFICATION_NEEDED
    assert any(label.startswith("3A") for label in _labels(det))
    assert det.to_dict()["candidates"][0]["source"] == "hts"


def test_wording_alone_gives_candidates(ref):
    det = determine(ref, ItemQuery(description="radiation hardened FPGA"), "CN")
    assert det.outcome is Outcome.CLASSIFICATION_NEEDED
    assert "3A001" in _labels(det)


def test_ordinary_goods_have_no_candidates_but_stay_unclassified(ref):
    det = determine(ref, ItemQuery(hts="6109100012", description="cotton t-shirts"), "DE")
    assert det.outcome is Outcome.CLASSIFICATION_NEEDED
    assert det.candidates == ()


def test_declared_ear99_to_germany_needs_no_license(ref):
    det = determine(ref, ItemQuery(eccn="EAR99", hts="6109100012"), "DE")
    assert det.outcome is Outcome.NO_LICENSE_REQUIRED
    assert det.to_dict()["classification"] == "EAR99"
    assert det.candidates == ()


def test_unclassified_item_to_embargoed_destination_still_needs_a_license(ref):
    det = determine(ref, ItemQuery(hts="6109100012"), "KP")
    assert det.outcome in {Outcome.LICENSE_REQUIRED, Outcome.PROHIBITED}
    assert "CLASSIFICATION_NEEDED" in [r.code for r in det.reasons]
