"""A fresh copy of the prepared home per test, for modules that do not share one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import home_copy


@pytest.fixture()
def home(exodus_home: Path, tmp_path: Path) -> Path:
    return home_copy(exodus_home, tmp_path)
