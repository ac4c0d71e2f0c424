"""`exodus determine`: one object in JSON, every reason with its citation."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli import exodus, home_copy


@pytest.fixture(scope="module")
def home(exodus_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return home_copy(exodus_home, tmp_path_factory.mktemp("determine"))


def determine(home: Path, *args: str) -> dict:  # type: ignore[type-arg]
    done = exodus(home, "determine", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_eccn_to_china_needs_a_license(home: Path) -> None:
    # 3A001 NS -> NS Column 2, China marked (738.4(a)(2)).
    result = determine(home, "--eccn", "3A001.a.1", "--country", "CN")
    assert result["outcome"] == "license_required"
    assert result["agencies"] == ["BIS"]
    assert {"outcome", "agencies", "license_exceptions", "reasons"} <= set(result)
    assert all(r["citation"] for r in result["reasons"])
    assert result["reasons"][0]["code"] == "NS2"


def test_each_item_option(home: Path) -> None:
    assert determine(home, "--eccn", "EAR99", "--country", "DE")["outcome"] == "no_license_required"
    usml = determine(home, "--usml", "XI(c)", "--country", "CN")
    assert usml["outcome"] == "prohibited" and usml["agencies"] == ["DDTC"]
    cas = determine(home, "--cas", "111-48-8", "--country", "EG")
    assert cas["classification"] == "1C350.b.22" and "CW" in {r["code"] for r in cas["reasons"]}
    chips = determine(home, "--hts", "8542.31", "--eccn", "EAR99", "--country", "RU")
    assert chips["outcome"] == "license_required"
    assert "EMBARGO_RU_BY_CHPL" in {r["code"] for r in chips["reasons"]}


def test_party_is_screened_and_end_use_read(home: Path) -> None:
    # Mahan Air is an SDN of the bundled lists: blocked, and Iran is under OFAC's embargo.
    listed = determine(home, "--eccn", "EAR99", "--country", "IR", "--party", "Mahan Air")
    assert listed["parties"][0]["hits"], listed["parties"]
    assert listed["outcome"] in {"prohibited", "license_required"}
    navy = determine(home, "--eccn", "EAR99", "--country", "RU", "--end-use", "spare parts for the navy")
    assert "MILITARY_END_USE" in {r["code"] for r in navy["reasons"]}


def test_table_and_csv_and_errors(home: Path) -> None:
    table = exodus(home, "determine", "--eccn", "5A002", "--country", "GB")
    assert table.returncode == 0 and "license exception may apply" in table.stdout and "ENC" in table.stdout
    as_csv = exodus(home, "determine", "--eccn", "5A002", "--country", "GB", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert rows and all(r["citation"] for r in rows)
    bad = exodus(home, "determine", "--eccn", "3A001", "--country", "Atlantis")
    assert bad.returncode == 2 and "Atlantis" in bad.stderr
    nothing = exodus(home, "determine", "--country", "CN")
    assert nothing.returncode == 2 and "name the item" in nothing.stderr
