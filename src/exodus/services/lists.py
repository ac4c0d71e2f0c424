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

from exodus.core.lists import ListDiff, ListEntity, ListRelease, diff_releases, fetch_release, load_bundled, read_list
from exodus.core.screening import ScreeningIndex
from exodus.errors import DataSourceError
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


def store_release(session: Session, release: ListRelease, *, actor: str) -> LoadedVersion:
    """Store `release` as the new active version of its source; return what changed."""
    previous = session.execute(
        select(ListVersionRow).where(ListVersionRow.source == release.source, ListVersionRow.active.is_(True))
    ).scalar_one_or_none()
    diff = diff_releases(version_entities(session, previous.id), release.entities) if previous else None
    now = datetime.now(timezone.utc)
    problems = [{"location": p.location, "problem": p.problem} for p in release.problems[:1000]]
    version_id = session.execute(insert(ListVersionRow).returning(ListVersionRow.id), [{
        "source": release.source, "published": release.published, "checksum": release.checksum,
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
    detail = {"checksum": release.checksum, "origin": release.origin, "entities": len(release.entities),
              "problems": len(release.problems)}
    if diff is not None:
        detail.update({"added": len(diff.added), "removed": len(diff.removed), "changed": len(diff.changed),
                       "previous_version": previous.id})  # type: ignore[union-attr]
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
    def key_of(versions: Iterable[ListVersionRow]) -> str:
        blob = "|".join(f"{v.id}:{v.checksum}" for v in sorted(versions, key=lambda v: v.id))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def get(self, db: Database) -> ScreeningIndex:
        """Return the index for the currently active versions, building or loading it once."""
        with db.session() as session:
            versions = active_versions(session)
            key = self.key_of(versions)
            with self._lock:
                if self._index is not None and self._key == key:
                    return self._index
                path = self.cache_dir / f"screening-index-{key}.pkl"
                index = self._load(path)
                if index is None:
                    entities = [e for v in versions for e in version_entities(session, v.id)]
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

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source, "version_id": self.version_id, "entities": self.entities,
                "problems": self.problems, "added": len(self.added), "removed": len(self.removed),
                "changed": len(self.changed), "rescreened_filings": self.rescreened_filings}


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
                threshold: float | None = None, force: bool = False) -> tuple[UpdateReport, set[str]]:
    """Fetch a newer release, store it as the active version and name the filings to re-screen.

    A download that fails, is truncated or shrinks implausibly raises
    DataSourceError and leaves the active version in place; `force` accepts a
    release with less than half the entities of the active version.
    """
    path = fetch_release(source, downloads)
    release = read_list(path)
    with db.session() as session:
        current = session.execute(select(ListVersionRow).where(
            ListVersionRow.source == release.source, ListVersionRow.active.is_(True))).scalar_one_or_none()
        if current is not None and not force and len(release.entities) < MIN_SHARE * current.entity_count:
            raise DataSourceError(
                f"{path.name}: {len(release.entities)} entities against {current.entity_count} in the active "
                f"{release.source} version {current.id}; refusing a release that small (looks partial)")
        loaded = store_release(session, release, actor=actor)
        diff = loaded.diff or ListDiff(added=list(release.entities))
        affected = affected_filings(session, diff, threshold)
        # Stored with the version: a re-screen that fails is completed later (rescreen_pending).
        session.execute(update(ListVersionRow).where(ListVersionRow.id == loaded.version_id)
                        .values(rescreen_pending=sorted(affected)))
    report = UpdateReport(
        source=release.source, version_id=loaded.version_id, entities=loaded.entity_count,
        problems=loaded.problem_count, added=[e.id for e in diff.added], removed=[e.id for e in diff.removed],
        changed=[new.id for _, new in diff.changed], rescreened_filings=sorted(affected),
    )
    log.info("list %s updated: %s; %d stored filings affected", release.source, diff.summary(), len(affected))
    return report, affected
