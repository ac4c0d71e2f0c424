"""Middle names that differ, Chinese company names that translate some words, and
list names written with another legal form, with the traps each could open."""

from __future__ import annotations

from exodus.core.screening import ScreeningIndex, match_names
from exodus.core.screening.normalize import analyze_name

# -- persons: a different middle name --------------------------------------------


def test_different_middle_name_with_rare_first_and_last_names(
    index: ScreeningIndex,
) -> None:
    # SDN 7133 / UN QDi.055: "MAHMOOD, Sultan Bashiruddin".
    result = index.match("MAHMOOD IQBAL BASHIRUDDIN", "MAHMOOD, Sultan Bashiruddin")
    assert result.match, result.explanation
    assert "middle names differ" in result.explanation
    hits = index.screen("MAHMOOD IQBAL BASHIRUDDIN")
    assert any("Bashiruddin" in n for h in hits[:1] for n in h.entity.all_names())


def test_different_middle_name_needs_the_family_name(index: ScreeningIndex) -> None:
    result = index.match("Sultan Ahmad Bashiruddin", "MAHMOOD, Sultan Bashiruddin")
    assert not result.match, result.explanation


def test_common_first_and_last_names_do_not_forgive_middle_names() -> None:
    assert not match_names("John Michael Smith", "SMITH, John Robert").match
    assert not match_names("Muhammad Ahmad Khan", "Muhammad Sultan Khan").match


def test_korean_given_name_syllable_is_not_a_middle_name(index: ScreeningIndex) -> None:
    # Two listed persons (OFAC SDN) whose given names differ by one syllable.
    assert not match_names("JO, Yong Chol", "JO, Kyong-Chol").match
    assert not index.match("JO, Yong Chol", "JO, Kyong-Chol").match


# -- Chinese company names ----------------------------------------------------------


def test_brand_character_read_by_meaning_in_a_company_name(
    index: ScreeningIndex,
) -> None:
    # SDN 50424 "M STAR INTERNATIONAL TRADING CO LTD": 美星 is "M Star".
    assert analyze_name("美星國際貿易有限公司").tokens == (
        "mei",
        "star",
        "international",
        "trading",
    )
    result = index.match("美星國際貿易有限公司", "M STAR INTERNATIONAL TRADING CO LTD")
    assert result.match, result.explanation


def test_brand_characters_keep_their_sound_in_a_persons_name() -> None:
    assert analyze_name("金星").tokens == ("jin", "xing")


def test_chinese_syllables_are_not_dropped_as_function_words() -> None:
    assert analyze_name("北京和德宇航技术有限公司").tokens[1:3] == ("he", "de")


def test_pinyin_business_words_written_together_read_as_english(
    index: ScreeningIndex,
) -> None:
    # SDN 48320 carries its pinyin name next to its English one.
    key = analyze_name("SHENZHEN WU LI GAOKE CHUANGXIN YOUXIAN GONGSI")
    assert key.tokens == ("shenzhen", "wu", "li", "high", "tech", "innovation")
    assert key.legal_forms
    result = index.match(
        "深圳五力高科创新科技有限公司", "Shenzhen 5G High-Tech Innovation Co., Ltd."
    )
    assert result.match, result.explanation


def test_translated_generic_words_alone_do_not_match() -> None:
    result = match_names(
        "SHENZHEN KEJI MAOYI YOUXIAN GONGSI", "Guangzhou Technology Trading Co., Ltd"
    )
    assert not result.match, result.explanation
    result = match_names("北京科技贸易有限公司", "Huawei Technology Trading Co., Ltd")
    assert not result.match, result.explanation


# -- list names written with another legal form ------------------------------------


def test_co_limited_is_one_legal_form() -> None:
    assert (
        analyze_name("M STAR INTERNATIONAL TRADING CO., LIMITED").text
        == analyze_name("M Star International Trading Company Limited").text
        == analyze_name("M STAR INTERNATIONAL TRADING CO LTD").text
    )


def test_index_match_finds_the_party_by_its_comparison_form(
    index: ScreeningIndex,
) -> None:
    # Entity List "Tula Arms Plant" also carries "Imperial Tula Arms Plant" and
    # "JSC Tulsky Oruzheiny Zavod"; the list name is written with a legal form.
    result = index.match("IMPERATORSKY TULSKY ORUZHEINY ZAVOD", "Tula Arms Plant, JSC")
    assert result.match, result.explanation
    assert "Listed name of" in result.explanation
