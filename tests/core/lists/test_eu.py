from __future__ import annotations

from pathlib import Path

import pytest

from exodus.core.lists import EntitySchema, ListRelease, read_eu_fsf
from exodus.errors import DataSourceError


def test_counts_and_the_broken_row(eu_release: ListRelease) -> None:
    assert len(eu_release.entities) == 93
    # Line 55 of the real file has a stray ";" inside a field.
    assert [(p.location, p.problem) for p in eu_release.problems] == [
        ("EUSanctionsShort.csv line 55", "expected 59 fields, found 60")
    ]
    assert eu_release.published is not None
    assert eu_release.published.date().isoformat() == "2018-07-04"


def test_mugabe(eu_release: ListRelease) -> None:
    mugabe = {e.id: e for e in eu_release.entities}["EU:1"]
    assert mugabe.name == "Robert Gabriel Mugabe"
    assert mugabe.schema is EntitySchema.PERSON
    assert mugabe.programs == ("ZWE",)


def test_aliases_and_alpha3_countries(eu_release: ListRelease) -> None:
    majid = {e.id: e for e in eu_release.entities}["EU:29"]
    assert majid.name == "Ali Hassan Al-Majid Al-Tikriti"
    assert "Al-Kimawi" in majid.all_names()
    assert majid.countries == ("IQ",)


def test_wrong_header_raises(tmp_path: Path) -> None:
    path = tmp_path / "eu.csv"
    path.write_text('"a;b;c"\n"1;2;3"\n', encoding="utf-8")
    with pytest.raises(DataSourceError, match="not an EU FSF"):
        read_eu_fsf(path)
