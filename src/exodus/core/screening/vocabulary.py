"""Word lists the name normaliser needs and no library ships.

rigour covers legal forms written in Latin and Cyrillic script; the tables here fill
the gaps: legal forms written in Han, Hangul and Kana, words that describe what a
company does rather than which company it is, name particles, and numbers written
as words or Roman numerals.
"""

from __future__ import annotations

# Legal forms in scripts rigour's org-type table does not cover, mapped to the same
# generic codes rigour uses ("llc", "jsc"). Longest first so that the longest form
# is removed before its suffixes.
NATIVE_LEGAL_FORMS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        (
            ("股份有限公司", "jsc"),
            ("有限责任公司", "llc"),
            ("有限責任公司", "llc"),
            ("有限公司", "llc"),
            ("集团公司", "llc"),
            ("集團公司", "llc"),
            ("总公司", "llc"),
            ("總公司", "llc"),
            ("公司", "llc"),
            ("株式会社", "jsc"),
            ("有限会社", "llc"),
            ("合同会社", "llc"),
            ("주식회사", "jsc"),
            ("유한회사", "llc"),
            ("(주)", "jsc"),
            ("㈜", "jsc"),
        ),
        key=lambda pair: -len(pair[0]),
    )
)

# Legal-form abbreviations that show up glued to a name ("JSCARGUMENT") or spelled
# out in transliterated Chinese ("you xian gong si"). Only removed as whole tokens.
LATIN_LEGAL_TOKENS: dict[str, str] = {
    "llc": "llc",
    "ltd": "llc",
    "limited": "llc",
    "ooo": "llc",
    "tov": "llc",
    "jsc": "jsc",
    "ojsc": "jsc",
    "cjsc": "jsc",
    "pjsc": "jsc",
    "oao": "jsc",
    "zao": "jsc",
    "pao": "jsc",
    "plc": "jsc",
    "inc": "corp",
    "corp": "corp",
    "corporation": "corp",
    "incorporated": "corp",
    "gmbh": "llc",
    "srl": "llc",
    "pte": "llc",
    "pvt": "llc",
    "fze": "llc",
    "fzco": "llc",
    "fzc": "llc",
    "fzllc": "llc",
    "sarl": "llc",
    "kft": "llc",
    "spa": "jsc",
    "sdn": "llc",
    "bhd": "llc",
    "tbk": "jsc",
    "gongsi": "llc",
    "youxian": "llc",
}

# Transliterated Chinese legal forms, as word sequences, longest first.
PINYIN_LEGAL_FORMS: tuple[tuple[str, ...], ...] = (
    ("gu", "fen", "you", "xian", "gong", "si"),
    ("you", "xian", "ze", "ren", "gong", "si"),
    ("you", "xian", "gong", "si"),
    ("gong", "si"),
)

# Function words that never identify a party.
STOPWORDS: frozenset[str] = frozenset(
    [
        "the",
        "of",
        "and",
        "for",
        "in",
        "at",
        "by",
        "on",
        "de",
        "del",
        "la",
        "le",
        "les",
        "des",
        "du",
        "et",
        "y",
        "da",
        "do",
        "dos",
        "das",
        "von",
        "van",
        "der",
        "den",
        "und",
        "a",
        "an",
    ]
)

# Words that say what kind of business a party is, not which one. They count for
# little and can never carry a match on their own.
_GENERIC_ENGLISH: frozenset[str] = frozenset(
    [
        "company",
        "companies",
        "co",
        "corp",
        "corporation",
        "group",
        "groups",
        "holding",
        "holdings",
        "holdco",
        "trading",
        "trade",
        "traders",
        "trader",
        "international",
        "intl",
        "global",
        "general",
        "industries",
        "industry",
        "industrial",
        "enterprise",
        "enterprises",
        "service",
        "services",
        "solutions",
        "technology",
        "technologies",
        "tech",
        "technical",
        "systems",
        "system",
        "products",
        "product",
        "manufacturing",
        "manufacture",
        "factory",
        "plant",
        "works",
        "import",
        "export",
        "imports",
        "exports",
        "logistics",
        "shipping",
        "transport",
        "transportation",
        "freight",
        "cargo",
        "energy",
        "engineering",
        "electronics",
        "electronic",
        "electric",
        "commercial",
        "commerce",
        "investment",
        "investments",
        "development",
        "management",
        "consulting",
        "supply",
        "supplies",
        "equipment",
        "machinery",
        "partners",
        "associates",
        "agency",
        "office",
        "branch",
        "center",
        "centre",
        "institute",
        "bank",
        "research",
        "science",
        "scientific",
        "production",
        "association",
        "union",
        "organization",
        "organisation",
        "foundation",
        "firm",
        "network",
        "networks",
        "capital",
        "finance",
        "financial",
        "resources",
        "import-export",
        "ventures",
        "venture",
        "worldwide",
        "world",
        "national",
        "state",
        "federal",
        "public",
        "private",
        "limited",
        "joint",
        "stock",
        "open",
        "closed",
        "society",
        "unitary",
        "federal",
        "municipal",
        "new",
        "first",
        "concern",
        "kontsern",
        "npo",
        "npp",
        "npk",
        "nii",
        "fgup",
        "gup",
        "mup",
        "kb",
        "okb",
        "hk",
    ]
) | (STOPWORDS - {"a", "an"})

