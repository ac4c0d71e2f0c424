"""Measure a flood of bad API tokens on loopback: latency of the 401s and growth of the audit log.

Run:  python benchmarks/refusal_flood.py [--requests 2000]

Sets up a fresh EXODUS_HOME in a temporary folder, starts the app with uvicorn on
127.0.0.1 at a free port and sends `GET /api/worklist` with a well-formed but unknown
token, one request at a time from one keep-alive client (one source). Then a valid
token reads the worklist as a check that the API still answers. Prints the 401
latencies (p50, p99, max) and how many audit entries the flood left: at most the
per-source limit of a window, plus one summary per window that ended.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import time

from screening_api_latency import HOST, api_token, exodus, percentile, served_app

BOGUS = "exo_" + "B" * 43


def flood(port: int, count: int) -> list[float]:
    """Send `count` refused requests over one connection; return their latencies in ms."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        conn.request("GET", "/api/worklist", headers={"Authorization": f"Bearer {BOGUS}"})
        response = conn.getresponse()
        response.read()
        timings.append((time.perf_counter() - started) * 1000)
        if response.status != 401:
            raise SystemExit(f"expected 401, got {response.status}")
    return timings


def audit_entries(env: dict[str, str]) -> dict[str, int]:
    """Count the refusal entries in the audit log by action."""
    found = json.loads(exodus(env, "audit", "search", "--action", "auth.", "--limit", "500", "--format", "json"))
    counts: dict[str, int] = {}
    for entry in found:
        counts[entry["action"]] = counts.get(entry["action"], 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "EXODUS_HOME": home}
        token = api_token(env)
        # leaving the block stops the server cleanly, which writes the last window's summary
        with served_app(env, home) as (port, _server):
            started = time.perf_counter()
            timings = flood(port, args.requests)
            spent = time.perf_counter() - started
            check = http.client.HTTPConnection(HOST, port, timeout=60)
            check.request("GET", "/api/worklist", headers={"Authorization": f"Bearer {token}"})
            valid = check.getresponse()
            valid.read()
        entries = audit_entries(env)
    print(f"GET /api/worklist with an unknown token on {HOST}:{port}, {len(timings):,} requests, one client, "
          f"{len(timings) / spent:,.0f} requests/s, {spent:.1f} s")
    first = timings[:10]
    print(f"  first 10 (audited): median {percentile(first, 0.5):6.2f} ms")
    for label, share in (("p50", 0.50), ("p99", 0.99)):
        print(f"  {label}: {percentile(timings, share):6.2f} ms")
    print(f"  max: {max(timings):6.2f} ms")
    print(f"  audit entries left: {entries}  (valid token afterwards: HTTP {valid.status})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
