"""Turn the country names that lists write into ISO 3166 alpha-2 codes."""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from importlib import resources

_DATA = "exodus.data.reference.countries"

# Spellings and demonyms the bundled lists use that ISO and EAR names do not cover.
# fmt: off
_EXTRA_NAMES: dict[str, str] = {
    "russia": "RU", "russian": "RU", "iran": "IR", "iranian": "IR",
    "north korea": "KP", "dprk": "KP", "korea north": "KP", "north korean": "KP",
    "democratic peoples republic of korea": "KP", "korea dprk": "KP",
    "south korea": "KR", "korea south": "KR", "republic of korea": "KR",
    "korea": "KR", "syria": "SY", "syrian": "SY", "burma": "MM",
    "laos": "LA", "vietnam": "VN", "viet nam": "VN", "moldova": "MD",
    "bolivia": "BO", "venezuela": "VE", "venezuelan": "VE", "tanzania": "TZ",
    "taiwan": "TW", "macau": "MO", "macao": "MO", "palestinian": "PS",
    "palestine": "PS", "west bank": "PS", "gaza": "PS", "gaza strip": "PS",
    "palestinian territories": "PS", "occupied palestinian territory": "PS",
    "kosovo": "XK", "turkey": "TR", "turkish": "TR", "turkiye": "TR",
    "czech republic": "CZ", "ivory coast": "CI", "cote divoire": "CI",
    "cote d ivoire": "CI",
    "uk": "GB", "great britain": "GB", "england": "GB", "britain": "GB",
    "british": "GB", "usa": "US", "united states of america": "US", "us": "US",
    "american": "US", "congo democratic republic": "CD", "drc": "CD",
    "democratic republic of the congo": "CD", "democratic republic of congo": "CD",
    "congo kinshasa": "CD", "republic of the congo": "CG", "congo brazzaville": "CG",
    "congo": "CG", "brunei": "BN", "cape verde": "CV", "swaziland": "SZ",
    "micronesia": "FM", "vatican": "VA", "holy see": "VA", "east timor": "TL",
    "crimea": "UA", "region crimea": "UA", "region gaza": "PS",
    "region west bank": "PS", "hong kong sar": "HK", "uae": "AE",
    "the netherlands": "NL", "holland": "NL", "bosnia": "BA",
    "bosnia herzegovina": "BA", "macedonia": "MK", "north macedonia": "MK",
    "former yugoslav republic of macedonia": "MK", "serbia and montenegro": "RS",
    "yugoslavia": "RS", "federal republic of yugoslavia": "RS", "kirghizia": "KG",
    "kyrgyz republic": "KG", "slovak republic": "SK", "libyan arab jamahiriya": "LY",
    "st kitts and nevis": "KN", "saint kitts": "KN", "st lucia": "LC",
    "st vincent and the grenadines": "VC", "trinidad": "TT", "the bahamas": "BS",
    "the gambia": "GM", "gambia the": "GM", "bahamas the": "BS",
    "sao tome": "ST", "curacao": "CW", "russian federation": "RU",
    # Demonyms, as the UK list writes nationalities.
    "afghan": "AF", "tunisian": "TN", "iraqi": "IQ", "indonesian": "ID",
    "algerian": "DZ", "pakistani": "PK", "saudi arabian": "SA", "saudi": "SA",
    "somali": "SO", "malian": "ML", "egyptian": "EG", "filipino": "PH",
    "philippine": "PH", "libyan": "LY", "yemeni": "YE", "jordanian": "JO",
    "moroccan": "MA", "kuwaiti": "KW", "chinese": "CN", "lebanese": "LB",
    "sudanese": "SD", "kenyan": "KE", "nigerian": "NG", "german": "DE",
    "french": "FR", "italian": "IT", "spanish": "ES", "belgian": "BE",
    "dutch": "NL", "danish": "DK", "swedish": "SE", "norwegian": "NO",
    "bosnian": "BA", "mauritanian": "MR", "qatari": "QA", "bahraini": "BH",
    "emirati": "AE", "omani": "OM", "ethiopian": "ET", "eritrean": "ER",
    "ugandan": "UG", "rwandan": "RW", "congolese": "CD", "zimbabwean": "ZW",
    "ivorian": "CI", "liberian": "LR", "sierra leonean": "SL", "guinean": "GN",
    "senegalese": "SN", "nigerien": "NE", "chadian": "TD", "cameroonian": "CM",
    "south sudanese": "SS", "central african": "CF", "belarusian": "BY",
    "belarussian": "BY", "ukrainian": "UA", "uzbek": "UZ", "tajik": "TJ",
    "kazakh": "KZ", "kyrgyz": "KG", "turkmen": "TM", "azerbaijani": "AZ",
    "georgian": "GE", "armenian": "AM", "bangladeshi": "BD", "indian": "IN",
    "sri lankan": "LK", "nepalese": "NP", "malaysian": "MY", "singaporean": "SG",
    "thai": "TH", "vietnamese": "VN", "burmese": "MM", "myanmar": "MM",
    "australian": "AU", "canadian": "CA", "mexican": "MX", "colombian": "CO",
    "peruvian": "PE", "brazilian": "BR", "argentinian": "AR", "cuban": "CU",
    "nicaraguan": "NI", "guatemalan": "GT", "haitian": "HT", "panamanian": "PA",
    "israeli": "IL", "cypriot": "CY", "greek": "GR", "swiss": "CH",
    "austrian": "AT", "irish": "IE", "portuguese": "PT", "polish": "PL",
    "romanian": "RO", "bulgarian": "BG", "serbian": "RS", "croatian": "HR",
    "albanian": "AL", "macedonian": "MK", "montenegrin": "ME", "kosovar": "XK",
    "djiboutian": "DJ", "comoran": "KM", "tanzanian": "TZ", "mozambican": "MZ",
    "south african": "ZA", "ghanaian": "GH", "burkinabe": "BF", "gambian": "GM",
    "maldivian": "MV", "trinidadian": "TT", "jamaican": "JM", "japanese": "JP",
    "korean": "KR", "new zealander": "NZ", "finnish": "FI", "estonian": "EE",
    "latvian": "LV", "lithuanian": "LT", "hungarian": "HU", "czech": "CZ",
    "slovak": "SK", "slovenian": "SI", "moldovan": "MD", "emirian": "AE",
}
# fmt: on

