"""Screening lists in storage: load releases as versions, build the index of the active ones."""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from threading import Lock

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from exodus.core.lists import (
    ListDiff,
    ListEntity,
    ListRelease,
    diff_releases,
    fetch_release,
    load_bundled,
    read_list,
    with_ofac_details,
)
from exodus.core.lists.fetch import given_origin
from exodus.core.lists.ofac import _FileSet, missing_side_files, set_of, side_file_counts
from exodus.core.screening import ScreeningIndex
from exodus.core.screening.index import code_digest
from exodus.errors import DataSourceError, InvalidInput
from exodus.storage.audit import AuditEvent, record
from exodus.storage.db import Database
from exodus.storage.models import ListEntityRow, ListVersionRow

log = logging.getLogger(__name__)
BATCH = 2000
# A release under this share of the active version's entities is taken for a partial file.
MIN_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class LoadedVersion:
    version_id: int
    source: str
    entity_count: int
    problem_count: int
    diff: ListDiff | None


def active_versions(session: Session) -> list[ListVersionRow]:
    """Return the active list versions, one per source."""
    return list(session.execute(
        select(ListVersionRow).where(ListVersionRow.active.is_(True)).order_by(ListVersionRow.source)
    ).scalars())


def version_entities(session: Session, version_id: int) -> list[ListEntity]:
    """Return the parties of a list version in the order they were stored.

    The order is the screening index's order (it breaks ties between equally good
    candidates), so it must not depend on the database: PostgreSQL returns rows
    without ORDER BY in whatever order suits it.
    """
    rows = session.execute(select(ListEntityRow.payload).where(ListEntityRow.list_version_id == version_id)
                           .order_by(ListEntityRow.id)).scalars()
    return [ListEntity.from_dict(payload) for payload in rows]


def store_release(session: Session, release: ListRelease, *, actor: str,
                  note: dict[str, object] | None = None) -> LoadedVersion:
    """Store `release` as the new active version of its source; return what changed.

    `note` is added to the audit entry (the reason given, a rollback).
    """
    previous = session.execute(
        select(ListVersionRow).where(ListVersionRow.source == release.source, ListVersionRow.active.is_(True))
    ).scalar_one_or_none()
    diff = diff_releases(version_entities(session, previous.id), release.entities) if previous else None
    now = datetime.now(timezone.utc)
    problems = [{"location": p.location, "problem": p.problem} for p in release.problems[:1000]]
    version_id = session.execute(insert(ListVersionRow).returning(ListVersionRow.id), [{
        "source": release.source, "published": _utc(release.published), "checksum": release.checksum,
        "origin": release.origin, "loaded_at": now, "loaded_by": actor,
        "entity_count": len(release.entities), "problem_count": len(release.problems),
        "problems": problems, "active": True,
    }]).scalar_one()
    rows = [{"list_version_id": version_id, "entity_id": e.id, "source": e.source, "name": e.name,
             "fingerprint": e.fingerprint(), "payload": e.to_dict()} for e in release.entities]
    for start in range(0, len(rows), BATCH):
        session.execute(insert(ListEntityRow), rows[start:start + BATCH])
    if previous is not None:
        session.execute(update(ListVersionRow).where(ListVersionRow.id == previous.id).values(active=False))
    detail: dict[str, object] = {"checksum": release.checksum, "origin": release.origin,
                                 "published": _iso(release.published),
              "entities": len(release.entities), "problems": len(release.problems)}
    if diff is not None:
        detail.update({"added": len(diff.added), "removed": len(diff.removed), "changed": len(diff.changed),
                       "previous_version": previous.id})  # type: ignore[union-attr]
    detail.update(note or {})
    record(session, [AuditEvent(actor, "list.loaded", "list_version", str(version_id), detail)])
    log.info("loaded list %s version %d: %d entities, %d problems", release.source, version_id,
             len(release.entities), len(release.problems))
    return LoadedVersion(version_id, release.source, len(release.entities), len(release.problems), diff)


