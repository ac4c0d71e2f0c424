"""Target generated filings end to end and print filings per second and peak memory.

Run:  python benchmarks/targeting_benchmark.py [--filings 100000] [--repeat 3]
          [--postgres postgresql://postgres@127.0.0.1:5432/test] [--home DIR] [--profile]

What is timed, per run: read and validate each record of a JSON Lines file, store
the filing (row, version, parties, lines, audit entry), load the stored history
its batch needs, screen every party against the full bundled lists, determine
every line, collect signals, red flags and lookouts, score, and store screening
hits and results. Nothing is remembered between runs: each run is a fresh process
with a fresh database (copied from a template holding only the schema, the
bundled lists and the shipped rules), an empty screening memo and empty caches.
The template and the screening index are built afresh by each invocation; before
the clock starts each run loads the index from its cache file.

The generated filings repeat exporters, consignees and forwarders the way trade
does, yet most consignees are seen a few times only; the benchmark prints how
many parties and how many distinct ones the file holds.

Each run is pinned to one core (os.sched_setaffinity) where the system allows.
With --postgres the PostgreSQL server works in its own processes, which are not
pinned. CPU seconds are printed next to wall seconds because on a shared machine
the wall clock also counts waiting for the processor.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

TEMPLATE_DB = "exodus_bench_template"
RUN_DB = "exodus_bench_run"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=1, help="runs, each in a fresh process and database")
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--home", type=Path, default=None, help="EXODUS_HOME (default: a fresh temp folder)")
    parser.add_argument("--postgres", default=None, metavar="URL",
                        help="a PostgreSQL server URL; the benchmark creates and drops its own databases there")
    parser.add_argument("--cpu", type=int, default=None, help="core to pin each run to (default: the first allowed)")
    parser.add_argument("--separate", action="store_true",
                        help="ingest everything first, then target the stored filings from their JSON")
    parser.add_argument("--profile", action="store_true", help="print the top functions of each run (cProfile)")
    args = parser.parse_args()

    home = (args.home or Path(tempfile.mkdtemp(prefix="exodus-bench-"))).resolve()
    home.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    template = prepare_template(home, args.postgres)
    print(f"setup (schema, lists, rules, index): {time.perf_counter() - started:.1f}s", file=sys.stderr)
    path, generate = generate_filings(home, args.filings, args.seed)
    describe_filings(path, generate)

    runs = []
    for n in range(args.repeat):
        env = {**fresh_database(home, template, args.postgres, n), "EXODUS_BATCH_SIZE": str(args.batch_size)}
        try:
            with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
                run = pool.submit(run_once, env, str(path), args.cpu, args.separate, args.profile).result()
        finally:
            drop_database(env, args.postgres)
        runs.append(run)
        print_run(n + 1, args.filings, run)
    if len(runs) > 1:
        rates = sorted(r["filings"] / r["wall"] for r in runs)
        cpu_rates = sorted(r["filings"] / r["cpu"] for r in runs)
        print(f"\n{len(runs)} runs: filings/s wall best {rates[-1]:,.0f}, median {statistics.median(rates):,.0f}, "
              f"worst {rates[0]:,.0f}; per CPU second best {cpu_rates[-1]:,.0f}, "
              f"median {statistics.median(cpu_rates):,.0f}")
    if args.postgres:
        drop_database({"template": template}, args.postgres)


# -- the database each run starts from -----------------------------------------------------------


def _server_url(url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql+psycopg", database=database).render_as_string(
        hide_password=False)


def _admin(url: str, *statements: str) -> None:
    """Run statements on the server's maintenance database, outside a transaction."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    with psycopg.connect(host=u.host, port=u.port or 5432, user=u.username, password=u.password,
                         dbname="postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)  # type: ignore[arg-type]


