"""The remembered paths of targeting give exactly what computing everything afresh gives.

Targeting remembers screening per distinct party, determinations per decisive
facts and findings per line; ingest hands parsed filings straight to targeting.
Each shortcut is checked here against the plain computation on generated trade
(including misspelt listed parties, controlled items and repeat partners).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date

import pytest

from exodus.core import controls
from exodus.core.filings import Filing, parse_filing
from exodus.core.filings.parse import ParsedRecord
from exodus.core.screening import QueryParty
from exodus.core.targeting import redflags
from exodus.core.targeting.history import build_history
from exodus.core.targeting.model import TargetingResult
from exodus.sample.generator import SampleGenerator, listed_names_from_bundle
from exodus.services import targeting as tg
from exodus.services.app import Exodus
from exodus.settings import load_settings
from exodus.storage.db import Database
from tests.conftest import filing_data, unique_id
from tests.services.test_lists_update import NEW_PARTY, newer_dpl


@pytest.fixture(scope="module")
def trade() -> tuple[list[Filing], list[Filing]]:
    """Return prior trade (for history) and 300 filings to target, with risky ones."""
    generator = SampleGenerator(23, listed=listed_names_from_bundle(limit=80), risk_share=0.2,
                                day=date(2026, 10, 1))
    prior = list(generator.filings(600))
    generator.day = date(2026, 12, 1)
    filings = list(generator.filings(280))
    return prior, filings + _edge_cases(filings[0])


def _edge_cases(base: Filing) -> list[Filing]:
    """Return filings where value, weight, wording or date decide the answer."""
    line = base.lines[0]
    # 0A501 has a USD 500 LVS limit: the value decides whether LVS (C35) holds.
    chip = replace(line, schedule_b="9303300000", eccn="0A501", description="sporting rifles",
                   license_code="C35", license_number=None)
    sodium = replace(line, schedule_b="2826190000", eccn=None, description="sodium fluoride CAS 7681-49-4",
                     license_code="C33", license_number=None)
    rifle = replace(line, schedule_b="9305100000", eccn=None, usml_category="I(h)", description="rifle parts",
                    license_code="S05", license_number="050012345")
    out = []
    for n, (item, dest, value, weight, day) in enumerate([
        (chip, "BR", 400.0, 1.0, None), (chip, "BR", 90000.0, 1.0, None), (chip, "BR", 400.0, 9.0, None),
        (sodium, "DE", 5000.0, 5.0, None), (sodium, "DE", 5000.0, 5000.0, None), (sodium, "CN", 5000.0, 5.0, None),
        (rifle, "CY", 4000.0, 2.0, date(2025, 1, 10)), (rifle, "CY", 4000.0, 2.0, date(2026, 1, 10)),
    ]):
        lines = (replace(item, line_no=1, value_usd=value, weight_kg=weight),
                 replace(item, line_no=2, value_usd=value, weight_kg=weight))
        out.append(replace(base, filing_id=f"EDGE{n:03d}", country_of_destination=dest, lines=lines,
                           ultimate_consignee=replace(base.ultimate_consignee, country=dest),
                           export_date=day or base.export_date))
    return out


def _afresh(targeter: tg.Targeter, filing: Filing, context: tg.TargetingContext) -> TargetingResult:
    """Target one filing with nothing remembered: screen, determine and check each part."""
    hits: dict[str, list] = {}
    for party in filing.parties:
        query = QueryParty(name=party.name, country=party.country, address=f"{party.address} {party.city}".strip())
        found = targeter.index.screen_many([query], threshold=targeter.threshold)[0]
        if found:
            hits.setdefault(party.role.value, []).extend(found)
    ref = targeter.reference(filing.export_date)
    assessment = tg.FilingAssessment(filing, hits)
    parties = tg.party_statuses(hits)
    for line in filing.lines:
        det = controls.determine(ref, controls.item_from_line(line), filing.country_of_destination,
                                 parties=parties, on=filing.export_date)
        assessment.determinations[line.line_no] = det
        assessment.findings += controls.check_line(ref, filing, line, det)
        assessment.findings += controls.flag_description(ref, line, filing.country_of_destination)
    flags = redflags.Context(hubs=ref.transshipment_hubs, chpl=ref.chpl, history=context.history,
                             listed_addresses=targeter.listed_addresses())
    assessment.signals = (tg.signals_of(assessment) + redflags.red_flag_signals(filing, flags)
                          + context.lookouts.match(filing))
    return targeter.score(assessment, context)


def test_remembered_targeting_equals_targeting_afresh(exodus_app, trade) -> None:  # type: ignore[no-untyped-def]
    prior, filings = trade
    index = exodus_app.index()
    context = tg.TargetingContext(history=build_history(prior))
    remembering = tg.Targeter(index)
    # Two passes over the batches: the second is served almost wholly from memory.
    first = [r for chunk in (filings[:150], filings[150:]) for _, r in remembering.run(chunk, context)]
    again = [r for _, r in remembering.run(filings, context)]
    fresh = tg.Targeter(index)
    plain = [_afresh(fresh, f, context) for f in filings]
    assert remembering.lines.hits > 100 and remembering.screened
    assert [r.to_dict() for r in first] == [r.to_dict() for r in plain]
    assert [r.to_dict() for r in again] == [r.to_dict() for r in plain]
    # The edge cases really differ where value, weight or date decide.
    edge = {r.filing_id: r for r in plain if r.filing_id.startswith("EDGE")}
    def rules(n: int) -> set[str]:
        return {x.rule_id for x in edge[f"EDGE00{n}"].reasons}

    assert "DOC-EXCEPTION-FAILS" in rules(1) - rules(0)  # over the LVS limit
    assert rules(0) == rules(2)  # weight does not matter for a rifle
    assert rules(5) != rules(3)  # 1C350 needs a license to China, not to Germany
    assert any(r.action.value != "release" for r in plain)


def test_determinations_are_shared_only_where_nothing_decisive_differs(exodus_app, trade) -> None:  # type: ignore[no-untyped-def]
    _, filings = trade
    targeter = tg.Targeter(exodus_app.index())
    edges = [f for f in filings if f.filing_id.startswith("EDGE")]
    for filing in edges:
        ref = targeter.reference(filing.export_date)
        for line in filing.lines:
            _, remembered = targeter.lines.assess(ref, filing, line, [])
            plain = controls.check_line(ref, filing, line, controls.determine(
                ref, controls.item_from_line(line), filing.country_of_destination, on=filing.export_date))
            plain += controls.flag_description(ref, line, filing.country_of_destination)
            assert [f.to_dict() for f in remembered] == [f.to_dict() for f in plain], filing.filing_id
    # Two identical lines on one filing: the second is served from memory.
    assert targeter.lines.hits >= len(edges)


def test_parsed_filings_from_ingest_give_the_stored_results(exodus_app, database, trade) -> None:  # type: ignore[no-untyped-def]
    _, filings = trade
    batch = filings[:120]
    index = exodus_app.index()
    records = [ParsedRecord("test", filing=f) for f in batch]
    report, streamed = tg.ingest_and_target(database, tg.Targeter(index), records, actor="tester", batch_size=500)
    assert not report.errors and len(streamed) == len(batch)
    ids = [f.filing_id for f in batch]
    from_json = tg.target_stored(database, tg.Targeter(index), ids, batch_size=50)
    from_ingest = tg.target_stored(database, tg.Targeter(index), ids, batch_size=50,
                                   parsed={f.filing_id: f for f in batch})
    assert [r.to_dict() for r in from_ingest] == [r.to_dict() for r in from_json]
    assert [r.to_dict() for r in streamed] == [r.to_dict() for r in from_json]


def test_a_list_update_starts_screening_memory_afresh(exodus_home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    shutil.copytree(exodus_home, home)
    settings = load_settings({"EXODUS_HOME": str(home)})
    app = Exodus(settings, Database(settings.database_url))
    try:
        data = filing_data(filing_id=unique_id(), country_of_destination="RU",
                           ultimate_consignee={"name": NEW_PARTY, "country": "RU", "type": "R"})
        filing = parse_filing(data, "t")
        app.ingest_parsed([ParsedRecord("t", filing=filing)], actor="tester")
        before = app.targeter
        [result] = app.target([filing.filing_id])
        consignee = filing.ultimate_consignee
        query = QueryParty(NEW_PARTY, "RU", f"{consignee.address} {consignee.city}".strip())
        assert before.screened[query] == [] and before.index._compared  # remembered: not listed
        assert result.action.value != "hold"

        app.update_list(newer_dpl(tmp_path), actor="analyst")
        after = app.targeter
        # A new list version brings a new index and a new targeter: nothing remembered is reused.
        assert after is not before and after.index is not before.index
        [result] = app.target([filing.filing_id])
        assert [h.source for h in after.screened[query]] == ["DPL"]
        assert before.screened[query] == []  # the old memory was never consulted
        assert result.action.value == "hold"
    finally:
        app.db.dispose()
