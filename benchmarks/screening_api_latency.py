"""Measure single-name screening latency through the HTTP API on loopback.

Run:  python benchmarks/screening_api_latency.py [--requests 3000]

Sets up a fresh EXODUS_HOME in a temporary folder (database, an API token for the
first administrator), starts the app with uvicorn on 127.0.0.1 at a free port, and
sends `GET /api/screen?name=...` one request at a time from one keep-alive client.
Prints p50, p95, p99 and max latency in milliseconds (target: p99 under 25 ms).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

HOST = "127.0.0.1"
NAMES = [
    "Atlas Industrial Supply Ltd", "Huawei Technologies Co Ltd", "Rosoboronexport",
    "Vladimir Putin", "Meridian Electronics GmbH", "Jade Electronics Corp.",
    "Shenzhen Xinda Precision Machinery Co., Ltd.", "Mahan Air", "John Smith",
    "Orion Cargo Ltd.", "Tula Arms Plant", "Anadolu Makina Sanayi ve Ticaret A.S.",
    "Kim Jong Un", "Владимир Путин", "Banco Nacional de Cuba", "Delta Logistics Ltd",
]  # fmt: skip


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def exodus(env: dict[str, str], *args: str) -> str:
    """Run the exodus CLI with `env` and return its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "exodus.cli.main", *args],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def api_token(env: dict[str, str]) -> str:
    """Initialise the database and create an API token for the first administrator."""
    exodus(env, "init")
    out = exodus(env, "tokens", "create", "admin", "--name", "latency-benchmark")
    token = next((w for w in out.split() if w.startswith("exo_")), None)
    if token is None:
        raise SystemExit(f"could not read an API token from: {out!r}")
    return token


def wait_ready(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Wait until the server answers its health check, or give up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("uvicorn exited before it was ready")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on port {port} not ready after {seconds:.0f} s")


def measure(port: int, token: str, count: int, pid: int) -> tuple[list[float], float | None]:
    """Send `count` single-name screens over one connection.

    Return the latencies in ms and the CPU time the server process `pid` spent on them.
    """
    rng = random.Random(5)
    headers = {"Authorization": f"Bearer {token}"}
    # Warm-up: the first screen loads (or builds) the screening index.
    conn = http.client.HTTPConnection(HOST, port, timeout=600)
    for name in NAMES:
        conn.request("GET", "/api/screen?" + urlencode({"name": name}), headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"warm-up failed: {response.status} {body[:200]!r}")
    timings = []
    cpu_before = cpu_seconds(pid)
    for _ in range(count):
        name = rng.choice(NAMES)
        if rng.random() < 0.5:  # vary the text so no cache answers every call
            name = f"{name} {rng.randint(1, 999)}"
        started = time.perf_counter()
        conn.request("GET", "/api/screen?" + urlencode({"name": name}), headers=headers)
        response = conn.getresponse()
        json.loads(response.read())
        timings.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise SystemExit(f"request failed: {response.status}")
    cpu_after = cpu_seconds(pid)
    if cpu_before is None or cpu_after is None:
        return timings, None
    return timings, cpu_after - cpu_before


def cpu_seconds(pid: int) -> float | None:
    """Return the CPU time (user + system) process `pid` has used, where /proc tells it."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    """Return the value below which `share` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@contextlib.contextmanager
def served_app(env: dict[str, str], home: str) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """Run the app under uvicorn on a free loopback port; yield the port and the server.

    On leaving, the server is asked to stop (a clean stop, so it can write what it
    holds) and killed only if it does not within 20 s.
    """
    port = free_port()
    with open(Path(home) / "server.log", "wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "exodus.api.app:create_app", "--factory",
             "--host", HOST, "--port", str(port), "--log-level", "warning"],
            env=env, stdout=subprocess.DEVNULL, stderr=log_file,
        )  # fmt: skip
    try:
        wait_ready(port, server)
        yield port, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "EXODUS_HOME": home}
        token = api_token(env)
        with served_app(env, home) as (port, server):
            started = time.perf_counter()
            timings, server_cpu = measure(port, token, args.requests, server.pid)
            spent = time.perf_counter() - started
    print(
        f"GET /api/screen on {HOST}:{port}, {len(timings):,} requests, one client, "
        f"{len(timings) / spent:,.0f} requests/s"
    )
    for label, share in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99)):
        print(f"  {label}: {percentile(timings, share):6.2f} ms")
    print(f"  max: {max(timings):6.2f} ms   (target: p99 under 25 ms)")
    if server_cpu is not None:
        print(f"  server CPU: {server_cpu * 1000 / len(timings):.2f} ms per request")
    print(f"  load average when done: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs (other processes lengthen the tail)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
