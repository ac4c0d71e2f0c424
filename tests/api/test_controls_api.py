"""License determination in the API: on demand, and per line of a stored filing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import filing_data, unique_id


@pytest.fixture(scope="module")
def officer(client_as):  # type: ignore[no-untyped-def]
    return client_as("field_officer")


def test_determine_answers_with_outcome_agencies_exceptions_and_cited_reasons(officer: TestClient) -> None:
    resp = officer.post("/api/determine", json={"eccn": "5A002", "country": "GB"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["outcome"] == "license_exception_may_apply"
    assert body["agencies"] == ["BIS"]
    assert "ENC" in {e["symbol"] for e in body["license_exceptions"]}
    assert all(e["conditions"] and e["citation"] for e in body["license_exceptions"])
    assert body["reasons"] and all(r["citation"] for r in body["reasons"])


def test_determine_screens_parties_and_reads_the_end_use(officer: TestClient) -> None:
    resp = officer.post("/api/determine", json={
        "eccn": "EAR99", "country": "CN", "parties": ["Huawei Technologies Co., Ltd."],
        "end_use": "military intelligence"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    codes = {r["code"] for r in body["reasons"]}
    assert {"ENTITY_LIST", "MIEU"} <= codes
    assert any(h["source"] == "EL" for h in body["parties"][0]["hits"])


def test_determine_refuses_bad_input(officer: TestClient) -> None:
    assert officer.post("/api/determine", json={"country": "CN"}).status_code == 400
    assert officer.post("/api/determine", json={"eccn": "3A001", "country": "Atlantis"}).status_code == 400
    assert officer.post("/api/determine", json={"eccn": "3A001"}).status_code == 422
    assert officer.post("/api/determine", json={"eccn": "EAR99", "country": "CN",
                                                 "parties": ["x"] * 21}).status_code == 422
    junk = officer.post("/api/determine", json={"eccn": "NOTANECCN", "country": "CN"})
    assert junk.status_code == 400 and "field 'eccn'" in junk.json()["detail"]
    # a well-formed ECCN the CCL lacks is judged: it cannot be cleared until classified
    unknown = officer.post("/api/determine", json={"eccn": "4D777", "country": "CN"})
    assert unknown.status_code == 200 and "ECCN_UNKNOWN" in {r["code"] for r in unknown.json()["reasons"]}
    for fine in ("3A001.a.1", "3a001", "ear99", "5A992.c"):
        assert officer.post("/api/determine", json={"eccn": fine, "country": "DE"}).status_code == 200, fine


def test_determine_needs_the_screening_permission(client_as) -> None:  # type: ignore[no-untyped-def]
    viewer = client_as("policy_viewer")
    assert viewer.post("/api/determine", json={"eccn": "EAR99", "country": "DE"}).status_code == 403


def test_filing_licensing_per_line(client_as) -> None:  # type: ignore[no-untyped-def]
    feed, analyst = client_as("feed"), client_as("analyst")
    fid = unique_id("L")
    lines = [
        {"schedule_b": "8542310015", "description": "processors", "quantity": 10, "unit": "NO",
         "value_usd": 5000, "weight_kg": 1, "eccn": "3A001.a.1", "license_code": "C33"},
        {"schedule_b": "8481804090", "description": "Valves for pipelines, stainless steel", "quantity": 4,
         "unit": "NO", "value_usd": 900, "weight_kg": 20, "eccn": "EAR99", "license_code": "C33"},
    ]
    data = filing_data(filing_id=fid, country_of_destination="CN",
                       ultimate_consignee={"name": "Shenzhen Trading Co", "country": "CN", "type": "R"},
                       lines=lines)
    assert feed.post("/api/filings", json=[data]).status_code == 200
    resp = analyst.get(f"/api/filings/{fid}/licensing")
    assert resp.status_code == 200, resp.text
    first, second = resp.json()
    assert first["determination"]["outcome"] == "license_required"
    assert "NLR_LICENSE_REQUIRED" in {f["code"] for f in first["findings"]}
    assert second["determination"]["outcome"] == "no_license_required"
    assert analyst.get("/api/filings/NOPE-NOT-THERE/licensing").status_code == 404
