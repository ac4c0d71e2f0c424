"""Word lists and code tables the red flags read.

Sources: 15 CFR Part 732 Supp. No. 3 and the BIS red-flag page (forwarders, banks
and trading houses as consignees); FinCEN/BIS alerts of 2022 and 2023 and the
Tri-Seal note of 2023 (hubs, free trade zones); the Iran UAV advisory of June 2023
(component kinds and HS headings); the CCL (15 CFR 774) and USML (22 CFR 121) for
sensitive families; the Harmonized System chapter titles for what a description may
plausibly cover.
"""

from __future__ import annotations

import re

# RT-03: hubs used for diversion to Iran, Syria, North Korea or Chinese military end users.
DIVERSION_HUBS = frozenset(
    {"AE", "HK", "SG", "TR", "MY", "CN", "MO", "AM", "GE", "KZ", "KG", "UZ", "TJ", "OM"}
)

# DOC-07: Central America, the Caribbean and West Africa.
ARMS_TRAFFICKING_REGION = frozenset(
    {
        "GT",
        "HN",
        "SV",
        "NI",
        "BZ",
        "CR",
        "PA",
        "HT",
        "DO",
        "JM",
        "TT",
        "BS",
        "BB",
        "LC",
        "VC",
        "GD",
        "AG",
        "KN",
        "DM",
        "CU",
        "NG",
        "GH",
        "SL",
        "LR",
        "GN",
        "CI",
        "SN",
        "GM",
        "TG",
        "BJ",
    }
)

_INTERMEDIARY = {
    "forwarder": (
        "freight",
        "forwarding",
        "forwarder",
        "logistics",
        "logistic",
        "cargo",
        "shipping",
        "express",
        "courier",
        "transport",
        "transit",
        "delivery",
        "parcel",
        "consolidator",
    ),
    # FZE/FZCO are free-zone legal forms, not trades: the free-zone flag reads them.
    "trading house": ("trading", "impex", "procurement", "sourcing"),
    "bank": ("bank", "banque", "banca", "bancorp"),
}

_RESIDENTIAL = re.compile(
    r"\b(apt|apartment|flat|unit \d+[a-z]?\b.*\bres|residence|residential|house no|room \d|kv\.?|kvartira|"
    r"villa|dormitory|p\.?o\.? box|c/o)\b",
    re.IGNORECASE,
)

_FREE_ZONES = {
    "JAFZA": r"jafza|jebel ali free",
    "DAFZA": r"dafza|dubai airport free",
    "SAIF": r"\bsaif\b|sharjah airport",
    "Hamriyah": r"hamriyah",
    "RAKEZ": r"rakez|ras al khaimah economic",
    "free zone": r"free (trade )?zone",
    "FZE/FZCO": r"\bfz(e|co|c|llc)\b",
    "DMCC": r"\bdmcc\b",
}

# CM-02: inherently sensitive families by ECCN prefix or pattern.
_SENSITIVE_ECCN = (
    (re.compile(r"^\d[A-E]6\d\d"), "a 600-series military item"),
    (re.compile(r"^9[A-E]515"), "a 9x515 spacecraft item"),
    (re.compile(r"^[34][A-E]090"), "an advanced-computing item"),
    (re.compile(r"^1C(010|210)"), "carbon fibre"),
    (re.compile(r"^2B(230|231|350)"), "nuclear or chemical production equipment"),
    (re.compile(r"^6A003"), "a thermal imager"),
    (re.compile(r"^0A50[1-5]"), "a firearm, part or ammunition"),
    (re.compile(r"^0A98[1-5]|^1A984"), "a crime-control item"),
    (re.compile(r"^1C35[01]"), "a chemical or biological precursor"),
    (re.compile(r"^3A001\.?B\.?2"), "an MMIC amplifier"),
    (re.compile(r"^6A001"), "an acoustic (sonar, hydrophone) item"),
    (re.compile(r"^2B00[1-9]"), "a precision machine tool"),
)
_SENSITIVE_USML = re.compile(r"^(I|II|III|IV|XI|XII|XV|XXI)\b")

# AT-only and mass-market entries: listed on the CCL but licensed to very few places.
_AT_ONLY = re.compile(r"^\d[A-E]99\d|^5A992|^5D992|^9A991")

