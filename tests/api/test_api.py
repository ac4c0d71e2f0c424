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


def test_filings_batch_reports_an_element_that_is_not_an_object_and_stores_the_rest(client: TestClient) -> None:
    fid = unique_id()
    sent = client.post("/api/filings", json=[filing_data(filing_id=fid), "not a filing", 42])
    assert sent.status_code == 200
    body = sent.json()
    assert body["created"] == 1 and body["rejected"] == 2 and body["stored"] is True
    assert body["errors"] == ["filing 2: field '(record)': must be an object", "filing 3: field '(record)': must be an object"]
    strict = client.post("/api/filings", params={"strict": True}, json=[filing_data(filing_id=unique_id()), []])
    assert strict.json()["stored"] is False and strict.json()["created"] == 0


def test_stale_filing_is_named_in_the_response(client: TestClient) -> None:
    fid = unique_id()
    client.post("/api/filings", json=[filing_data(filing_id=fid)])
    old = client.post("/api/filings", json=[filing_data(filing_id=fid, filed_at="2026-11-01T00:00:00Z", carrier="OLD")])
    body = old.json()
    assert body["stale"] == 1 and body["errors"] == []
    assert len(body["warnings"]) == 1 and body["warnings"][0].startswith(f"filing 1 (filing {fid}): stale")


def test_screen_batch_reports_bad_parties_by_position_and_screens_the_rest(client: TestClient) -> None:
    batch = client.post("/api/screen", json={"parties": [
        {"id": "p1", "name": "Kalashnikov Concern"}, {"id": "p2", "name": " "},
        {"name": "K" * 600}, {"id": "p4", "name": "Rosoboronexport", "country": "RUSSIA"}]})
    assert batch.status_code == 200
    results = batch.json()
    assert [r["id"] for r in results] == ["p1", "p2", None, "p4"]
    assert results[0]["hits"] and results[0]["error"] is None
    assert results[1]["error"] == "query 2 (id p2): field 'name' is empty" and results[1]["hits"] == []
    assert results[2]["error"] == "query 3: field 'name' is 600 characters long; the limit is 500"
    assert results[3]["error"].startswith("query 4 (id p4): field 'country'") and "RUSSIA" in results[3]["error"]


def test_screen_batch_reports_a_party_without_a_name_and_one_with_a_nul(client: TestClient) -> None:
    batch = client.post("/api/screen", json={"parties": [
        {"id": "p1", "country": "RU"}, {"id": "p2", "name": "Kalashnikov Concern"}, {"name": "Acme\u0000Ltd"}]})
    assert batch.status_code == 200, batch.text
    results = batch.json()
    assert results[0]["error"] == "query 1 (id p1): field 'name' is required" and results[0]["hits"] == []
    assert results[1]["hits"] and results[1]["error"] is None
    assert results[2]["error"] == "query 3: field 'name': must not contain NUL characters"


def test_a_nul_in_a_query_parameter_is_refused_naming_it(client: TestClient) -> None:
    for path in ("/api/screen?name=Acme%00Ltd", "/api/worklist?destination=A%00"):
        refused = client.get(path)
        assert refused.status_code == 400 and "must not contain NUL characters" in refused.json()["detail"]


def test_target_names_unknown_filing_ids(client: TestClient) -> None:
    fid = unique_id()
    client.post("/api/filings", json=[filing_data(filing_id=fid)])
    missing = client.post("/api/target", json={"filing_ids": ["NOPE"]})
    assert missing.status_code == 404 and "NOPE" in missing.json()["detail"]
    mixed = client.post("/api/target", json={"filing_ids": [fid, "NOPE2", "NOPE3"]})
    assert mixed.status_code == 404
    assert "NOPE2, NOPE3" in mixed.json()["detail"] and fid not in mixed.json()["detail"]
    assert client.post("/api/target", json={"filing_ids": [fid]}).status_code == 200


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


def test_screen_batch_reports_a_party_of_the_wrong_type_and_screens_the_rest(client: TestClient) -> None:
    batch = client.post("/api/screen", json={"parties": [
        {"id": "p1", "name": 5}, "x", {"id": "p3", "name": "Kalashnikov Concern"}, {"id": ["no"], "name": "Acme"}]})
    assert batch.status_code == 200, batch.text
    results = batch.json()
    assert [r["id"] for r in results] == ["p1", None, "p3", None]
    assert results[0]["error"].startswith("query 1 (id p1): field 'name': ") and results[0]["hits"] == []
    assert results[1]["error"].startswith("query 2: the party: ") and results[1]["name"] == ""
    assert results[2]["hits"] and results[2]["error"] is None
    assert results[3]["error"].startswith("query 4: field 'id': ") and results[3]["name"] == "Acme"


def test_a_name_of_only_invisible_characters_is_empty(client: TestClient) -> None:
    one = client.get("/api/screen?name=%E2%80%8B%E2%80%8B")
    assert one.status_code == 422 and "field 'name' is empty" in one.json()["detail"], one.text
    assert "[U+200B]" in one.json()["detail"]
    batch = client.post("/api/screen", json={"parties": [{"name": "\u200b\u2060"}, {"name": "Kalashnikov Concern"}]})
    assert batch.json()[0]["error"].startswith("query 1: field 'name' is empty") and batch.json()[1]["hits"]


def test_a_batch_of_only_bad_parties_answers_each(client: TestClient) -> None:
    batch = client.post("/api/screen", json={"parties": [7, {"name": None, "id": 3}]})
    assert batch.status_code == 200, batch.text
    assert [r["error"].split(":")[0] for r in batch.json()] == ["query 1", "query 2"]


def test_a_worklist_of_a_port_that_is_no_schedule_d_port_is_refused(client: TestClient) -> None:
    for port, problem in (("9999", "not a Schedule D port"), ("abc", "4-digit Schedule D code")):
        refused = client.get("/api/worklist", params={"port": port})
        assert refused.status_code == 400 and problem in refused.json()["detail"], refused.text
