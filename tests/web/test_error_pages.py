"""Browsers get HTML error pages in the app's layout; the API keeps JSON; the filing page reads plainly."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.accounts import form_token
from tests.conftest import filing_data, unique_id


def _is_error_page(response, status: int, words: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert "usa-alert--error" in response.text and words in response.text
    assert "/static/" in response.text  # the base layout with the USWDS assets
    assert "Traceback" not in response.text


def test_bad_query_unknown_page_and_bad_form_answer_html(client: TestClient) -> None:
    _is_error_page(client.get("/worklist", params={"offset": "-1"}), 422, "offset")
    _is_error_page(client.get("/no-such-page"), 404, "Not Found")
    page = client.get("/lookouts")
    answer = client.post("/lookouts", data={"kind": "party", "value": "", "reason": "tip from a source",
                                            "csrf_token": form_token(page.text)})
    assert answer.status_code in (400, 422)
    assert answer.headers["content-type"].startswith("text/html")
    assert "value" in answer.text and "usa-alert" in answer.text


def test_api_errors_stay_json(client_as) -> None:  # type: ignore[no-untyped-def]
    api = client_as("analyst")
    answer = api.get("/api/worklist", params={"offset": "-1"})
    assert answer.status_code == 422 and answer.json()["detail"]
    assert api.get("/api/no-such-route").headers["content-type"].startswith("application/json")


def test_filing_never_targeted_says_not_screened(client: TestClient, feed: TestClient) -> None:
    fid = unique_id()
    assert feed.post("/api/filings", json=[filing_data(filing_id=fid)]).status_code < 300
    page = client.get(f"/filings/{fid}")
    assert page.status_code == 200
    assert "Not screened yet" in page.text and "No party matched a list entry" not in page.text


def test_filing_evidence_reads_without_escapes(client: TestClient, feed: TestClient, exodus_app) -> None:  # type: ignore[no-untyped-def]
    fid, name = unique_id(), f"Quillfeather {unique_id('')} Systems"
    exodus_app.place_lookout(kind="party", value=name, reason="letter \u2014 see case file", priority="high",
                             actor="user:ana")
    consignee = {"name": name, "address": "Jebel Ali Free Zone LOB 16", "city": "Dubai",
                 "country": "AE", "type": "R"}
    feed.post("/api/filings", json=[filing_data(filing_id=fid, country_of_destination="AE",
                                                ultimate_consignee=consignee)])
    feed.post("/api/target", json={"filing_ids": [fid]})
    page = client.get(f"/filings/{fid}")
    assert page.status_code == 200 and "Evidence for" in page.text
    assert "\\u" not in page.text and "letter \u2014 see case file" in page.text
