"""Kinds of variation added on top of spelling and script: name forms, nicknames,
Korean names in Han characters, a family name alone, a name compared with every
name of the listed party, and the traps each of them could open."""

from __future__ import annotations

import time

import pytest

from exodus.core.lists.model import EntitySchema, ListEntity
from exodus.core.screening import ScreeningIndex, match_names
from exodus.core.screening import given_names
from exodus.core.screening.phonetic import korean_readings


def _entity(entities: list[ListEntity], source: str, name: str) -> ListEntity:
    return next(e for e in entities if e.source == source and e.name == name)


def _hit_ids(index: ScreeningIndex, name: str) -> set[str]:
    return {h.entity_id for h in index.screen(name)} | {
        a.entity_id for h in index.screen(name) for a in h.also
    }


# -- given-name forms and nicknames --------------------------------------------------


def test_given_name_table_knows_forms_of_one_name() -> None:
    assert given_names.same_given_name("mahmud", "mahmood")
    assert given_names.same_given_name("muhammad", "mohammed")
    assert not given_names.same_given_name("mahmud", "ahmad")
    assert given_names.is_given_name("vladimir")
    assert not given_names.is_given_name("rosoboroneksport")


def test_given_name_table_loads_without_rigour_tagger() -> None:
    given_names._groups.cache_clear()
    started = time.process_time()
    assert len(given_names._groups()) > 30_000
    assert time.process_time() - started < 2.0


def test_nickname_of_a_listed_given_name(index: ScreeningIndex) -> None:
    assert given_names.nickname_of("nick", "nicolas")
    assert not given_names.nickname_of("nick", "vladimir")
    hits = index.screen("nick maduro")
    assert any(h.entity_name == "MADURO MOROS, Nicolas" for h in hits), [
        h.entity_name for h in hits
    ]
    assert "nick=nicolas (nickname)" in hits[0].explanation


def test_nickname_does_not_rescue_another_family_name() -> None:
    assert not match_names("nick vinogradov", "MADURO MOROS, Nicolas").match


# -- Korean names written in Han characters ------------------------------------------


def test_korean_name_in_han_characters_reads_as_korean() -> None:
    assert korean_readings("金正恩")[0] == "김정은"
    # simplified characters are made traditional first (铁 -> 鐵 -> 철)
    assert korean_readings("金铁三")[0] == "김철삼"
    assert korean_readings("北京和德宇航技术有限公司") == ()  # not a personal name


def test_han_written_korean_name_matches_its_list_name() -> None:
    result = match_names("金正恩", "KIM, Jong Un")
    assert result.match, result.explanation
    assert "Read as the Korean name 김정은" in result.explanation


def test_han_written_korean_name_differing_in_a_character() -> None:
    assert not match_names("金正男", "KIM, Jong Un").match  # Kim Jong Nam


def test_han_written_korean_name_finds_un_entry(
    index: ScreeningIndex, entities: list[ListEntity]
) -> None:
    kim = next(
        e
        for e in entities
        if e.source == "UN" and any("金铁三" in a.name for a in e.aliases)
    )
    # The UN entry gives the name in Han characters only inside an alias with
    # its Latin form; a query of the characters alone must still find it.
    assert kim.id in _hit_ids(index, "金铁三")


# -- a family name alone -----------------------------------------------------------------


def test_rare_family_name_alone_hits_the_listed_person(
    index: ScreeningIndex, entities: list[ListEntity]
) -> None:
    putin = _entity(entities, "SDN", "PUTIN, Vladimir Vladimirovich")
    hits = index.screen("POUTINE")  # the French form of the family name
    hit = next((h for h in hits if putin.id in {h.entity_id, *(a.entity_id for a in h.also)}), None)
    assert hit is not None, [h.entity_name for h in hits]
    assert "rare family name alone" in hit.explanation


@pytest.mark.parametrize("query", ["IVANOV", "KIM", "Jun Le", "Ahmed Hassan"])
def test_common_or_short_family_names_get_no_credit(
    index: ScreeningIndex, query: str
) -> None:
    for hit in index.screen(query, threshold=0.0, limit=50):
        assert "rare family name alone" not in hit.explanation, hit.explanation


# -- persons and organisations named after them --------------------------------------


def test_person_is_not_the_organisation_named_after_him(
    index: ScreeningIndex, entities: list[ListEntity]
) -> None:
    assert not match_names("KIM IL SUNG", "KIM IL SUNG MILITARY UNIVERSITY").match
    universities = {
        e.id
        for e in entities
        if e.schema is not EntitySchema.PERSON and "UNIVERSITY" in e.name.upper()
    }
    assert not _hit_ids(index, "KIM IL SUNG") & universities


def test_organisation_named_after_a_person_still_matches_itself() -> None:
    assert match_names("Kim Il Sung University", "KIM IL SUNG UNIVERSITY").match


# -- two names through the index: rarity weights and the listed party's names ----------


def test_index_match_uses_the_listed_party_aliases(entities: list[ListEntity]) -> None:
    index = ScreeningIndex.build(e for e in entities if e.source == "SDN")
    # OFAC lists TROPICANA TOURS GMBH as an a.k.a. of TROPIC TOURS GMBH.
    result = index.match("TROPICANA TOURS GMBH", "TROPIC TOURS GMBH")
    assert result.match, result.explanation
    assert "Listed name of SDN:" in result.explanation
    # The strings alone do not say so.
    assert not match_names("TROPICANA TOURS GMBH", "TROPIC TOURS GMBH").match


def test_index_match_keeps_near_identical_listed_parties_apart(
    index: ScreeningIndex,
) -> None:
    assert not index.match("DUZGOREN, Serkan", "DUZGOREN, Erkan").match
    assert not index.match("KIM JONG UN", "KIM, Jong Man").match
    assert not index.match(
        "JOINT STOCK COMPANY NEW HOLDING 2", "JOINT STOCK COMPANY NEW HOLDING 3"
    ).match


def test_index_match_on_a_name_not_on_the_lists(index: ScreeningIndex) -> None:
    result = index.match("Vladimr Putin", "Vladimir Putin")
    assert result.match
    assert "Listed name" not in result.explanation


# -- generic words: candidates come from distinctive words -----------------------------


def test_generic_words_alone_bring_no_candidate(index: ScreeningIndex) -> None:
    assert index.screen("International Trading Company Ltd") == []


def test_name_of_generic_words_only_still_finds_its_identical_entry(
    index: ScreeningIndex,
) -> None:
    hits = index.screen("JOINT STOCK COMPANY NEW HOLDING 3")
    assert [h.entity_name for h in hits] == ["JOINT STOCK COMPANY NEW HOLDING 3"]
