"""The filing page shows each line's license determination with its citations."""

from __future__ import annotations

from tests.conftest import filing_data, unique_id


def test_filing_page_shows_the_determination(browser_as, client_as) -> None:  # type: ignore[no-untyped-def]
    feed, page_client = client_as("feed"), browser_as("analyst")
    fid = unique_id("W")
    line = {"schedule_b": "8542310015", "description": "processors", "quantity": 10, "unit": "NO",
            "value_usd": 5000, "weight_kg": 1, "eccn": "3A001.a.1", "license_code": "C33"}
    data = filing_data(filing_id=fid, country_of_destination="CN",
                       ultimate_consignee={"name": "Shenzhen Trading Co", "country": "CN", "type": "R"},
                       lines=[line])
    assert feed.post("/api/filings", json=[data]).status_code == 200
    page = page_client.get(f"/filings/{fid}")
    assert page.status_code == 200
    html = page.text
    assert "License determination" in html
    assert "license required" in html and "exodus-outcome-license_required" in html
    # The reason, its rule and the declared-versus-required finding are on the page.
    assert "NS2" in html and "15 CFR 738.4(a)(2)" in html
    assert "NLR_LICENSE_REQUIRED" in html
