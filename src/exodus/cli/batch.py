"""`exodus batch`: national-volume batch work scaled out on Dask."""

from __future__ import annotations

from typing import Annotated

import typer

from exodus.auth import Permission
from exodus.cli.command import allowed, failing_cleanly, services
from exodus.cli.output import Format, emit, err

batch_app = typer.Typer(help="Batch work on Dask (local processes or a cluster).")


@batch_app.command("target")
def batch_target(
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786; local processes when absent")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="local worker processes (default: one per core)")] = None,
    partition_size: Annotated[int, typer.Option(min=100, max=1_000_000, help="filings per Dask task")] = 5000,
    connect_timeout: Annotated[float, typer.Option(min=0.1, max=600, help="seconds to wait for --scheduler to answer")] = 10.0,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.TABLE,
) -> None:
    """Re-target every stored filing on Dask and print a summary per partition."""
    from exodus.cli.main import audit_targeting
    from exodus.services.scaleout import target_on_dask

    ex = services()
    who = allowed(ex, Permission.TARGETING_RUN)
    with failing_cleanly():
        summaries = target_on_dask(ex, partition_size=partition_size, scheduler=scheduler, workers=workers,
                                   connect_timeout=connect_timeout)
        audit_targeting(ex, who, None, sum(s.filings for s in summaries))
    rows = [{"partition": n, "filings": s.filings, "worker_pid": s.worker_pid,
             **{a: s.actions.get(a, 0) for a in ("release", "review", "examine", "hold")}}
            for n, s in enumerate(summaries, start=1)]
    emit(rows, ["partition", "filings", "worker_pid", "release", "review", "examine", "hold"], fmt, title="Dask partitions")
    err.print(f"targeted {sum(s.filings for s in summaries)} filings in {len(summaries)} partitions")
