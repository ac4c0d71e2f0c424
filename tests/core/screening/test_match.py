"""match_names on real list entries and their published variants."""

import pytest

from exodus.core.screening import DEFAULT_THRESHOLD, match_names

SAME_PARTY = [
    # token order and a missing patronymic
    ("VLADIMIR PUTIN", "PUTIN, Vladimir Vladimirovich"),
    # transliteration from Cyrillic
    ("Владимир Владимирович Путин", "PUTIN, Vladimir Vladimirovich"),
    ("Рустам Ильмирович ТЕМИРГАЛИЕВ", "Rustam Ilmirovich TEMIRGALIEV"),
    # transliteration from Arabic (UN NAME_ORIGINAL_SCRIPT)
    ("نضال الربيعي", "NIDAL AL-RABI'I"),
    ("محمد أمين مصطفى", "MOHAMED AMIN MOSTAFA"),
    # diacritics
    ("Vladímir Putin", "PUTIN, Vladimir Vladimirovich"),
    # legal form in other words or another language
    ("Gazprom Neft JSC", "PUBLIC JOINT STOCK COMPANY GAZPROM NEFT"),
    ("ООО «Аргут»", "Argut OOO"),
    ("Rosoboronexport", "ROSOBORONEKSPORT OAO"),
    # concatenation
    ("HUAWEITECHNOLOGIES", "HUAWEI TECHNOLOGIES CO., LTD."),
    ("JSCARGUMENT", "JSC ARGUMENT"),
    ("Ramimakhlouf", "MAKHLUF, Rami"),
    # typos
    ("VLADIMR PUTIN", "PUTIN, Vladimir Vladimirovich"),
    ("VLADIMIR PUTNI", "PUTIN, Vladimir"),
    # initials
    ("Putin V.V.", "PUTIN, Vladimir Vladimirovich"),
    ("LXC Aviation", "L.X.C Aviation"),
    # Han script against the Latin name
    ("深圳市比广贸易有限公司", "Shenzhen Biguang Trading Co. Ltd"),
]

DIFFERENT_PARTY = [
    # shared surname, different given name
    ("KIM JONG UN", "KIM, Jong Man"),
    ("DUZGOREN, Serkan", "DUZGOREN, Erkan"),
    ("JO, Yong Chol", "JO, Kyong-Chol"),
    ("ASSAD BASHAR", "AL-ASSAD, Bushra"),
    # two listed parties that differ by a number
    ("JOINT STOCK COMPANY NEW HOLDING 2", "JOINT STOCK COMPANY NEW HOLDING 3"),
    ("RIM GROUP INVESTMENTS I CORP.", "RIM GROUP INVESTMENTS III CORP."),
    ("TINDAYA PROPERTIES OF NEW YORK CORP.", "TINDAYA PROPERTIES OF NEW YORK II CORP."),
    # generic company words only
    ("the group", "THE GROUP FOR THE PRESERVATION OF THE HOLY SITES"),
    ("jx metals trading co.", "TRANSPETROCHART CO. LTD."),
    # legal form only
    ("BELLETECH CORP", "11420 CORP."),
    ("AKTSIONERNOE OBSHCHESTVO PASIT", "AKTSIONERNOE OBSHCHESTVO AST"),
    # one shared word
    ("emma daniels", "EMMA LLC"),
    ("OSAMA BIN LADEN", "OSAMA TRADING COMPANY LTD"),
    # an organisation named after a person
    ("KIM IL SUNG", "KIM IL SUNG MILITARY UNIVERSITY"),
    # near-identical names of two listed organisations
    ("OSTEC-ST LTD", "OSTEC-SMT LTD"),
    (
        "INSURANCE COMPANY SBERBANK INSURANCE LIMITED LIABILITY COMPANY",
        "INSURANCE COMPANY SBERBANK LIFE INSURANCE LIMITED LIABILITY COMPANY",
    ),
]


@pytest.mark.parametrize(("query", "listed"), SAME_PARTY)
def test_variants_of_one_party_match(query: str, listed: str) -> None:
    result = match_names(query, listed)
    assert result.match, result.explanation
    assert result.score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "listed"), DIFFERENT_PARTY)
def test_different_parties_do_not_match(query: str, listed: str) -> None:
    result = match_names(query, listed)
    assert not result.match, result.explanation


def test_identical_names_score_one() -> None:
    assert match_names("MAHAN AIR", "Mahan Air").score == 1.0


def test_number_conflict_is_explained() -> None:
    result = match_names("NEW HOLDING 2", "NEW HOLDING 3")
    assert "Numbers differ (2 vs 3)" in result.explanation


def test_explanation_names_the_matched_tokens() -> None:
    result = match_names("VLADIMR PUTIN", "PUTIN, Vladimir Vladimirovich")
    assert "vladimr=vladimir (spelling variant, 1 edit(s))" in result.explanation
    assert "putin=putin (exact)" in result.explanation
    assert "Only in list name: vladimirovich" in result.explanation


def test_declared_schema_separates_person_from_company() -> None:
    person = match_names("MAHAN", "MAHAN AIR", schema="person")
    assert person.score < match_names("MAHAN", "MAHAN AIR").score or not person.match


def test_score_stays_in_unit_interval() -> None:
    for query, listed in SAME_PARTY + DIFFERENT_PARTY:
        assert 0.0 <= match_names(query, listed).score <= 1.0
