"""The `exodus` command, run as a user would, on a copy of a prepared home."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli import exodus
from tests.conftest import filing_data, unique_id


def test_ingest_reports_bad_records_by_line_and_field(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "day.jsonl"
    good, bad = filing_data(filing_id=unique_id()), filing_data(filing_id=unique_id(), port_of_export="LAX")
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    done = exodus(home, "ingest", str(path), "--format", "json")
    assert done.returncode == 1
    summary = json.loads(done.stdout)[0]
    assert summary["created"] == 1 and summary["rejected"] == 1
    assert "day.jsonl line 2" in summary["errors"][0] and "port_of_export" in summary["errors"][0]
    strict = exodus(home, "ingest", str(path), "--strict", "--format", "json")
    assert json.loads(strict.stdout)[0]["stored"] is False


def test_target_prints_score_action_and_reasons(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "sample.jsonl"
    made = exodus(home, "sample", "--count", "150", "--seed", "9", "--risk-share", "0.2", "--output", str(path))
    assert made.returncode == 0, made.stderr
    assert len(path.read_text().splitlines()) == 150
    done = exodus(home, "target", str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) == 150
    assert set(rows[0]) >= {"filing_id", "score", "action", "reasons"}
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert {r["action"] for r in rows} >= {"release", "hold"}
    top = rows[0]
    assert top["reasons"] and top["reasons"][0]["text"]
    as_csv = exodus(home, "target", str(path), "--format", "csv")
    parsed = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(parsed) == 150 and parsed[0]["reasons"]


def test_sample_is_reproducible_by_seed(home: Path) -> None:
    one = exodus(home, "sample", "--count", "20", "--seed", "3").stdout
    two = exodus(home, "sample", "--count", "20", "--seed", "3").stdout
    other = exodus(home, "sample", "--count", "20", "--seed", "4").stdout
    assert one == two and one != other


def test_screen_names_and_file(home: Path, tmp_path: Path) -> None:
    done = exodus(home, "screen", "Kalashnikov Concern", "--country", "RU", "--format", "json")
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)
    assert hits and {"id", "score", "list", "entry_id", "matched_name", "explanation"} <= set(hits[0])
    parties = tmp_path / "parties.csv"
    parties.write_text("id,name,country\nP1,Kalashnikov Concern,RU\nP2,Keystone Instruments Inc.,US\n")
    rows = list(csv.DictReader(io.StringIO(exodus(home, "screen", "--file", str(parties), "--format", "csv").stdout)))
    assert {r["id"] for r in rows} == {"P1"}
    broken = tmp_path / "broken.csv"
    broken.write_text("id,who\n1,x\n")
    failed = exodus(home, "screen", "--file", str(broken))
    assert failed.returncode == 2 and "name" in failed.stderr


def test_audit_verify(home: Path) -> None:
    done = exodus(home, "audit", "verify")
    assert done.returncode == 0 and "intact" in done.stderr


def test_target_exits_1_like_ingest_when_records_are_rejected(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = filing_data(filing_id=unique_id())
    bad = filing_data(filing_id=unique_id())
    bad["lines"][0]["value_usd"] = 1e308
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    done = exodus(home, "target", str(path), "--format", "json")
    assert done.returncode == 1, done.stderr
    assert [r["filing_id"] for r in json.loads(done.stdout)] == [good["filing_id"]]  # the good one is targeted
    assert "mixed.jsonl line 2" in done.stderr and "lines[0].value_usd" in done.stderr
    assert exodus(home, "ingest", str(path)).returncode == 1


def test_files_that_are_not_utf8_are_refused_naming_file_and_line(home: Path, tmp_path: Path) -> None:
    filings = tmp_path / "latin1.csv"
    rows = [{**row, "filing_id": unique_id()} for row in _csv_rows(filing_data())]
    rows.append({**rows[0], "filing_id": unique_id(), "ultimate_consignee.name": "Société Générale Équipements"})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    filings.write_bytes(buffer.getvalue().encode("latin-1"))
    done = exodus(home, "ingest", str(filings))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "latin1.csv line 3: not UTF-8 text" in done.stderr.replace("\n", "")
    parties = tmp_path / "p3.csv"
    parties.write_bytes("id,name,country\n1,Acme,US\n2,Müller GmbH,DE\n".encode("latin-1"))
    screened = exodus(home, "screen", "--file", str(parties))
    assert screened.returncode == 2 and "Traceback" not in screened.stderr
    assert "p3.csv line 3: not UTF-8 text" in screened.stderr.replace("\n", "")


def _csv_rows(data: dict[str, object]) -> list[dict[str, object]]:
    from exodus.core.filings import filing_to_csv_rows, parse_filing

    return filing_to_csv_rows(parse_filing(data, "t"))


def test_match_uses_the_screening_matcher_and_the_listed_party_names(home: Path, tmp_path: Path) -> None:
    # "CUBAN FREIGHT ENTERPRISE" shares no word with the list name, but it is an alias
    # the same listed party carries, so the screening matcher finds it.
    done = exodus(home, "match", "Cuban Freight Enterprise", "LA EMPRESA CUBANA DE FLETES", "--format", "json")
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert row["match"] == 1 and row["score"] >= 0.8
    assert "CUBAN FREIGHT ENTERPRISE" in row["explanation"].upper()
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("query,list_name,note\nCuban Freight Enterprise,LA EMPRESA CUBANA DE FLETES,alias\n"
                     "Keystone Instruments Inc.,LA EMPRESA CUBANA DE FLETES,unrelated\n")
    rows = list(csv.DictReader(io.StringIO(exodus(home, "match", "--pairs", str(pairs), "--format", "csv").stdout)))
    assert [r["note"] for r in rows] == ["alias", "unrelated"]
    assert [r["match"] for r in rows] == ["1", "0"]
    assert float(rows[1]["score"]) < 0.5
    missing = exodus(home, "match", "only one name")
    assert missing.returncode == 2 and "NAME_A and NAME_B" in missing.stderr


def test_screen_file_header_is_read_in_any_case(home: Path, tmp_path: Path) -> None:
    parties = tmp_path / "upper.csv"
    parties.write_text("ID, Name ,Country\nP1,Kalashnikov Concern,RU\n")
    done = exodus(home, "screen", "--file", str(parties), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert {r["id"] for r in json.loads(done.stdout)} == {"P1"}


def test_evaluate_refuses_a_bad_cases_file_cleanly(home: Path, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("id,name\n1,x\n")
    done = exodus(home, "evaluate", "--cases", str(wrong))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "wrong.csv line 1" in done.stderr and "case_id" in done.stderr
    bundled = Path(__file__).parents[2] / "src/exodus/data/cases/enforcement_cases.csv"
    latin = tmp_path / "latin.csv"
    lines = bundled.read_text(encoding="utf-8").splitlines(keepends=True)
    latin.write_bytes("".join(lines[:3]).encode("utf-8") + "V-999,violation,x,Müller\n".encode("latin-1"))
    done = exodus(home, "evaluate", "--cases", str(latin))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "latin.csv line 4: not UTF-8 text" in done.stderr.replace("\n", "")


def test_evaluate_reports_recall_cost_and_precision_per_slice(home: Path, tmp_path: Path) -> None:
    bundled = Path(__file__).parents[2] / "src/exodus/data/cases/enforcement_cases.csv"
    rows = list(csv.DictReader(io.StringIO(bundled.read_text(encoding="utf-8"))))
    chosen = [r for r in rows if r["case_id"] in ("V-016", "V-022", "L-026")]
    cases = tmp_path / "three.csv"
    with cases.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(chosen)
    done = exodus(home, "evaluate", "--cases", str(cases), "--lawful-per-case", "50", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    overall = report["overall"]
    assert overall["cases"] == 2 and overall["lawful"] == 151  # 150 generated and the look-alike
    caught, examined = overall["caught"], overall["caught"] + overall["lawful_examined"]
    assert overall["precision"] == (round(caught / examined, 4) if examined else None)
    assert set(report["precision_at_by_category"]) == set(report["by_category"])
    assert set(report["precision_at_by_visibility"]) == set(report["by_visibility"])
    assert set(report["precision_at"]) == {"10", "25", "50", "100"}
    as_csv = exodus(home, "evaluate", "--cases", str(cases), "--lawful-per-case", "50", "--format", "csv")
    parsed = {r["slice"]: r for r in csv.DictReader(io.StringIO(as_csv.stdout))}
    top = parsed["precision among the top-ranked, overall"]
    assert float(top["top_10"]) == report["precision_at"]["10"]
    assert "precision" in parsed["overall"]


def test_evaluate_names_the_row_of_an_unknown_destination_and_refuses_an_empty_file(
        home: Path, tmp_path: Path) -> None:
    bundled = Path(__file__).parents[2] / "src/exodus/data/cases/enforcement_cases.csv"
    rows = list(csv.DictReader(io.StringIO(bundled.read_text(encoding="utf-8"))))
    cases = tmp_path / "cases.csv"
    with cases.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows[:2])
        writer.writerow({**rows[2], "case_id": "V-010", "stated_destination": "ZZ; Narnia", "eei_status": "filed"})
    done = exodus(home, "evaluate", "--cases", str(cases))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert ("cases.csv line 4 (case V-010): field 'stated_destination': unknown destination 'ZZ'"
            in done.stderr.replace("\n", ""))
    empty = tmp_path / "empty.csv"
    empty.write_text(",".join(rows[0]) + "\n", encoding="utf-8")
    done = exodus(home, "evaluate", "--cases", str(empty))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "no cases in empty.csv" in done.stderr


def test_target_prints_one_ports_worklist(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "two-ports.jsonl"
    ids = {"2720": unique_id("P"), "3801": unique_id("P")}
    path.write_text("".join(json.dumps(filing_data(filing_id=fid, port_of_export=port)) + "\n"
                            for port, fid in ids.items()))
    done = exodus(home, "target", str(path), "--port", "3801", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert [r["filing_id"] for r in json.loads(done.stdout)] == [ids["3801"]]
    refused = exodus(home, "target", "--all", "--port", "9999")
    assert refused.returncode == 2 and "--port 9999 is not a Schedule D port" in refused.stderr