# DOC-03: HS prefixes under which controlled items are usually classified. Computers,
# processors and GNSS receivers are left out: most declared under them are EAR99,
# mass-market 5A992 or AT-only 7A994, so NLR there says little (the CHPL and UAV
# flags and the ECCN rules still see them).
_SENSITIVE_HS = (
    ("901320", "lasers"),
    ("852589", "thermal and night-vision cameras"),
    ("900590", "night-vision devices"),
    ("901480", "hydrophones and navigation instruments"),
    ("902620", "pressure transducers"),
    ("681511", "carbon fibres"),
    ("681512", "carbon-fibre fabrics"),
    ("381800", "doped wafers"),
    ("8456", "laser and machining tools"),
    ("8457", "machining centres"),
    ("8458", "lathes"),
    ("8459", "milling machines"),
    ("8486", "semiconductor manufacturing equipment"),
    ("880730", "aircraft parts"),
    ("8803", "aircraft parts"),
    ("8806", "unmanned aircraft"),
    ("9301", "military weapons"),
    ("9302", "revolvers and pistols"),
    ("9303", "firearms"),
    ("9305", "firearm parts"),
    ("9306", "ammunition"),
    ("8710", "armoured vehicles"),
    # 8A992 (AT): vessels, marine systems and equipment not controlled by 8A001 or
    # 8A002, their engines, drives and propellers.
    ("8901", "vessels"),
    ("8902", "vessels"),
    ("8904", "vessels"),
    ("8905", "vessels"),
    ("8906", "vessels"),
    ("8903", "boats and yachts"),
    ("840721", "outboard marine engines"),
    ("840729", "marine engines and drives"),
    ("840810", "marine engines and drives"),
    ("848710", "ship propellers"),
)
# Families of _SENSITIVE_HS whose goods the CCL lists for anti-terrorism reasons only
# (9A991 civil aircraft parts, 8A992 marine equipment): a license is needed for
# Iran, North Korea and Syria, the very destinations RT-03 hubs divert to.
_AT_ONLY_HS_FAMILIES = frozenset(
    {
        "aircraft parts",
        "vessels",
        "boats and yachts",
        "outboard marine engines",
        "marine engines and drives",
        "ship propellers",
    }
)

# CM-03: kinds of components found in Iranian UAVs, by HS prefix.
_UAV = (
    ("854231", "processors, controllers and FPGAs"),
    ("854239", "integrated circuits"),
    ("851762", "RF transceivers"),
    ("852691", "GNSS/navigation modules"),
    ("853221", "capacitors"),
    ("853224", "capacitors"),
    ("850110", "servomotors"),
    ("850131", "servomotors"),
    ("840710", "small aircraft engines"),
    ("840790", "small piston engines"),
    ("880730", "drone parts"),
    ("8806", "unmanned aircraft"),
)

_GENERIC = {
    "goods",
    "good",
    "item",
    "items",
    "parts",
    "part",
    "equipment",
    "components",
    "component",
    "products",
    "product",
    "merchandise",
    "materials",
    "material",
    "supplies",
    "accessories",
    "purchases",
    "general",
    "various",
    "misc",
    "miscellaneous",
    "stuff",
    "cargo",
    "samples",
    "sample",
    "gift",
    "gifts",
    "articles",
    "business",
    "industrial",
    "commodities",
    "assorted",
    "consignment",
    "shipment",
    "use",
    "buyers",
    "buyer",
    "company",
    "companies",
    "customers",
    "customer",
    "spare",
    "spares",
    "kit",
    "for",
    "of",
    "and",
    "the",
    "a",
    "in",
    "to",
    "other",
    "new",
    "used",
    "presented",
    "as",
    "with",
    "electronic",
    "metal",
    "household",
    "personal",
    "effects",
}
# Cover wordings and the HS chapters (2 digits) they can honestly describe.
_COVER: tuple[tuple[str, set[str]], ...] = (
    ("clothing", {"61", "62", "63"}),
    ("apparel", {"61", "62"}),
    ("gift", {"95", "71", "96", "49"}),
    ("toy", {"95"}),
    ("sporting goods", {"95"}),
    ("metal parts", {"72", "73", "74", "76", "82", "83"}),
    ("computer parts", {"84"}),
    ("household goods", {"94", "73", "69", "70", "39", "63", "98"}),
    ("personal effects", {"98", "63", "94"}),
    ("auto parts", {"87", "84", "40"}),
    ("machine parts", {"84"}),
    ("spare parts", {"84", "85", "87", "88"}),
    ("samples", set()),
)
_HOUSEHOLD = re.compile(
    r"household|personal effects|used (car|vehicle|clothing)|furniture|toys", re.IGNORECASE
)


def intermediary_kind(name: str) -> str | None:
    """Return forwarder, trading house or bank when a party's name says so."""
    text = f" {' '.join(re.findall(r'[a-z0-9]+', name.lower()))} "
    for kind, words in _INTERMEDIARY.items():
        if any(f" {w} " in text for w in words):
            return kind
    return None


