"""Brands that lead families of listed parties, read from the real lists."""

from __future__ import annotations

import pytest

from exodus.core.lists.model import Address, Alias, EntitySchema, ListEntity
from exodus.core.screening import ScreeningIndex, match_names
from exodus.core.screening.brands import brand_families
from exodus.core.screening.common import is_common_word
from exodus.core.screening.normalize import analyze_name


def test_brands_are_read_from_the_lists(index: ScreeningIndex) -> None:
    # Entity List: "Huawei Cuba", "Huawei Denmark"... under one Federal Register
    # citation; "HEAD France" and "China HEAD" are names of one entry.
    assert is_common_word("huawei") and is_common_word("head")
    assert {"huawei", "head"} <= index.brands.keys()
    assert {"aerospace", "technology", "france"} <= index.brands["head"]
    assert "cloud" in index.brands["huawei"]


@pytest.mark.parametrize("word", ["pioneer", "apple", "falcon", "delta", "port"])
def test_words_leading_unrelated_parties_are_no_brands(
    index: ScreeningIndex, word: str
) -> None:
    # "PIONEER LOGISTICS", "PIONEER SHIPMANAGEMENT", "PIONEER TANKERS MARINE" are
    # different parties; "Port Yevpatoria" / "Port Evpatoria" are one place twice.
    assert word not in index.brands


def test_brand_short_form_matches_its_family(index: ScreeningIndex) -> None:
    result = index.match("Huawei Co., Ltd.", "HUAWEI TECHNOLOGIES CO., LTD.")
    assert result.match, result.explanation
    assert "brand of that family" in result.explanation
    # Without the lists the same pair stays capped as everyday words.
    assert not match_names("Huawei Co., Ltd.", "HUAWEI TECHNOLOGIES CO., LTD.").match


def test_brand_short_form_is_screened(index: ScreeningIndex) -> None:
    hits = index.screen("Huawei Co., Ltd.")
    assert hits and all("huawei" in analyze_name(h.entity_name).tokens for h in hits)


def test_brand_written_in_chinese_sounds_within_its_family(
    index: ScreeningIndex,
) -> None:
    # SDN 42075 alias "HEAD AEROSPACE GROUP": 和德 he de for HEAD, 宇航 aerospace,
    # 技术 technology, a word of the family's own names ("HEAD Technology France").
    result = index.match("和德宇航技术有限公司", "HEAD AEROSPACE GROUP")
    assert result.match, result.explanation


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("Head Start Trading LLC", "head"),
        ("Head Sports GmbH", "head"),
        ("Vision Technology Co., Ltd.", "vision"),  # Entity List IS'Vision
        ("Step Trading LLC", "step"),  # SDN STEP A.S.
        ("Apple Valley Farms", "apple"),
        ("Pioneer Hi-Bred", "pioneer"),
        ("Pioneer Co., Ltd.", "pioneer"),
    ],
)
def test_ordinary_names_starting_with_a_listed_word_do_not_hit(
    index: ScreeningIndex, query: str, word: str
) -> None:
    hits = index.screen(query)
    assert not [h for h in hits if word in analyze_name(h.entity_name).tokens], [
        (h.entity_name, h.score) for h in hits
    ]


def test_brand_needs_its_family_words(index: ScreeningIndex) -> None:
    # "point" is no word of HEAD Aerospace's names: SDN "HEAD POINT" is another party.
    result = index.match(
        "Head Technology Co., Ltd.", "LIMITED LIABILITY COMPANY HEAD POINT"
    )
    assert not result.match, result.explanation


def _entity(
    source_id: str, name: str, citation: str, *aliases: str, city: str = ""
) -> ListEntity:
    return ListEntity(
        id=f"EL:{source_id}",
        source="EL",
        source_id=source_id,
        schema=EntitySchema.ORGANIZATION,
        name=name,
        aliases=tuple(Alias(a) for a in aliases),
        addresses=(Address(city=city),) if city else (),
        federal_register=citation,
    )


def _families(entities: list[ListEntity]) -> dict[str, frozenset[str]]:
    keys, owners = [], []
    for position, entity in enumerate(entities):
        for name in entity.all_names():
            keys.append(analyze_name(name))
            owners.append(position)
    return brand_families(entities, keys, owners)


def test_a_family_shares_a_citation_or_is_one_entry() -> None:
    # One citation, the brand named with two countries: a family.
    cited = [
        _entity("1", "Kestrel Cuba", "85 FR 51603"),
        _entity("2", "Kestrel Denmark", "85 FR 51603, 87 FR 6026"),
        _entity("3", "Kestrel Cloud Technology", "85 FR 51603"),
    ]
    assert _families(cited)["kestrel"] >= {"cuba", "denmark", "cloud", "technology"}
    # The same names under unrelated citations are unrelated parties.
    unrelated = [
        _entity("1", "Kestrel Cuba", "85 FR 51603"),
        _entity("2", "Kestrel Denmark", "79 FR 24558"),
    ]
    assert "kestrel" not in _families(unrelated)
    # One entry naming itself by the brand alone and with a place.
    aliases = ("Kestrel", "Kestrel France")
    one = [_entity("1", "Kestrel Aerospace Technology", "88 FR 12171", *aliases)]
    assert "kestrel" in _families(one)
    # Two spellings of one place are one place.
    city = "Yevpatoria"
    spelled = [
        _entity("1", "Port Yevpatoria", "80 FR 52963", "Port Evpatoria", city=city)
    ]
    assert "port" not in _families(spelled)
    spelled = [_entity("1", "Port Yevpatoria", "80 FR 52963", "Port", city=city)]
    assert "port" in _families(spelled)
