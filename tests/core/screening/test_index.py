"""Screening against the bundled lists, built once per session (conftest)."""

import gc
from pathlib import Path

import pytest

from exodus.core.lists.model import ListEntity
from exodus.core.screening import (
    DEFAULT_THRESHOLD,
    QueryParty,
    ScreeningHit,
    ScreeningIndex,
)
from exodus.core.screening import index as index_module
from exodus.core.screening.index import CANDIDATES


def _names(hits: list[ScreeningHit]) -> set[str]:
    return {h.entity_name.upper() for h in hits}


def test_cyrillic_query_finds_latin_entry(index: ScreeningIndex) -> None:
    hits = index.screen("Владимир Путин")
    assert hits and hits[0].entity_name.upper().startswith("PUTIN, VLADIMIR")


def test_arabic_query_finds_entry_by_its_original_script_alias(
    index: ScreeningIndex,
) -> None:
    hits = index.screen("نضال الربيعي")
    assert hits[0].entity_id == "UN:IQi.070"
    assert hits[0].score == 1.0


def test_concatenated_query_finds_company(index: ScreeningIndex) -> None:
    assert "HUAWEI TECHNOLOGIES CO., LTD." in _names(index.screen("HUAWEITECHNOLOGIES"))
    assert "MAHAN AIR" in _names(index.screen("MAHANAIR"))


def test_legal_form_variant_finds_company(index: ScreeningIndex) -> None:
    hits = index.screen("Gazprom Neft JSC")
    assert "PUBLIC JOINT STOCK COMPANY GAZPROM NEFT" in _names(hits)
    assert all(h.score >= DEFAULT_THRESHOLD for h in hits)


def test_transliteration_variant_finds_alias(index: ScreeningIndex) -> None:
    hits = index.screen("Rosoboronexport")
    assert "ROSOBORONEKSPORT OAO" in _names(hits)


def test_token_order_and_typo(index: ScreeningIndex) -> None:
    hits = index.screen("VLADIMIR PUTNI")
    assert any(h.entity_name.upper().startswith("PUTIN, VLADIMIR") for h in hits)


def test_distinct_numbered_parties_are_kept_apart(index: ScreeningIndex) -> None:
    hits = index.screen("JOINT STOCK COMPANY NEW HOLDING 2")
    assert [h.entity_name for h in hits] == ["JOINT STOCK COMPANY NEW HOLDING 2"]


def test_shared_surname_alone_raises_no_hit(index: ScreeningIndex) -> None:
    assert index.screen("DUZGOREN, Serkan") == []
    assert index.screen("IVANOV Petr") == []


def test_generic_company_words_raise_no_hit(index: ScreeningIndex) -> None:
    assert index.screen("INTERNATIONAL TRADING COMPANY LIMITED") == []
    assert index.screen("GLOBAL LOGISTICS GROUP LLC") == []


def test_legal_form_alone_raises_no_hit(index: ScreeningIndex) -> None:
    assert index.screen("LLC") == []
    assert index.screen("Joint Stock Company") == []


def test_a_generic_word_or_initial_alone_is_not_a_listed_name(index: ScreeningIndex) -> None:
    # Listed "IS BANK, AO", "Y.A.S. CO. LTD" and "X-HOLDING" reduce to a generic word
    # or an initial once their legal forms and short words are set aside.
    assert index.screen("Bank") == []
    assert index.screen("Co Ltd") == []
    assert index.screen("X") == []
    found = index.screen("IS BANK, AO")
    assert found and found[0].score >= 0.95 and "BANK" in found[0].matched_name.upper()


def test_unlisted_trading_company_raises_no_hit(index: ScreeningIndex) -> None:
    assert index.screen("Shenzhen Xinhua Electronics Co Ltd") == []


def test_identifier_match_decides(
    index: ScreeningIndex, entities: list[ListEntity]
) -> None:
    entity = next(e for e in entities if e.id == "CMIC:30882")  # China Telecom
    ident = entity.ids[0].value
    hits = index.screen("Completely Unrelated Name", ids=[ident])
    assert hits[0].entity_id == "CMIC:30882"
    assert hits[0].score == 1.0
    assert ident in hits[0].explanation


