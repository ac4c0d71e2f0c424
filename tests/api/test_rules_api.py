"""Rule and threshold changes over the API and the web: versions, ids, reasons, ports."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi.testclient import TestClient

from tests.accounts import form_token


@pytest.fixture(scope="module")
def client(client_as):  # type: ignore[no-untyped-def]
    return client_as("analyst")


def new_rule(client: TestClient) -> dict:  # type: ignore[type-arg]
    rule = {"id": f"RF-T-{uuid.uuid4().hex[:8].upper()}", "description": "Drones to a hub.", "category": "red-flag",
            "weight": 0.3, "when": {"all": [{"signal": "redflag.transshipment_hub"}, {"signal": "redflag.uav_component"}]}}
    assert client.get("/api/rules").status_code == 200  # seeds the shipped rules
    made = client.post("/api/rules", json={"rule": rule, "reason": "new advisory"})
    assert made.status_code == 201, made.text
    return rule


def version_of(client: TestClient, rule_id: str) -> int:
    return next(r["version"] for r in client.get("/api/rules").json() if r["id"] == rule_id)


def test_a_change_states_its_version_and_a_stale_one_is_refused(client: TestClient) -> None:
    rule = new_rule(client)
    path = f"/api/rules/{rule['id']}"
    first = client.put(path, json={"rule": {**rule, "weight": 0.9}, "reason": "stronger"}, headers={"If-Match": '"1"'})
    assert first.status_code == 200, first.text
    assert first.headers["ETag"] == '"2"' and first.json()["version"] == 2
    # A second editor who also started from version 1 is told, and nothing is stored.
    stale = client.put(path, json={"rule": {**rule, "weight": 0.05}, "reason": "weaker", "base_version": 1})
    assert stale.status_code == 409
    assert "version 2" in stale.json()["detail"] and "token:" in stale.json()["detail"]
    assert version_of(client, rule["id"]) == 2
    # Without a version the change is not taken.
    blind = client.put(path, json={"rule": {**rule, "weight": 0.05}, "reason": "weaker"})
    assert blind.status_code == 428 and "If-Match" in blind.json()["detail"]
    clash = client.put(path, json={"rule": rule, "reason": "x y z", "base_version": 1}, headers={"If-Match": '"2"'})
    assert clash.status_code == 400
    again = client.put(path, json={"rule": {**rule, "weight": 0.05}, "reason": "weaker", "base_version": 2})
    assert again.status_code == 200 and again.json()["weight"] == 0.05


def test_a_body_for_another_rule_is_refused_naming_both(client: TestClient) -> None:
    rule = new_rule(client)
    other = {**rule, "id": "SCR-BLOCKED"}
    refused = client.put(f"/api/rules/{rule['id']}", json={"rule": other, "reason": "oops"}, headers={"If-Match": '"1"'})
    assert refused.status_code == 422
    assert "SCR-BLOCKED" in refused.json()["detail"] and rule["id"] in refused.json()["detail"]
    assert version_of(client, rule["id"]) == 1


def test_an_unknown_signal_and_a_range_never_in_force_are_refused(client: TestClient) -> None:
    rule = new_rule(client)
    typo = client.put(f"/api/rules/{rule['id']}", headers={"If-Match": '"1"'},
                      json={"rule": {**rule, "when": {"signal": "filing.routed_exprot"}}, "reason": "typo"})
    assert typo.status_code == 400 and "filing.routed_export" in typo.json()["detail"]
    assert rule["id"] in typo.json()["detail"] and "when.signal" in typo.json()["detail"]
    dates = client.post("/api/rules", json={"rule": {**rule, "id": rule["id"] + "-D",
                                                     "in_force": {"from": "2027-01-01", "until": "2026-01-01"}},
                                            "reason": "dates"})
    assert dates.status_code == 400 and "in_force.until" in dates.json()["detail"]


def test_thresholds_need_a_reason_and_a_schedule_d_port(client: TestClient) -> None:
    body = {"review": 20, "examine": 40, "hold": 70}
    assert client.put("/api/thresholds/2720", json=body).status_code == 422
    unknown = client.put("/api/thresholds/9999", json={**body, "reason": "test"})
    assert unknown.status_code == 400 and "Schedule D" in unknown.json()["detail"]
    assert client.put("/api/thresholds/3901", json={**body, "reason": "busy airport"}).status_code == 200
    assert client.delete("/api/thresholds/3901").status_code == 422
    assert client.delete("/api/thresholds/3901", params={"reason": "season over"}).status_code == 204
    assert "3901" not in {t["port"] for t in client.get("/api/thresholds").json()}


def test_the_rule_page_edits_from_the_version_shown(browser_as, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    rule = new_rule(client)
    browser = browser_as("analyst")
    page = browser.get(f"/rules/{rule['id']}")
    assert page.status_code == 200
    form = next(f for f in re.findall(r"<form\b.*?</form>", page.text, re.S) if 'name="base_version"' in f)
    assert 'name="base_version" value="1"' in form
    text = re.search(r"<textarea[^>]*>(.*?)</textarea>", form, re.S).group(1).replace("&#39;", "'")
    fields = {"csrf_token": form_token(page.text), "rule_id": rule["id"], "base_version": "1",
              "rule": text.replace("weight: 0.3", "weight: 0.4"), "reason": "from the page"}
    # Someone changes the rule after the page was shown: saving the page is refused, with who.
    assert client.put(f"/api/rules/{rule['id']}", json={"rule": {**rule, "weight": 0.6}, "reason": "meanwhile"},
                      headers={"If-Match": '"1"'}).status_code == 200
    stale = browser.post("/rules", data=fields)
    assert stale.status_code == 409 and "version 2" in stale.text
    saved = browser.post("/rules", data={**fields, "base_version": "2"})
    assert saved.status_code == 303, saved.text
    assert version_of(client, rule["id"]) == 3
    # The add form does not overwrite an existing rule.
    blind = browser.post("/rules", data={**fields, "rule_id": "", "base_version": ""})
    assert blind.status_code == 409 and f"/rules/{rule['id']}" in blind.text
    bad_yaml = browser.post("/rules", data={**fields, "rule": "id: [unclosed"})
    assert bad_yaml.status_code == 400 and "line 1, column" in bad_yaml.text


def test_malformed_rules_are_refused_naming_the_field_not_crashing(client: TestClient) -> None:
    rule = {"id": f"RF-T-{uuid.uuid4().hex[:8].upper()}", "category": "red-flag", "weight": 0.3,
            "when": {"signal": "redflag.transshipment_hub"}}
    deep: dict = rule["when"]  # type: ignore[type-arg, assignment]
    for _ in range(200):
        deep = {"all": [deep]}
    cases = [({**rule, "when": deep}, "'when'"), ({**rule, "wieght": 1}, "did you mean 'weight'?"),
             ({**rule, "id": "T-" + "X" * 5000}, "'id'"), ({**rule, "id": "T-ÜNI\u202e"}, "'id'")]
    for body, problem in cases:
        refused = client.post("/api/rules", json={"rule": body, "reason": "bad rule"})
        assert refused.status_code == 400 and problem in refused.json()["detail"], refused.text
    assert rule["id"] not in {r["id"] for r in client.get("/api/rules").json()}


def test_a_listed_rule_sent_back_as_is_is_a_change(client: TestClient) -> None:
    rule = new_rule(client)
    listed = next(r for r in client.get("/api/rules").json() if r["id"] == rule["id"])
    changed = client.put(f"/api/rules/{rule['id']}", json={"rule": {**listed, "weight": 0.4}, "reason": "stronger"},
                         headers={"If-Match": f'"{listed["version"]}"'})
    assert changed.status_code == 200 and changed.json()["weight"] == 0.4 and "updated_by" not in changed.json()


def test_one_rule_reads_with_its_version_as_etag_and_retiring_may_state_it(client: TestClient) -> None:
    rule = new_rule(client)
    path = f"/api/rules/{rule['id']}"
    one = client.get(path)
    assert one.status_code == 200 and one.json()["weight"] == 0.3 and one.json()["retired"] is False
    assert one.headers["ETag"] == '"1"' and one.json()["version"] == 1
    assert client.get("/api/rules/NO-SUCH-RULE").status_code == 404
    assert client.put(path, json={"rule": {**rule, "weight": 0.4}, "reason": "stronger"},
                      headers={"If-Match": one.headers["ETag"]}).status_code == 200
    stale = client.post(f"{path}/retire", json={"reason": "advisory withdrawn"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 409 and "version 2" in stale.json()["detail"]
    assert client.post(f"{path}/retire", json={"reason": "advisory withdrawn", "base_version": 2}).status_code == 200
    assert client.get(path).json()["retired"] is True


def test_a_json_body_giving_a_key_twice_is_refused(client: TestClient) -> None:
    rule_id = f"RF-T-{uuid.uuid4().hex[:8].upper()}"
    body = ('{"rule": {"id": "%s", "category": "red-flag", "weight": 0.1, "weight": 0.9, '
            '"when": {"signal": "redflag.transshipment_hub"}}, "reason": "dup json key"}' % rule_id)
    refused = client.post("/api/rules", content=body, headers={"Content-Type": "application/json"})
    assert refused.status_code == 400 and "'weight' twice" in refused.json()["detail"]
    assert client.get(f"/api/rules/{rule_id}").status_code == 404  # nothing stored


def test_an_any_with_a_not_branch_does_not_grade_a_rule(client: TestClient) -> None:
    rule = {"id": f"RF-T-{uuid.uuid4().hex[:8].upper()}", "category": "red-flag", "weight": 0.6,
            "when": {"any": [{"not": {"signal": "redflag.transshipment_hub"}}, {"signal": "redflag.chpl_item"}]}}
    refused = client.post("/api/rules", json={"rule": rule, "reason": "ungraded branch"})
    assert refused.status_code == 400 and "nothing in it grades the rule" in refused.json()["detail"]
