"""A wording's chemical findings are remembered; every line still gets its own answer.

The CAS and chemical-name findings read only the wording, so they are kept per
wording in the description index; the line number and the destination-dependent
findings (CHPL, resemblance to controlled texts) are the line's own.
"""

from __future__ import annotations

import pytest

from exodus.core.controls import flag_description, load_reference
from exodus.core.controls.describe import description_index
from exodus.core.filings.model import CommodityLine


@pytest.fixture(scope="module")
def ref():  # type: ignore[no-untyped-def]
    return load_reference()


WORDINGS = [
    "Industrial solvent, CAS 111-48-8, 4 drums",
    "Thiodiglycol, technical grade",
    "Sodium fluoride CAS 7681-49-4 and triethanolamine",
    "Valves for pipelines, stainless steel",
    "Integrated circuits, processors and controllers",
]


def _lines() -> list[tuple[CommodityLine, str]]:
    found = []
    for n, wording in enumerate(WORDINGS * 2, start=1):
        for dest in ("DE", "RU", "AE"):
            line = CommodityLine(n, "8542310000" if "circuits" in wording else "2920900000", wording, 1, "NO",
                                 500.0, 2.0)
            found.append((line, dest))
    return found


def test_remembered_wording_findings_equal_findings_afresh(ref) -> None:  # type: ignore[no-untyped-def]
    built = description_index(ref)
    built.wordings.clear()
    remembered = [[f.to_dict() for f in flag_description(ref, line, dest)] for line, dest in _lines()]
    assert set(built.wordings) == set(WORDINGS)
    afresh = []
    for line, dest in _lines():
        built.wordings.clear()
        afresh.append([f.to_dict() for f in flag_description(ref, line, dest)])
    assert remembered == afresh
    codes = {f["code"] for findings in remembered for f in findings}
    assert {"CAS_LISTED", "CHEMICAL_NAME", "CHPL_DESTINATION"} <= codes
    # Each line keeps its own number, also where its wording's findings were remembered.
    for (line, _), findings in zip(_lines(), remembered, strict=True):
        assert all(f["line_no"] == line.line_no for f in findings)
