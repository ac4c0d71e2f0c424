"""Foreign brands written in Chinese sounds, and Chinese place names.

A Chinese company writes a foreign brand with characters read for their sound
(卡斯普罗 ka si pu luo for "Caspro"); its registered name starts with its city,
which the English name leaves out or writes "China". The list entries below are
real (Entity List, SDN); the Han names are how such companies register.
"""

from __future__ import annotations

import pytest

from exodus.core.screening import ScreeningIndex
from exodus.core.screening.normalize import analyze_name
from exodus.core.screening.phonetic import foreign_word_similarity, pinyin_syllables


@pytest.mark.parametrize(
    ("syllables", "latin"),
    [
        ("ke lin dun", "clinton"),  # clusters gain vowels
        ("huo ni wei er", "honeywell"),  # 尔 er writes a final l
        ("xi men zi", "siemens"),
        ("ai ma", "imax"),  # a final x pinyin cannot write
    ],
)
def test_pinyin_reading_sounds_like_the_latin_spelling(
    syllables: str, latin: str
) -> None:
    assert foreign_word_similarity(tuple(syllables.split()), latin) >= 0.8


@pytest.mark.parametrize(
    ("syllables", "latin"),
    [
        ("kai li", "kaili"),  # a pinyin word is compared by spelling, not by sound
        ("ai ma", "omega"),  # more vowel groups than syllables
        ("ka si", "caspro"),  # consonants missing
        ("he de", "ahead"),  # one starts with a vowel, the other not
    ],
)
def test_unlike_readings_are_not_alike(syllables: str, latin: str) -> None:
    assert foreign_word_similarity(tuple(syllables.split()), latin) == 0.0


def test_pinyin_words_are_recognised() -> None:
    assert pinyin_syllables("shenzhen") == ("shen", "zhen")
    assert pinyin_syllables("caspro") is None


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # Entity List "Shenzhen Caspro Technology": 卡斯普罗 ka si pu luo.
        ("深圳卡斯普罗科技有限公司", "Shenzhen Caspro Technology"),
        # Entity List "Shenzhen Rion Technology": 瑞安 rui an.
        ("深圳瑞安科技有限公司", "Shenzhen Rion Technology"),
        # SDN 42075: 北京 Beijing where the English name says "China".
        ("北京和德宇航技术有限公司", "CHINA HEAD AEROSPACE TECHNOLOGY COMPANY"),
        # SDN 46627: the brand glued to "chip", which 芯 translates.
        ("愛瑪芯科技有限公司", "IMAXCHIP TECHNOLOGY CO., LIMITED"),
    ],
)
def test_foreign_brand_in_chinese_sounds_matches_latin_list_name(
    index: ScreeningIndex, query: str, listed: str
) -> None:
    result = index.match(query, listed)
    assert result.match, result.explanation
    assert "foreign word written in Chinese sounds" in result.explanation


def test_chinese_place_syllables_are_one_token() -> None:
    assert analyze_name("北京和德宇航技术有限公司").tokens[:3] == ("beijing", "he", "de")


@pytest.mark.parametrize(
    "listed",
    ["Sichuan University", "Sichuan Dingcheng Material Trade Co., Ltd."],
)
def test_shared_province_alone_does_not_match(
    index: ScreeningIndex, listed: str
) -> None:
    # Sichuan Jiuzhou Electric shares only its province with these Entity List names.
    result = index.match("四川九洲电器集团有限责任公司", listed)
    assert not result.match, result.explanation
    assert result.score < 0.5, result.explanation


def test_brands_with_other_sounds_do_not_match(index: ScreeningIndex) -> None:
    # 卡斯特 ka si te (Caster) is another brand than Entity List "Shenzhen Caspro
    # Technology" (ka si pu luo), though both start alike.
    result = index.match("深圳卡斯特科技有限公司", "Shenzhen Caspro Technology")
    assert not result.match, result.explanation
    # 和达 he da shares no sounds with "Rion".
    result = index.match("深圳和达科技有限公司", "Shenzhen Rion Technology")
    assert not result.match, result.explanation


def test_foreign_brand_sound_only_in_company_names(index: ScreeningIndex) -> None:
    # A person's name in Han characters is not read as a foreign brand.
    result = index.match("和德", "HEAD AEROSPACE GROUP")
    assert not result.match, result.explanation


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("深圳卡斯普罗科技有限公司", "SHENZHEN CASPRO TECHNOLOGY"),
        ("愛瑪芯科技有限公司", "IMAXCHIP"),  # glued brand, found by its sound and "chip"
    ],
)
def test_screening_reaches_latin_brand_from_chinese_sounds(
    index: ScreeningIndex, query: str, listed: str
) -> None:
    hits = index.screen(query)
    assert any(listed in h.entity_name.upper() for h in hits), [
        (h.entity_name, h.score) for h in hits
    ]
