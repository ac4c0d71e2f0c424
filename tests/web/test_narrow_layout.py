"""At phone width (375 px) and desktop width (1280 px) no page scrolls sideways: wide tables
scroll inside their own container and long unbroken text wraps. Checked in Debian's chromium."""

from __future__ import annotations

import pytest

from tests.accounts import PASSWORD, make_account
from tests.conftest import filing_data, unique_id

pytestmark = pytest.mark.browser

LONG = "Z" * 90  # one word wider than a phone screen (and the field limits allow)


@pytest.fixture(scope="module")
def pages(exodus_app, client_as) -> list[str]:  # type: ignore[no-untyped-def]
    """Store data with long unbroken text on every page checked; return the pages' paths."""
    fid = unique_id("NARROW")
    feed, analyst = client_as("feed"), client_as("analyst")
    party = {"name": f"Kalashnikov Concern {LONG}", "address": LONG, "city": "Izhevsk", "country": "RU"}
    stored = feed.post("/api/filings", json=[filing_data(
        filing_id=fid, port_of_export="1703", country_of_destination="RU", carrier=f"CARRIER{LONG}",
        ultimate_consignee=party, usppi={"name": f"Exporter{LONG}", "country": "US"})]).json()
    assert stored["created"] == 1, stored
    assert feed.post("/api/target", json={"filing_ids": [fid]}).status_code == 200
    assert analyst.post("/api/lookouts", json={"kind": "carrier", "value": f"CARRIER{LONG}",
                                               "reason": f"tip {LONG}"}).status_code == 201
    assert analyst.get("/api/rules").status_code == 200
    rule = {"id": f"RF-N-{unique_id('')[:8]}", "description": f"Long {LONG}", "category": "red-flag",
            "weight": 0.3, "when": {"all": [{"signal": "redflag.transshipment_hub"}]}}
    assert analyst.post("/api/rules", json={"rule": rule, "reason": f"advisory {LONG}"}).status_code == 201
    assert feed.post("/api/target", json={"filing_ids": [fid]}).status_code == 200
    return ["/worklist?port=1703", "/audit", "/admin/users", "/rules", f"/rules/{rule['id']}",
            f"/filings/{fid}", "/lookouts", f"/screen?name=Kalashnikov+Concern+{LONG}"]


@pytest.mark.parametrize("width", [375, 1280])
def test_no_page_scrolls_sideways(server: str, chromium, exodus_app, pages: list[str], width: int) -> None:  # type: ignore[no-untyped-def]
    everyone, _ = make_account(exodus_app, "administrator", "supervisor", "analyst")
    with exodus_app.db.session() as session:  # a long display name on the accounts page
        from exodus.auth.accounts import get_user
        get_user(session, everyone).display_name = f"Name{LONG}"[:200]
    context = chromium.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{server}/signin")
    page.fill("#username", everyone)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/worklist**")
    for path in pages:
        answer = page.goto(f"{server}{path}")
        assert answer is not None and answer.status == 200, path
        assert LONG[:40] in page.inner_text("main"), path  # the long text is on the page
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{path} at {width}px is {scroll}px wide"
        # Every table sits in a labelled, keyboard-reachable scrolling container.
        loose = page.evaluate("""Array.from(document.querySelectorAll('main table')).filter(t => {
            const box = t.parentElement;
            return !(box.classList.contains('usa-table-container--scrollable') && box.tabIndex === 0
                     && (box.getAttribute('aria-label') || t.querySelector('caption')));
        }).length""")
        assert loose == 0, path
    context.close()
