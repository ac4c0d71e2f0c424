"""Time spent per stage of ingest and targeting, for benchmarks and logs.

A `Stopwatch` adds up wall and CPU seconds under stage names ("parse", "screen",
...). Stages are timed per batch, not per filing, so keeping one costs nothing
worth measuring. CPU seconds are the process's: on a busy machine they show the
work done while the wall clock also counts waiting for the processor.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


class Stopwatch:
    """Wall and CPU seconds per stage, in the order stages were first timed."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - wall, time.process_time() - cpu)

    def add(self, stage: str, wall: float, cpu: float) -> None:
        self.wall[stage] = self.wall.get(stage, 0.0) + wall
        self.cpu[stage] = self.cpu.get(stage, 0.0) + cpu

    def iterate(self, stage: str, items: Iterable[T]) -> Iterator[T]:
        """Yield from `items`, counting the time spent producing each under `stage`."""
        source = iter(items)
        while True:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                item = next(source)
            except StopIteration:
                self.add(stage, time.perf_counter() - wall, time.process_time() - cpu)
                return
            self.add(stage, time.perf_counter() - wall, time.process_time() - cpu)
            yield item

    def rows(self) -> list[tuple[str, float, float]]:
        """Return (stage, wall seconds, CPU seconds) for every stage timed."""
        return [(stage, self.wall[stage], self.cpu[stage]) for stage in self.wall]

