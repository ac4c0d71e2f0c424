"""Loading a newer list release: diff, refusal of partial files, re-screening of stored filings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exodus.core.filings import parse_filing
from exodus.core.filings.parse import ParsedRecord
from exodus.errors import DataSourceError
from exodus.services import worklist as wl
from exodus.services.app import Exodus
from exodus.settings import load_settings
from exodus.storage.db import Database
from tests.conftest import filing_data, unique_id

BUNDLED_DPL = Path(__file__).parents[2] / "src/exodus/data/lists/bis/dpl.txt"
NEW_PARTY = "Vostok Precision Bearings Trading LLC"


@pytest.fixture()
def app(exodus_home: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    shutil.copytree(exodus_home, home)
    settings = load_settings({"EXODUS_HOME": str(home)})
    instance = Exodus(settings, Database(settings.database_url))
    yield instance
    instance.db.dispose()


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
