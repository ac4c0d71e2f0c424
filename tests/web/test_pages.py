"""Server-rendered pages: worklist, filing page, screening, all on local static files."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import filing_data, unique_id


def test_worklist_page_ranks_and_filters(client: TestClient, feed: TestClient) -> None:
    fid = unique_id()
    feed.post("/api/filings", json=[filing_data(filing_id=fid, port_of_export="3901")])
    feed.post("/api/target", json={"filing_ids": [fid]})
    page = client.get("/worklist", params={"port": "3901"})
    assert page.status_code == 200
    assert fid in page.text and "usa-table" in page.text
    assert client.get("/worklist", params={"action": "shred"}).status_code == 400


def test_filing_page_escapes_party_names(client: TestClient, feed: TestClient) -> None:
    fid = unique_id()
    evil = filing_data(filing_id=fid, ultimate_consignee={"name": "<script>alert(1)</script> GmbH", "country": "DE", "type": "D"})
    feed.post("/api/filings", json=[evil])
    page = client.get(f"/filings/{fid}")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text


def test_filing_page_shows_bidirectional_controls_instead_of_obeying_them(client: TestClient, feed: TestClient) -> None:
    fid = unique_id()
    name = "Hanse \u202eHbmG uabnenihcsaM"  # reads "Hanse Maschinenbau GmbH" when the override is obeyed
    feed.post("/api/filings", json=[filing_data(filing_id=fid, ultimate_consignee={"name": name, "country": "DE", "type": "D"})])
    page = client.get(f"/filings/{fid}")
    assert page.status_code == 200
    assert "\u202e" not in page.text and "\u2066" not in page.text
    assert "Hanse [U+202E]HbmG uabnenihcsaM" in page.text
    stored = client.get(f"/api/filings/{fid}")  # the API hands machines the name as filed
    assert stored.status_code == 200 and stored.json()["filing"]["ultimate_consignee"]["name"] == name


def test_pages_use_only_local_assets(client: TestClient) -> None:
    page = client.get("/screen", params={"name": "Kalashnikov Concern"})
    assert page.status_code == 200 and "KALASHNIKOV" in page.text.upper()
    for url in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        assert not url.startswith(("http:", "https:", "//")), url
    assert client.get("/static/uswds/css/uswds.min.css").status_code == 200
    assert client.get("/static/uswds/js/uswds.min.js").status_code == 200


def test_filing_page_shows_what_each_correction_changed(client: TestClient, feed: TestClient) -> None:
    fid = unique_id()
    first = filing_data(filing_id=fid)
    feed.post("/api/filings", json=[first])
    corrected = dict(first, filed_at="2026-12-02T10:00:00Z", carrier="<b>NEW</b> CARRIER")
    assert feed.post("/api/filings", json=[corrected]).json()["corrected"] == 1
    page = client.get(f"/filings/{fid}")
    assert page.status_code == 200
    history = page.text[page.text.index("<h2>History</h2>"):]
    assert 'aria-label="Changes of version 2"' in history and "Changes of version 1" not in history
    row = re.search(r"<tr><td>carrier</td><td>([^<]*)</td><td>([^<]*)</td></tr>", history)
    assert row is not None and row.groups() == ("LUFTHANSA CARGO", "&lt;b&gt;NEW&lt;/b&gt; CARRIER")
    assert re.search(r"<tr><td>filed_at</td>", history)
