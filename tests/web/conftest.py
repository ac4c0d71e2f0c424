"""Fixtures of the page tests: an analyst's browser and a data feed, one of each per module;
a live server on loopback and Debian's chromium for the tests that drive a real browser."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from exodus.api.app import create_app


@pytest.fixture(scope="module")
def client(browser_as):  # type: ignore[no-untyped-def]
    """An analyst signed in through the sign-in form (session cookie)."""
    return browser_as("analyst")


@pytest.fixture(scope="module")
def feed(client_as):  # type: ignore[no-untyped-def]
    """A data feed's API token, to load the filings the pages show."""
    return client_as("feed")


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(exodus_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    port = free_port()
    config = uvicorn.Config(create_app(exodus_app), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def chromium():  # type: ignore[no-untyped-def]
    playwright = pytest.importorskip("playwright.sync_api")
    if not shutil.which("chromium"):
        pytest.skip("Debian chromium is not installed")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
