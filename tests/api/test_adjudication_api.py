"""Deciding screening hits through the API: two people for a strong hit, and the worklist follows at once."""

from __future__ import annotations

from typing import Any

from exodus.services.adjudication import STRONG_SCORE
from tests.conftest import filing_data, unique_id


def _stored(client_as: Any, consignee: str, country: str) -> str:
    fid = unique_id("ADJ")
    feed = client_as("feed")
    party = {"name": consignee, "address": "Street 1", "city": "Town", "country": country}
    assert feed.post("/api/filings", json=[filing_data(filing_id=fid, country_of_destination=country,
                                                       ultimate_consignee=party)]).status_code == 200
    assert feed.post("/api/target", json={"filing_ids": [fid]}).status_code == 200
    return fid


def _filing(client: Any, fid: str) -> dict[str, Any]:
    got = client.get(f"/api/filings/{fid}")
    assert got.status_code == 200
    return got.json()  # type: ignore[no-any-return]


def test_a_strong_hit_is_set_aside_only_once_a_second_person_approves(client_as: Any) -> None:
    fid = _stored(client_as, "Rosoboronexport", "RU")
    analyst, supervisor = client_as("analyst"), client_as("supervisor")
    before = _filing(analyst, fid)
    hit = max((h for h in before["screening_hits"] if h["party_role"] == "ultimate_consignee"),
              key=lambda h: h["score"])
    assert hit["score"] >= STRONG_SCORE  # the premise: a strong hit
    body = {"party_name": "Rosoboronexport", "country": "RU", "entity_id": hit["entity_id"],
            "decision": "false_positive", "reason": "said to be another company"}
    recorded = analyst.post("/api/screening/decisions", json=body)
    assert recorded.status_code == 201, recorded.text
    decision = recorded.json()
    assert decision["status"] == "pending approval" and decision["needs_approval"] is True
    assert decision["decided_by"].startswith("token:") and decision["retargeted_filings"] >= 1

    # Pending: the hit still counts, the result is unchanged.
    pending = _filing(analyst, fid)
    assert any(h["entity_id"] == hit["entity_id"] for h in pending["screening_hits"])
    assert pending["result"]["score"] == before["result"]["score"]
    listed = supervisor.get("/api/screening/decisions", params={"pending": True}).json()
    assert decision["id"] in [d["id"] for d in listed]

    # An analyst may not approve; a supervisor may, and the filing is re-targeted at once.
    refused = analyst.post(f"/api/screening/decisions/{decision['id']}/approve")
    assert refused.status_code == 403 and "screening.approve" in refused.json()["detail"]
    approved = supervisor.post(f"/api/screening/decisions/{decision['id']}/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "in force" and approved.json()["retargeted_filings"] >= 1
    after = _filing(analyst, fid)
    assert all(h["entity_id"] != hit["entity_id"] for h in after["screening_hits"])
    assert after["result"]["score"] < before["result"]["score"]
    assert after["result"]["targeted_at"] > before["result"]["targeted_at"]
    suppressed = analyst.get(f"/api/filings/{fid}/suppressed-hits").json()
    assert hit["entity_id"] in [s["entity_id"] for s in suppressed]
    again = supervisor.post(f"/api/screening/decisions/{decision['id']}/approve")
    assert again.status_code == 409

    # Revoked: the hit is back on the worklist at once.
    revoked = analyst.delete(f"/api/screening/decisions/{decision['id']}")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    back = _filing(analyst, fid)
    assert any(h["entity_id"] == hit["entity_id"] for h in back["screening_hits"])
    assert back["result"]["score"] == before["result"]["score"]


def test_the_person_who_recorded_a_decision_may_not_approve_it(client_as: Any) -> None:
    fid = _stored(client_as, "Rosoboronexport", "RU")
    both = client_as("analyst", "supervisor")
    hit = max(_filing(both, fid)["screening_hits"], key=lambda h: h["score"])
    assert hit["score"] >= STRONG_SCORE
    recorded = both.post("/api/screening/decisions", json={
        "party_name": "Rosoboronexport", "country": "RU", "entity_id": hit["entity_id"],
        "decision": "false_positive", "reason": "one person only"}).json()
    refused = both.post(f"/api/screening/decisions/{recorded['id']}/approve")
    assert refused.status_code == 403 and "another person" in refused.json()["detail"]
    assert any(h["entity_id"] == hit["entity_id"] for h in _filing(both, fid)["screening_hits"])
    assert both.delete(f"/api/screening/decisions/{recorded['id']}").status_code == 200


def test_refusal_names_the_permission_deciding_needs(client_as: Any) -> None:
    refused = client_as("field_officer", ports=["2720"]).post("/api/screening/decisions", json={
        "party_name": "Acme", "entity_id": "SDN:1", "decision": "false_positive", "reason": "r"})
    assert refused.status_code == 403 and "screening.decide" in refused.json()["detail"]


def test_a_decision_is_refused_for_a_party_without_a_hit_on_the_entry(client_as: Any) -> None:
    fid = _stored(client_as, "Rosoboronexport", "RU")
    analyst = client_as("analyst")
    hit = max(_filing(analyst, fid)["screening_hits"], key=lambda h: h["score"])
    body = {"party_name": "Totally Innocent Corp", "country": "US", "entity_id": hit["entity_id"],
            "decision": "false_positive", "reason": "nothing to do with them"}
    refused = analyst.post("/api/screening/decisions", json=body)
    assert refused.status_code == 422, refused.text
    assert f"has no hit on list entry {hit['entity_id']}" in refused.json()["detail"]
    stored = analyst.get("/api/screening/decisions", params={"party_name": "Totally Innocent Corp",
                                                             "country": "US"}).json()
    assert stored == []

    # The filed party, with the address screening weighed, is decided with the hit's score.
    accepted = analyst.post("/api/screening/decisions", json={
        **body, "party_name": "Rosoboronexport", "country": "RU", "address": "Street 1 Town",
        "decision": "true_match", "reason": "the listed one"})
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["hit_score"] == hit["score"]
    assert analyst.delete(f"/api/screening/decisions/{accepted.json()['id']}").status_code == 200


def test_a_contrary_decision_must_replace_the_one_in_force(client_as: Any) -> None:
    fid = _stored(client_as, "Concern Kalashnikov", "RU")
    analyst, supervisor = client_as("analyst"), client_as("supervisor")
    hit = max((h for h in _filing(analyst, fid)["screening_hits"] if h["party_role"] == "ultimate_consignee"),
              key=lambda h: h["score"])
    body = {"party_name": "Concern Kalashnikov", "country": "RU", "entity_id": hit["entity_id"]}
    matched = analyst.post("/api/screening/decisions", json={**body, "decision": "true_match",
                                                             "reason": "confirmed match"})
    assert matched.status_code == 201, matched.text
    match_id = matched.json()["id"]

    refused = analyst.post("/api/screening/decisions", json={**body, "decision": "false_positive", "reason": "now fp"})
    assert refused.status_code == 409 and f"decision {match_id} (true_match, in force" in refused.json()["detail"]
    assert analyst.post("/api/screening/decisions", json={**body, "decision": "true_match",
                                                          "reason": "again"}).status_code == 409
    short = analyst.post("/api/screening/decisions", json={**body, "decision": "false_positive", "reason": "fp",
                                                           "replaces": match_id})
    assert short.status_code == 400 and "at least 3 letters or digits" in short.json()["detail"]

    fp = analyst.post("/api/screening/decisions", json={**body, "decision": "false_positive", "reason": "now fp",
                                                        "replaces": match_id})
    assert fp.status_code == 201 and fp.json()["replaces"] == match_id
    duplicate = analyst.post("/api/screening/decisions", json={**body, "decision": "false_positive",
                                                               "reason": "now fp", "replaces": match_id})
    assert duplicate.status_code == 409 and f"decision {fp.json()['id']}" in duplicate.json()["detail"]
    if fp.json()["status"] == "pending approval":
        assert supervisor.post(f"/api/screening/decisions/{fp.json()['id']}/approve").status_code == 200

    listed = analyst.get("/api/screening/decisions", params={"party_name": "Concern Kalashnikov", "country": "RU",
                                                             "include_revoked": True}).json()
    states = {d["id"]: d for d in listed}
    assert states[fp.json()["id"]]["status"] == "in force"
    old = states[match_id]
    assert old["status"] == "superseded" and old["superseded_by_decision"] == fp.json()["id"]
    assert old["superseded_by"] and old["superseded_at"]
    in_force = analyst.get("/api/screening/decisions", params={"party_name": "Concern Kalashnikov",
                                                               "country": "RU"}).json()
    assert [d["id"] for d in in_force] == [fp.json()["id"]]


def test_a_decision_without_a_country_warns_that_it_meets_no_filing_and_the_audit_keeps_the_reason(
        client_as: Any) -> None:
    fid = _stored(client_as, "Rosoboronexport", "RU")
    analyst, supervisor = client_as("analyst"), client_as("supervisor")
    hit = max((h for h in _filing(analyst, fid)["screening_hits"] if h["party_role"] == "ultimate_consignee"),
              key=lambda h: h["score"])
    reason = f"confirmed against the entry's address {unique_id()}"
    bare = analyst.post("/api/screening/decisions", json={
        "party_name": "Rosoboronexport", "entity_id": hit["entity_id"], "decision": "true_match",
        "reason": reason})
    assert bare.status_code == 201, bare.text
    assert bare.json()["retargeted_filings"] == 0 and "no country was given" in bare.json()["warning"]
    entry = next(e for e in supervisor.get("/api/audit", params={"action": "screening.decided", "limit": "500"})
                 .json()["items"] if (e.get("detail") or {}).get("reason") == reason)
    assert entry["detail"]["entity_id"] == hit["entity_id"] and entry["detail"]["country"] is None
    with_country = analyst.post("/api/screening/decisions", json={
        "party_name": "Rosoboronexport", "country": "RU", "entity_id": hit["entity_id"],
        "decision": "true_match", "reason": "confirmed against the entry's address"})
    assert with_country.status_code == 201, with_country.text
    assert "warning" not in with_country.json() and with_country.json()["retargeted_filings"] >= 1
    for made in (bare.json(), with_country.json()):  # leave the shared home as it was for other tests
        assert analyst.delete(f"/api/screening/decisions/{made['id']}").status_code == 200
