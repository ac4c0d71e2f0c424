"""Batch targeting on Dask: partitions in worker processes give the same results as one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from exodus.sample import generate
from exodus.services.app import Exodus
from exodus.services.scaleout import partition, target_on_dask
from exodus.storage.models import TargetingResultRow
from tests.conftest import exodus_on_copy


@pytest.fixture()
def app(exodus_home: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    with exodus_on_copy(exodus_home, tmp_path / "home") as instance:
        yield instance


def test_partition_cuts_evenly() -> None:
    assert partition(list("abcdefg"), 3) == [["a", "b", "c"], ["d", "e", "f"], ["g"]]
    with pytest.raises(ValueError):
        partition(["a"], 0)


def test_dask_workers_target_every_filing_like_one_process(app: Exodus) -> None:
    from exodus.core.filings.parse import ParsedRecord

    filings = generate(120, seed=21, risk_share=0.2)
    app.ingest_parsed([ParsedRecord("t", filing=f) for f in filings], actor="tester")
    ids = [f.filing_id for f in filings]
    summaries = target_on_dask(app, ids, partition_size=40, workers=2)
    assert sum(s.filings for s in summaries) == 120
    assert len(summaries) == 3
    with app.db.session() as session:
        from sqlalchemy import select

        from exodus.storage.models import FilingRow

        stored = dict(session.execute(
            select(FilingRow.filing_id, TargetingResultRow.action)
            .join(TargetingResultRow, TargetingResultRow.filing_pk == FilingRow.id)
            .where(TargetingResultRow.current.is_(True), FilingRow.filing_id.in_(ids))).all())
    assert len(stored) == 120
    in_process = {r.filing_id: r.action.value for r in app.target(ids)}
    assert stored == in_process
