"""Target generated filings end to end and print filings per second and peak memory.

Run:  python benchmarks/targeting_benchmark.py [--filings 100000] [--home DIR] [--profile]

Stages: generate filings (JSON Lines, not timed in the rate), then one end-to-end
stage: read and validate each batch, store it in SQLite, and target the stored batch
straight from the parsed filings (history, screen each distinct party, determine
each line, red flags, lookouts, score, store results). The screening index is built
(or loaded from cache) before the clock starts. One process, one core; CPU seconds
are printed next to wall seconds because a busy machine slows the wall clock.
`--separate` times the older two passes instead (ingest all, then target all from
the stored JSON).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--home",
        type=Path,
        default=None,
        help="EXODUS_HOME (default: a fresh temp folder)",
    )
    parser.add_argument(
        "--separate",
        action="store_true",
        help="ingest everything first, then target the stored filings",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print the top functions of the targeting stage",
    )
    args = parser.parse_args()

    from exodus.sample.generator import SampleGenerator, listed_names_from_bundle
    from exodus.services.app import Exodus
    from exodus.settings import load_settings

    home = args.home or Path(tempfile.mkdtemp(prefix="exodus-bench-"))
    app = Exodus(load_settings({"EXODUS_HOME": str(home), "EXODUS_BATCH_SIZE": "2000"}))
    started = time.perf_counter()
    app.ensure_ready(actor="benchmark")
    app.index()
    print(
        f"setup (schema, lists, index): {time.perf_counter() - started:.1f}s",
        file=sys.stderr,
    )

    path = home / "bench-filings.jsonl"
    clock = time.perf_counter()
    generator = SampleGenerator(args.seed, listed=listed_names_from_bundle())
    with path.open("w", encoding="utf-8") as handle:
        for filing in generator.filings(args.filings):
            handle.write(json.dumps(filing.to_dict()) + "\n")
    generate = time.perf_counter() - clock

    profiler = cProfile.Profile() if args.profile else None
    clock, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    if args.separate:
        report = app.ingest(path, actor="benchmark")
        ingest = time.perf_counter() - clock
        results = app.target(report.filing_ids)
    else:
        report, results = app.ingest_and_target(path, actor="benchmark")
        ingest = 0.0
    if profiler:
        profiler.disable()
    elapsed, cpu = time.perf_counter() - clock, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    actions: dict[str, int] = {}
    for result in results:
        actions[result.action.value] = actions.get(result.action.value, 0) + 1
    stored = len(report.filing_ids)
    print(f"filings: {args.filings}  stored: {report.stored} ({stored})  results: {len(results)}")
    print(f"generate: {generate:.1f}s")
    if args.separate:
        print(f"ingest: {ingest:.1f}s  target: {elapsed - ingest:.1f}s")
    print(
        f"end to end (parse+store+screen+determine+score+store): {elapsed:.1f}s wall, "
        f"{cpu:.1f}s CPU"
    )
    print(
        f"end to end: {args.filings / elapsed:,.0f} filings/s wall, "
        f"{args.filings / cpu:,.0f} filings/s per CPU second"
    )
    lines = app.targeter.lines
    print(
        f"line cache: {lines.hits} hits, {lines.misses} misses; "
        f"{len(lines.determinations)} distinct determinations; "
        f"{len(app.targeter.screened)} distinct parties screened"
    )
    print(f"actions: {actions}")
    print(f"peak memory: {peak_mb:,.0f} MiB")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