def test_country_disagreement_lowers_and_agreement_raises(
    index: ScreeningIndex,
) -> None:
    query = "Putin Vladimir Vladimirovich"
    plain = _score(index.screen(query, threshold=0.0), "PUTIN")
    agree = _score(index.screen(query, country="RU", threshold=0.0), "PUTIN")
    differ = _score(index.screen(query, country="BR", threshold=0.0), "PUTIN")
    assert differ < plain <= agree


def _score(hits: list[ScreeningHit], surname: str) -> float:
    return max(h.score for h in hits if h.entity_name.upper().startswith(surname))


def test_every_hit_explains_itself(index: ScreeningIndex) -> None:
    hits = index.screen("Kalashnikov Concern", country="RU")
    assert hits
    for hit in hits:
        assert hit.matched_name in hit.explanation
        assert "score" in hit.explanation
        assert "kalashnikov=kalashnikov (exact)" in hit.explanation
        assert hit.entity.id == hit.entity_id


def test_candidates_come_from_the_index_not_a_scan(index: ScreeningIndex) -> None:
    from exodus.core.screening import analyze_name

    key = analyze_name("Vladimir Putin")
    picked = index._candidates(key, 2.0, 0.0)
    assert 0 < len(picked) <= CANDIDATES < len(index.name_keys)


def test_screen_many_agrees_with_screen(index: ScreeningIndex) -> None:
    parties = [
        QueryParty("MAHANAIR"),
        QueryParty("Acme Widgets GmbH", country="DE"),
        QueryParty("MAHANAIR"),
    ]
    many = index.screen_many(parties)
    assert len(many) == 3
    assert many[0] == many[2] == index.screen("MAHANAIR")
    assert many[1] == []


def test_screen_many_leaves_the_garbage_collector_as_it_found_it(index: ScreeningIndex) -> None:
    assert gc.isenabled()
    assert index.screen_many([QueryParty("MAHANAIR")])[0]
    assert gc.isenabled()
    gc.disable()
    try:
        index.screen_many([QueryParty("MAHANAIR")])
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()
    with pytest.raises(AttributeError):
        index.screen_many([None])  # type: ignore[list-item]
    assert gc.isenabled()


def test_save_and_load_round_trip(index: ScreeningIndex, tmp_path: Path) -> None:
    path = tmp_path / "screening.idx"
    index.save(path)
    loaded = ScreeningIndex.load(path)
    assert len(loaded) == len(index)
    for name in ("Владимир Путин", "HUAWEITECHNOLOGIES", "JSC NEW HOLDING 2"):
        assert loaded.screen(name) == index.screen(name)


def test_a_saved_index_loads_only_under_the_screening_code_that_wrote_it(
    index: ScreeningIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "screening.idx"
    index.save(path)
    monkeypatch.setattr(index_module, "code_digest", lambda: "another-release")
    with pytest.raises(ValueError, match="other screening code"):
        ScreeningIndex.load(path)


def test_the_code_digest_covers_the_matcher_and_its_data() -> None:
    digest = index_module.code_digest()
    assert len(digest) == 16 and digest == index_module.code_digest()
    package = Path(index_module.__file__).parent
    # Each of these files is read into the digest: changing one changes it.
    read = []
    original = Path.read_bytes

    def recording(self: Path) -> bytes:
        read.append(self.resolve())
        return original(self)

    index_module.code_digest.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "read_bytes", recording)
        assert index_module.code_digest() == digest
    for name in ("index.py", "compare.py", "normalize.py", "data/given_names.tsv"):
        assert (package / name).resolve() in read


def test_a_soft_hyphen_does_not_hide_a_listed_party(index: ScreeningIndex) -> None:
    plain = index.screen("Rosoboronexport", country="RU")
    hidden = index.screen("R\u00adosoboron\u00adexport", country="RU")
    assert plain and [h.entity_id for h in hidden] == [h.entity_id for h in plain]
