"""Helpers of the page tests."""

from __future__ import annotations

from typing import Any

from tests.conftest import filing_data


def stored_and_targeted(client_as: Any, fid: str, party: dict[str, str]) -> dict[str, Any]:
    """Send a filing to `party` through a feed, target it, and return it as an analyst reads it."""
    feed = client_as("feed")
    assert feed.post("/api/filings", json=[filing_data(filing_id=fid, country_of_destination=party["country"],
                                                       ultimate_consignee=party)]).status_code == 200
    assert feed.post("/api/target", json={"filing_ids": [fid]}).status_code == 200
    return client_as("analyst").get(f"/api/filings/{fid}").json()  # type: ignore[no-any-return]