# Trade and business words that many unrelated companies share, in English and in
# the languages of frequent trading partners (transliterated). They say what a
# company does, not which company it is.
GENERIC_TRADE_WORDS: frozenset[str] = frozenset(
    """
    components component precision instruments instrument materials material
    optoelectronics optoelectronic aerospace automotive parts spare chemical
    chemicals textiles textile plastics plastic packaging pharma pharmaceuticals
    controls control distribution distributors distributor metals metal steel
    devices device sensors tools motors power automation medical software
    telecom marine aviation shipping freight forwarding express cargo foods food
    agro agricultural building construction materials hardware machine machines
    optics optical electrical electro mechanical instrumentation petroleum oil
    gas mining minerals minerals equipments consultancy consultants marketing
    sanayi ticaret sirketi ve dis insaat makina elektrik elektronik otomotiv gida
    tekstil muhendislik lojistik enerji kimya ithalat ihracat pazarlama
    handel handels technik maschinenbau logistik werkzeuge und industrie
    gesellschaft antriebstechnik kunststoff vertrieb anlagenbau
    comercializadora distribuidora industrias comercio industria importadora
    exportadora servicios grupo sociedad maquinados metalurgica alimentos
    equipements societe mecanique meccanica impianti componenti elettronica
    societa tekhnologii tekhnologiya snab komplekt stroy avto torgovyy torgovy
    kompaniya promyshlennaya promyshlennost zavod proizvodstvennaya
    keji maoyi shiye jituan youxian gongsi dianzi jixie
    """.split()
)

# Chinese provinces and large cities, as pinyin syllables. A Chinese company's
# registered name starts with its city (北京, 深圳市), which its English name often
# leaves out or writes "China": when a name in Han script is compared, these and
# "china" count as generic words, neither carrying a match nor sinking one by their
# absence. Han names have them glued into one token. In Latin names they keep
# their weight: "Beijing Institute of Technology" is told apart by its city.
CHINESE_PLACE_SYLLABLES: tuple[str, ...] = tuple(
    """
    bei_jing shang_hai tian_jin chong_qing he_bei shan_xi shaan_xi liao_ning
    ji_lin hei_long_jiang jiang_su zhe_jiang an_hui fu_jian jiang_xi shan_dong
    he_nan hu_bei hu_nan guang_dong hai_nan si_chuan gui_zhou yun_nan gan_su
    qing_hai guang_xi xi_zang ning_xia xin_jiang nei_meng_gu shen_zhen
    guang_zhou hang_zhou nan_jing wu_han cheng_du su_zhou dong_guan fo_shan
    ning_bo qing_dao da_lian xia_men zhu_hai shen_yang ha_er_bin chang_sha
    zheng_zhou ji_nan he_fei fu_zhou kun_ming nan_chang tai_yuan shi_jia_zhuang
    wu_xi chang_zhou nan_tong wen_zhou yan_tai zhong_shan hui_zhou jia_xing
    shao_xing tai_zhou xu_zhou tang_shan bao_tou lan_zhou gui_yang nan_ning
    hai_kou chang_chun quan_zhou wei_hai zi_bo luo_yang mian_yang bao_ding
    yin_chuan xi_ning
    """.split()
)
CHINESE_PLACES: frozenset[str] = frozenset(
    {place.replace("_", "") for place in CHINESE_PLACE_SYLLABLES} | {"china", "harbin"}
)

