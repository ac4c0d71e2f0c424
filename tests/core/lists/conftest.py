"""Fixtures for the list readers.

Tests read the real bundled snapshots in src/exodus/data/lists (counts are
checked against that folder's PROVENANCE.md); each file is parsed once per
session. Malformed-row tests write small copies of real rows to tmp_path.
`fixtures/consolidated.json` is a short file in trade.gov's official
consolidated.json layout, of which no copy is bundled.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exodus.core.lists import (
    ListRelease,
    read_csl_compact,
    read_dpl,
    read_eu_fsf,
    read_ofac,
    read_uk_conlist,
    read_un_xml,
)
from exodus.core.lists.registry import DATA_DIR

FIXTURES = Path(__file__).parent / "fixtures"
CSL_COMPACT = DATA_DIR / "csl" / "consolidated-screening-list.2026-07-31.compact.json"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture(scope="session")
def csl_compact() -> ListRelease:
    return read_csl_compact(CSL_COMPACT)


@pytest.fixture(scope="session")
def ofac_all() -> ListRelease:
    return read_ofac(DATA_DIR / "ofac")


@pytest.fixture(scope="session")
def un_release() -> ListRelease:
    return read_un_xml(DATA_DIR / "un" / "UN_consolidated.xml")


@pytest.fixture(scope="session")
def dpl_release() -> ListRelease:
    return read_dpl(DATA_DIR / "bis" / "dpl.txt")


@pytest.fixture(scope="session")
def uk_release() -> ListRelease:
    return read_uk_conlist(DATA_DIR / "uk" / "sanctionsconlist.csv")


@pytest.fixture(scope="session")
def eu_release() -> ListRelease:
    return read_eu_fsf(DATA_DIR / "eu" / "EUSanctionsShort.csv")
