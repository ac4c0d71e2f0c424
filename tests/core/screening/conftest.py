"""Fixtures for screening tests.

The index is built once per test session from the bundled lists (CSL, OFAC non-SDN,
UN, BIS DPL, UK, EU), so every test screens against the real list entries.
"""

from __future__ import annotations

import pytest

from exodus.core.lists import load_bundled
from exodus.core.lists.model import ListEntity
from exodus.core.screening import ScreeningIndex


@pytest.fixture(scope="session")
def entities() -> list[ListEntity]:
    return [entity for release in load_bundled() for entity in release.entities]


@pytest.fixture(scope="session")
def index(entities: list[ListEntity]) -> ScreeningIndex:
    return ScreeningIndex.build(entities)