GENERIC_WORDS: frozenset[str] = _GENERIC_ENGLISH | GENERIC_TRADE_WORDS


# Name particles: present in many names, weak evidence of identity.
PARTICLES: frozenset[str] = frozenset(
    [
        "al",
        "el",
        "bin",
        "ibn",
        "bint",
        "binti",
        "abu",
        "abd",
        "abdul",
        "ben",
        "bat",
        "mac",
        "mc",
    ]
)

# Words that mark a name as an organisation when a query carries no schema.
ORG_MARKERS: frozenset[str] = frozenset(
    [
        "company",
        "companies",
        "corporation",
        "group",
        "holding",
        "holdings",
        "trading",
        "industries",
        "industry",
        "enterprise",
        "enterprises",
        "services",
        "solutions",
        "technology",
        "technologies",
        "systems",
        "manufacturing",
        "factory",
        "plant",
        "works",
        "logistics",
        "shipping",
        "transport",
        "electronics",
        "bank",
        "university",
        "institute",
        "academy",
        "ministry",
        "department",
        "bureau",
        "agency",
        "center",
        "centre",
        "association",
        "organization",
        "organisation",
        "foundation",
        "committee",
        "council",
        "army",
        "navy",
        "force",
        "forces",
        "brigade",
        "battalion",
        "regiment",
        "front",
        "movement",
        "party",
        "airlines",
        "airline",
        "airways",
        "shipyard",
        "laboratory",
        "laboratories",
        "school",
        "college",
        "hospital",
        "fund",
        "trust",
        "network",
        "media",
        "petroleum",
        "oil",
        "gas",
        "energy",
        "mining",
        "chemical",
        "chemicals",
        "pharmaceutical",
        "research",
        "complex",
        "military",
    ]
)

NUMBER_WORDS: dict[str, str] = {
    "zero": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
    "twenty": "20",
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "fifth": "5",
    "sixth": "6",
    "seventh": "7",
    "eighth": "8",
    "ninth": "9",
    "tenth": "10",
}

# Roman numerals of two letters or more; a lone "I", "V" or "X" is more often an
# initial than a number, and "XI" and "VI" are more often names (XI Jinping).
ROMAN_NUMERALS: dict[str, str] = {
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "vii": "7",
    "viii": "8",
    "ix": "9",
    "xii": "12",
    "xiii": "13",
    "xiv": "14",
    "xv": "15",
    "xvi": "16",
    "xvii": "17",
    "xviii": "18",
    "xix": "19",
    "xx": "20",
}

# Common words of Chinese company names, as pinyin syllable pairs, with the English
# word list names use for them, so that a name in Han script can meet its Latin
# trade name ("贸易" mao yi -> trading).
PINYIN_WORDS: dict[tuple[str, str], str] = {
    ("mao", "yi"): "trading",
    ("ke", "ji"): "technology",
    ("ji", "shu"): "technology",
    ("guo", "ji"): "international",
    ("shi", "ye"): "industrial",
    ("gong", "ye"): "industrial",
    ("ji", "tuan"): "group",
    ("dian", "zi"): "electronics",
    ("wu", "liu"): "logistics",
    ("tou", "zi"): "investment",
    ("kai", "fa"): "development",
    ("zhi", "zao"): "manufacturing",
    ("she", "bei"): "equipment",
    ("yu", "hang"): "aerospace",
    ("hang", "tian"): "aerospace",
    ("hang", "kong"): "aviation",
    ("kong", "jian"): "space",
    ("chuang", "xin"): "innovation",
    ("xin", "xi"): "information",
    ("yan", "jiu"): "research",
    ("yi", "qi"): "instruments",
    ("neng", "yuan"): "energy",
    ("hua", "gong"): "chemical",
    ("ji", "xie"): "machinery",
    ("gao", "ke"): "high tech",
    ("zhong", "guo"): "china",
    ("xiang", "gang"): "hk",
}

# The same words written as one word in Latin list names ("GAOKE CHUANGXIN",
# "KEJI YOUXIAN GONGSI"), read as English when a Latin name carries them.
PINYIN_GLUED_WORDS: dict[str, str] = {
    "".join(pair): english
    for pair, english in PINYIN_WORDS.items()
    # Yuhang is also a district of Hangzhou; China and Hong Kong stay places.
    if pair not in (("zhong", "guo"), ("xiang", "gang"), ("yu", "hang"))
}

