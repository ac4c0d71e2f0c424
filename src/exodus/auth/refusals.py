"""Audit refusals without letting a flood fill the log.

A bad API token, an unknown or expired session, a form that fails its CSRF check,
a throttled sign-in, an unknown or disabled EXODUS_USER: each is written to the
audit chain as `auth.refused` with where it came from (the client address, or
`local`), why, and what was asked for. The presented secret is never written.

Anyone can send such requests, so the writes are limited per source: at most
`per_source` entries per source and `total` in all per `window` seconds. Further
refusals are only counted; when the window ends, ONE `auth.refusals_suppressed`
entry sums them up: how many, from how many sources, and the `top` sources with
their counts. Sources beyond `max_sources` in one window share one count, so
memory and the log's growth stay bounded whatever the flood: at most `total`
entries plus one summary per window.

A known account refused for lack of a permission (`access.denied`) goes through
the same kind of limiter, keyed by the account (`DENIALS`, 10 per actor a
minute), so one account cannot fill the log either; its summary is
`access.denials_suppressed`. Counting is in-process: each server process (and
each command run) keeps its own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from exodus.storage.audit import AuditEvent, record
from exodus.storage.db import Database

log = logging.getLogger(__name__)

ANONYMOUS = "anonymous"
REFUSED = "auth.refused"
SUPPRESSED = "auth.refusals_suppressed"
DENIED = "access.denied"
DENIALS_SUPPRESSED = "access.denials_suppressed"
OTHER_SOURCES = "other sources"
TOP = 20  # keys named with their counts in a window's summary


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


def _plural(count: int, word: str) -> str:
    return f"{count} {word if count == 1 else word + 's'}"


class RefusalLimiter:
    """Decide which refusals reach the audit log: a fixed window, counted per key.

    The key is the event's source (`by="remote"`, refusals of unknown callers) or
    its actor (`by="actor"`, denials to known accounts). Thread-safe; `admit` does
    no I/O, so a suppressed refusal costs a dictionary update.
    """

    def __init__(self, per_source: int = 10, total: int = 300, window: float = 60.0,
                 max_sources: int = 1000, clock: Callable[[], float] = time.monotonic, *,
                 by: str = "remote", action: str = SUPPRESSED, noun: str = "refusal") -> None:
        if by not in ("remote", "actor"):
            raise ValueError(f"a refusal limiter counts by 'remote' or 'actor', not {by!r}")
        self.per_source = per_source
        self.total = total
        self.window = window
        self.max_sources = max_sources
        self.by = by
        self.action = action
        self.noun = noun
        self._clock = clock
        self._lock = threading.Lock()
        self._started = clock()
        self._written: dict[str, int] = {}
        self._suppressed: dict[str, int] = {}
        self._written_total = 0

    def admit(self, refusal: Refusal | AuditEvent) -> list[AuditEvent]:
        """Return the events to write for `refusal`: the summary of a finished window, then itself if allowed."""
        event = refusal.event() if isinstance(refusal, Refusal) else refusal
        with self._lock:
            events = self._roll() if self._clock() - self._started >= self.window else []
            source = (event.remote if self.by == "remote" else event.actor) or "unknown"
            if source not in self._written and len(self._written) >= self.max_sources:
                source = OTHER_SOURCES
            written = self._written.get(source, 0)
            if source != OTHER_SOURCES and written < self.per_source and self._written_total < self.total:
                self._written[source] = written + 1
                self._written_total += 1
                events.append(event)
            else:
                self._written.setdefault(source, 0)
                self._suppressed[source] = self._suppressed.get(source, 0) + 1
            return events

    def flush(self) -> list[AuditEvent]:
        """End the current window now; return its summary (e.g. when the server stops)."""
        with self._lock:
            return self._roll()

    def _summary(self) -> AuditEvent:
        """One entry for the window: the total suppressed, the number of keys and the `TOP` largest."""
        kind = "source" if self.by == "remote" else "actor"
        minutes = self.window / 60
        span = f"{minutes:g} minute{'s' if minutes != 1 else ''}"
        counts = sorted(self._suppressed.items(), key=lambda item: (-item[1], item[0]))
        total = sum(self._suppressed.values())
        named = len(counts) - (OTHER_SOURCES in self._suppressed)
        detail: dict[str, Any] = {
            "suppressed": total, "window_seconds": self.window,
            # keys past `max_sources` are not told apart: they count as one, "other sources"
            f"{kind}s": named, "suppressed_untracked": self._suppressed.get(OTHER_SOURCES, 0),
            "top": [{kind: key, "suppressed": count} for key, count in counts[:TOP]],
        }
        single = counts[0][0] if len(counts) == 1 else None
        if single is not None:
            detail["reason"] = f"{_plural(total, 'more ' + self.noun)} from {single} suppressed in {span}"
            object_id = single
        else:
            many = _plural(named, kind) if named == len(counts) else f"more than {_plural(named, kind)}"
            most = ", ".join(f"{key} ({count})" for key, count in counts[:3])
            detail["reason"] = f"{_plural(total, 'more ' + self.noun)} from {many} suppressed in {span}; most from {most}"
            object_id = many
        actor = single if self.by == "actor" and single not in (None, OTHER_SOURCES) else ANONYMOUS
        remote = single if self.by == "remote" and single != OTHER_SOURCES else None
        return AuditEvent(actor, self.action, kind, object_id[:200], detail, remote[:100] if remote else None)

    def _roll(self) -> list[AuditEvent]:
        events = [self._summary()] if self._suppressed else []
        if events:
            log.warning("audit of %ss: %s", self.noun, events[0].detail["reason"])
        self._started = self._clock()
        self._written.clear()
        self._suppressed.clear()
        self._written_total = 0
        return events


# Denials to known accounts, per actor: one process-wide limiter (the services that
# deny run outside any request object). Replaced by tests that control the clock.
DENIALS = RefusalLimiter(per_source=10, by="actor", action=DENIALS_SUPPRESSED, noun="denial")


def write(db: Database, events: list[AuditEvent]) -> None:
    """Append `events` in their own transaction; a database failure is logged, the refusal still stands."""
    if not events:
        return
    try:
        with db.session() as session:
            record(session, events)
    except SQLAlchemyError:
        log.exception("could not audit %d refusal event(s)", len(events))


def admitted(limiter: RefusalLimiter, refusal: Refusal) -> list[AuditEvent]:
    """Log `refusal` and return the events `limiter` lets through for it (no I/O)."""
    log.info("refused %s from %s: %s", refusal.path, refusal.remote, refusal.reason)
    return limiter.admit(refusal)


def audit_refusal(db: Database, limiter: RefusalLimiter, refusal: Refusal) -> None:
    """Write `refusal` (and any summary due) to the audit log, within the limits of `limiter`."""
    write(db, admitted(limiter, refusal))


def note_denial(session: Session, actor: str, object_type: str, object_id: str, detail: dict[str, Any],
                remote: str | None, limiter: RefusalLimiter | None = None) -> None:
    """Add an `access.denied` entry by `actor` to `session`, within the per-actor limit (`DENIALS`)."""
    log.info("denied %s %s to %s: %s", object_type, object_id, actor, detail.get("reason") or detail)
    events = (limiter or DENIALS).admit(AuditEvent(actor, DENIED, object_type, object_id[:200], detail, remote))
    if events:
        record(session, events)
