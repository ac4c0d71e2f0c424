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


@pytest.fixture(scope="module")
def latin_only_un(entities):  # noqa: ANN001, ANN201 - fixtures from conftest
    """Index of all lists with the UN entries' Arabic-script names removed."""
    from dataclasses import replace

    from rigour.text.scripts import text_scripts

    def latin(name: str) -> bool:
        return "Arabic" not in text_scripts(name)

    stripped = [
        replace(e, aliases=tuple(a for a in e.aliases if latin(a.name)))
        if e.source == "UN"
        else e
        for e in entities
    ]
    return ScreeningIndex.build(stripped)


@pytest.mark.parametrize(
    ("query", "entity_id"),
    [
        ("محسن خضر الخفاجي", "UN:IQi.048"),  # MUHSIN KHADR AL-KHAFAJI
        ("إبراهيم سبعاوي إبراهيم حسن التكريتي", "UN:IQi.084"),
        ("عبد البصیر نورزی", "UN:TAi.173"),  # ABDUL BASIR NOORZAI
    ],
)
def test_arabic_query_finds_latin_entry_among_sound_alikes(
    latin_only_un: ScreeningIndex, query: str, entity_id: str
) -> None:
    # Loose consonant outlines reach many wrong names with common tokens
    # (Muhammad, al-); the right one must not be crowded out of the candidates.
    hits = latin_only_un.screen(query)
    assert entity_id in {h.entity_id for h in hits}, [h.entity_name for h in hits]


def test_traditional_characters_read_like_simplified() -> None:
    # UN lists the company in traditional characters (國際海運, "international
    # shipping"); business words are known in one spelling only.
    result = match_names("沈忠國際海運有限公司", "SHEN ZHONG INTERNATIONAL SHIPPING")
    assert result.match, result.explanation
    assert "shipping=shipping" in result.explanation
