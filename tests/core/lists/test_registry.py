from __future__ import annotations

from pathlib import Path

import pytest

from exodus.core.lists import (
    bundled_releases,
    countries_in,
    detect_format,
    load_bundled,
    read_list,
    to_iso2,
    with_ofac_details,
)
from exodus.core.lists.model import Address, EntitySchema, ListEntity, ListRelease
from exodus.core.lists.ofac import read_ofac
from exodus.errors import DataSourceError

from .conftest import CSL_COMPACT, FIXTURES


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("csl/consolidated-screening-list.2026-07-31.compact.json", "csl-compact"),
        ("csl/csl_subset_2019.csv", "csl-csv"),
        ("csl/consolidated_sample_2025.csv", "csl-csv"),
        ("ofac", "ofac"),
        ("ofac/sdn.csv", "ofac"),
        ("ofac/cons_prim.csv", "ofac"),
        ("un/UN_consolidated.xml", "un-xml"),
        ("bis/dpl.txt", "bis-dpl"),
        ("uk/sanctionsconlist.csv", "uk-conlist"),
        ("eu/EUSanctionsShort.csv", "eu-fsf"),
    ],
)
def test_detect_format(data_dir: Path, relative: str, expected: str) -> None:
    assert detect_format(data_dir / relative) == expected


def test_detect_official_json() -> None:
    assert detect_format(FIXTURES / "consolidated.json") == "csl-json"


def test_detect_renamed_ofac_file_by_content(data_dir: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "download.csv"
    renamed.write_bytes((data_dir / "ofac" / "cons_prim.csv").read_bytes())
    assert detect_format(renamed) == "ofac"


def test_unknown_format_raises(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match="not a screening-list format"):
        read_list(path)


def test_read_list_of_ofac_directory_reads_both_sets(ofac_all) -> None:  # type: ignore[no-untyped-def]
    assert ofac_all.source == "ofac"
    assert len(ofac_all.entities) == 14965 + 442


def test_bundled_set() -> None:
    names = [p.name for p in bundled_releases()]
    assert names == [
        CSL_COMPACT.name,
        "cons_prim.csv",
        "UN_consolidated.xml",
        "dpl.txt",
        "sanctionsconlist.csv",
        "EUSanctionsShort.csv",
    ]


def test_load_bundled_enriches_csl_without_double_counting() -> None:
    releases = load_bundled()
    sizes = {r.source: len(r.entities) for r in releases}
    assert sizes == {
        "csl": 25921,
        "ofac-cons": 442,
        "un": 1003,
        "bis-dpl": 461,
        "uk-ofsi": 2106,
        "eu-fsf": 93,
    }
    csl = {e.id: e for e in releases[0].entities}
    bnc = csl["SDN:306"]
    assert bnc.addresses and bnc.addresses[0].country == "CH"
    assert "BNC" in bnc.all_names()
    zawahiri = csl["SDN:2676"]
    assert zawahiri.dates_of_birth == ("1951-06-19",)
    assert any(i.type == "Passport" for i in zawahiri.ids)


def test_a_later_csl_release_gets_the_same_ofac_details_as_the_bundled_load() -> None:
    bundled = load_bundled()[0].entities
    loaded_ofac = read_list(CSL_COMPACT.parents[1] / "ofac" / "cons_prim.csv").entities
    later = with_ofac_details(read_list(CSL_COMPACT), loaded_ofac).entities
    assert later == bundled
    assert sum(1 for e in later if e.source == "SDN" and e.addresses) > 10000


def test_loaded_ofac_details_win_over_the_bundled_sdn_files(data_dir: Path) -> None:
    sdn = next(e for e in read_ofac(data_dir / "ofac" / "sdn.csv").entities if e.addresses)
    listed = ListEntity(id=sdn.id, source="SDN", source_id=sdn.source_id, schema=EntitySchema.ORGANIZATION,
                        name=sdn.name)
    csl = ListRelease("csl", None, "0" * 64, "test", [listed])
    [bundled] = with_ofac_details(csl, []).entities
    assert bundled.addresses == sdn.addresses
    newer = ListEntity(id=sdn.id, source="SDN", source_id=sdn.source_id, schema=sdn.schema, name=sdn.name,
                       addresses=(Address("1 New Street", "Minsk", "BY"),))
    [enriched] = with_ofac_details(csl, [newer]).entities
    assert enriched.addresses == newer.addresses


def test_country_names() -> None:
    assert to_iso2("Region: Gaza") == "PS"
    assert to_iso2("Man, Isle of") == "IM"
    assert to_iso2("Cote d Ivoire") == "CI"
    assert to_iso2("Korea, North") == "KP"
    assert to_iso2("DPRK") == "KP"
    assert to_iso2("IRQ") == "IQ"
    assert to_iso2("Afghanistan (previous address)") == "AF"
    assert to_iso2("undetermined") is None
    assert countries_in("(1) Saudi Arabia (2) Qatar") == ("SA", "QA")
    assert countries_in("Tunisian") == ("TN",)
