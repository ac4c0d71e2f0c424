"""Settings, read once from EXODUS_* environment variables.

| variable | default | meaning |
| --- | --- | --- |
| EXODUS_HOME | ./var | folder for the embedded database, caches and list downloads |
| EXODUS_DATABASE_URL | sqlite:///$EXODUS_HOME/exodus.db | SQLAlchemy URL; postgresql+psycopg://... in production |
| EXODUS_SCREEN_THRESHOLD | (matcher default) | minimum screening score that counts as a hit |
| EXODUS_BATCH_SIZE | 1000 | filings per database batch in ingest and targeting |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    database_url: str
    screen_threshold: float | None
    batch_size: int

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Return settings from `environ` (the process environment by default)."""
    env = os.environ if environ is None else environ
    home = Path(env.get("EXODUS_HOME", "var")).resolve()
    url = env.get("EXODUS_DATABASE_URL") or f"sqlite:///{home / 'exodus.db'}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    threshold = env.get("EXODUS_SCREEN_THRESHOLD")
    return Settings(
        home=home,
        database_url=url,
        screen_threshold=float(threshold) if threshold else None,
        batch_size=int(env.get("EXODUS_BATCH_SIZE", "1000")),
    )
