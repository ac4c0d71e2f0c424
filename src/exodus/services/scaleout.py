"""Batch targeting scaled out on Dask, for national volumes of filings.

The stored filings are cut into partitions; each Dask task opens Exodus in its
worker process (same settings, same database), targets its partition with the
ordinary batch pipeline and stores the results. Workers read the screening index
from the cache folder under EXODUS_HOME when they can see it (shared storage),
otherwise they build it once per worker from the active list versions.

With no scheduler address, Dask's local multiprocessing scheduler is used. Point
`scheduler` at a running `dask scheduler` (tcp://host:8786) to use a cluster;
every worker then needs the `exodus` package and access to the database.
SQLite serialises writers, so large runs belong on PostgreSQL.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import dask.bag as db_bag
from sqlalchemy import select

from exodus.errors import ServiceUnavailable
from exodus.settings import Settings
from exodus.storage.models import FilingRow

log = logging.getLogger(__name__)
CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler: a wrong address fails fast, a busy one still answers
ENV_KEYS = ("EXODUS_HOME", "EXODUS_DATABASE_URL", "EXODUS_SCREEN_THRESHOLD", "EXODUS_BATCH_SIZE")


@dataclass(frozen=True, slots=True)
class PartitionSummary:
    filings: int
    actions: dict[str, int]
    worker_pid: int


@cache
def _worker_exodus(env: tuple[tuple[str, str], ...]) -> Any:
    """Open Exodus once per worker process."""
    from exodus.services.app import Exodus
    from exodus.settings import load_settings

    return Exodus(load_settings(dict(env)))


def target_partition(filing_ids: Sequence[str], env: tuple[tuple[str, str], ...]) -> PartitionSummary:
    """Target one partition of stored filings inside a Dask worker."""
    exodus = _worker_exodus(env)
    results = exodus.target(list(filing_ids))
    actions: dict[str, int] = {}
    for result in results:
        actions[result.action.value] = actions.get(result.action.value, 0) + 1
    log.info("worker %d targeted %d filings", os.getpid(), len(results))
    return PartitionSummary(len(results), actions, os.getpid())


def settings_env(settings: Settings) -> tuple[tuple[str, str], ...]:
    """Return the environment a worker needs to open the same Exodus."""
    env = {
        "EXODUS_HOME": str(settings.home),
        "EXODUS_DATABASE_URL": settings.database_url,
        "EXODUS_BATCH_SIZE": str(settings.batch_size),
    }
    if settings.screen_threshold is not None:
        env["EXODUS_SCREEN_THRESHOLD"] = str(settings.screen_threshold)
    return tuple(sorted(env.items()))


def partition(ids: Sequence[str], size: int) -> list[list[str]]:
    """Cut `ids` into partitions of at most `size`."""
    if size < 1:
        raise ValueError(f"partition size must be at least 1, got {size}")
    return [list(ids[start:start + size]) for start in range(0, len(ids), size)]


def target_on_dask(
    exodus: Any,
    filing_ids: Sequence[str] | None = None,
    *,
    partition_size: int = 5000,
    scheduler: str | None = None,
    workers: int | None = None,
    connect_timeout: float = CONNECT_TIMEOUT,
) -> list[PartitionSummary]:
    """Target stored filings (all when None) on Dask and return one summary per partition.

    A `scheduler` that does not answer within `connect_timeout` seconds raises
    ServiceUnavailable naming it.
    """
    exodus.ensure_ready()
    exodus.index()  # build and cache the index once, before workers look for it
    if filing_ids is None:
        with exodus.db.session() as session:
            filing_ids = list(session.execute(select(FilingRow.filing_id).order_by(FilingRow.id)).scalars())
    chunks = partition(filing_ids, partition_size)
    if not chunks:
        return []
    env = settings_env(exodus.settings)
    bag = db_bag.from_sequence(chunks, npartitions=len(chunks)).map(target_partition, env)
    log.info("targeting %d filings in %d partitions on dask (%s)", len(filing_ids), len(chunks), scheduler or "local processes")
    if scheduler:
        from distributed import Client

        try:
            client = Client(scheduler, timeout=f"{connect_timeout}s")
        except (OSError, ValueError) as exc:  # refused, timed out, or not an address
            raise ServiceUnavailable(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
        with client:
            return list(client.compute(bag).result())
    return list(bag.compute(scheduler="processes", num_workers=workers))
