from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from exodus.core.lists import (
    AliasStrength,
    EntitySchema,
    ListRelease,
    read_csl_compact,
    read_csl_csv,
    read_csl_json,
)
from exodus.core.lists.csl import source_code
from exodus.errors import DataSourceError

from .conftest import CSL_COMPACT, FIXTURES

# Counts stated for the 2026-07-31 list in shared SOURCES.md / PROVENANCE.md.
EXPECTED_BY_SOURCE = {
    "SDN": 19181, "EL": 3420, "DPL": 1596, "DTC": 787, "SSI": 286, "UVL": 222,
    "ISN": 161, "PLC": 78, "MEU": 70, "CMIC": 68, "NS-MBS": 51, "CAP": 1,
}  # fmt: skip


def test_compact_counts_match_the_published_counts(csl_compact: ListRelease) -> None:
    assert len(csl_compact.entities) == 25921
    assert Counter(e.source for e in csl_compact.entities) == EXPECTED_BY_SOURCE
    assert csl_compact.problems == []
    assert len({e.id for e in csl_compact.entities}) == 25921
    assert csl_compact.published is not None
    assert csl_compact.published.date().isoformat() == "2026-07-31"


def test_compact_sdn_entry(csl_compact: ListRelease) -> None:
    entities = {e.id: e for e in csl_compact.entities}
    bnc = entities["SDN:306"]
    assert bnc.name == "BANCO NACIONAL DE CUBA"
    assert bnc.schema is EntitySchema.ORGANIZATION
    assert "NATIONAL BANK OF CUBA" in bnc.all_names()
    assert bnc.programs == ("CUBA",)
    assert set(bnc.countries) == {"CH", "ES", "JP", "PA"}


def test_compact_entity_list_entry_keeps_license_terms(
    csl_compact: ListRelease,
) -> None:
    [alexsong] = [e for e in csl_compact.entities if e.name == "Alexsong PTE LTD"]
    assert alexsong.source == "EL"
    assert alexsong.schema is EntitySchema.ORGANIZATION
    assert alexsong.countries == ("SG",)
    assert alexsong.federal_register == "87 FR 13141"
    assert alexsong.license_requirement is not None
    assert alexsong.license_requirement.startswith("For all items subject to the EAR")
    assert alexsong.license_policy is not None
    assert "denial" in alexsong.license_policy.lower()
    assert [a.name for a in alexsong.aliases] == ["Champion Way Pte Ltd."]


def test_compact_types_map_to_schemas(csl_compact: ListRelease) -> None:
    schemas = Counter(
        (e.source, e.schema) for e in csl_compact.entities if e.source == "SDN"
    )
    assert schemas[("SDN", EntitySchema.PERSON)] == 7473
    assert schemas[("SDN", EntitySchema.VESSEL)] == 1524
    assert schemas[("SDN", EntitySchema.AIRCRAFT)] == 344
    uvl = [e for e in csl_compact.entities if e.source == "UVL"]
    assert all(e.schema is EntitySchema.ORGANIZATION for e in uvl)


def test_compact_country_names_become_codes(csl_compact: ListRelease) -> None:
    # The compact file writes "TURKIYE" for some Unverified List parties.
    [fast] = [e for e in csl_compact.entities if e.name == "Fast Aviation"]
    assert fast.countries == ("TR",)
    codes = {c for e in csl_compact.entities for c in e.countries}
    assert all(len(c) == 2 and c.isupper() for c in codes)


def test_compact_ids_without_entity_number_are_stable(tmp_path: Path) -> None:
    doc = json.loads(CSL_COMPACT.read_text(encoding="utf-8"))
    doc["entries"] = doc["entries"][-40:]
    small = tmp_path / "small.json"
    small.write_text(json.dumps(doc), encoding="utf-8")
    first = {e.name: e.id for e in read_csl_compact(small).entities}
    doc["entries"] = list(reversed(doc["entries"]))
    small.write_text(json.dumps(doc), encoding="utf-8")
    second = {e.name: e.id for e in read_csl_compact(small).entities}
    assert first == second
    assert first["Identiparts Ltd."].startswith("UVL:")