# Single characters that Chinese company names use for their meaning inside a
# brand ("愛瑪芯" for "IMAXChip", "美星" for "M Star"), read as English in the
# name of an organisation only: in persons' names they are read by sound.
# Unlike concept words these keep their weight: they are part of the brand.
BRAND_CHARACTERS: tuple[tuple[str, str], ...] = (
    ("芯", "chip"), ("星", "star"), ("龙", "dragon"), ("龍", "dragon"),
    ("鹰", "eagle"), ("鷹", "eagle"), ("虎", "tiger"), ("狮", "lion"),
    ("獅", "lion"), ("云", "cloud"), ("雲", "cloud"), ("网", "net"), ("網", "net"),
)  # fmt: skip
BRAND_WORDS: frozenset[str] = frozenset(word for _, word in BRAND_CHARACTERS)

# Place names written out in some names and abbreviated in others.
PHRASES: dict[tuple[str, str], str] = {
    ("hong", "kong"): "hk",
    ("united", "states"): "us",
    ("united", "kingdom"): "uk",
}

# Administrative suffixes after a Chinese place name (市 city, 省 province), which
# Latin forms of the name leave out.
PINYIN_PLACE_SUFFIXES: frozenset[str] = frozenset({"shi", "sheng"})

# -- words of organisation names in other languages ---------------------------------
# A name in Russian, Chinese or Korean script usually translates the words of its
# English list name ("Тульский Оружейный Завод" is "Tula Arms Plant"). These words
# are read as one English concept word on both sides of a comparison; concept
# words count little (`CONCEPT_WORDS`), so a concept in common never makes a match.

# Han and Hangul words, replaced in the native text before transliteration.
NATIVE_CONCEPTS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        (
            ("研究院", "research institute"), ("研究所", "research institute"),
            ("科技", "technology"), ("技术", "technology"), ("技術", "technology"),
            ("科学", "science"), ("科學", "science"), ("贸易", "trading"),
            ("貿易", "trading"), ("国际", "international"), ("國際", "international"),
            ("工业", "industrial"), ("工業", "industrial"), ("实业", "industrial"),
            ("實業", "industrial"), ("电子", "electronics"), ("電子", "electronics"),
            ("空间", "space"), ("空間", "space"), ("航天", "aerospace"),
            ("航空", "aviation"), ("集团", "group"), ("集團", "group"),
            ("发展", "development"), ("發展", "development"), ("投资", "investment"),
            ("投資", "investment"), ("物流", "logistics"), ("进出口", "import export"),
            ("進出口", "import export"), ("设备", "equipment"), ("設備", "equipment"),
            ("仪器", "instruments"), ("儀器", "instruments"), ("能源", "energy"),
            ("化工", "chemical"), ("机械", "machinery"), ("機械", "machinery"),
            ("信息", "information"), ("资讯", "information"), ("通信", "communication"),
            ("半导体", "semiconductor"), ("半導體", "semiconductor"),
            ("光电", "optoelectronics"), ("光電", "optoelectronics"),
            ("精密", "precision"), ("材料", "materials"), ("制造", "manufacturing"),
            ("製造", "manufacturing"), ("工程", "engineering"), ("大学", "university"),
            ("大學", "university"), ("船舶", "shipping"), ("海运", "shipping"),
            ("航运", "shipping"), ("香港", "hk"), ("中国", "china"), ("中國", "china"),
            ("무역", "trading"), ("기술", "technology"), ("산업", "industrial"),
            ("공업", "industrial"), ("전자", "electronics"), ("은행", "bank"),
            ("해운", "shipping"), ("회사", "company"), ("상사", "trading"),
            ("개발", "development"), ("연구소", "research institute"),
            ("연구원", "research institute"), ("그룹", "group"),
            ("국제", "international"), ("화학", "chemical"), ("기계", "machinery"),
            ("항공", "aviation"), ("우주", "space"), ("에너지", "energy"),
            ("건설", "construction"), ("총국", "bureau"),
        ),
        key=lambda pair: -len(pair[0]),
    )
)  # fmt: skip

