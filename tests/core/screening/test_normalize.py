from exodus.core.screening import analyze_name, normalize_name


def test_cyrillic_is_transliterated() -> None:
    assert normalize_name("Владимир Путин") == "vladimir putin"


def test_diacritics_are_folded() -> None:
    assert normalize_name("Władimir Putin") == "wladimir putin"
    assert normalize_name("Vladímir Putin") == "vladimir putin"


def test_latin_and_cyrillic_legal_forms_are_set_aside() -> None:
    huawei = analyze_name("Huawei Technologies Co., Ltd.")
    assert huawei.tokens == ("huawei", "technologies")
    assert huawei.legal_forms == ("llc",)
    argut = analyze_name("ООО «Аргут»")
    assert argut.tokens == ("argut",)
    assert argut.legal_forms == ("llc",)
    assert analyze_name("ACME S.A. de C.V.").tokens == ("acme",)
    assert analyze_name("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU GAS").tokens == (
        "gas",
    )


def test_han_legal_form_and_business_words() -> None:
    key = analyze_name("深圳市比广贸易有限公司")
    assert key.legal_forms == ("llc",)
    assert "trading" in key.tokens
    assert "shi" not in key.tokens


def test_legal_form_only_name_keeps_its_words() -> None:
    assert analyze_name("Joint Stock Company").tokens == ("joint", "stock", "company")


def test_numbers_in_digits_words_ordinals_and_roman_numerals() -> None:
    assert analyze_name("JOINT STOCK COMPANY NEW HOLDING 2").numbers == ("2",)
    assert analyze_name("New Holding Two").numbers == ("2",)
    assert analyze_name("BICENTENARIO XIII").numbers == ("13",)
    assert analyze_name(
        "United Shipbuilding Corporation JSC 35th Shipyard"
    ).numbers == ("35",)
    assert analyze_name("TINDAYA PROPERTIES OF NEW YORK II CORP.").numbers == ("2",)


def test_chinese_surname_xi_is_not_a_roman_numeral() -> None:
    key = analyze_name("XI JINPING")
    assert key.tokens == ("xi", "jinping")
    assert key.numbers == ()


def test_glued_legal_form_is_split() -> None:
    assert analyze_name("JSCARGUMENT").tokens == ("argument",)
    assert analyze_name("ARGUMENTJSC").tokens == ("argument",)


def test_dotted_initials_are_joined() -> None:
    assert analyze_name("L.X.C Aviation").tokens == ("lxc", "aviation")


def test_arabic_script_is_flagged_and_article_split() -> None:
    key = analyze_name("نضال الربيعي")
    assert key.abjad
    assert key.tokens[0] == "ndal"
    assert key.tokens[1] == "al"


def test_invisible_format_characters_change_nothing() -> None:
    # Soft hyphen, zero-width space and joiner, word joiner, byte order mark and a
    # right-to-left override, anywhere in the word: the name reads the same.
    plain = normalize_name("Rosoboronexport")
    for hidden in ("\u00ad", "\u200b", "\u200d", "\u2060", "\ufeff", "\u202e"):
        assert normalize_name(f"R{hidden}osoboronexpor{hidden}t") == plain
        assert normalize_name(f"Mahan A{hidden}ir") == normalize_name("Mahan Air")
    assert normalize_name("Ros-oboronexport") != plain  # a visible hyphen still splits
