"""The `exodus` command refuses bad countries, screens the good rows of a file, reports once, and names an unreachable database."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import filing_data, unique_id


@pytest.fixture(scope="module")
def home(exodus_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("cli-inputs") / "home"
    shutil.copytree(exodus_home, copy)
    return copy


def exodus(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"EXODUS_HOME": str(home), "PATH": "/usr/bin:/bin", "HOME": str(home), **env}
    return subprocess.run([sys.executable, "-m", "exodus.cli.main", *args], capture_output=True, text=True,
                          env=base, timeout=300)


def test_country_must_be_iso_alpha_2(home: Path) -> None:
    refused = exodus(home, "screen", "Bank Melli", "--country", "GERMANY")
    assert refused.returncode == 2
    assert "--country" in refused.stderr and "GERMANY" in refused.stderr and "Traceback" not in refused.stderr
    hit = json.loads(exodus(home, "screen", "Kalashnikov Concern", "--country", "ru", "--format", "json").stdout)[0]
    recorded = exodus(home, "adjudicate", "record", "--party", "Kalashnikov Concern", "--entry", hit["entry_id"],
                      "--decision", "false_positive", "--reason", "different company in another country",
                      "--country", "GERMANY")
    assert recorded.returncode == 2 and "--country" in recorded.stderr
    listed = exodus(home, "adjudicate", "list", "--format", "json")
    assert all(row["party_country"] != "GERMANY" for row in json.loads(listed.stdout or "[]"))


def test_screen_file_reports_bad_rows_and_screens_the_rest(home: Path, tmp_path: Path) -> None:
    parties = tmp_path / "parties.csv"
    parties.write_text("id,name,country\nP1,,RU\nP2,Kalashnikov Concern,RU\nP3,Kalashnikov Concern,RUSSIA\n")
    done = exodus(home, "screen", "--file", str(parties), "--format", "csv")
    assert done.returncode == 1
    assert "parties.csv line 2: field 'name' is empty" in done.stderr
    assert "parties.csv line 4: field 'country'" in done.stderr
    assert {r["id"] for r in csv.DictReader(io.StringIO(done.stdout))} == {"P2"}


def test_ingest_prints_each_rejected_record_once(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "day.jsonl"
    bad = filing_data(filing_id=unique_id(), port_of_export="LAX")
    path.write_text(json.dumps(filing_data(filing_id=unique_id())) + "\n" + json.dumps(bad) + "\n")
    done = exodus(home, "ingest", str(path))
    assert done.returncode == 1
    assert done.stderr.count("day.jsonl line 2") == 1, done.stderr


def test_unreachable_database_is_one_line_naming_the_url(home: Path) -> None:
    url = "postgresql+psycopg://exodus:hunter2secret@127.0.0.1:1/exodus"
    done = exodus(home, "lists", "status", EXODUS_DATABASE_URL=url)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "hunter2secret" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "127.0.0.1:1/exodus" in lines[0] and "cannot reach the database" in lines[0]