def prepare_template(home: Path, postgres: str | None) -> str:
    """Create the schema, load the bundled lists, seed the rules and cache the index once."""
    from exodus.services.app import Exodus
    from exodus.services.targeting import load_context
    from exodus.settings import load_settings

    if postgres:
        _admin(postgres, f"DROP DATABASE IF EXISTS {TEMPLATE_DB}", f"CREATE DATABASE {TEMPLATE_DB}")
        url = _server_url(postgres, TEMPLATE_DB)
    else:
        for suffix in ("", "-wal", "-shm"):  # built afresh: the schema of this code, nothing else
            (home / f"template.db{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{home / 'template.db'}"
    app = Exodus(load_settings({"EXODUS_HOME": str(home), "EXODUS_DATABASE_URL": url}))
    # The index is built afresh: a cached one may come from older screening code.
    for cached in app.settings.cache_dir.glob("screening-index-*.pkl"):
        cached.unlink()
    app.ensure_ready(actor="benchmark")
    app.index()
    load_context(app.db)
    app.db.dispose()
    return url


def fresh_database(home: Path, template: str, postgres: str | None, n: int) -> dict[str, str]:
    """Return the settings of a run on a copy of the template database."""
    if postgres:
        _admin(postgres, f"DROP DATABASE IF EXISTS {RUN_DB}", f"CREATE DATABASE {RUN_DB} TEMPLATE {TEMPLATE_DB}")
        url = _server_url(postgres, RUN_DB)
    else:
        target = home / f"run-{n}.db"
        shutil.copyfile(home / "template.db", target)
        url = f"sqlite:///{target}"
    return {"EXODUS_HOME": str(home), "EXODUS_DATABASE_URL": url}


def drop_database(env: dict[str, str], postgres: str | None) -> None:
    if postgres:
        name = TEMPLATE_DB if "template" in env else RUN_DB
        _admin(postgres, f"DROP DATABASE IF EXISTS {name}")
        return
    path = Path(env["EXODUS_DATABASE_URL"].split("///", 1)[1])
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# -- the filings ---------------------------------------------------------------------------------


def generate_filings(home: Path, count: int, seed: int) -> tuple[Path, float]:
    """Write `count` generated filings as JSON Lines once per count and seed (not timed)."""
    from exodus.sample.generator import SampleGenerator, listed_names_from_bundle

    path = home / f"bench-filings-{count}-{seed}.jsonl"
    if path.exists():
        return path, 0.0
    clock = time.perf_counter()
    generator = SampleGenerator(seed, listed=listed_names_from_bundle())
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for filing in generator.filings(count):
            handle.write(json.dumps(filing.to_dict()) + "\n")
    tmp.replace(path)
    return path, time.perf_counter() - clock


def describe_filings(path: Path, generate: float) -> None:
    """Print how many parties the file names and how often they repeat."""
    from exodus.core.screening.normalize import analyze_name

    parties = 0
    queries: set[tuple[str, str, str]] = set()
    names: set[str] = set()
    lines = 0
    with path.open(encoding="utf-8") as handle:
        for text in handle:
            data = json.loads(text)
            lines += len(data["lines"])
            for role in ("usppi", "ultimate_consignee", "intermediate_consignee", "freight_forwarder"):
                party = data.get(role)
                if party:
                    parties += 1
                    queries.add((party["name"], party["country"], f"{party['address']} {party['city']}"))
                    names.add(party["name"])
    normalised = {analyze_name(name).text for name in names}
    print(f"filings file: {path.name} (generated in {generate:.1f}s): {lines:,} lines, {parties:,} parties, "
          f"{len(queries):,} distinct parties (name, country, address), {len(names):,} distinct names, "
          f"{len(normalised):,} distinct normalised names")


# -- one run -------------------------------------------------------------------------------------


def run_once(env: dict[str, str], path: str, cpu: int | None, separate: bool, profile: bool) -> dict[str, Any]:
    """Ingest and target the file in this (fresh) process; return the figures."""
    import cProfile
    import pstats

    from sqlalchemy import func, select

    from exodus.core.filings import read_filings
    from exodus.services.app import Exodus
    from exodus.services.ingest import ingest_file
    from exodus.services.targeting import ingest_and_target, target_stored
    from exodus.settings import load_settings
    from exodus.storage.models import FilingRow, ScreeningHitRow, TargetingResultRow

    pinned = pin(cpu)
    app = Exodus(load_settings(env))
    app.ensure_ready(actor="benchmark")
    targeter = app.targeter  # loads the screening index from its cache file
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    profiler = cProfile.Profile() if profile else None
    server_before = server_cpu(app.db.engine)

    clock, cpu_clock = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    batch_size = app.settings.batch_size
    if separate:
        report = ingest_file(app.db, Path(path), actor="benchmark", batch_size=batch_size, clock=targeter.clock)
        results = target_stored(app.db, targeter, report.filing_ids, batch_size=batch_size)
    else:
        report, results = ingest_and_target(app.db, targeter, read_filings(Path(path)), actor="benchmark",
                                            batch_size=batch_size)
    if profiler:
        profiler.disable()
    wall, cpu_used = time.perf_counter() - clock, time.process_time() - cpu_clock
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    server_after = server_cpu(app.db.engine)
    server = (sum(cpu - server_before.get(pid, 0.0) for pid, cpu in server_after.items())
              if server_after is not None and server_before is not None else None)

    with app.db.session() as session:
        stored = {
            "filings": session.scalar(select(func.count()).select_from(FilingRow)),
            "current results": session.scalar(select(func.count()).select_from(TargetingResultRow)
                                              .where(TargetingResultRow.current.is_(True))),
            "screening hits": session.scalar(select(func.count()).select_from(ScreeningHitRow)),
        }
    actions: dict[str, int] = {}
    for result in results:
        actions[result.action.value] = actions.get(result.action.value, 0) + 1
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
    return {
        "database": app.db.engine.dialect.name, "pinned": pinned, "batch": batch_size, "filings": report.read,
        "rejected": len(report.errors), "results": len(results), "wall": wall, "cpu": cpu_used,
        "peak_mib": peak, "rss_before_mib": rss_before, "server_cpu": server, "stages": targeter.clock.rows(), "stored": stored,
        "actions": actions, "screened": len(targeter.screened),
        "lines": (targeter.lines.hits, targeter.lines.misses),
    }


def server_cpu(engine: Any) -> dict[int, float] | None:
    """Return CPU seconds of the PostgreSQL backends serving this database, by process.

    Read from /proc, so only for a server on this machine; None for SQLite or a
    server elsewhere.
    """
    from sqlalchemy import text

    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        pids = list(connection.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).scalars())
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        found[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return found


def pin(cpu: int | None) -> str:
    """Pin this process to one core; return which, or why not."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    allowed = sorted(os.sched_getaffinity(0))
    core = cpu if cpu is not None else allowed[0]
    try:
        os.sched_setaffinity(0, {core})
    except OSError as exc:
        return f"not pinned ({exc})"
    return f"core {core} of {len(allowed)}"


def print_run(n: int, count: int, run: dict[str, Any]) -> None:
    wall, cpu = run["wall"], run["cpu"]
    print(f"\nrun {n} ({run['database']}, {run['pinned']}, batches of {run['batch']:,}): "
          f"{run['filings']:,} filings read, "
          f"{run['rejected']} rejected, {run['results']:,} results")
    print(f"  end to end (parse, store, history, screen, determine, score, store results): "
          f"{wall:.1f}s wall, {cpu:.1f}s CPU")
    print(f"  end to end: {count / wall:,.0f} filings/s wall, {count / cpu:,.0f} filings/s per CPU second")
    if run["server_cpu"] is not None:
        both = cpu + run["server_cpu"]
        print(f"  PostgreSQL server processes (not pinned): {run['server_cpu']:.1f}s CPU; "
              f"{count / both:,.0f} filings/s per CPU second of Exodus and server together")
    print(f"  peak memory: {run['peak_mib']:,.0f} MiB (before the run, with the screening index loaded: "
          f"{run['rss_before_mib']:,.0f} MiB)")
    stored = run["stored"]
    complete = stored["filings"] == stored["current results"] == run["results"] == run["filings"] - run["rejected"]
    print("  stored: " + ", ".join(f"{k} {v:,}" for k, v in stored.items())
          + (" (every filing and its result)" if complete else " -- NOT EVERY FILING AND RESULT IS STORED"))
    print(f"  {run['screened']:,} distinct parties screened; line cache {run['lines'][0]:,} hits, "
          f"{run['lines'][1]:,} misses")
    print(f"  actions: {run['actions']}")
    print(f"  {'stage':<16}{'wall s':>9}{'CPU s':>9}{'CPU share':>11}{'CPU us/filing':>15}")
    for stage, stage_wall, stage_cpu in run["stages"]:
        print(f"  {stage:<16}{stage_wall:>9.1f}{stage_cpu:>9.1f}{stage_cpu / cpu:>10.0%}"
              f"{stage_cpu / count * 1e6:>15.0f}")
    rest_wall = wall - sum(r[1] for r in run["stages"])
    rest_cpu = cpu - sum(r[2] for r in run["stages"])
    print(f"  {'(other)':<16}{rest_wall:>9.1f}{rest_cpu:>9.1f}{rest_cpu / cpu:>10.0%}"
          f"{rest_cpu / count * 1e6:>15.0f}")


if __name__ == "__main__":
    main()
