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


def test_sample_refuses_what_ingest_cannot_read_in_one_line(home: Path, tmp_path: Path) -> None:
    missing = exodus(home, "sample", "--count", "10", "--output", "/nonexistent/dir/z.jsonl")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert "/nonexistent/dir/z.jsonl" in missing.stderr and len(missing.stderr.strip().splitlines()) == 1
    text = exodus(home, "sample", "--count", "10", "--output", str(tmp_path / "z.txt"))
    assert text.returncode == 2 and "'.txt'" in text.stderr and not (tmp_path / "z.txt").exists()
    clash = exodus(home, "sample", "--count", "10", "--csv", "--output", str(tmp_path / "z.jsonl"))
    assert clash.returncode == 2 and "--csv" in clash.stderr
    # The extension says the format, so what sample writes, ingest reads.
    made = exodus(home, "sample", "--count", "5", "--output", str(tmp_path / "z.csv"))
    assert made.returncode == 0, made.stderr
    read = exodus(home, "ingest", str(tmp_path / "z.csv"), "--format", "json")
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout)[0]["read"] == 5 and json.loads(read.stdout)[0]["rejected"] == 0


def test_target_refuses_a_file_with_all(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(filing_data(filing_id=unique_id())) + "\n")
    done = exodus(home, "target", str(path), "--all")
    assert done.returncode == 2 and "--all and a FILE cannot be combined" in done.stderr and "Traceback" not in done.stderr


def test_unreachable_dask_scheduler_is_one_line_naming_it(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(filing_data(filing_id=unique_id())) + "\n")
    assert exodus(home, "ingest", str(path)).returncode == 0
    scheduler = "tcp://127.0.0.1:1"  # a closed loopback port
    done = exodus(home, "batch", "target", "--scheduler", scheduler, "--connect-timeout", "1")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and f"cannot reach the Dask scheduler {scheduler}" in done.stderr


def test_filing_history_and_changes_show_each_correction(home: Path, tmp_path: Path) -> None:
    fid = unique_id("CV")
    first = filing_data(filing_id=fid)
    second = dict(first, filed_at="2026-12-02T10:00:00Z", country_of_destination="AT")
    for n, data in enumerate((first, second), start=1):
        path = tmp_path / f"v{n}.jsonl"
        path.write_text(json.dumps(data) + "\n")
        assert exodus(home, "ingest", str(path)).returncode == 0
    history = exodus(home, "filing", "history", fid, "--format", "json")
    assert history.returncode == 0, history.stderr
    versions = json.loads(history.stdout)
    assert [v["version"] for v in versions] == [1, 2] and versions[1]["origin"] == "v2.jsonl line 1"
    assert {"field": "country_of_destination", "old": "DE", "new": "AT"} in versions[1]["changes"]
    table = exodus(home, "filing", "history", fid, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert rows[0]["field"] == "(first version)" and "country_of_destination" in {r["field"] for r in rows}
    changes = exodus(home, "filing", "changes", fid, "--format", "json")
    assert {"field": "country_of_destination", "old": "DE", "new": "AT"} in json.loads(changes.stdout)
    shown = json.loads(exodus(home, "filing", "show", fid, "--version", "1").stdout)
    assert shown["version"] == 1 and shown["filing"]["country_of_destination"] == "DE"
    assert json.loads(exodus(home, "filing", "show", fid).stdout)["filing"]["country_of_destination"] == "AT"
    unknown = exodus(home, "filing", "show", fid, "--version", "9")
    assert unknown.returncode == 2 and "versions are 1 to 2" in unknown.stderr and "Traceback" not in unknown.stderr
