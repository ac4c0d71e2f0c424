from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from exodus.core.lists import AliasStrength, EntitySchema, ListRelease, read_un_xml
from exodus.errors import DataSourceError


def test_counts_match_sources(un_release: ListRelease) -> None:
    schemas = Counter(e.schema for e in un_release.entities)
    assert schemas == {EntitySchema.PERSON: 730, EntitySchema.ORGANIZATION: 273}
    assert un_release.problems == []
    assert un_release.published is not None
    assert un_release.published.date().isoformat() == "2026-02-27"
    programs = Counter(p for e in un_release.entities for p in e.programs)
    assert programs["Al-Qaida"] == 341
    assert programs["DPRK"] == 155


def test_aliases_by_quality(un_release: ListRelease) -> None:
    persons = [e for e in un_release.entities if e.schema is EntitySchema.PERSON]
    listed = [a for e in persons for a in e.aliases if a.kind != "original_script"]
    strengths = Counter(a.strength for a in listed)
    # 1,524 "Good" and 615 "Low" aliases; a few repeat the primary name.
    assert strengths[AliasStrength.WEAK] >= 600
    assert strengths[AliasStrength.STRONG] >= 1500
    gaston = {e.id: e for e in un_release.entities}["UN:CDi.003"]
    assert gaston.name == "GASTON IYAMUREMYE"
    assert [a.name for a in gaston.aliases if a.strength is AliasStrength.WEAK] == [
        "Rumuli"
    ]
    assert gaston.dates_of_birth == ("1948",)
    assert set(gaston.countries) == {"CD", "RW"}


def test_original_script_name_is_an_alias(un_release: ListRelease) -> None:
    saddam = {e.id: e for e in un_release.entities}["UN:IQi.001"]
    original = [a for a in saddam.aliases if a.kind == "original_script"]
    assert original[0].name == "صدام حسين التكريتي"
    assert saddam.dates_of_birth == ("1937-04-28",)


def test_entity_fka_and_documents(un_release: ListRelease) -> None:
    entities = {e.id: e for e in un_release.entities}
    adf = entities["UN:CDe.001"]
    assert adf.schema is EntitySchema.ORGANIZATION
    assert {a.name for a in adf.aliases if a.kind == "fka"} >= {"NALU", "ADF/NALU"}
    ngaruye = entities["UN:CDi.019"]
    assert ngaruye.ids[0].value == "1-78-09-44621-80"


def test_truncated_xml_raises(data_dir: Path, tmp_path: Path) -> None:
    data = (data_dir / "un" / "UN_consolidated.xml").read_bytes()
    path = tmp_path / "consolidated.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataSourceError, match="not readable XML"):
        read_un_xml(path)


def test_record_without_reference_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_text(
        "<CONSOLIDATED_LIST><INDIVIDUALS>"
        "<INDIVIDUAL><FIRST_NAME>NO REF</FIRST_NAME></INDIVIDUAL>"
        "<INDIVIDUAL><FIRST_NAME>ERIC</FIRST_NAME><SECOND_NAME>BADEGE</SECOND_NAME>"
        "<REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER></INDIVIDUAL>"
        "</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>",
        encoding="utf-8",
    )
    release = read_un_xml(path)
    assert [e.id for e in release.entities] == ["UN:CDi.001"]
    assert release.entities[0].name == "ERIC BADEGE"
    assert [p.location for p in release.problems] == ["consolidated.xml INDIVIDUAL 1"]
