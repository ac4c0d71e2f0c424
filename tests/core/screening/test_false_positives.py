"""False-positive traps on the real lists: everyday words, vessels, weak aliases."""

from __future__ import annotations

import pytest

from exodus.core.lists.model import EntitySchema, ListEntity
from exodus.core.screening import ScreeningIndex, match_names


def _hit_ids(index: ScreeningIndex, name: str, country: str | None = None) -> set[str]:
    return {h.entity_id for h in index.screen(name, country=country)}


def _entity(entities: list[ListEntity], source: str, name: str) -> ListEntity:
    return next(e for e in entities if e.source == source and e.name == name)


@pytest.mark.parametrize(
    "query",
    [
        "Jade Electronics Corp.",  # SDN vessel JADE
        "Titan Logistics Inc.",  # SDN vessel TITAN
        "Liberty Logistics Ltd.",  # SDN vessel LIBERTY
        "Lotus Trading Corp.",  # SDN vessel LOTUS
        "Northstar Components Corp.",  # SDN vessel NORTH STAR
    ],
)
def test_company_names_do_not_hit_vessels(
    index: ScreeningIndex, entities: list[ListEntity], query: str
) -> None:
    vessels = {e.id for e in entities if e.schema is EntitySchema.VESSEL}
    assert not _hit_ids(index, query, "HK") & vessels


def test_a_vessel_name_alone_still_hits_the_vessel(
    index: ScreeningIndex, entities: list[ListEntity]
) -> None:
    vessel = next(e for e in entities if e.schema is EntitySchema.VESSEL and e.name == "JADE")
    assert vessel.id in _hit_ids(index, "JADE")


def test_one_word_list_name_inside_a_longer_company_name(
    index: ScreeningIndex, entities: list[ListEntity]
) -> None:
    orion = _entity(entities, "SDN", "ORION LIMITED LIABILITY COMPANY")
    assert orion.id not in _hit_ids(index, "Orion Cargo Ltd.", "RU")
    assert orion.id in _hit_ids(index, "Orion LLC", "RU")  # legal form only differs


def test_weak_alias_of_an_everyday_word_never_hits_alone(index: ScreeningIndex) -> None:
    hits = index.screen("Horizon Engineering LLC", threshold=0.0, limit=50)
    weak = [h for h in hits if h.matched_name == "HORIZON"]
    assert weak and all(h.score < 0.6 for h in weak)
    assert all("Weak alias" in h.explanation or "vessel" in h.explanation for h in weak)


def test_one_word_list_name_with_distinctive_extra_words() -> None:
    result = match_names("emma daniels", "EMMA LLC")
    assert not result.match
    assert "distinctive daniels" in result.explanation


def test_everyday_words_shared_but_names_differ() -> None:
    result = match_names("Falcon Trading PLC", "Falcon International Trading Company")
    assert not result.match
    assert "everyday words" in result.explanation


def test_everyday_words_one_letter_apart_are_different_words() -> None:
    assert not match_names("Delta Agro LLC", "Delta-Aero LLC").match


def test_distinctive_one_word_list_name_with_generic_extras_still_hits() -> None:
    assert match_names("Rosoboronexport Trading LLC", "ROSOBORONEXPORT OAO").match


def test_legal_form_only_in_common() -> None:
    assert not match_names("BELLETECH CORP", "11420 CORP.").match


def test_shared_surname_is_not_a_match() -> None:
    assert not match_names("VLADIMIR PUTIN", "VLADIMIR VINOGRADOV").match
    assert not match_names("KIM JONG UN", "KIM, Yo Jong").match


def test_two_listed_parties_with_near_identical_names() -> None:
    # Differ by a number: different parties.
    assert not match_names("NEW YORK II CORP", "NEW YORK III CORP").match


def test_unlisted_generated_company_names_rarely_hit(index: ScreeningIndex) -> None:
    from exodus.core.screening import QueryParty
    from exodus.sample import pools

    parties = [
        QueryParty(f"{root} {trade} Ltd.", "CN")
        for root in pools.NAME_ROOTS[::3]
        for trade in pools.NAME_TRADES[::2]
    ]
    alerted = sum(1 for hits in index.screen_many(parties) if hits)
    assert alerted / len(parties) < 0.01
