"""The `exodus` command refuses bad countries, screens the good rows of a file, reports once, and names an unreachable database."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli import exodus, home_copy
from tests.conftest import filing_data, unique_id


@pytest.fixture(scope="module")
def home(exodus_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return home_copy(exodus_home, tmp_path_factory.mktemp("cli-inputs"))


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
    parties.write_text("id,name,country\nP1,,RU\nP2,Kalashnikov Concern,RU\nP3,Kalashnikov Concern,RUSSIA\n"
                       f"P4,{'K' * 5000},RU\n,Rosoboronexport,RU\n")
    done = exodus(home, "screen", "--file", str(parties), "--format", "csv")
    assert done.returncode == 1
    assert "parties.csv line 2 (id P1): field 'name' is empty" in done.stderr
    assert "parties.csv line 4 (id P3): field 'country'" in done.stderr
    assert "parties.csv line 5 (id P4): field 'name' is 5000 characters long; the limit is 500" in done.stderr
    assert {r["id"] for r in csv.DictReader(io.StringIO(done.stdout))} == {"P2", "line 6"}


def test_match_pairs_reports_short_and_empty_rows_and_compares_the_rest(home: Path, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("query,list_name\nKalashnikov Concern,Concern Kalashnikov\nonly-one-col\nfoo,\n,bar\n"
                     f"Rosoboronexport,Rosoboronexport OJSC\n{'Q' * 600},bar\n")
    done = exodus(home, "match", "--pairs", str(pairs), "--format", "csv")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "pairs.csv line 3: field 'list_name' is missing" in done.stderr
    assert "pairs.csv line 4: field 'list_name' is empty" in done.stderr
    assert "pairs.csv line 5: field 'query' is empty" in done.stderr
    assert "pairs.csv line 7: field 'query' is 600 characters long; the limit is 500" in done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["query"] for r in rows] == ["Kalashnikov Concern", "Rosoboronexport"]
    assert all(float(r["score"]) > 0.9 for r in rows)


def test_ingest_of_a_stale_record_names_it_and_exits_1(home: Path, tmp_path: Path) -> None:
    fid = unique_id()
    first = tmp_path / "new.jsonl"
    first.write_text(json.dumps(filing_data(filing_id=fid)) + "\n")
    assert exodus(home, "ingest", str(first)).returncode == 0
    old = tmp_path / "old.jsonl"
    old.write_text(json.dumps(filing_data(filing_id=fid, filed_at="2026-11-01T00:00:00Z", carrier="OLD")) + "\n")
    done = exodus(home, "ingest", str(old))
    assert done.returncode == 1
    assert f"warning: old.jsonl line 1 (filing {fid}): stale" in done.stderr
    summary = json.loads(exodus(home, "ingest", str(old), "--format", "json").stdout)[0]
    assert summary["stale"] == 1 and summary["warnings"][0].startswith(f"old.jsonl line 1 (filing {fid}): stale")


def test_ingest_refuses_unknown_fields_naming_record_and_field(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "typo.jsonl"
    fid = unique_id()
    path.write_text(json.dumps(filing_data(filing_id=fid, intermediate_consigne={"name": "Relay FZE", "country": "AE"}))
                    + "\n" + json.dumps(filing_data(filing_id=unique_id())) + "\n")
    done = exodus(home, "ingest", str(path), "--format", "json")
    assert done.returncode == 1
    summary = json.loads(done.stdout)[0]
    assert summary["created"] == 1 and summary["rejected"] == 1
    assert summary["errors"] == [f"typo.jsonl line 1 (filing {fid}): field 'intermediate_consigne': is not a field "
                                 "of the schema; did you mean 'intermediate_consignee'?"]


def test_ingest_prints_each_rejected_record_once(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "day.jsonl"
    bad = filing_data(filing_id=unique_id(), port_of_export="LAX")
    path.write_text(json.dumps(filing_data(filing_id=unique_id())) + "\n\n" + json.dumps(bad) + "\n\n")
    done = exodus(home, "ingest", str(path))
    assert done.returncode == 1
    assert done.stderr.count("day.jsonl line 3") == 1, done.stderr
    assert "2/2" in done.stderr  # the progress bar counts records read (stored or not), not lines


def test_unreachable_database_is_one_line_naming_the_url(home: Path) -> None:
    url = "postgresql+psycopg://exodus:hunter2secret@127.0.0.1:1/exodus"
    done = exodus(home, "lists", "status", EXODUS_DATABASE_URL=url)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "hunter2secret" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "127.0.0.1:1/exodus" in lines[0] and "cannot reach the database" in lines[0]