_PUNCT = re.compile(r"[^a-z0-9 ]+")
_SPACE = re.compile(r"\s+")
_PAREN = re.compile(r"\([^)]*\)")
# "(1) Saudi Arabia (2) Qatar" and "1) Iraq 2) Syria", as the UK list numbers values.
_NUMBERED = re.compile(r"\(?\b\d{1,2}\)\s*")


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    folded = folded.replace("&", " and ").replace("'", "").replace("\u2019", "")
    folded = _SPACE.sub(" ", _PUNCT.sub(" ", folded)).strip()
    return folded.removeprefix("the ")


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], frozenset[str], dict[str, str]]:
    """Return (name key -> alpha-2, the alpha-2 set, alpha-3 -> alpha-2)."""
    names: dict[str, str] = {}
    alpha2: set[str] = set()
    alpha3: dict[str, str] = {}
    for row in _read_csv("iso3166_1.csv"):
        code = row["alpha_2"]
        alpha2.add(code)
        alpha3[row["alpha_3"]] = code
        for column in ("name", "official_name", "common_name"):
            _add_name(names, row.get(column) or "", code)
    for row in _read_csv("ear_country_name_to_iso2.csv"):
        _add_name(names, row["ear_country_name"], row["iso_alpha_2"])
    alpha2.add("XK")  # Kosovo: user-assigned, used by OFAC, EU and the EAR
    for name, code in _EXTRA_NAMES.items():
        names[_key(name)] = code
    return names, frozenset(alpha2), alpha3


def _add_name(names: dict[str, str], name: str, code: str) -> None:
    if not name:
        return
    names.setdefault(_key(name), code)
    # "Korea, Republic of" is also written "Republic of Korea".
    if ", " in name:
        head, _, tail = name.partition(", ")
        names.setdefault(_key(f"{tail} {head}"), code)
        names.setdefault(_key(head), code)


@lru_cache(maxsize=8192)
def to_iso2(value: str | None) -> str | None:
    """Return the ISO alpha-2 code for a country name or code, None if unknown.

    Accepts alpha-2 and alpha-3 codes, ISO and EAR names, common spellings
    and demonyms; text around a name ("Afghanistan (previous address)",
    "In Syria as at June 2013") is tolerated.
    """
    text = (value or "").strip().strip(".,;")
    if not text:
        return None
    names, alpha2, alpha3 = _tables()
    upper = text.upper()
    if len(text) == 2 and upper in alpha2:
        return upper
    if len(text) == 3 and text.isupper() and upper in alpha3:
        return alpha3[upper]
    key = _key(text)
    if key in names:
        return names[key]
    stripped = _key(_PAREN.sub(" ", text))
    if stripped in names:
        return names[stripped]
    if ", " in text:
        # "Man, Isle of" is "Isle of Man".
        head, _, tail = text.partition(", ")
        inverted = _key(f"{tail} {head}")
        if inverted in names:
            return names[inverted]
    return _scan_words(stripped, names)


def _scan_words(key: str, names: dict[str, str]) -> str | None:
    """Return the code of the longest country name found inside the text."""
    words = key.split()
    for size in range(min(6, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            candidate = " ".join(words[start : start + size])
            if len(candidate) >= 4 and candidate in names:
                return names[candidate]
    return None


def countries_in(value: str | None) -> tuple[str, ...]:
    """Return every country named in a field that may hold several values.

    Splits "(1) Saudi Arabia (2) Qatar", "Iraq; Syria" and "Iraq, Syria"
    forms; a part that names no country is skipped.
    """
    text = (value or "").strip()
    if not text:
        return ()
    whole = to_iso2(text) if not _NUMBERED.search(text) else None
    if whole and "," not in text and ";" not in text:
        return (whole,)
    parts = re.split(r"[;/]|\(?\b\d{1,2}\)\s*", text)
    found: list[str] = []
    for part in parts:
        code = to_iso2(part)
        if code is None and "," in part:
            found.extend(c for c in (to_iso2(p) for p in part.split(",")) if c)
        elif code:
            found.append(code)
    if not found and whole:
        found.append(whole)
    return tuple(dict.fromkeys(found))
