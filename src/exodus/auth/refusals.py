"""Audit requests and commands refused before anyone is known, without letting a flood fill the log.

A bad API token, an unknown or expired session, a form that fails its CSRF check,
a throttled sign-in, an unknown or disabled EXODUS_USER: each is written to the
audit chain as `auth.refused` with where it came from (the client address, or
`local`), why, and what was asked for. The presented secret is never written.

Anyone can send such requests, so the writes are limited per source: at most
`per_source` entries per source and `total` in all per `window` seconds. Further
refusals are only counted; when the window ends, each source with refusals left
out gets one `auth.refusals_suppressed` entry ("N more refusals from X
suppressed"). Sources beyond `max_sources` in one window share one count, so
memory and the log's growth stay bounded whatever the flood. Counting is
in-process: each server process (and each command run) keeps its own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from exodus.storage.audit import AuditEvent, record
from exodus.storage.db import Database

log = logging.getLogger(__name__)

ANONYMOUS = "anonymous"
REFUSED = "auth.refused"
SUPPRESSED = "auth.refusals_suppressed"
OTHER_SOURCES = "other sources"


@dataclass(frozen=True, slots=True)
class Refusal:
    """One refused request or command: who it claimed to be (if anyone), from where, why, for what."""

    remote: str
    reason: str
    path: str  # "GET /api/worklist", or the command line's first words
    actor: str = ANONYMOUS
    detail: dict[str, Any] = field(default_factory=dict)
    object_type: str = "route"  # or "command"

    def event(self) -> AuditEvent:
        return AuditEvent(self.actor, REFUSED, self.object_type, self.path[:200],
                          {"reason": self.reason[:300], **self.detail}, self.remote[:100])


class RefusalLimiter:
    """Decide which refusals reach the audit log: a fixed window, counted per source.

    Thread-safe; `admit` does no I/O, so a suppressed refusal costs a dictionary update.
    """

    def __init__(self, per_source: int = 10, total: int = 300, window: float = 60.0,
                 max_sources: int = 1000, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_source = per_source
        self.total = total
        self.window = window
        self.max_sources = max_sources
        self._clock = clock
        self._lock = threading.Lock()
        self._started = clock()
        self._written: dict[str, int] = {}
        self._suppressed: dict[str, int] = {}
        self._written_total = 0

    def admit(self, refusal: Refusal) -> list[AuditEvent]:
        """Return the events to write for `refusal`: summaries of a finished window, then itself if allowed."""
        with self._lock:
            events = self._roll() if self._clock() - self._started >= self.window else []
            source = refusal.remote
            if source not in self._written and len(self._written) >= self.max_sources:
                source = OTHER_SOURCES
            written = self._written.get(source, 0)
            if source != OTHER_SOURCES and written < self.per_source and self._written_total < self.total:
                self._written[source] = written + 1
                self._written_total += 1
                events.append(refusal.event())
            else:
                self._written.setdefault(source, 0)
                self._suppressed[source] = self._suppressed.get(source, 0) + 1
            return events

    def flush(self) -> list[AuditEvent]:
        """End the current window now; return its summaries (e.g. when the server stops)."""
        with self._lock:
            return self._roll()

    def _roll(self) -> list[AuditEvent]:
        minutes = self.window / 60
        span = f"{minutes:g} minute{'s' if minutes != 1 else ''}"
        events = [
            AuditEvent(ANONYMOUS, SUPPRESSED, "source", source[:200],
                       {"suppressed": count, "window_seconds": self.window,
                        "reason": f"{count} more refusal{'s' if count != 1 else ''} from {source} suppressed in {span}"},
                       None if source == OTHER_SOURCES else source[:100])
            for source, count in sorted(self._suppressed.items())
        ]
        if events:
            log.warning("audit of refusals: %s", "; ".join(e.detail["reason"] for e in events))
        self._started = self._clock()
        self._written.clear()
        self._suppressed.clear()
        self._written_total = 0
        return events


def write(db: Database, events: list[AuditEvent]) -> None:
    """Append `events` in their own transaction; a database failure is logged, the refusal still stands."""
    if not events:
        return
    try:
        with db.session() as session:
            record(session, events)
    except SQLAlchemyError:
        log.exception("could not audit %d refusal event(s)", len(events))


def audit_refusal(db: Database, limiter: RefusalLimiter, refusal: Refusal) -> None:
    """Write `refusal` (and any summaries due) to the audit log, within the limits of `limiter`."""
    log.info("refused %s from %s: %s", refusal.path, refusal.remote, refusal.reason)
    write(db, limiter.admit(refusal))
