"""Deciding screening hits from the filing page: a form for analysts, approval for supervisors."""

from __future__ import annotations

from typing import Any

from tests.accounts import form_token
from tests.conftest import filing_data, unique_id
from tests.web.helpers import stored_and_targeted


def test_analyst_decides_from_the_filing_page_and_supervisor_approves(
    browser_as: Any, client_as: Any
) -> None:
    fid = _targeted_filing_to_a_listed_consignee(client_as)
    analyst, supervisor, officer = browser_as("analyst"), browser_as("supervisor"), browser_as(
        "field_officer", ports=["2720"])
    assert 'action="/filings/' not in officer.get(f"/filings/{fid}").text  # no form without the permission
    page = analyst.get(f"/filings/{fid}")
    assert page.status_code == 200 and f'action="/filings/{fid}/decisions"' in page.text
    hit = max(client_as("analyst").get(f"/api/filings/{fid}").json()["screening_hits"], key=lambda h: h["score"])
    form = {"party_role": hit["party_role"], "entity_id": hit["entity_id"], "decision": "false_positive",
            "reason": "another company"}
    assert analyst.post(f"/filings/{fid}/decisions", data=form).status_code == 403  # no CSRF token
    done = analyst.post(f"/filings/{fid}/decisions", data={**form, "csrf_token": form_token(page.text)})
    assert done.status_code == 303, done.text
    shown = supervisor.get(f"/filings/{fid}")
    assert "awaiting a second person" in shown.text and "/approve" in shown.text
    approved = supervisor.post(_approve_action(shown.text), data={"csrf_token": form_token(shown.text)})
    assert approved.status_code == 303, approved.text
    after = client_as("analyst").get(f"/api/filings/{fid}").json()
    assert all(h["entity_id"] != hit["entity_id"] for h in after["screening_hits"])
    assert "Suppressed as false positives" in analyst.get(f"/filings/{fid}").text


def _targeted_filing_to_a_listed_consignee(client_as: Any) -> str:
    """Store and target a filing whose consignee is a listed party; return its id."""
    fid = unique_id("WDEC")
    feed = client_as("feed")
    party = {"name": "Rosoboronexport", "address": "Street 1", "city": "Moscow", "country": "RU"}
    assert feed.post("/api/filings", json=[filing_data(filing_id=fid, country_of_destination="RU",
                                                       ultimate_consignee=party)]).status_code == 200
    assert feed.post("/api/target", json={"filing_ids": [fid]}).status_code == 200
    return fid


def _approve_action(html: str) -> str:
    start = html.index("/approve")
    return html[html.rindex('action="', 0, start) + len('action="'):start + len("/approve")]


def test_the_form_refuses_an_entry_that_is_no_hit_on_the_party_named(
    browser_as: Any, client_as: Any
) -> None:
    fid = _targeted_filing_to_a_listed_consignee(client_as)
    analyst = browser_as("analyst")
    detail = client_as("analyst").get(f"/api/filings/{fid}").json()
    hit = next(h for h in detail["screening_hits"] if h["party_role"] == "ultimate_consignee")
    assert all(h["party_role"] != "usppi" for h in detail["screening_hits"])  # the premise
    page = analyst.get(f"/filings/{fid}")
    # The consignee's hit offered against the exporter, who has none.
    form = {"party_role": "usppi", "entity_id": hit["entity_id"], "decision": "false_positive",
            "reason": "another company", "csrf_token": form_token(page.text)}
    refused = analyst.post(f"/filings/{fid}/decisions", data=form)
    assert refused.status_code == 422 and "has no hit on list entry" in refused.text
    usppi = detail["filing"]["usppi"]
    assert client_as("analyst").get("/api/screening/decisions", params={
        "party_name": usppi["name"], "country": usppi.get("country")}).json() == []


def test_the_form_replaces_a_decision_on_record_only_when_told(browser_as: Any, client_as: Any) -> None:
    fid = unique_id("WREP")
    party = {"name": "JSC Concern Kalashnikov", "address": "Street 1", "city": "Izhevsk", "country": "RU"}
    hit = max(stored_and_targeted(client_as, fid, party)["screening_hits"], key=lambda h: h["score"])
    analyst = browser_as("analyst")
    form = {"party_role": hit["party_role"], "entity_id": hit["entity_id"]}
    page = analyst.get(f"/filings/{fid}")
    first = analyst.post(f"/filings/{fid}/decisions", data={**form, "decision": "true_match", "reason": "the listed one",
                                                            "csrf_token": form_token(page.text)})
    assert first.status_code == 303, first.text
    # other tests decide on this party's other hits: keep to this hit's list entry
    [matched] = [d for d in client_as("analyst").get("/api/screening/decisions", params={
        "party_name": party["name"], "country": "RU"}).json() if d["entity_id"] == hit["entity_id"]]
    page = analyst.get(f"/filings/{fid}")
    contrary = {**form, "decision": "false_positive", "reason": "another firm", "csrf_token": form_token(page.text)}
    refused = analyst.post(f"/filings/{fid}/decisions", data=contrary)
    assert refused.status_code == 409 and f"decision {matched['id']}" in refused.text
    done = analyst.post(f"/filings/{fid}/decisions", data={**contrary, "replaces": str(matched["id"])})
    assert done.status_code == 303, done.text
    history = [d for d in client_as("analyst").get("/api/screening/decisions", params={
        "party_name": party["name"], "country": "RU", "include_revoked": True}).json()
        if d["entity_id"] == hit["entity_id"]]
    assert history[1]["id"] == matched["id"] and history[0]["replaces"] == matched["id"]
