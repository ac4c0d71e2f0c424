"""Reference data loading and edition selection by date."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from exodus.core.controls import (
    ItemQuery,
    determine,
    list_editions,
    load_reference,
)
from exodus.core.controls.reference import DEFAULT_ROOT
from exodus.errors import InvalidInput


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def test_base_edition_contents(ref):
    assert ref.edition == "base"
    assert len(ref.ccl) == 633
    assert ref.ccl["3A001"].reasons >= {"NS", "AT"}
    assert ref.groups["CN"] >= {"D:1", "D:5"}
    assert ref.groups["HK"] == ref.groups["CN"]
    assert "D:5" not in ref.groups["MO"]
    assert ref.group_members["E:1"] == frozenset({"IR", "KP", "SY"})
    assert ref.chart["RU"].footnotes == (6,)
    assert "6" in ref.chart_footnotes[6] or "746.8" in ref.chart_footnotes[6]
    assert ref.chemicals_by_cas["111-48-8"][0].paragraph == "1C350.b.22"
    assert ref.chpl["854231"] == "Tier 1"
    assert "8542310015" in ref.hts10 and "854231" in ref.hs6
    assert ref.aes_license_codes["C32"].removed_on == date(2016, 10, 1)
    assert {"HK", "MO", "AE", "TR"} <= ref.transshipment_hubs
    assert ref.itar_126_1["CN"].list_part == "(d)(1)"
    assert ref.usml["XI"].title == "Military Electronics"
    assert "2704" in ref.ports


def test_every_piece_of_the_collection_is_loaded(ref):
    # CCL with reasons, chart columns and exception flags
    assert ref.ccl["5A002"].flag_available("ENC") and ref.ccl["3A001"].rows[0].column == "NS1"
    # Country Chart (196 graded rows + 4 embargoed) with its ten footnotes
    assert len(ref.chart) == 200 and len(ref.chart_footnotes) == 10
    assert ref.chart["IR"].embargo_pointer and not ref.chart["IR"].marks
    # country groups, D:5 (22 countries, plus Hong Kong read as China)
    assert len(ref.group_members["D:5"]) == 23 and "HK" in ref.group_members["D:5"]
    # License Exceptions of Part 740, and those Part 746 leaves per destination
    assert {"LVS", "GBS", "STA", "ENC", "IEC"} <= set(ref.license_exceptions)
    assert {e.symbol for e in ref.embargo_exceptions["RU"]} >= {"GOV", "CCD", "MED"}
    assert "RPL" not in {e.symbol for e in ref.embargo_exceptions["RU"]}
    # USML categories and 22 CFR 126.1
    assert len(ref.usml) == 21 and ref.itar_126_1["IQ"].paragraph == "f"
    # embargo programs by country (OFAC and Part 746)
    assert {p.agency for p in ref.embargoes["IR"]} == {"OFAC", "BIS"}
    # 1C350 / 1C355 with CAS, 1C351 agents, DEA lists
    sources = [c.source for c in ref.chemicals]
    assert sources.count("1C350") == 84 and sources.count("1C355") == 13 and sources.count("DEA") == 50
    assert len(ref.bio_agents) == 109
    # CHPL HS-6 by tier, HTS 2025 ten-digit lines
    assert len(ref.chpl) == 50 and len(ref.hts10) == 19731
    # AES license codes, export information codes, modes of transport
    assert len(ref.aes_license_codes) == 47
    assert {"OS", "IW"} <= set(ref.export_information_codes)
    assert {"10", "20", "40"} <= set(ref.mot_codes)


def test_gaps_are_explicit(ref):
    ids = {gap.gap_id for gap in ref.gaps}
    assert {
        "PART746_HTS_SUPPLEMENTS",
        "ITAR_126_1_TABLES",
        "SCHEDULE_B",
        "NRC_DOE_LISTS",
    } <= ids
    provenance = (DEFAULT_ROOT / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "## GAPS" in provenance
    for gap_id in ids:
        assert gap_id in provenance


def test_country_names_and_codes(ref):
    assert ref.country_code("Hong Kong") == "HK"
    assert ref.country_code("china") == "CN"
    assert ref.country_code("Korea, North") == "KP"
    assert ref.country_code("crimea") == "UA-43"
    with pytest.raises(InvalidInput):
        ref.country_code("Narnia")


def _second_edition(tmp_path: Path) -> Path:
    """Copy the base edition and add one that marks Germany NS2 from 2027-03-01."""
    root = tmp_path / "reference"
    shutil.copytree(DEFAULT_ROOT, root, ignore=shutil.ignore_patterns("editions"))
    edition = root / "editions" / "2027-03-01"
    (edition / "ear").mkdir(parents=True)
    (edition / "edition.json").write_text(
        json.dumps({"effective": "2027-03-01", "note": "test edition"}),
        encoding="utf-8",
    )
    chart = (
        (root / "ear" / "country_chart.csv").read_text(encoding="utf-8").splitlines()
    )
    header = chart[0].split(",")
    ns2 = header.index("NS2")
    for index, row in enumerate(chart):
        if row.startswith("Germany,"):
            cells = row.split(",")
            cells[ns2] = "X"
            chart[index] = ",".join(cells)
    (edition / "ear" / "country_chart.csv").write_text(
        "\n".join(chart) + "\n", encoding="utf-8"
    )
    return root


def test_edition_selected_by_export_date(tmp_path):
    root = _second_edition(tmp_path)
    editions = [e.edition_id for e in list_editions(root)]
    assert editions == ["base", "2027-03-01"]

    before = load_reference(on=date(2027, 2, 28), root=root)
    after = load_reference(on=date(2027, 3, 1), root=root)
    assert before.edition == "base" and after.edition == "2027-03-01"
    # Files the new edition does not carry are read from the base edition.
    assert len(after.ccl) == len(before.ccl)

    item = ItemQuery(eccn="3A001.a.1")
    assert determine(before, item, "DE").outcome.value == "no_license_required"
    assert determine(after, item, "DE").outcome.value != "no_license_required"


def test_edition_by_name_and_latest(tmp_path):
    root = _second_edition(tmp_path)
    assert load_reference(root=root).edition == "2027-03-01"
    assert load_reference("base", root=root).edition == "base"
    # An export date before every edition is judged by the oldest one.
    assert load_reference(on=date(2020, 1, 1), root=root).edition == "base"
    with pytest.raises(InvalidInput):
        load_reference("1999-01-01", root=root)


def test_load_is_cached():
    assert load_reference() is load_reference()
