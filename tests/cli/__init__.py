"""Running the `exodus` command as a user would, on a copy of a prepared home."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def home_copy(exodus_home: Path, where: Path) -> Path:
    """Copy the prepared home to `where`/home, for commands that change it."""
    copy = where / "home"
    shutil.copytree(exodus_home, copy)
    return copy


def exodus(home: Path, *args: str, input: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `exodus ARGS` in its own process on `home`, with only `env` added to a bare environment."""
    environ = {"EXODUS_HOME": str(home), "PATH": "/usr/bin:/bin", "HOME": str(home), **env}
    return subprocess.run([sys.executable, "-m", "exodus.cli.main", *args], capture_output=True, text=True,
                          env=environ, input=input, timeout=300, check=False)
