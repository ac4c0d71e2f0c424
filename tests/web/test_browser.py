"""The command center in Debian's chromium, driven by Playwright: worklist to filing page."""

from __future__ import annotations

import pytest

from tests.conftest import filing_data, unique_id

pytestmark = pytest.mark.browser


def test_officer_opens_the_top_filing_from_the_worklist(server: str, chromium, exodus_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fid = unique_id("B")
    risky = filing_data(filing_id=fid, port_of_export="1703", country_of_destination="RU",
                        ultimate_consignee={"name": "Kalashnikov Concern", "country": "RU", "type": "O"})
    from exodus.core.filings import parse_filing
    from exodus.core.filings.parse import ParsedRecord

    exodus_app.ingest_parsed([ParsedRecord("t", filing=parse_filing(risky, "t"))], actor="tester")
    exodus_app.target([fid])

    from tests.accounts import PASSWORD, make_account

    officer, _token = make_account(exodus_app, "field_officer", ports=["1703"])
    page = chromium.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(f"{server}/worklist?port=1703")
    page.wait_for_url("**/signin?next=**")
    page.fill("#username", officer)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/worklist?port=1703")
    page.select_option("#action", "hold")
    page.click("form[action='/worklist'] button[type=submit]")
    page.wait_for_url("**action=hold**")
    page.click(f"text={fid}")
    page.wait_for_url(f"**/filings/{fid}")
    assert "hold" in page.inner_text(".usa-summary-box").lower()  # USWDS tags render upper-case
    assert "KALASHNIKOV" in page.inner_text("main").upper()
    page.screenshot(path=str(tmp_path / "filing.png"), full_page=True)
    # USWDS styles come from the app's own static files and load on a closed network.
    assert page.evaluate("getComputedStyle(document.querySelector('.usa-header')).display") != ""
    assert not failed, failed
