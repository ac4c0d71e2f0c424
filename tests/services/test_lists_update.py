"""Loading a newer list release: diff, refusal of partial files, re-screening of stored filings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from exodus.core.filings import parse_filing
from exodus.core.filings.parse import ParsedRecord
from exodus.core.lists import read_list, with_ofac_details
from exodus.errors import DataSourceError, InvalidInput
from exodus.services import lists as list_service
from exodus.services import worklist as wl
from exodus.services.app import Exodus
from exodus.storage.db import Database
from exodus.storage.models import AuditEventRow, ListVersionRow
from tests.conftest import exodus_on_copy, filing_data, unique_id

BUNDLED_DPL = Path(__file__).parents[2] / "src/exodus/data/lists/bis/dpl.txt"
NEW_PARTY = "Vostok Precision Bearings Trading LLC"


@pytest.fixture()
def app(exodus_home: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    with exodus_on_copy(exodus_home, tmp_path / "home") as instance:
        yield instance


def newer_dpl(tmp_path: Path) -> Path:
    path = tmp_path / "dpl.txt"
    text = BUNDLED_DPL.read_text(encoding="utf-8")
    row = (f'"{NEW_PARTY.upper()}"\t"12 LENINA ST"\t"MOSCOW"\t""\t"RU"\t""\t"11/20/2026"\t""\t"Y"\t'
           f'"2026-11-20"\t"F.R. NOTICE ADDED"\t"91 F.R. 12345 11/20/2026"\n')
    path.write_text(text.rstrip("\n") + "\n" + row, encoding="utf-8")
    return path


def test_new_listing_rescreens_an_old_shipment(app: Exodus, tmp_path: Path) -> None:
    fid = unique_id()
    data = filing_data(filing_id=fid, country_of_destination="RU",
                       ultimate_consignee={"name": NEW_PARTY, "country": "RU", "type": "R"})
    app.ingest_parsed([ParsedRecord("t", filing=parse_filing(data, "t"))], actor="tester")
    app.target([fid])
    with app.db.session() as session:
        before = wl.filing_detail(session, fid)
    assert not any(h["entity_name"].upper() == NEW_PARTY.upper() for h in before["screening_hits"])

    report = app.update_list(newer_dpl(tmp_path), actor="analyst")
    assert report.source == "bis-dpl"
    assert len(report.added) == 1 and report.removed == []
    assert fid in report.rescreened_filings

    with app.db.session() as session:
        after = wl.filing_detail(session, fid)
    hits = [h for h in after["screening_hits"] if h["entity_name"].upper() == NEW_PARTY.upper()]
    assert hits and hits[0]["source"] == "DPL"
    assert after["result"]["action"] == "hold"


def test_partial_release_is_refused_and_the_good_version_stays(app: Exodus, tmp_path: Path) -> None:
    partial = tmp_path / "dpl.txt"
    lines = BUNDLED_DPL.read_text(encoding="utf-8").splitlines()
    partial.write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    from exodus.services.lists import active_versions

    with app.db.session() as session:
        before = {v.source: v.id for v in active_versions(session)}
    with pytest.raises(DataSourceError, match="partial|smaller|fewer"):
        app.update_list(partial, actor="analyst")
    with app.db.session() as session:
        assert {v.source: v.id for v in active_versions(session)} == before
    [refused] = _audit(app.db, "list.refused")  # who, which file, why
    assert refused.actor == "analyst" and refused.object_id == str(partial)
    assert refused.detail["source"] == "bis-dpl" and "partial" in refused.detail["why"]


def _hits_on_new_party(app: Exodus, fid: str) -> list[dict]:  # type: ignore[type-arg]
    with app.db.session() as session:
        detail = wl.filing_detail(session, fid)
    return [h for h in detail["screening_hits"] if h["entity_name"].upper() == NEW_PARTY.upper()]


@pytest.mark.parametrize("catch_up", ["update again", "target all", "rescreen"])
def test_failed_rescreen_stays_pending_until_completed(
        app: Exodus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catch_up: str) -> None:
    import exodus.services.app as app_module
    from exodus.services import lists as list_service

    fid = unique_id()
    data = filing_data(filing_id=fid, country_of_destination="RU",
                       ultimate_consignee={"name": NEW_PARTY, "country": "RU", "type": "R"})
    app.ingest_parsed([ParsedRecord("t", filing=parse_filing(data, "t"))], actor="tester")
    app.target([fid])
    real = app_module.target_stored

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr(app_module, "target_stored", broken)
    release = newer_dpl(tmp_path)
    with pytest.raises(RuntimeError):
        app.update_list(release, actor="analyst")
    with app.db.session() as session:
        pending = list_service.pending_rescreens(session)
    assert [fid] in pending.values()
    assert _hits_on_new_party(app, fid) == []

    monkeypatch.setattr(app_module, "target_stored", real)
    if catch_up == "update again":
        report = app.update_list(release, actor="analyst")  # same release: nothing new in the list
        assert report.added == [] and fid in report.rescreened_filings
    elif catch_up == "target all":
        app.target(None)
    else:
        assert fid in app.rescreen_pending()
    assert _hits_on_new_party(app, fid)
    with app.db.session() as session:
        assert list_service.pending_rescreens(session) == {}


# --- which releases are taken: rollbacks, repeats, refusals (SQLite and PostgreSQL) ---

OFFICIAL_JSON = Path(__file__).parents[1] / "core/lists/fixtures/consolidated.json"
OFFICIAL_CSV = Path(__file__).parents[2] / "src/exodus/data/lists/csl/consolidated_sample_2025.csv"
BUNDLED_CSL = Path(__file__).parents[2] / "src/exodus/data/lists/csl/consolidated-screening-list.2026-07-31.compact.json"


def _official_json(tmp_path: Path, name: str, updated: str) -> Path:
    """The official consolidated.json fixture with every source last updated at `updated`."""
    doc = json.loads(OFFICIAL_JSON.read_text(encoding="utf-8"))
    for source in doc["sources_used"]:
        source["source_last_updated"] = updated
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _audit(db: Database, action: str) -> list[AuditEventRow]:
    with db.session() as session:
        return list(session.execute(select(AuditEventRow).where(AuditEventRow.action == action)
                                    .order_by(AuditEventRow.id)).scalars())


def _active(db: Database) -> dict[str, tuple[int, str]]:
    with db.session() as session:
        return {v.source: (v.id, v.checksum) for v in list_service.active_versions(session)}


def test_official_csl_formats_load(database: Database, tmp_path: Path) -> None:
    report, _ = list_service.update_list(database, OFFICIAL_JSON, downloads=tmp_path / "dl", actor="analyst")
    assert (report.outcome, report.entities, len(report.added)) == ("new version", 3, 3)
    # The CSV carries no publication date: it cannot be older, and it replaces the JSON's version.
    report, _ = list_service.update_list(database, OFFICIAL_CSV, downloads=tmp_path / "dl", actor="analyst")
    assert report.outcome == "new version" and report.entities == 13
    assert _active(database)["csl"][0] == report.version_id


def test_older_release_is_refused_naming_both_dates_and_audited(database: Database, tmp_path: Path) -> None:
    current = _official_json(tmp_path, "consolidated.json", "2025-06-12T10:07:34-04:00")
    list_service.update_list(database, current, downloads=tmp_path / "dl", actor="analyst")
    before = _active(database)
    (tmp_path / "old").mkdir()
    older = _official_json(tmp_path / "old", "consolidated.json", "2025-01-02T09:00:00+00:00")

    with pytest.raises(DataSourceError) as refused:
        list_service.update_list(database, older, downloads=tmp_path / "dl", actor="analyst")
    assert "2025-01-02" in refused.value.detail and "2025-06-12" in refused.value.detail
    assert _active(database) == before
    [entry] = _audit(database, "list.refused")
    assert entry.actor == "analyst" and entry.object_id == str(older)
    assert "2025-01-02" in entry.detail["why"] and entry.detail["source"] == "csl"

    with pytest.raises(InvalidInput, match="reason"):  # a rollback on purpose says why
        list_service.update_list(database, older, downloads=tmp_path / "dl", actor="analyst",
                                 allow_older=True, reason="  ")
    assert _active(database) == before and len(_audit(database, "list.refused")) == 2

    report, _ = list_service.update_list(database, older, downloads=tmp_path / "dl", actor="supervisor",
                                         allow_older=True, reason="the June release misses a source")
    assert report.outcome == "rollback"
    assert _active(database)["csl"][0] == report.version_id != before["csl"][0]
    loaded = _audit(database, "list.loaded")[-1]
    assert loaded.actor == "supervisor" and loaded.object_id == str(report.version_id)
    assert loaded.detail["reason"] == "the June release misses a source"
    assert loaded.detail["rollback_from"]["version"] == before["csl"][0]
    assert loaded.detail["rollback_from"]["published"].startswith("2025-06-12")


def test_the_active_release_again_is_no_change(database: Database, tmp_path: Path) -> None:
    first, _ = list_service.update_list(database, OFFICIAL_JSON, downloads=tmp_path / "dl", actor="analyst")
    again, _ = list_service.update_list(database, OFFICIAL_JSON, downloads=tmp_path / "dl", actor="analyst")
    assert again.outcome == "no change" and again.version_id == first.version_id
    assert (again.added, again.removed, again.changed) == ([], [], [])
    with database.session() as session:
        assert session.execute(select(func.count()).select_from(ListVersionRow)).scalar_one() == 1
    # The same parties published later: a new version in which nothing changed.
    newer = _official_json(tmp_path, "consolidated.json", "2025-07-01T00:00:00+00:00")
    report, _ = list_service.update_list(database, newer, downloads=tmp_path / "dl", actor="analyst")
    assert report.outcome == "new version" and report.changed == []


def test_csl_update_keeps_the_ofac_details_of_the_bundled_load(database: Database, tmp_path: Path) -> None:
    # 3,000 SDN parties of the bundled CSL (the whole list makes this a minute per database);
    # tests/core/lists/test_registry.py checks the whole list gets the bundled load's details.
    doc = json.loads(BUNDLED_CSL.read_text(encoding="utf-8"))
    sdn = [i for i, label in enumerate(doc["tables"]["sources"]) if "(SDN)" in label]
    doc["entries"] = [e for e in doc["entries"] if e.get("s") in sdn][:3000]
    first = tmp_path / "csl.json"
    first.write_text(json.dumps(doc), encoding="utf-8")
    expected = {e.id: e for e in with_ofac_details(read_list(first), []).entities}
    detailed = [key for key, e in expected.items() if e.source == "SDN" and e.addresses and e.ids]
    assert len(detailed) > 500
    list_service.update_list(database, first, downloads=tmp_path / "dl", actor="analyst")
    doc["sourceGeneratedAt"] = "2026-09-01T00:00:00+00:00"  # the same parties, published later
    (tmp_path / "later").mkdir()
    newer = tmp_path / "later" / "csl.json"
    newer.write_text(json.dumps(doc), encoding="utf-8")

    report, _ = list_service.update_list(database, newer, downloads=tmp_path / "dl", actor="analyst")
    assert report.outcome == "new version"
    assert (report.added, report.removed, report.changed) == ([], [], [])
    with database.session() as session:
        stored = {e.id: e for e in list_service.version_entities(session, report.version_id)}
    assert stored == expected


OFAC_DIR = Path(__file__).parents[2] / "src/exodus/data/lists/ofac"
CONS_FILES = ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv")


def _cons_release(folder: Path, files: tuple[str, ...] = CONS_FILES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in files:
        (folder / name).write_bytes((OFAC_DIR / name).read_bytes())
    return folder / "cons_prim.csv"


def _aliases(db: Database, source: str) -> int:
    with db.session() as session:
        [version] = [v for v in list_service.active_versions(session) if v.source == source]
        return sum(len(e.aliases) for e in list_service.version_entities(session, version.id))


def test_an_ofac_primary_brings_its_side_files(database: Database, tmp_path: Path) -> None:
    expected = read_list(OFAC_DIR / "cons_prim.csv")
    report, _ = list_service.update_list(database, _cons_release(tmp_path / "rel"), downloads=tmp_path / "dl",
                                         actor="analyst")
    assert report.source == "ofac-cons" and report.entities == len(expected.entities)
    assert _aliases(database, "ofac-cons") == sum(len(e.aliases) for e in expected.entities) > 1000
    assert {p.name for p in (tmp_path / "dl").iterdir() if p.is_file()} == set(CONS_FILES)


def test_an_ofac_release_without_its_side_files_is_refused_unless_allowed(database: Database, tmp_path: Path) -> None:
    list_service.update_list(database, _cons_release(tmp_path / "full"), downloads=tmp_path / "dl", actor="analyst")
    before, aliases = _active(database), _aliases(database, "ofac-cons")
    lone = _cons_release(tmp_path / "lone", ("cons_prim.csv",))

    with pytest.raises(DataSourceError) as refused:
        list_service.update_list(database, lone, downloads=tmp_path / "dl", actor="analyst")
    assert "cons_alt.csv, cons_add.csv, cons_comments.csv missing" in refused.value.detail
    assert "--allow-missing-side-files" in refused.value.detail
    assert _active(database) == before and _aliases(database, "ofac-cons") == aliases
    assert (tmp_path / "dl" / "cons_alt.csv").is_file()  # the installed set is untouched
    [entry] = _audit(database, "list.refused")
    assert entry.object_id == str(lone) and "cons_alt.csv" in entry.detail["why"]

    with pytest.raises(InvalidInput, match="reason"):
        list_service.update_list(database, lone, downloads=tmp_path / "dl", actor="analyst",
                                 allow_missing_side_files=True)
    report, _ = list_service.update_list(database, lone, downloads=tmp_path / "dl", actor="supervisor",
                                         allow_missing_side_files=True, reason="OFAC site serves only the primary")
    # The checksum covers the side files: the primary alone is another release, not "no change".
    assert report.outcome == "new version" and _active(database)["ofac-cons"] != before["ofac-cons"]
    assert _aliases(database, "ofac-cons") < aliases
    assert not (tmp_path / "dl" / "cons_alt.csv").exists()  # never read with the new primary
    loaded = _audit(database, "list.loaded")[-1]
    assert loaded.detail["missing_side_files"] == ["cons_alt.csv", "cons_add.csv", "cons_comments.csv"]
    assert loaded.detail["reason"] == "OFAC site serves only the primary"

    again, _ = list_service.update_list(database, tmp_path / "full" / "cons_prim.csv", downloads=tmp_path / "dl",
                                        actor="analyst")
    assert again.outcome == "new version" and _aliases(database, "ofac-cons") == aliases


def test_a_folder_of_ofac_files_loads_each_set(app: Exodus, tmp_path: Path) -> None:
    folder = tmp_path / "ofac"
    _cons_release(folder)
    [report] = app.update_lists(folder, actor="analyst")
    assert report.source == "ofac-cons"
    [again] = app.update_lists(folder, actor="analyst")
    assert again.outcome == "no change"  # the bundled set is this very release, side files and all
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataSourceError, match="without OFAC sdn.csv or cons_prim.csv"):
        app.update_lists(tmp_path / "empty", actor="analyst")


@pytest.mark.parametrize(("side_file", "keep", "holds"), [
    ("cons_add.csv", 0, "addresses"),
    ("cons_alt.csv", 20, "aliases"),
])
def test_a_cut_off_ofac_side_file_is_refused_naming_it_and_both_counts(
        database: Database, tmp_path: Path, side_file: str, keep: int, holds: str) -> None:
    list_service.update_list(database, _cons_release(tmp_path / "full"), downloads=tmp_path / "dl", actor="analyst")
    before, aliases = _active(database), _aliases(database, "ofac-cons")
    installed = (tmp_path / "dl" / side_file).read_bytes()
    cut = tmp_path / "cut"
    _cons_release(cut)
    lines = (cut / side_file).read_bytes().splitlines(keepends=True)
    (cut / side_file).write_bytes(b"".join(lines[:keep]))

    with pytest.raises(DataSourceError) as refused:
        list_service.update_list(database, cut, downloads=tmp_path / "dl", actor="analyst")
    why = refused.value.detail
    assert why.startswith(f"{cut / side_file}: ") and f" {holds} against " in why
    new_count, old_count = (int(n) for n in re.findall(rf"(\d+) {holds} against (\d+)", why)[0])
    assert new_count < old_count / 2 and old_count > 300
    assert _active(database) == before and _aliases(database, "ofac-cons") == aliases
    assert (tmp_path / "dl" / side_file).read_bytes() == installed  # nothing replaced on disk either
    [entry] = _audit(database, "list.refused")
    assert entry.actor == "analyst" and side_file in entry.detail["why"]


def test_origin_and_problems_name_what_the_user_gave(database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "given"
    _cons_release(folder)
    report, _ = list_service.update_list(database, folder, downloads=tmp_path / "dl", actor="analyst")
    with database.session() as session:
        assert database_origin(session, report.version_id) == str(folder / "cons_prim.csv")
    assert _audit(database, "list.loaded")[-1].detail["origin"] == str(folder / "cons_prim.csv")

    # A bare carriage return inside an unquoted field: the side file cannot be read as CSV.
    alt = folder / "cons_alt.csv"
    alt.write_bytes(alt.read_bytes() + b"9999,1,aka,BROKEN\rNAME,-0-\n")
    with pytest.raises(DataSourceError) as refused:
        list_service.update_list(database, folder, downloads=tmp_path / "dl", actor="analyst")
    assert "not readable as CSV" in refused.value.detail
    assert ".incoming-" not in refused.value.detail and str(tmp_path / "dl") not in refused.value.detail
    assert f"{alt}: line " in refused.value.detail


def database_origin(session, version_id: int) -> str:  # type: ignore[no-untyped-def]
    return session.get(ListVersionRow, version_id).origin