def ensure_bundled_lists(db: Database, *, actor: str = "system") -> list[LoadedVersion]:
    """Load the bundled list snapshots when no list has been loaded yet."""
    with db.session() as session:
        if active_versions(session):
            return []
    loaded = []
    for release in load_bundled():
        with db.session() as session:
            loaded.append(store_release(session, release, actor=actor))
    return loaded


class IndexCache:
    """Keeps the screening index of the active list versions, built once per set of versions."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._key: str | None = None
        self._index: ScreeningIndex | None = None
        self._lock = Lock()

    @staticmethod
    def key_of(versions: Iterable[tuple[int, str]]) -> str:
        """Key the index by list versions (id, checksum) and by the screening code that builds it."""
        blob = "|".join(f"{vid}:{checksum}" for vid, checksum in sorted(versions))
        blob += f"|{code_digest()}"
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def get(self, db: Database) -> ScreeningIndex:
        """Return the index for the currently active versions, building or loading it once."""
        with db.session() as session:
            # Asked on every screen: two columns, not whole rows with their problem lists.
            versions = [(vid, checksum) for vid, checksum in session.execute(
                select(ListVersionRow.id, ListVersionRow.checksum).where(ListVersionRow.active.is_(True)))]
            key = self.key_of(versions)
            with self._lock:
                if self._index is not None and self._key == key:
                    return self._index
                path = self.cache_dir / f"screening-index-{key}.pkl"
                index = self._load(path)
                if index is None:
                    entities = [e for v in active_versions(session) for e in version_entities(session, v.id)]
                    log.info("building screening index over %d entities", len(entities))
                    index = ScreeningIndex.build(entities)
                    self._save(index, path)
                self._index, self._key = index, key
                return index

    @staticmethod
    def _load(path: Path) -> ScreeningIndex | None:
        if not path.exists():
            return None
        try:
            return ScreeningIndex.load(path)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError) as exc:
            log.warning("screening index cache %s unreadable (%s); rebuilding", path, exc)
            return None

    @staticmethod
    def _save(index: ScreeningIndex, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        index.save(tmp)
        tmp.replace(path)


@dataclass(frozen=True, slots=True)
class UpdateReport:
    source: str
    version_id: int
    entities: int
    problems: int
    added: list[str]
    removed: list[str]
    changed: list[str]
    rescreened_filings: list[str]
    # "new version"; "no change" (the active version is this very release: nothing stored);
    # "rollback" (an older release loaded on purpose, with a reason).
    outcome: str = "new version"

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source, "version_id": self.version_id, "outcome": self.outcome,
                "entities": self.entities, "problems": self.problems, "added": len(self.added),
                "removed": len(self.removed), "changed": len(self.changed),
                "rescreened_filings": self.rescreened_filings}


def affected_filings(session: Session, diff: ListDiff, threshold: float | None) -> set[str]:
    """Return ids of stored filings a list change may affect.

    A filing is affected when one of its parties matches an added or changed
    entity (screened against an index of just those), or when it already had a hit
    on a changed or removed entity.
    """
    from exodus.core.screening import QueryParty
    from exodus.storage.models import FilingRow, PartyRow, ScreeningHitRow

    touched = [e.id for e in diff.removed] + [old.id for old, _ in diff.changed]
    affected: set[str] = set()
    if touched:
        for start in range(0, len(touched), 500):
            affected |= set(session.execute(
                select(FilingRow.filing_id).join(ScreeningHitRow, ScreeningHitRow.filing_pk == FilingRow.id)
                .where(ScreeningHitRow.entity_id.in_(touched[start:start + 500]))
            ).scalars())
    fresh = diff.added + [new for _, new in diff.changed]
    if fresh:
        small = ScreeningIndex.build(fresh)
        parties = session.execute(select(PartyRow.name, PartyRow.country, FilingRow.filing_id)
                                  .join(FilingRow, FilingRow.id == PartyRow.filing_pk)).all()
        queries = [QueryParty(name=name, country=country) for name, country, _ in parties]
        for (_, _, filing_id), hits in zip(parties, small.screen_many(queries, threshold=threshold), strict=True):
            if hits:
                affected.add(filing_id)
    return affected


def pending_rescreens(session: Session) -> dict[int, list[str]]:
    """Return, per list version, the filing ids still to re-screen after its update."""
    rows = session.execute(select(ListVersionRow.id, ListVersionRow.rescreen_pending)
                           .where(ListVersionRow.rescreen_pending.is_not(None))).tuples()
    return {version_id: list(ids or []) for version_id, ids in rows}


def finish_rescreens(session: Session, version_ids: Iterable[int]) -> None:
    """Mark the re-screens of `version_ids` as done."""
    ids = list(version_ids)
    if ids:
        session.execute(update(ListVersionRow).where(ListVersionRow.id.in_(ids)).values(rescreen_pending=None))
        log.info("re-screen after list versions %s done", ids)


def update_list(db: Database, source: str | Path, *, downloads: Path, actor: str,
                threshold: float | None = None, force: bool = False, allow_older: bool = False,
                reason: str | None = None,
                allow_missing_side_files: bool = False) -> tuple[UpdateReport, set[str]]:
    """Fetch a newer release, store it as the active version and name the filings to re-screen.

    Refused, leaving the active version in place: a download that fails or is
    truncated, a release that shrinks implausibly (`force` accepts one with less
    than half the entities of the active version) and a release published before
    the active version (`allow_older` accepts one, as a deliberate rollback, and
    needs a `reason`), and an OFAC release without all its side files (alias,
    address and remarks files beside the primary; `allow_missing_side_files`
    accepts one and needs a `reason`). Each refusal raises DataSourceError or InvalidInput and is
    audited as `list.refused` with who, which file and why. The release the active
    version already is (same checksum) stores nothing and reports "no change".
    """
    release: ListRelease | None = None
    try:
        if allow_older and not (reason or "").strip():
            raise InvalidInput("loading an older release (a rollback) needs a reason")
        if allow_missing_side_files and not (reason or "").strip():
            raise InvalidInput("loading an OFAC release without its side files needs a reason")

        def check(incoming: ListRelease, missing: list[str]) -> None:
            file_set = set_of(Path(incoming.origin).name)
            if file_set is not None and not force:
                with db.session() as session:
                    _check_side_files(session, incoming, file_set, given_origin(source, file_set.primary),
                                      skip=missing)

        path = fetch_release(source, downloads, allow_missing_side_files=allow_missing_side_files, check=check)
        release = read_list(path)
        release.origin = given_origin(source, path.name)  # not the installed copy
        file_set = set_of(path.name)
        missing = missing_side_files(path.parent, file_set) if file_set is not None else []
        with db.session() as session:
            report = _update(session, release, path.name, actor=actor, threshold=threshold, force=force,
                             allow_older=allow_older, reason=(reason or "").strip() or None,
                             missing=missing)
    except (DataSourceError, InvalidInput) as exc:
        _record_refusal(db, source, release, exc, actor=actor)
        raise
    return report, set(report.rescreened_filings)


def _update(session: Session, release: ListRelease, name: str, *, actor: str, threshold: float | None,
            force: bool, allow_older: bool, reason: str | None, missing: list[str] | None = None) -> UpdateReport:
    current = session.execute(select(ListVersionRow).where(
        ListVersionRow.source == release.source, ListVersionRow.active.is_(True))).scalar_one_or_none()
    if current is not None and current.checksum == release.checksum:
        log.info("list %s: %s is the active version %d; nothing stored", release.source, name, current.id)
        return UpdateReport(source=release.source, version_id=current.id, entities=current.entity_count,
                            problems=current.problem_count, added=[], removed=[], changed=[],
                            rescreened_filings=[], outcome="no change")
    note: dict[str, object] = {"reason": reason} if reason else {}
    if missing:
        note["missing_side_files"] = list(missing)
    # First: a cut-off file also looks older where the date is its newest row's (BIS DPL).
    if current is not None and not force and len(release.entities) < MIN_SHARE * current.entity_count:
        raise DataSourceError(
            f"{name}: {len(release.entities)} entities against {current.entity_count} in the active "
            f"{release.source} version {current.id}; refusing a release that small (looks partial)")
    if current is not None and _older(release.published, current.published):
        if not allow_older:
            raise DataSourceError(
                f"{name}: published {_iso(release.published)}, before the active {release.source} version "
                f"{current.id} published {_iso(current.published)}; refusing to roll the list back "
                f"(to do it on purpose: exodus lists update --allow-older --reason ...)")
        note["rollback_from"] = {"version": current.id, "published": _iso(current.published)}
    if release.source == "csl":
        # The bundled CSL was stored with OFAC's addresses, IDs and dates of birth: so is every later one,
        # or an unchanged entry would read as changed and lose them.
        loaded_ofac = [e for v in active_versions(session) if v.source.startswith("ofac")
                       for e in version_entities(session, v.id)]
        release = with_ofac_details(release, loaded_ofac)
    loaded = store_release(session, release, actor=actor, note=note)
    diff = loaded.diff or ListDiff(added=list(release.entities))
    affected = affected_filings(session, diff, threshold)
    # Stored with the version: a re-screen that fails is completed later (rescreen_pending).
    session.execute(update(ListVersionRow).where(ListVersionRow.id == loaded.version_id)
                    .values(rescreen_pending=sorted(affected)))
    log.info("list %s updated: %s; %d stored filings affected", release.source, diff.summary(), len(affected))
    return UpdateReport(
        source=release.source, version_id=loaded.version_id, entities=loaded.entity_count,
        problems=loaded.problem_count, added=[e.id for e in diff.added], removed=[e.id for e in diff.removed],
        changed=[new.id for _, new in diff.changed], rescreened_filings=sorted(affected),
        outcome="rollback" if "rollback_from" in note else "new version",
    )


_SIDE_FILE_HOLDS = ("aliases", "addresses", "continued remarks")


def _check_side_files(session: Session, release: ListRelease, file_set: _FileSet, origin: str, *,
                      skip: list[str]) -> None:
    """Refuse an OFAC release whose side file gives under half of what the active version's did.

    An empty or cut-off alias, address or remarks file would otherwise load
    quietly and drop what it held from every entity. `skip` names side files
    allowed to be missing (`allow_missing_side_files`).
    """
    current = session.execute(select(ListVersionRow).where(
        ListVersionRow.source == release.source, ListVersionRow.active.is_(True))).scalar_one_or_none()
    if current is None or current.checksum == release.checksum:
        return
    new = side_file_counts(release.entities, file_set)
    old = side_file_counts(version_entities(session, current.id), file_set)
    for name, holds in zip(file_set.side_files, _SIDE_FILE_HOLDS):
        if name not in skip and new[name] < MIN_SHARE * old[name]:
            where = given_origin(origin, name)
            raise DataSourceError(
                f"{where}: {new[name]} {holds} against {old[name]} in the active {release.source} version "
                f"{current.id}; refusing a side file that small (looks partial). Nothing was replaced")


def _record_refusal(db: Database, source: str | Path, release: ListRelease | None, exc: Exception, *,
                    actor: str) -> None:
    """Audit a refused release in its own transaction (the update's was rolled back)."""
    detail: dict[str, object] = {"origin": str(source), "why": getattr(exc, "detail", str(exc))}
    if release is not None:
        detail.update({"source": release.source, "checksum": release.checksum,
                       "published": _iso(release.published), "entities": len(release.entities)})
    with db.session() as session:
        record(session, [AuditEvent(actor, "list.refused", "list_release", str(source)[-200:], detail)])
    log.info("list release %s refused: %s", source, detail["why"])


def _utc(moment: datetime | None) -> datetime | None:
    """Return `moment` in UTC; a time without a zone (as SQLite gives it back) is taken as UTC."""
    if moment is None:
        return None
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _older(published: datetime | None, active: datetime | None) -> bool:
    """Tell a release published before the active version.

    TODO: a release without a publication date (the CSL consolidated.csv and the
    OFAC CSVs carry none) cannot be checked; it is loaded without this check.
    """
    new, old = _utc(published), _utc(active)
    return new is not None and old is not None and new < old


def _iso(moment: datetime | None) -> str | None:
    found = _utc(moment)
    return found.isoformat() if found else None
