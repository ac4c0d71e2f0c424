from __future__ import annotations

from pathlib import Path

import pytest

from exodus.core.lists import EntitySchema, ListRelease, read_dpl
from exodus.errors import DataSourceError


def test_rows_are_grouped_into_parties(dpl_release: ListRelease) -> None:
    # 581 rows; a party denied at several addresses has one row per address.
    assert len(dpl_release.entities) == 461
    assert sum(len(e.addresses) for e in dpl_release.entities) >= 570
    assert dpl_release.problems == []
    assert len({e.id for e in dpl_release.entities}) == 461
    # The newest Last_Update; the typo 3017-08-22 is ignored.
    assert dpl_release.published is not None
    assert dpl_release.published.date().isoformat() == "2022-09-02"


def test_entry_details(dpl_release: ListRelease) -> None:
    [villa] = [e for e in dpl_release.entities if e.name == "AARON ABRAHAM VILLA"]
    assert villa.source == "DPL"
    assert villa.federal_register == "87 F.R. 52741 8/29/2022"
    # Country is blank in the file; a U.S. state makes it US.
    assert villa.countries == ("US",)
    assert villa.addresses[0].full == "3415 RIVERA AVENUE, EL PASO, TX, 79905, US"
    assert villa.remarks is not None and "expires 01/14/2026" in villa.remarks
    [mahdi] = [e for e in dpl_release.entities if e.name == "ABDULAMIR MAHDI"]
    assert mahdi.countries == ("CA",)


def test_company_names_are_organizations(dpl_release: ListRelease) -> None:
    [cargo] = [e for e in dpl_release.entities if e.name == "AIR FREIGHT LTD"]
    assert cargo.schema is EntitySchema.ORGANIZATION
    assert len(cargo.addresses) >= 2


def test_malformed_rows_reported(data_dir: Path, tmp_path: Path) -> None:
    lines = (data_dir / "bis" / "dpl.txt").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "dpl.txt"
    path.write_text(
        "\n".join([lines[0], lines[1], '"BROKEN"\t"ROW"', lines[2], lines[3]]) + "\n",
        encoding="utf-8",
    )
    release = read_dpl(path)
    assert len(release.entities) == 3
    assert [p.location for p in release.problems] == ["dpl.txt line 3"]


def test_wrong_header_raises(tmp_path: Path) -> None:
    path = tmp_path / "dpl.txt"
    path.write_text("Name,City\nX,Y\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match="not a Denied Persons List"):
        read_dpl(path)
