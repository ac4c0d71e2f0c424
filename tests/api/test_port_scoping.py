"""Two ports' filings side by side: each field officer sees only their own port."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from tests.conftest import filing_data, unique_id

PORT_A, PORT_B = "2720", "3901"  # Laredo and Chicago


@pytest.fixture(scope="module")
def two_ports(client_as) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """One targeted filing at each port; returns port -> filing id."""
    feed = client_as("feed")
    ids = {PORT_A: unique_id("A"), PORT_B: unique_id("B")}
    sent = feed.post("/api/filings", json=[filing_data(filing_id=fid, port_of_export=port,
                                                        usppi={"name": f"Exporter of {fid}", "country": "US"})
                                            for port, fid in ids.items()])
    assert sent.json()["created"] == 2
    assert feed.post("/api/target", json={"filing_ids": list(ids.values())}).status_code == 200
    return ids


def listed(client: TestClient, **params: str) -> set[str]:
    page = client.get("/api/worklist", params={"limit": "500", **params})
    assert page.status_code == 200, page.text
    return {item["filing_id"] for item in page.json()["items"]}


def ports_listed(client: TestClient) -> set[str]:
    return {item["port_of_export"] for item in client.get("/api/worklist", params={"limit": "500"}).json()["items"]}


def test_officer_worklist_holds_only_their_port(client_as, two_ports: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    officer_a = client_as("field_officer", ports=[PORT_A])
    assert two_ports[PORT_A] in listed(officer_a)
    assert two_ports[PORT_B] not in listed(officer_a)
    assert ports_listed(officer_a) == {PORT_A}
    # asking for the other port by filter is refused, saying why, not an escape from the scope
    refused = officer_a.get("/api/worklist", params={"port": PORT_B})
    assert refused.status_code == 403 and f"port {PORT_B} is outside your scope" in refused.json()["detail"]
    assert two_ports[PORT_B] not in refused.text


def test_officer_cannot_open_another_ports_filing(client_as, browser_as, two_ports: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    officer_a = client_as("field_officer", ports=[PORT_A])
    assert officer_a.get(f"/api/filings/{two_ports[PORT_A]}").status_code == 200
    hidden = officer_a.get(f"/api/filings/{two_ports[PORT_B]}")
    assert hidden.status_code == 404 and two_ports[PORT_B] in hidden.json()["detail"]
    assert "Exporter of" not in hidden.text
    browser = browser_as("field_officer", ports=[PORT_A])
    page = browser.get(f"/filings/{two_ports[PORT_B]}")
    assert page.status_code == 404 and f"Exporter of {two_ports[PORT_B]}" not in page.text
    worklist = browser.get("/worklist")
    assert two_ports[PORT_A] in worklist.text and two_ports[PORT_B] not in worklist.text
    assert f'<option value="{PORT_B}"' not in worklist.text
    other = browser.get("/worklist", params={"port": PORT_B})
    assert other.status_code == 403 and "outside your scope" in other.text and two_ports[PORT_B] not in other.text


def test_officer_of_both_ports_and_analyst_see_both(client_as, two_ports: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    both = client_as("field_officer", ports=[PORT_A, PORT_B])
    analyst = client_as("analyst")
    for client in (both, analyst):
        assert set(two_ports.values()) <= listed(client)
        assert all(client.get(f"/api/filings/{fid}").status_code == 200 for fid in two_ports.values())


def test_an_all_ports_role_lifts_the_port_limit_of_an_officer(client_as, two_ports: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    officer_and_supervisor = client_as("field_officer", "supervisor", ports=[PORT_A])
    assert set(two_ports.values()) <= listed(officer_and_supervisor)


def test_policy_viewer_gets_numbers_without_names_or_filings(client_as, two_ports: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    viewer = client_as("policy_viewer")
    stats = viewer.get("/api/stats")
    assert stats.status_code == 200
    cells = stats.json()["by_port_and_action"]
    assert {PORT_A, PORT_B} <= {c["port_of_export"] for c in cells}
    assert set(cells[0]) == {"port_of_export", "action", "filings", "mean_score"}
    assert not any(fid in stats.text for fid in two_ports.values()) and "Exporter of" not in stats.text
    assert viewer.get("/api/worklist").status_code == 403
    assert viewer.get(f"/api/filings/{two_ports[PORT_A]}").status_code == 403
    assert viewer.get("/api/screen", params={"name": "Kalashnikov Concern"}).status_code == 403


def test_lookout_notifications_are_scoped_to_the_officers_port(client_as) -> None:  # type: ignore[no-untyped-def]
    carrier = f"CARRIER {unique_id('C')}"
    analyst, feed = client_as("analyst"), client_as("feed")
    placed = analyst.post("/api/lookouts", json={"kind": "carrier", "value": carrier, "reason": "test of scoping"})
    assert placed.status_code == 201, placed.text
    ids = {PORT_A: unique_id("NA"), PORT_B: unique_id("NB")}
    feed.post("/api/filings", json=[filing_data(filing_id=fid, port_of_export=port, carrier=carrier)
                                    for port, fid in ids.items()])
    feed.post("/api/target", json={"filing_ids": list(ids.values())})
    everyone = {n["filing_id"] for n in analyst.get("/api/notifications").json()["items"]}
    assert set(ids.values()) <= everyone
    officer_a = client_as("field_officer", ports=[PORT_A])
    seen = officer_a.get("/api/notifications").json()["items"]
    assert ids[PORT_A] in {n["filing_id"] for n in seen}
    assert {n["port_of_export"] for n in seen} == {PORT_A}
    other = next(n["id"] for n in analyst.get("/api/notifications").json()["items"] if n["filing_id"] == ids[PORT_B])
    assert officer_a.post("/api/notifications/read", json={"ids": [other]}).json() == {"marked": 0}


def test_screening_decisions_which_name_parties_of_every_port_stay_with_all_port_roles(client_as) -> None:  # type: ignore[no-untyped-def]
    officer = client_as("field_officer", ports=[PORT_A])
    assert officer.get("/api/screening/decisions").status_code == 403
    assert client_as("analyst").get("/api/screening/decisions").status_code == 200
    assert client_as("supervisor").get("/api/screening/decisions").status_code == 200


@pytest.mark.parametrize(("params", "problem"), [
    ({"min_score": "abc"}, "min_score must be a number between 0 and 100, got 'abc'"),
    ({"min_score": "101"}, "min_score must be a number"),
    ({"destination": "ZZ"}, "destination must be an ISO 3166-1 alpha-2 country code, got 'ZZ'"),
])
def test_bad_worklist_filters_are_refused_on_the_web(browser_as, params: dict[str, str], problem: str) -> None:  # type: ignore[no-untyped-def]
    page = browser_as("analyst").get("/worklist", params=params)
    assert page.status_code == 400 and str(escape(problem)) in page.text


def test_web_worklist_filters_by_minimum_score(browser_as, two_ports: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    browser = browser_as("analyst")
    assert two_ports[PORT_A] in browser.get("/worklist", params={"port": PORT_A, "min_score": "0"}).text
    above_all = browser.get("/worklist", params={"port": PORT_A, "min_score": "100"})
    assert above_all.status_code == 200 and 'value="100"' in above_all.text


def test_api_worklist_refuses_an_unknown_destination(client_as) -> None:  # type: ignore[no-untyped-def]
    refused = client_as("analyst").get("/api/worklist", params={"destination": "ZZ"})
    assert refused.status_code == 400 and "'ZZ'" in refused.json()["detail"]
