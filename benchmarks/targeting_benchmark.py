"""Target generated filings end to end and print filings per second and peak memory.

Run:  python benchmarks/targeting_benchmark.py [--filings 100000] [--home DIR] [--profile]

Stages, each timed: generate filings (JSON Lines), ingest (parse, validate, store in
SQLite), target every stored filing (load, screen all parties, determine each line,
red flags, lookouts, history, score, store results). The screening index is built
(or loaded from cache) before the clock starts. One process, one core.
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

    clock = time.perf_counter()
    report = app.ingest(path, actor="benchmark")
    ingest = time.perf_counter() - clock

    profiler = cProfile.Profile() if args.profile else None
    clock = time.perf_counter()
    if profiler:
        profiler.enable()
    results = app.target(report.filing_ids)
    if profiler:
        profiler.disable()
    targeting = time.perf_counter() - clock

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    actions: dict[str, int] = {}
    for result in results:
        actions[result.action.value] = actions.get(result.action.value, 0) + 1
    end_to_end = ingest + targeting
    print(f"filings: {args.filings}  stored: {report.stored}")
    print(
        f"generate: {generate:.1f}s  ingest (parse+store): {ingest:.1f}s  "
        f"target (screen+determine+score+store): {targeting:.1f}s"
    )
    print(
        f"ingest: {args.filings / ingest:,.0f} filings/s  target: {args.filings / targeting:,.0f} filings/s"
    )
    print(f"end to end (ingest + target): {args.filings / end_to_end:,.0f} filings/s")
    print(
        f"line cache: {app.targeter.lines.hits} hits, {app.targeter.lines.misses} misses"
    )
    print(f"actions: {actions}")
    print(f"peak memory: {peak_mb:,.0f} MiB")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
