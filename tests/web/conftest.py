"""Fixtures of the page tests: an analyst's browser and a data feed, one of each per module."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def client(browser_as):  # type: ignore[no-untyped-def]
    """An analyst signed in through the sign-in form (session cookie)."""
    return browser_as("analyst")


@pytest.fixture(scope="module")
def feed(client_as):  # type: ignore[no-untyped-def]
    """A data feed's API token, to load the filings the pages show."""
    return client_as("feed")