def test_compact_bad_entries_are_reported_and_the_rest_load(tmp_path: Path) -> None:
    doc = json.loads(CSL_COMPACT.read_text(encoding="utf-8"))
    doc["entries"] = doc["entries"][:10] + [{"s": 2}, "junk", {"n": "X", "s": 999}]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    release = read_csl_compact(path)
    assert len(release.entities) == 10
    assert [p.location for p in release.problems] == [
        "bad.json entry 11",
        "bad.json entry 12",
        "bad.json entry 13",
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b'{"entries": [{"n": "A"', "not valid JSON"),
        (b'{"results": []}', "no 'entries' list"),
    ],
)
def test_compact_unreadable_file_raises(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "list.json"
    path.write_bytes(content)
    with pytest.raises(DataSourceError, match=reason) as raised:
        read_csl_compact(path)
    assert str(path) in raised.value.detail


def test_source_codes_come_from_labels() -> None:
    assert source_code("Capta List (CAP) - Treasury Department") == "CAP"
    label = "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department"
    assert source_code(label) == "NS-MBS"
    assert (
        source_code("Military End User (MEU) List - Bureau of Industry and Security")
        == "MEU"
    )


def test_csv_2019_layout(data_dir: Path) -> None:
    release = read_csl_csv(data_dir / "csl" / "csl_subset_2019.csv")
    assert len(release.entities) == 115
    assert release.problems == []
    assert Counter(e.source for e in release.entities) == {
        "SDN": 28, "SSI": 26, "EL": 22, "PLC": 13, "DTC": 10, "DPL": 8, "UVL": 4,
        "ISN": 3, "CAP": 1,
    }  # fmt: skip
    entities = {e.id: e for e in release.entities}
    psa = entities["SDN:20264"]
    assert psa.ids[0].type == "Tax ID No."
    assert psa.ids[0].value == "80-0890696"
    assert psa.ids[0].country == "US"
    assert psa.addresses[0].country == "US"
    canada = entities["SDN:8124"]
    assert {a.name for a in canada.aliases} == {"CARIBE SOL", "HAVANTUR CANADA INC."}
    assert canada.countries == ("CA",)
    akbari = entities["SDN:27271"]
    assert akbari.dates_of_birth == ("1967-10-31",)
    assert akbari.ids[0].type == "Passport"
    # Notes such as "Subject to Directive 3" are not identifiers.
    zavod = entities["SSI:18792"]
    assert [i.type for i in zavod.ids] == ["Tax ID No."]


def test_csv_2025_layout_with_leading_id(data_dir: Path) -> None:
    release = read_csl_csv(data_dir / "csl" / "consolidated_sample_2025.csv")
    assert len(release.entities) == 13
    entities = {e.id: e for e in release.entities}
    rim = entities["SDN:52291"]
    assert rim.schema is EntitySchema.PERSON
    assert rim.dates_of_birth == ("1978-12-05",)
    assert [(i.type, i.value, i.country) for i in rim.ids] == [
        ("Passport", "836238033", "KP")
    ]
    assert set(rim.countries) == {"CN", "KP"}
    assert {e.source for e in release.entities} >= {"MEU", "FSE", "ISN", "UVL", "DTC"}


def test_csv_malformed_rows_reported_by_line(data_dir: Path, tmp_path: Path) -> None:
    lines = (data_dir / "csl" / "csl_subset_2019.csv").read_text(encoding="utf-8")
    rows = lines.splitlines()
    broken = [rows[0], rows[1], "Entity List (EL) - Bureau,,,too,few", rows[2],
              ",,,,,,,,,,,,,,,,,,,,,,,,,,,", rows[3]]  # fmt: skip
    path = tmp_path / "consolidated.csv"
    path.write_text("\n".join(broken) + "\n", encoding="utf-8")
    release = read_csl_csv(path)
    assert len(release.entities) == 3
    assert [p.location for p in release.problems] == ["consolidated.csv line 3"]
    assert "expected 28 fields, found 5" in release.problems[0].problem


def test_csv_wrong_header_raises(tmp_path: Path) -> None:
    path = tmp_path / "consolidated.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match="header lacks"):
        read_csl_csv(path)


def test_official_json_layout() -> None:
    release = read_csl_json(FIXTURES / "consolidated.json")
    assert len(release.entities) == 3
    assert [p.location for p in release.problems] == ["consolidated.json result 4"]
    entities = {e.name: e for e in release.entities}
    rim = entities["RIM, Ryong Nam"]
    assert rim.id == "SDN:52291"
    assert rim.ids[0].value == "836238033"
    assert len(rim.ids) == 1  # "Gender" is a note, not an identifier
    assert rim.addresses[0].city == "Shenyang"
    assert set(rim.countries) == {"CN", "KP"}
    meu = entities["Academy of Aerospace Solid Propulsion Technology (AASPT)"]
    assert meu.source == "MEU"
    assert meu.aliases[0].name == "AASPT"
    assert meu.aliases[0].strength is AliasStrength.STRONG
    assert meu.addresses[0].full.endswith("Xian, CN")
    assert release.published is not None
    assert release.published.date().isoformat() == "2025-06-12"


def test_non_ofac_ids_agree_across_shapes(csl_compact: ListRelease) -> None:
    release = read_csl_json(FIXTURES / "consolidated.json")
    atlas = next(e for e in release.entities if e.name == "Atlas Sanatgaran")
    compact_atlas = next(
        e for e in csl_compact.entities if e.name == "Atlas Sanatgaran"
    )
    assert atlas.id == compact_atlas.id


def test_aliases_written_into_the_name_are_split(csl_compact: ListRelease) -> None:
    lims = [e for e in csl_compact.entities if e.name == "KOW SENG LIM"]
    aliases = {a.name for e in lims for a in e.aliases}
    assert {"ERIC LIM", "JAMES WONG", "ALVIN STANLEY"} <= aliases
    [s7] = [e for e in csl_compact.entities if e.name == "SIBERIAN AIRLINES"]
    assert s7.source == "DPL"
    assert s7.schema is EntitySchema.ORGANIZATION
    assert "S7 AIRLINES" in s7.all_names()