# Whole transliterated words (Russian, Ukrainian, Turkish, German, Persian and
# Arabic) and English synonyms, with the English concept word.
CONCEPT_WORDS_EXACT: dict[str, str] = {
    "zavod": "plant", "zavoda": "plant", "fabrika": "plant", "kombinat": "plant",
    "werk": "plant", "werke": "plant",
    "fabrik": "plant", "byuro": "bureau", "biuro": "bureau", "tsentr": "center",
    "centr": "center", "gruppa": "group", "nauchno": "scientific",
    "naukovo": "scientific", "sanayi": "industrial", "sanayii": "industrial",
    "ticaret": "trading", "handel": "trading", "handels": "trading",
    "tejarat": "trading", "tijarat": "trading", "tijara": "trading",
    "bazargani": "trading", "sherkat": "company", "shirkat": "company",
    "sharikat": "company", "sharika": "company", "sherkate": "company",
    "technik": "technology", "chemie": "chemical", "forschung": "research",
    "insaat": "construction", "kimya": "chemical", "enerji": "energy",
    "teknoloji": "technology", "savunma": "defense", "havacilik": "aviation",
    "makina": "machinery", "sanaye": "industrial", "sanat": "industrial",
    "naft": "oil", "neft": "oil",
}  # fmt: skip

# English words list names use for one concept; two members of a group match.
SYNONYM_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"plant", "factory", "works"}),
    frozenset({"arms", "weapons", "armaments", "weapon"}),
    frozenset({"center", "centre"}),
    frozenset({"technology", "technologies", "tech", "technological"}),
    frozenset({"industrial", "industry", "industries"}),
    frozenset({"chemical", "chemicals"}),
    frozenset({"defense", "defence"}),
)
SYNONYMS: dict[str, int] = {
    word: number for number, group in enumerate(SYNONYM_GROUPS) for word in group
}

# Stems of inflected transliterated words (five letters or more), longest first
# when two apply.
CONCEPT_STEMS: dict[str, str] = {
    "oruzh": "arms", "vooruzh": "arms", "issledovat": "research",
    "doslidn": "research", "proizvodstv": "production", "vyrobnych": "production",
    "obedinen": "association", "obyedinen": "association", "obiednan": "association",
    "obyednan": "association", "institut": "institute", "tekhnolog": "technology",
    "tekhnich": "technical", "khimich": "chemical", "khimii": "chemical",
    "mashinostro": "engineering", "priborostro": "instruments",
    "konstruktor": "design", "aviatsion": "aviation", "aviatsii": "aviation",
    "kosmich": "space", "raketn": "missile", "yadern": "nuclear",
    "energetich": "energy", "gosudarstv": "state", "derzhavn": "state",
    "federaln": "federal", "natsionaln": "national", "mezhdunarodn": "international",
    "torgov": "trading", "kompani": "company", "korporats": "corporation",
    "ministerstv": "ministry", "universitet": "university", "akademi": "academy",
    "laborator": "laboratory", "elektron": "electronics", "mekhanich": "mechanical",
    "sudostroit": "shipbuilding", "imperatorsk": "imperial", "promyshlen": "industrial",
    "stroitel": "construction", "neftyan": "oil", "muhendis": "engineering",
    "mohandes": "engineering", "pezhuhesh": "research", "tahqiqat": "research",
    "sazeman": "organization", "sazman": "organization", "daneshgah": "university",
    "maschinenbau": "engineering",
}  # fmt: skip

CONCEPT_WORDS: frozenset[str] = frozenset(
    word
    for table in (CONCEPT_WORDS_EXACT, CONCEPT_STEMS, dict(NATIVE_CONCEPTS))
    for phrase in table.values()
    for word in phrase.split()
    if word not in ("china", "hk")
) | frozenset(SYNONYMS)

# Russian and Ukrainian organisation types spelled out in English (or read as
# English concept words from Russian), with the acronym list names use for them.
ORG_ACRONYMS: dict[tuple[str, ...], str] = {
    ("scientific", "production", "association"): "npo",
    ("research", "production", "association"): "npo",
    ("scientific", "production", "enterprise"): "npp",
    ("research", "production", "enterprise"): "npp",
    ("scientific", "production", "company"): "npk",
    ("scientific", "production", "corporation"): "npk",
    ("research", "production", "corporation"): "npk",
    ("scientific", "production", "complex"): "npk",
    ("scientific", "research", "institute"): "nii",
    ("experimental", "design", "bureau"): "okb",
    ("design", "bureau"): "kb",
    ("federal", "state", "unitary", "enterprise"): "fgup",
    ("state", "unitary", "enterprise"): "gup",
}
