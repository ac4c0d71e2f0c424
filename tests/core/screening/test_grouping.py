"""Hits on one real party from several lists come back as one hit."""

from __future__ import annotations

from exodus.core.lists.model import ListEntity
from exodus.core.screening import ScreeningIndex
from exodus.core.screening.index import party_key


def test_ofac_entries_with_one_number_are_one_hit(
    index: ScreeningIndex, entities: list[ListEntity]
) -> None:
    sources = {e.source for e in entities if e.source_id == "17013"}
    assert {"SDN", "SSI"} <= sources  # VTB Bank, in the CSL and the OFAC files
    hits = index.screen("VTB BANK PUBLIC JOINT STOCK COMPANY")
    vtb = [h for h in hits if h.entity.source_id == "17013"]
    assert len(vtb) == 1
    primary = vtb[0]
    assert primary.source == "SDN"  # the strongest, SDN first on a tie
    also = {a.entity_id for a in primary.also}
    assert "SSI:17013" in also
    assert all(a.score <= primary.score for a in primary.also)


def test_denied_persons_from_csl_and_bis_file_are_one_hit(
    index: ScreeningIndex, entities: list[ListEntity]
) -> None:
    dpl = [e for e in entities if e.source == "DPL" and e.name == "AARON ABRAHAM VILLA"]
    assert len(dpl) == 2
    assert party_key(dpl[0]) == party_key(dpl[1])
    hits = [h for h in index.screen("Aaron Abraham Villa") if h.source == "DPL"]
    assert len(hits) == 1 and len(hits[0].also) == 1


def test_different_parties_are_not_grouped(entities: list[ListEntity]) -> None:
    sdn = [e for e in entities if e.source == "SDN"][:50]
    assert len({party_key(e) for e in sdn}) == 50