def looks_residential(address: str) -> bool:
    return bool(_RESIDENTIAL.search(address))


def free_zone(text: str) -> str | None:
    lowered = text.lower()
    return next(
        (zone for zone, pattern in _FREE_ZONES.items() if re.search(pattern, lowered)),
        None,
    )


def is_at_only(eccn: str) -> bool:
    return bool(_AT_ONLY.match(eccn.upper()))


def sensitive_family(eccn: str | None, usml: str | None) -> str | None:
    """Return the sensitive family of an ECCN or USML category, or None."""
    if usml:
        return (
            "a defense article (USML)"
            if _SENSITIVE_USML.match(usml.upper().replace("CAT. ", ""))
            else None
        )
    code = (eccn or "").upper()
    if not code or code == "EAR99" or is_at_only(code):
        return None
    for pattern, family in _SENSITIVE_ECCN:
        if pattern.match(code):
            return family
    return None


def sensitive_hs(schedule_b: str) -> str | None:
    return next(
        (family for prefix, family in _SENSITIVE_HS if schedule_b.startswith(prefix)),
        None,
    )


def hs_control_level(family: str) -> str:
    """Return "at-only" for a _SENSITIVE_HS family controlled for AT only, else "controlled"."""
    return "at-only" if family in _AT_ONLY_HS_FAMILIES else "controlled"


def uav_component(schedule_b: str) -> str | None:
    return next((kind for prefix, kind in _UAV if schedule_b.startswith(prefix)), None)


def household_goods(description: str, schedule_b: str) -> bool:
    return bool(_HOUSEHOLD.search(description)) or schedule_b.startswith(
        ("9403", "9801", "9802", "8703")
    )


_DEMONYMS = {
    "american",
    "german",
    "turkish",
    "chinese",
    "russian",
    "iranian",
    "emirati",
    "swiss",
    "british",
    "french",
    "italian",
    "spanish",
    "dutch",
    "belgian",
    "polish",
    "bulgarian",
    "greek",
    "indian",
    "pakistani",
    "japanese",
    "korean",
    "taiwanese",
    "malaysian",
    "singaporean",
    "canadian",
    "mexican",
    "brazilian",
    "european",
    "asian",
    "armenian",
    "georgian",
    "kazakh",
    "uzbek",
    "kyrgyz",
    "serbian",
    "israeli",
    "syrian",
    "iraqi",
    "afghan",
    "foreign",
    "local",
    "domestic",
    "overseas",
    "international",
}


# Words that make a purpose clause name who gets the goods rather than what they are.
_RECIPIENTS = {
    "company", "companies", "buyer", "buyers", "customer", "customers", "client", "clients",
    "user", "users", "firm", "firms", "partner", "partners", "business", "purchaser", "purchasers",
}


def _names_goods(words: list[str]) -> bool:
    return any(w not in _GENERIC and w not in _RECIPIENTS and len(w) >= 3 for w in words)


def description_problem(description: str, schedule_b: str) -> str | None:
    """Say why a description does not describe goods of its HS code, or None.

    A generic head ("goods", "articles and equipment") is enough when the clause
    after it names the kind of goods ("for physical exercise"), not when it only
    names who gets them ("for Turkish buyers").
    """
    text = description.lower().strip()
    head, _, purpose = _split_purpose(text)
    words = [w for w in re.findall(r"[a-z]+", head) if w not in _DEMONYMS]
    if not _names_goods(words):
        said = [w for w in re.findall(r"[a-z]+", purpose) if w not in _DEMONYMS]
        if not _names_goods(said) or set(said) & _RECIPIENTS:
            return GENERIC_PROBLEM
    chapter = schedule_b[:2]
    for phrase, chapters in _COVER:
        if phrase in text and chapter not in chapters:
            return f"is a cover wording ('{phrase}') that does not fit HS chapter {chapter}"
    return None


GENERIC_PROBLEM = "names no goods (a generic wording)"
_PURPOSE = re.compile(r"\bfor\b|\bpresented as\b|\bto be used\b")


def _split_purpose(text: str) -> tuple[str, str, str]:
    """Return the goods part of a description, the separator and the purpose part."""
    match = _PURPOSE.search(text)
    if match is None:
        return text, "", ""
    return text[: match.start()], match.group(0), text[match.end():]


def parcel_forwarder(name: str) -> bool:
    text = name.lower()
    return bool(
        re.search(
            r"package forward|parcel forward|mail forward|personal shopper|shop ?and ?ship|"
            r"reship|forwarding address|\bmailbox",
            text,
        )
    )
