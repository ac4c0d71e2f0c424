"""The index remembers name comparisons per name key; answers stay what screening afresh gives.

Spellings that analyse to the same key share one comparison; the country and address
of each query still adjust its own score, and the memory lives with the index only.
"""

from __future__ import annotations

from pathlib import Path

from exodus.core.screening import QueryParty, ScreeningIndex


def _queries() -> list[QueryParty]:
    spellings = ["Rosoboronexport", "ROSOBORONEXPORT", "rosoboronexport ", "Kalashnikov Concern",
                 "KALASHNIKOV CONCERN", "Prairie Chemicals Ltd.", "Prairie Chemicals Ltd", "Mahan Air"]
    contexts = [(None, None), ("RU", None), ("DE", "12 Harbour Road Hamburg"),
                ("RU", "27 Stromynka St, Moscow")]
    return [QueryParty(name, country, address) for name in spellings for country, address in contexts]


def _plain(hits: list) -> list[tuple]:  # type: ignore[type-arg]
    return [(h.entity_id, h.score, h.matched_name, h.explanation, h.also) for h in hits]


def test_remembered_comparisons_give_the_answers_of_screening_afresh(index: ScreeningIndex) -> None:
    queries = _queries()
    index._compared.clear()
    remembered = [_plain(hits) for hits in index.screen_many(queries)]
    # The spellings, each with four contexts, share the comparisons of a few name keys.
    assert 0 < len(index._compared) < len(queries) // 2
    afresh = []
    for query in queries:
        index._compared.clear()
        afresh.append(_plain(index.screen_many([query])[0]))
    assert remembered == afresh
    assert any(remembered)  # real listed names are among them
    # Context still counts per query: the same name scores differently by country.
    by_context = {(q.country, q.address): r for q, r in zip(queries, remembered, strict=True)
                  if q.name == "Rosoboronexport"}
    assert by_context[("RU", None)] != by_context[("DE", "12 Harbour Road Hamburg")]


def test_the_memory_is_not_saved_with_the_index(index: ScreeningIndex, tmp_path: Path) -> None:
    index.screen("Kalashnikov Concern", country="RU")
    assert index._compared
    path = tmp_path / "index.pkl"
    index.save(path)
    assert ScreeningIndex.load(path)._compared == {}
