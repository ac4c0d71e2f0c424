"""The REST API: worklist, filings, screening, targeting; errors are clear and never 5xx."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.conftest import filing_data, unique_id


@pytest.fixture(scope="module")
def client(client_as):  # type: ignore[no-untyped-def]
    """An analyst's API token: all ports, filings, targeting and screening."""
    return client_as("analyst")


def test_post_filings_then_target_then_worklist(client: TestClient) -> None:
    fid = unique_id()
    sent = client.post("/api/filings", json=[filing_data(filing_id=fid), filing_data(filing_id="bad id!")])
    assert sent.status_code == 200
    body = sent.json()
    assert body["created"] == 1 and body["rejected"] == 1
    assert "filing_id" in body["errors"][0] and "filing 2" in body["errors"][0]
    targeted = client.post("/api/target", json={"filing_ids": [fid]})
    assert targeted.status_code == 200
    assert targeted.json()[0]["action"] == "release"
    page = client.get("/api/worklist", params={"port": "2720", "limit": 500}).json()
    assert fid in [i["filing_id"] for i in page["items"]]


def test_upload_csv_and_jsonl(client: TestClient) -> None:
    fid = unique_id()
    line = json.dumps(filing_data(filing_id=fid)) + "\n"
    resp = client.post("/api/filings/upload", files={"file": ("day.jsonl", line, "application/x-ndjson")})
    assert resp.status_code == 200 and resp.json()["created"] == 1
    resp = client.post("/api/filings/upload", files={"file": ("day.txt", line, "text/plain")})
    assert resp.status_code == 400 and ".jsonl or .csv" in resp.json()["detail"]
    resp = client.post("/api/filings/upload", files={"file": ("day.csv", "x", "image/png")})
    assert resp.status_code == 400 and "content type" in resp.json()["detail"]


def test_filing_detail_and_not_found(client: TestClient) -> None:
    fid = unique_id()
    client.post("/api/filings", json=[filing_data(filing_id=fid)])
    assert client.get(f"/api/filings/{fid}").json()["filing"]["filing_id"] == fid
    missing = client.get("/api/filings/NOPE")
    assert missing.status_code == 404 and "NOPE" in missing.json()["detail"]


def test_screen_single_and_batch(client: TestClient) -> None:
    one = client.get("/api/screen", params={"name": "Kalashnikov Concern", "country": "RU"})
    assert one.status_code == 200
    hits = one.json()["hits"]
    assert hits and "KALASHNIKOV" in hits[0]["entity_name"].upper() and hits[0]["explanation"]
    batch = client.post("/api/screen", json={"parties": [{"id": "p1", "name": "Kalashnikov Concern"},
                                                           {"id": "p2", "name": "Keystone Instruments Inc."}]})
    assert batch.status_code == 200
    results = {r["id"]: r["hits"] for r in batch.json()}
    assert results["p1"] and not results["p2"]


def test_bad_requests_get_4xx_with_a_reason(client: TestClient) -> None:
    assert client.get("/api/worklist", params={"action": "shred"}).status_code == 400
    assert client.get("/api/worklist", params={"limit": 0}).status_code == 422
    assert client.post("/api/target", json={"filing_ids": []}).status_code == 422
    assert client.get("/api/screen", params={"name": ""}).status_code == 422


def test_openapi_and_security_headers(client: TestClient) -> None:
    resp = client.get("/api/openapi.json")
    assert resp.status_code == 200
    assert "/api/worklist" in resp.json()["paths"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
