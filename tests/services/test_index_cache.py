"""The saved screening index is reused by the same screening code and rebuilt by any other."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exodus.core.screening import ScreeningIndex
from exodus.core.screening import index as index_module
from exodus.services import lists as list_service
from exodus.settings import load_settings
from exodus.storage.db import Database


def test_index_cache_rebuilds_when_the_screening_code_changes(
    exodus_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    shutil.copytree(exodus_home, home)
    settings = load_settings({"EXODUS_HOME": str(home)})
    db = Database(settings.database_url)
    builds = []
    real_build = ScreeningIndex.build

    def counted(entities):  # type: ignore[no-untyped-def]
        builds.append(len(entities))
        return real_build(entities)

    monkeypatch.setattr(ScreeningIndex, "build", counted)
    try:
        saved = set(settings.cache_dir.glob("screening-index-*.pkl"))
        assert saved  # exodus_home saved the index it built
        same = list_service.IndexCache(settings.cache_dir).get(db)
        assert builds == []  # same code: the saved index is loaded
        assert same.screen("MAHANAIR")

        # An upgraded install: other screening code, the same list versions.
        monkeypatch.setattr(index_module, "code_digest", lambda: "upgraded-matcher")
        monkeypatch.setattr(list_service, "code_digest", lambda: "upgraded-matcher")
        for path in saved:  # even a file under the old name is not trusted
            with pytest.raises(ValueError):
                ScreeningIndex.load(path)
        rebuilt = list_service.IndexCache(settings.cache_dir).get(db)
        assert len(builds) == 1
        assert len(rebuilt) == len(same)
        assert set(settings.cache_dir.glob("screening-index-*.pkl")) - saved

        again = list_service.IndexCache(settings.cache_dir).get(db)
        assert len(builds) == 1  # the rebuilt index is reused from then on
        assert again.screen("MAHANAIR") == same.screen("MAHANAIR")
    finally:
        db.dispose()
