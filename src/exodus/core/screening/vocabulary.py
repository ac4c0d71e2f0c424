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
}

# Transliterated Chinese legal forms, as word sequences, longest first.
PINYIN_LEGAL_FORMS: tuple[tuple[str, ...], ...] = (
    ("gu", "fen", "you", "xian", "gong", "si"),
    ("you", "xian", "ze", "ren", "gong", "si"),
    ("you", "xian", "gong", "si"),
    ("gong", "si"),
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
)

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
GENERIC_WORDS: frozenset[str] = _GENERIC_ENGLISH | GENERIC_TRADE_WORDS

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

# Place names written out in some names and abbreviated in others.
PHRASES: dict[tuple[str, str], str] = {
    ("hong", "kong"): "hk",
    ("united", "states"): "us",
    ("united", "kingdom"): "uk",
}

# Administrative suffixes after a Chinese place name (市 city, 省 province), which
# Latin forms of the name leave out.
PINYIN_PLACE_SUFFIXES: frozenset[str] = frozenset({"shi", "sheng"})
