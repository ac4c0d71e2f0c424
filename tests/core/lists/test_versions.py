from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from exodus.core.lists import ListRelease, diff_releases, release_checksum


def test_diff_added_removed_changed(un_release: ListRelease) -> None:
    old = un_release.entities[:100]
    changed_one = replace(old[5], name=old[5].name + " JR")
    new = [*old[1:5], changed_one, *old[6:], un_release.entities[100]]
    diff = diff_releases(old, new)
    assert [e.id for e in diff.added] == [un_release.entities[100].id]
    assert [e.id for e in diff.removed] == [old[0].id]
    assert [(a.name, b.name) for a, b in diff.changed] == [
        (old[5].name, changed_one.name)
    ]
    assert diff.summary() == "1 added, 1 removed, 1 changed"
    assert old[5].fingerprint() != changed_one.fingerprint()


def test_same_release_has_no_diff(csl_compact: ListRelease) -> None:
    diff = diff_releases(csl_compact.entities, list(csl_compact.entities))
    assert diff.is_empty


def test_diff_between_ofac_snapshots(
    csl_compact: ListRelease, ofac_all: ListRelease
) -> None:
    # SDN of 2024-05 (legacy CSV) against SDN of 2026-07 (CSL): ids line up.
    old = [e for e in ofac_all.entities if e.source == "SDN"]
    new = [e for e in csl_compact.entities if e.source == "SDN"]
    diff = diff_releases(old, new)
    assert len(diff.removed) > 0 and len(diff.added) > 4000
    assert len(new) - len(old) == len(diff.added) - len(diff.removed)


def test_release_checksum(data_dir: Path, tmp_path: Path) -> None:
    path = data_dir / "bis" / "dpl.txt"
    assert release_checksum(path) == release_checksum(path)
    assert len(release_checksum(path)) == 64
    copy = tmp_path / "dpl.txt"
    copy.write_bytes(path.read_bytes() + b"\n")
    assert release_checksum(copy) != release_checksum(path)
    first = release_checksum(tmp_path)
    (tmp_path / "extra.csv").write_text("x", encoding="utf-8")
    assert release_checksum(tmp_path) != first
