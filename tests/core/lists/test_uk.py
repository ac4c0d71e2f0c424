from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from exodus.core.lists import EntitySchema, ListRelease, read_uk_conlist
from exodus.core.lists.uk import uk_date
from exodus.errors import DataSourceError


def test_groups_and_counts(uk_release: ListRelease) -> None:
    assert len(uk_release.entities) == 2106
    assert uk_release.problems == []
    assert uk_release.published is not None
    assert uk_release.published.date().isoformat() == "2018-04-13"
    schemas = Counter(e.schema for e in uk_release.entities)
    assert schemas[EntitySchema.PERSON] + schemas[EntitySchema.ORGANIZATION] == 2106


def test_individual_entry(uk_release: ListRelease) -> None:
    manan = {e.id: e for e in uk_release.entities}["UK:12701"]
    assert manan.name == "Abdul Satar ABDUL MANAN"
    assert manan.schema is EntitySchema.PERSON
    assert manan.dates_of_birth == ("1964",)
    assert set(manan.countries) >= {"AF", "PK"}
    assert ("Passport", "AM5421691", "PK") in {
        (i.type, i.value, i.country) for i in manan.ids
    }
    assert manan.programs == ("Afghanistan",)
    assert len(manan.addresses) >= 3


def test_prime_alias_is_the_name(uk_release: ListRelease) -> None:
    academy = {e.id: e for e in uk_release.entities}["UK:12871"]
    assert academy.name == "SECOND ACADEMY OF NATURAL SCIENCES"
    assert "SANSRI" in academy.all_names()
    assert academy.countries == ("KP",)


def test_malformed_rows_reported(data_dir: Path, tmp_path: Path) -> None:
    raw = (data_dir / "uk" / "sanctionsconlist.csv").read_bytes().decode("cp1252")
    lines = raw.splitlines()
    path = tmp_path / "conlist.csv"
    path.write_text(
        "\n".join([*lines[:4], "ONLY,THREE,FIELDS", lines[4]]) + "\n", encoding="utf-8"
    )
    release = read_uk_conlist(path)
    assert [p.location for p in release.problems] == ["conlist.csv line 5"]
    assert len(release.entities) >= 1


def test_first_line_must_be_last_updated(tmp_path: Path) -> None:
    path = tmp_path / "conlist.csv"
    path.write_text("Name 6,Name 1\nA,B\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match="Last Updated"):
        read_uk_conlist(path)


def test_uk_dates() -> None:
    assert uk_date("00/00/1980") == "1980"
    assert uk_date("00/05/1980") == "1980-05"
    assert uk_date("01/08/1979") == "1979-08-01"
    assert uk_date("unknown") is None
