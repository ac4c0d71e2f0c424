"""Names written in other scripts, languages and national forms against list names."""

from __future__ import annotations

import pytest

from exodus.core.screening import ScreeningIndex, analyze_name, match_names

PUTIN = "PUTIN, Vladimir Vladimirovich"


@pytest.mark.parametrize(
    "query",
    [
        "블라디미르 푸틴",  # Hangul: epenthetic eu, l for r
        "ウラジーミル・プーチン",  # Katakana: u for v, chi for ti, ji for di
        "វ៉្លាឌីមៀរ ពូទីន",  # Khmer, which ICU does not transliterate
        "भ्लादिमिर पुटिन",  # Devanagari: inherent final a, bh for v
        "ולדימיר פוטין",  # Hebrew: no vowels, initial vav is v
        "Βλαντίμιρ Πούτιν",  # Greek: ντ for d
        "Vladimiras Putinas",  # Lithuanian nominative endings
        "Putin Volodymyr Volodymyrovych",  # Ukrainian given name and patronymic
        "Wladimir Putin",  # German transliteration
    ],
)
def test_renderings_of_a_listed_person_match(query: str) -> None:
    result = match_names(query, PUTIN)
    assert result.match, result.explanation


def test_korean_personal_name_in_hangul_matches_its_romanisation() -> None:
    result = match_names("김정은", "KIM, Jong Un")
    assert result.match, result.explanation
    assert "Korean romanisation variant" in result.explanation


def test_korean_name_differing_in_a_syllable_does_not_match() -> None:
    assert not match_names("김정남", "KIM, Jong Un").match


def test_arabic_letter_variants_match() -> None:
    result = match_names("رشيد طعان كاظم", "Rashid Taan Kathim")
    assert result.match, result.explanation


def test_ukrainian_given_name_reads_as_russian() -> None:
    assert match_names("Oleksandr Lukashenko", "LUKASHENKO, Aleksandr").match


def test_greek_consonant_digraphs_on_both_sides() -> None:
    # μπ is b and ντ is d at the start of a word, nt inside it.
    assert match_names("Κωνσταντίνος Μπάμπης", "Konstantinos Bampis").match


def test_russian_cognate_spelled_with_kh() -> None:
    result = match_names("OJSC Khimkompozit", "OAO JSC Chemcomposite")
    assert result.match, result.explanation


def test_russian_syllable_abbreviation() -> None:
    result = match_names("АО «НПК «Техмаш»", "NPK Technologii Maschinostrojenija")
    assert result.match, result.explanation
    assert "first syllables" in result.explanation


def test_spelled_out_org_type_meets_its_acronym() -> None:
    query = "JSC “Scientific and Production Association ‘Basalt’”"
    assert match_names(query, "OAO NPO Bazalt").match


def test_russian_org_words_become_english_concepts() -> None:
    key = analyze_name("Тульский Оружейный Завод")
    assert key.tokens == ("tulsky", "arms", "plant")


def test_chinese_name_with_translated_words_and_place_reading() -> None:
    result = match_names(
        "长沙天仪空间科技研究院有限公司",
        "Changsha Tianyi Space Science and Technology Research (SpaceTy)",
    )
    assert result.match, result.explanation


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # Only concept words in common: same kind of business, other party.
        ("Тульский Оружейный Завод", "Izhevsk Arms Plant"),
        ("北京航天科技有限公司", "Shanghai Aerospace Technology Co Ltd"),
        ("Научно-производственное объединение Алмаз", "NPO Mashinostroyenia"),
    ],
)
def test_concept_words_alone_never_match(query: str, listed: str) -> None:
    result = match_names(query, listed)
    assert not result.match, result.explanation


def test_hangul_query_finds_listed_person(index: ScreeningIndex) -> None:
    hits = index.screen("김정은")
    assert any("KIM" in h.entity_name.upper() and "UN" in h.matched_name.upper()
               for h in hits), [h.matched_name for h in hits]


def test_katakana_query_finds_listed_person(index: ScreeningIndex) -> None:
    hits = index.screen("ウラジーミル・プーチン")
    assert hits and "PUTIN" in hits[0].entity_name.upper()
