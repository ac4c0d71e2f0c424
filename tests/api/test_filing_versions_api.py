"""Earlier versions of a filing over the API: read one, compare two, only at the reader's ports."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.conftest import filing_data, unique_id

PORT_A, PORT_B = "2720", "3901"


@pytest.fixture(scope="module")
def corrected(client_as) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A filing at each port, each corrected once (new carrier, one more line); port -> id."""
    feed = client_as("feed")
    ids = {PORT_A: unique_id("VA"), PORT_B: unique_id("VB")}
    first = [filing_data(filing_id=fid, port_of_export=port) for port, fid in ids.items()]
    assert feed.post("/api/filings", json=first).json()["created"] == 2
    second = []
    for data in first:
        data = dict(data, filed_at="2026-12-02T10:00:00Z", carrier="NEW CARRIER")
        data["lines"] = data["lines"] + [dict(data["lines"][0], value_usd=250.25)]
        second.append(data)
    assert feed.post("/api/filings", json=second).json()["corrected"] == 2
    return ids


def test_any_version_can_be_read_as_received(client_as, corrected: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    analyst, fid = client_as("analyst"), corrected[PORT_A]
    one = analyst.get(f"/api/filings/{fid}/versions/1")
    assert one.status_code == 200, one.text
    assert one.json()["version"] == 1 and one.json()["filing"]["carrier"] == "LUFTHANSA CARGO"
    received = datetime.fromisoformat(one.json()["received_at"])
    assert received.utcoffset() == timedelta(0)  # a moment says its zone, on SQLite as on PostgreSQL
    assert len(one.json()["filing"]["lines"]) == 1
    two = analyst.get(f"/api/filings/{fid}/versions/2").json()
    assert two["filing"]["carrier"] == "NEW CARRIER" and len(two["filing"]["lines"]) == 2
    missing = analyst.get(f"/api/filings/{fid}/versions/3")
    assert missing.status_code == 404 and "versions are 1 to 2" in missing.json()["detail"]


def test_changes_between_versions_name_field_old_and_new(client_as, corrected: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    analyst, fid = client_as("analyst"), corrected[PORT_A]
    found = analyst.get(f"/api/filings/{fid}/changes").json()  # default: the current version against the one before
    assert found["from"]["version"] == 1 and found["to"]["version"] == 2
    changes = {c["field"]: (c["old"], c["new"]) for c in found["changes"]}
    assert changes["carrier"] == ("LUFTHANSA CARGO", "NEW CARRIER")
    assert changes["lines[1].value_usd"] == (None, 250.25)
    assert "port_of_export" not in changes and not [f for f in changes if f.startswith("lines[0]")]
    backwards = analyst.get(f"/api/filings/{fid}/changes", params={"from": 2, "to": 1}).json()
    assert {c["field"]: (c["old"], c["new"]) for c in backwards["changes"]}["carrier"] == ("NEW CARRIER", "LUFTHANSA CARGO")
    listed = analyst.get(f"/api/filings/{fid}/versions").json()["versions"]
    assert [v["version"] for v in listed] == [1, 2] and listed[0]["changes"] == []
    assert {c["field"] for c in listed[1]["changes"]} == set(changes)


def test_an_officer_is_refused_another_ports_versions_as_missing(client_as, corrected: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    officer = client_as("field_officer", ports=[PORT_A])
    assert officer.get(f"/api/filings/{corrected[PORT_A]}/versions/1").status_code == 200
    other, nowhere = corrected[PORT_B], unique_id("NONE")
    for path in ("versions/1", "versions", "changes"):
        refused = officer.get(f"/api/filings/{other}/{path}")
        absent = officer.get(f"/api/filings/{nowhere}/{path}")
        assert refused.status_code == absent.status_code == 404, path
        assert refused.json()["detail"] == absent.json()["detail"].replace(nowhere, other), path
        assert refused.json()["detail"] == officer.get(f"/api/filings/{other}").json()["detail"]
    assert client_as("feed").get(f"/api/filings/{other}/versions/1").status_code == 403  # no filing:read


def test_a_filing_never_corrected_has_no_changes(client_as) -> None:  # type: ignore[no-untyped-def]
    fid = unique_id("V1")
    assert client_as("feed").post("/api/filings", json=[filing_data(filing_id=fid)]).json()["created"] == 1
    found = client_as("analyst").get(f"/api/filings/{fid}/changes").json()
    assert found["from"]["version"] == found["to"]["version"] == 1 and found["changes"] == []
