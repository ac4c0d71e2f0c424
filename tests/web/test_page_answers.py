"""Pages answer as the API does: a blank name is refused, non-ASCII reads as written, decisions show."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.accounts import form_token
from tests.conftest import unique_id
from tests.web.helpers import stored_and_targeted


@pytest.mark.parametrize("blank", ["  ", "\u3000\u00a0", "\u200b", ""])
def test_a_blank_name_is_refused_as_the_api_refuses_it(client: TestClient, blank: str) -> None:
    api = client.get("/api/screen", params={"name": blank})
    page = client.get("/screen", params={"name": blank})
    assert page.status_code == api.status_code == 422
    assert "field &#39;name&#39; is empty" in page.text and "usa-alert--error" in page.text
    assert " hits for " not in page.text and " hit for " not in page.text


def test_the_screen_page_still_screens_a_name_and_shows_the_form_first(client: TestClient) -> None:
    assert "hits for" not in client.get("/screen").text
    page = client.get("/screen", params={"name": "Kalashnikov Concern"})
    assert page.status_code == 200 and "for “Kalashnikov Concern”" in page.text


def test_the_rule_page_shows_non_ascii_text_as_written(client: TestClient) -> None:
    rule_id = f"RF-U-{uuid.uuid4().hex[:8].upper()}"
    description = "Drohnen über Zürich nach Kraków — ракеты."
    rule = {"id": rule_id, "description": description, "category": "red-flag", "weight": 0.3,
            "when": {"all": [{"signal": "redflag.transshipment_hub"}, {"signal": "redflag.uav_component"}]}}
    assert client.get("/api/rules").status_code == 200
    made = client.post("/api/rules", json={"rule": rule, "reason": "new advisory"},
                       headers={"X-CSRF-Token": form_token(client.get("/rules").text)})
    assert made.status_code == 201, made.text
    page = client.get(f"/rules/{rule_id}")
    assert page.status_code == 200
    assert description in page.text and "\\u" not in page.text and "\\xFC" not in page.text


def test_the_filing_page_shows_the_decision_on_record_and_offers_to_replace_it(
        browser_as: Any, client_as: Any) -> None:
    fid = unique_id("WDON")
    party = {"name": "JSC Concern Kalashnikov", "address": "Street 1", "city": "Izhevsk", "country": "RU"}
    stored = stored_and_targeted(client_as, fid, party)
    hit = max(stored["screening_hits"], key=lambda h: h["score"])
    analyst = browser_as("analyst")
    page = analyst.get(f"/filings/{fid}")
    reason = f"same address as listed {uuid.uuid4().hex[:6]}"
    form = {"party_role": hit["party_role"], "entity_id": hit["entity_id"]}
    on_record = client_as("analyst").get("/api/screening/decisions", params={
        "party_name": party["name"], "country": "RU", "entity_id": hit["entity_id"]}).json()
    data = {**form, "decision": "true_match", "reason": reason, "csrf_token": form_token(page.text)}
    if on_record:  # other tests decided this party and entry: replace the newest (and what it replaces)
        data["replaces"] = str(on_record[0]["id"])
    assert analyst.post(f"/filings/{fid}/decisions", data=data).status_code == 303
    [matched] = client_as("analyst").get("/api/screening/decisions", params={
        "party_name": party["name"], "country": "RU", "entity_id": hit["entity_id"]}).json()
    page = analyst.get(f"/filings/{fid}").text
    row = page[page.index(f'name="entity_id" value="{hit["entity_id"]}"') - 3000:]
    row = row[:row.index("</tr>", 3000)]
    assert f"True match</strong> (in force, decision {matched['id']}) by {matched['decided_by']}" in row
    assert reason in row and matched["decided_at"][:10] in row
    assert f'name="replaces" value="{matched["id"]}"' in row and f"Replace decision {matched['id']}" in row
    assert '<option value="false_positive" selected>' in row  # the contrary verdict is offered
    # The form as shown replaces the decision in force.
    done = analyst.post(f"/filings/{fid}/decisions", data={**form, "decision": "false_positive",
                                                           "reason": "another firm entirely",
                                                           "replaces": str(matched["id"]),
                                                           "csrf_token": form_token(page)})
    assert done.status_code == 303, done.text
    history = [d for d in client_as("analyst").get("/api/screening/decisions", params={
        "party_name": party["name"], "country": "RU", "entity_id": hit["entity_id"],
        "include_revoked": True}).json()]
    assert history[0]["replaces"] == matched["id"] and history[0]["decision"] == "false_positive"
    for left in client_as("analyst").get("/api/screening/decisions", params={  # leave the shared home clean
            "party_name": party["name"], "country": "RU", "entity_id": hit["entity_id"], "pending": True}).json():
        assert client_as("analyst").delete(f"/api/screening/decisions/{left['id']}").status_code == 200
    for left in client_as("analyst").get("/api/screening/decisions", params={
            "party_name": party["name"], "country": "RU", "entity_id": hit["entity_id"]}).json():
        assert client_as("analyst").delete(f"/api/screening/decisions/{left['id']}").status_code == 200


def test_a_hit_without_a_decision_gets_a_blank_form(browser_as: Any, client_as: Any) -> None:
    fid = unique_id("WNEW")
    party = {"name": "Rosoboronexport", "address": "Street 1", "city": "Moscow", "country": "RU"}
    stored = stored_and_targeted(client_as, fid, party)
    detail = stored
    page = browser_as("analyst").get(f"/filings/{fid}").text
    for hit in detail["screening_hits"]:
        on_record = client_as("analyst").get("/api/screening/decisions", params={
            "party_name": party["name"], "country": "RU", "entity_id": hit["entity_id"]}).json()
        start = page.index(f'name="entity_id" value="{hit["entity_id"]}"')
        form = page[start:page.index("</form>", start)]
        assert ('name="replaces"' in form) == bool(on_record)
