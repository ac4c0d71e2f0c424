"""Measure Exodus name screening against two public baselines.

Run:  python benchmarks/screening_benchmark.py [--names 100000] [--skip-nomenklatura]

Prints, for the public match pairs (data/lists/match_pairs_public.csv):
  * pairwise mode: each query compared with its list name only;
  * screening mode: queries whose list name is on the bundled lists, screened
    against all bundled lists; a pair counts as found when a hit lands on an
    entity carrying that list name (any of its names);
for Exodus at its default threshold, plain rapidfuzz token_sort_ratio >= 85 and
nomenklatura's logic-v2 >= 0.7 (its own documented threshold). Then throughput on
generated party names: names/s, index build time and peak memory, with a rapidfuzz
extractOne scan over all list names for comparison.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import string
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from exodus.core.lists.model import ListEntity
from exodus.core.screening import (
    DEFAULT_THRESHOLD,
    QueryParty,
    ScreeningIndex,
    match_names,
)

PAIRS = Path("/work/shared/data/lists/match_pairs_public.csv")
RAPIDFUZZ_CUT = 85  # token_sort_ratio, 0..100: a common vendor default
NOMENKLATURA_CUT = 0.7  # logic-v2's documented match threshold


# -- data -------------------------------------------------------------------------


def load_entities() -> list[ListEntity]:
    """Read every bundled list the product screens against."""
    from exodus.core.lists import load_bundled, read_list
    from exodus.core.lists.registry import DATA_DIR

    try:
        releases = load_bundled()
    except Exception as exc:  # noqa: BLE001 - fall back to the files that exist
        print(f"note: load_bundled failed ({exc}); reading the bundled files present")
        releases = []
        for path in sorted(DATA_DIR.rglob("*")):
            if path.is_file() and path.suffix in (".json", ".xml", ".txt", ".csv"):
                if "sample" in path.name or "subset" in path.name:
                    continue
                if path.parent.name == "ofac" and path.name != "cons_prim.csv":
                    continue
                try:
                    releases.append(read_list(path))
                except Exception as err:  # noqa: BLE001
                    print(f"note: skipped {path.name}: {err}")
    return [entity for release in releases for entity in release.entities]


@dataclass
class Pair:
    query: str
    list_name: str
    should_match: bool
    kind: str


def load_pairs() -> list[Pair]:
    """Read the public match pairs."""
    with PAIRS.open(encoding="utf-8") as handle:
        return [
            Pair(r["query"], r["list_name"], r["should_match"] == "1", r["kind"])
            for r in csv.DictReader(handle)
        ]


def _plain(name: str) -> str:
    return " ".join(name.casefold().split())


# -- metrics ----------------------------------------------------------------------


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self, label: str) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return (
            f"  {label:<44} precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}"
            f"   (tp {self.tp} fp {self.fp} fn {self.fn} tn {self.tn})"
        )


# -- baselines --------------------------------------------------------------------


def rapidfuzz_pair(a: str, b: str) -> bool:
    return fuzz.token_sort_ratio(a, b, processor=utils.default_process) >= RAPIDFUZZ_CUT


class Nomenklatura:
    """nomenklatura's logic-v2 matcher, run in-process and offline."""

    def __init__(self) -> None:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig

        self.model = model
        self.algorithm = get_algorithm("logic-v2")
        self.config = ScoringConfig.defaults()
        self.count = 0

    def entity(self, names: Iterable[str], schema: str = "LegalEntity"):
        proxy = self.model.make_entity(schema)
        self.count += 1
        proxy.id = f"q{self.count}"
        for name in names:
            proxy.add("name", name)
        return proxy

    def score(self, query: str, names: Iterable[str]) -> float:
        result = self.algorithm.compare(
            self.entity([query]), self.entity(names), self.config
        )
        return float(result.score)


def load_nomenklatura(skip: bool) -> Nomenklatura | None:
    if skip:
        print("nomenklatura: skipped on request")
        return None
    try:
        return Nomenklatura()
    except Exception as exc:  # noqa: BLE001 - report and go on without it
        print(
            f"nomenklatura: NOT AVAILABLE ({exc}); install with pip install -e '.[bench]'"
        )
        return None


# -- modes ------------------------------------------------------------------------


def pairwise(pairs: list[Pair], index: ScreeningIndex, nk: Nomenklatura | None) -> None:
    print(
        "\n== Pairwise mode: query vs its list name only "
        f"({len(pairs)} pairs, {sum(p.should_match for p in pairs)} should match)"
    )
    plain, listed, fuzzy, nomen = Score(), Score(), Score(), Score()
    scores = []
    for pair in pairs:
        plain.add(match_names(pair.query, pair.list_name).match, pair.should_match)
        result = index.match(pair.query, pair.list_name)
        listed.add(result.match, pair.should_match)
        scores.append(result.score)
        fuzzy.add(rapidfuzz_pair(pair.query, pair.list_name), pair.should_match)
        if nk is not None:
            got = nk.score(pair.query, [pair.list_name]) >= NOMENKLATURA_CUT
            nomen.add(got, pair.should_match)
    print(listed.line(f"Exodus ScreeningIndex.match >= {DEFAULT_THRESHOLD}"))
    print(plain.line(f"Exodus match_names (no lists) >= {DEFAULT_THRESHOLD}"))
    print(fuzzy.line(f"rapidfuzz token_sort_ratio >= {RAPIDFUZZ_CUT}"))
    if nk is not None:
        print(nomen.line(f"nomenklatura logic-v2 >= {NOMENKLATURA_CUT}"))
    print(
        "  (ScreeningIndex.match weighs tokens by rarity on the lists and, when the "
        "list name is on the lists,\n   compares the query with every name of the "
        "parties that carry it; match_names compares the two strings alone)"
    )
    split_half(pairs, scores, "pairwise")


def split_half(pairs: list[Pair], scores: list[float], mode: str) -> None:
    """Tune a threshold on one half of the pairs and report it on the other half.

    Guards against a threshold fitted to these pairs: the halves are drawn at
    random (fixed seed), the threshold is the one with the best F1 at precision
    0.95 or more on the tuning half, and both it and the default are reported
    on the held-out half.
    """
    order = list(range(len(pairs)))
    random.Random(13).shuffle(order)
    halves = (order[: len(order) // 2], order[len(order) // 2 :])
    cuts = [c / 100 for c in range(50, 100)]
    for name, (tune, held) in (("A->B", halves), ("B->A", halves[::-1])):
        best_cut, best_f1 = DEFAULT_THRESHOLD, -1.0
        for cut in cuts:
            tally = Score()
            for i in tune:
                tally.add(scores[i] >= cut, pairs[i].should_match)
            if tally.precision >= 0.95 and tally.f1 > best_f1:
                best_cut, best_f1 = cut, tally.f1
        tuned, default = Score(), Score()
        for i in held:
            tuned.add(scores[i] >= best_cut, pairs[i].should_match)
            default.add(scores[i] >= DEFAULT_THRESHOLD, pairs[i].should_match)
        print(f"  split half {name} ({mode}): threshold tuned on one half {best_cut:.2f}")
        print("  " + tuned.line(f"held-out half at tuned {best_cut:.2f}"))
        print("  " + default.line(f"held-out half at default {DEFAULT_THRESHOLD}"))


def screening(
    pairs: list[Pair],
    entities: list[ListEntity],
    index: ScreeningIndex,
    nk: Nomenklatura | None,
    show_misses: bool,
) -> None:
    by_name: dict[str, set[str]] = {}
    for entity in entities:
        for name in entity.all_names():
            by_name.setdefault(_plain(name), set()).add(entity.id)
    usable = [p for p in pairs if _plain(p.list_name) in by_name]
    print(
        f"\n== Screening mode: {len(usable)} pairs whose list name is on the bundled "
        f"lists ({sum(p.should_match for p in usable)} should match), screened "
        f"against {len(entities)} entities"
    )

    names, owners = [], []
    for entity in entities:
        for name in dict.fromkeys(entity.all_names()):
            names.append(name)
            owners.append(entity.id)
    processed = [utils.default_process(n) for n in names]
    by_id = {e.id: e for e in entities}

    sweep = {t / 100: Score() for t in range(60, 100, 5)}
    exodus, fuzzy, nomen = Score(), Score(), Score()
    scores = []
    for pair in usable:
        targets = by_name[_plain(pair.list_name)]
        # The figure at the default threshold comes from a screen at that
        # threshold (retrieval depends on it); the sweep from a screen at 0.
        found = _on_target(index.screen(pair.query), targets)
        exodus.add(bool(found), pair.should_match)
        found = _on_target(index.screen(pair.query, threshold=0.0, limit=50), targets)
        best = max((h.score for h in found), default=0.0)
        scores.append(best)
        for cut, score in sweep.items():
            score.add(best >= cut, pair.should_match)
        if show_misses and (best >= DEFAULT_THRESHOLD) != pair.should_match:
            label = "FP" if pair.should_match is False else "FN"
            top = found[0].explanation if found else "no hit on the target"
            print(f"    {label} {pair.query!r} -> {pair.list_name!r}: {top}")

        query = utils.default_process(pair.query)
        got = process.extract(
            query,
            processed,
            scorer=fuzz.token_sort_ratio,
            processor=None,
            score_cutoff=RAPIDFUZZ_CUT,
            limit=None,
        )
        fuzzy.add(any(owners[i] in targets for _, _, i in got), pair.should_match)

        if nk is not None:
            # Blocking: logic-v2 is too slow to run on every list name, so it scores
            # the 50 list names rapidfuzz WRatio ranks highest (their entities).
            block = process.extract(
                query, processed, scorer=fuzz.WRatio, processor=None, limit=50
            )
            hit = False
            for owner in dict.fromkeys(owners[i] for _, _, i in block):
                if owner in targets:
                    entity = by_id[owner]
                    hit = (
                        hit
                        or nk.score(pair.query, entity.all_names()) >= NOMENKLATURA_CUT
                    )
            nomen.add(hit, pair.should_match)
    print(exodus.line(f"Exodus ScreeningIndex >= {DEFAULT_THRESHOLD}"))
    print(fuzzy.line(f"rapidfuzz token_sort_ratio >= {RAPIDFUZZ_CUT} (full scan)"))
    if nk is not None:
        print(
            nomen.line(f"nomenklatura logic-v2 >= {NOMENKLATURA_CUT} (WRatio top-50)")
        )
    print("  Exodus threshold sweep (screening mode):")
    for cut, score in sweep.items():
        print("  " + score.line(f"threshold {cut:.2f}"))
    split_half(usable, scores, "screening")


def _on_target(hits: list, targets: set[str]) -> list:
    """Return the hits on one of the target entities (grouped entries count)."""
    return [
        h
        for h in hits
        if h.entity_id in targets or any(a.entity_id in targets for a in h.also)
    ]


# -- generated party names ---------------------------------------------------------

_PLACES = [
    "Shenzhen",
    "Guangzhou",
    "Shanghai",
    "Beijing",
    "Ningbo",
    "Xiamen",
    "Dongguan",
    "Hangzhou",
    "Dubai",
    "Sharjah",
    "Istanbul",
    "Ankara",
    "Izmir",
    "Almaty",
    "Tashkent",
    "Bishkek",
    "Yerevan",
    "Tbilisi",
    "Baku",
    "Minsk",
    "Riga",
    "Tallinn",
    "Vilnius",
    "Warsaw",
    "Gdansk",
    "Hamburg",
    "Bremen",
    "Rotterdam",
    "Antwerp",
    "Milan",
    "Turin",
    "Lyon",
    "Porto",
    "Valencia",
    "Singapore",
    "Penang",
    "Kuala",
    "Lumpur",
    "Jakarta",
    "Manila",
    "Bangkok",
    "Hanoi",
    "Saigon",
    "Mumbai",
    "Pune",
    "Chennai",
    "Karachi",
    "Lahore",
    "Tehran",
    "Mersin",
    "Haifa",
    "Cairo",
    "Lagos",
    "Nairobi",
    "Santos",
    "Monterrey",
    "Toronto",
    "Vancouver",
    "Houston",
    "Miami",
    "Osaka",
    "Busan",
    "Incheon",
    "Taipei",
    "Hsinchu",
    "Seoul",
    "Sydney",
    "Perth",
]
_STEMS = [
    "Nova",
    "Sino",
    "Euro",
    "Asia",
    "Trans",
    "Inter",
    "Tek",
    "Tron",
    "Vita",
    "Alpha",
    "Omega",
    "Delta",
    "Sigma",
    "Orion",
    "Atlas",
    "Apex",
    "Summit",
    "Zenith",
    "Vector",
    "Quantum",
    "Nexus",
    "Astra",
    "Stellar",
    "Polar",
    "Terra",
    "Aqua",
    "Pyro",
    "Helio",
    "Volt",
    "Ampere",
    "Ohm",
    "Ion",
    "Flux",
    "Prime",
    "Crest",
    "Harbor",
    "Bridge",
    "Falcon",
    "Eagle",
    "Lotus",
    "Jade",
    "Pearl",
    "Amber",
    "Cobalt",
    "Titan",
    "Argon",
    "Neon",
    "Boron",
    "Silica",
    "Carbo",
    "Ferro",
    "Cupro",
    "Hydra",
    "Kinetic",
    "Optic",
    "Sonic",
    "Micro",
    "Macro",
    "Mega",
    "Giga",
    "Nano",
    "Digi",
    "Info",
    "Data",
    "Cyber",
    "Robo",
    "Mecha",
    "Agro",
    "Petro",
    "Chem",
    "Pharma",
    "Medi",
    "Bio",
    "Eco",
    "Geo",
    "Hydro",
    "Aero",
    "Astro",
    "Navi",
    "Marin",
    "Rail",
    "Auto",
    "Moto",
    "Tex",
    "Fab",
    "Pack",
    "Print",
    "Form",
    "Line",
    "Point",
    "Hua",
    "Xin",
    "Tian",
    "Long",
    "Feng",
    "Jin",
    "Yuan",
    "Sheng",
    "Da",
    "Hong",
    "Guang",
    "Zhong",
    "Rui",
    "Hai",
    "Bao",
    "Kang",
]
_SUFFIX = [
    "tek",
    "tron",
    "ix",
    "ex",
    "on",
    "ar",
    "is",
    "os",
    "um",
    "ia",
    "ica",
    "era",
    "ova",
    "link",
    "net",
    "soft",
    "works",
    "gen",
    "max",
    "lab",
]
_INDUSTRY = [
    "Electronics",
    "Technology",
    "Trading",
    "Logistics",
    "Industrial",
    "Machinery",
    "Components",
    "Semiconductor",
    "Instruments",
    "Precision",
    "Engineering",
    "Import",
    "Export",
    "Supply",
    "Systems",
    "Solutions",
    "Chemicals",
    "Materials",
    "Metals",
    "Plastics",
    "Textiles",
    "Foods",
    "Shipping",
    "Freight",
    "Aviation",
    "Marine",
    "Energy",
    "Power",
    "Automation",
    "Devices",
    "Optics",
    "Sensors",
    "Equipment",
    "Tools",
    "Parts",
    "Motors",
    "Controls",
    "Pharmaceuticals",
    "Medical",
    "Software",
    "Networks",
    "Telecom",
    "Distribution",
    "Holdings",
    "Ventures",
]
_FORMS = """Co Ltd|Co., Ltd.|Limited|LLC|Inc.|Corp.|GmbH|AG|S.A.|S.A. de C.V.|SRL|B.V.|
Pte Ltd|Sdn Bhd|FZE|FZCO|LLP|OOO|TOO|A.S.|Sp. z o.o.|Kft.|S.p.A.|JSC|PLC|Pty Ltd|
(HK) Limited|Trading LLC""".replace("\n", "").split("|")
_GIVEN = [
    "James",
    "John",
    "Robert",
    "Michael",
    "William",
    "David",
    "Richard",
    "Joseph",
    "Thomas",
    "Charles",
    "Mary",
    "Patricia",
    "Jennifer",
    "Linda",
    "Elizabeth",
    "Barbara",
    "Susan",
    "Jessica",
    "Sarah",
    "Karen",
    "Wei",
    "Fang",
    "Li",
    "Jun",
    "Hao",
    "Ming",
    "Ying",
    "Jie",
    "Lei",
    "Yan",
    "Mohammed",
    "Ahmed",
    "Ali",
    "Omar",
    "Hassan",
    "Hussein",
    "Fatima",
    "Aisha",
    "Mariam",
    "Yusuf",
    "Ivan",
    "Dmitry",
    "Sergey",
    "Alexei",
    "Olga",
    "Natalia",
    "Tatiana",
    "Andrei",
    "Mikhail",
    "Elena",
    "Hans",
    "Klaus",
    "Jurgen",
    "Anna",
    "Katrin",
    "Pierre",
    "Jean",
    "Marie",
    "Camille",
    "Luca",
    "Marco",
    "Giulia",
    "Carlos",
    "Jose",
    "Maria",
    "Juan",
    "Ana",
    "Hiroshi",
    "Takeshi",
    "Yuki",
    "Akira",
    "Min-jun",
    "Seo-yeon",
    "Ji-hoon",
    "Raj",
    "Priya",
    "Amit",
    "Sunita",
    "Mehmet",
    "Ayse",
    "Emre",
    "Zeynep",
    "Reza",
    "Farhad",
    "Leila",
    "Kwame",
    "Ngozi",
    "Chidi",
    "Thabo",
    "Pedro",
    "Lucas",
    "Sofia",
    "Mateo",
]
_FAMILY = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Khan",
    "Ahmed",
    "Hussain",
    "Rahman",
    "Ali",
    "Hassan",
    "Ivanov",
    "Petrov",
    "Sidorov",
    "Smirnov",
    "Kuznetsov",
    "Popov",
    "Sokolov",
    "Lebedev",
    "Novikov",
    "Morozov",
    "Muller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Dubois",
    "Martin",
    "Bernard",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Silva",
    "Santos",
    "Oliveira",
    "Pereira",
    "Tanaka",
    "Suzuki",
    "Takahashi",
    "Watanabe",
    "Kim",
    "Lee",
    "Park",
    "Choi",
    "Jung",
    "Patel",
    "Sharma",
    "Singh",
    "Gupta",
    "Kumar",
    "Yilmaz",
    "Kaya",
    "Demir",
    "Sahin",
    "Celik",
    "Hosseini",
    "Mohammadi",
    "Karimi",
    "Okafor",
    "Mensah",
    "Nkosi",
    "Dlamini",
    "Nguyen",
    "Tran",
    "Pham",
    "Le",
    "Hoang",
]


def _coined(rng: random.Random) -> str:
    word = rng.choice(_STEMS)
    if rng.random() < 0.6:
        word += rng.choice(_SUFFIX)
    return word


def _company(rng: random.Random) -> str:
    parts = []
    if rng.random() < 0.45:
        parts.append(rng.choice(_PLACES))
    parts.append(_coined(rng))
    if rng.random() < 0.3:
        parts.append(_coined(rng))
    parts.extend(rng.sample(_INDUSTRY, rng.choice((1, 1, 2))))
    parts.append(rng.choice(_FORMS))
    name = " ".join(parts)
    return name.upper() if rng.random() < 0.5 else name


def _person(rng: random.Random) -> str:
    given = rng.choice(_GIVEN)
    family = rng.choice(_FAMILY)
    if rng.random() < 0.25:
        given += " " + rng.choice(_GIVEN)
    roll = rng.random()
    if roll < 0.4:
        return f"{family.upper()}, {given}"
    if roll < 0.5:
        return f"{given[0]}. {family}"
    return f"{given} {family}"


def _misspell(rng: random.Random, name: str) -> str:
    tokens = name.split()
    roll = rng.random()
    if roll < 0.3 and len(tokens) > 1:
        rng.shuffle(tokens)
        return " ".join(tokens)
    if roll < 0.45 and len(tokens) > 2:
        tokens.pop(rng.randrange(len(tokens)))
        return " ".join(tokens)
    chars = list(name)
    spots = [i for i, c in enumerate(chars) if c.isalpha()]
    if not spots:
        return name
    i = rng.choice(spots)
    op = rng.random()
    if op < 0.4:
        chars[i] = rng.choice(string.ascii_letters)
    elif op < 0.7:
        del chars[i]
    elif i + 1 < len(chars):
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def generate_parties(
    entities: list[ListEntity], count: int, seed: int = 7
) -> tuple[list[QueryParty], list[str]]:
    """Generate realistic filing party names and say where each came from.

    Half are company names, a third person names (both from word pools, so almost
    none is listed), the rest listed names as written or with a typo, a dropped
    word or shuffled words.
    """
    rng = random.Random(seed)
    listed = [e for e in entities if e.name]
    parties, origins = [], []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.50:
            name, origin = _company(rng), "generated company"
        elif roll < 0.85:
            name, origin = _person(rng), "generated person"
        elif roll < 0.92:
            name, origin = rng.choice(rng.choice(listed).all_names()), "listed name"
        else:
            name = _misspell(rng, rng.choice(rng.choice(listed).all_names()))
            origin = "listed name, altered"
        country = rng.choice((None, "CN", "AE", "TR", "DE"))
        parties.append(QueryParty(name=name, country=country))
        origins.append(origin)
    return parties, origins


# -- unlisted names: the false-alert rate ---------------------------------------------

# Words real companies use, by country: family names, places and trade words in the
# language of the country, so unlisted names look like those filings carry.
_REAL_WORDS = {
    "DE": (["Muller", "Schmidt", "Becker", "Hoffmann", "Krause", "Rhein", "Bayern",
            "Nord", "Sud", "Ost"], ["Maschinenbau", "Handel", "Technik", "Werkzeuge",
            "Elektro", "Antriebstechnik", "Logistik", "Kunststoff"], ["GmbH", "AG",
            "GmbH & Co. KG"]),
    "TR": (["Yilmaz", "Ozturk", "Aydin", "Anadolu", "Ege", "Karadeniz", "Bogazici",
            "Marmara"], ["Tekstil", "Makina", "Elektrik", "Otomotiv", "Gida", "Dis",
            "Insaat"], ["Sanayi ve Ticaret A.S.", "Ltd. Sti.", "A.S."]),
    "CN": (["Shenzhen", "Dongguan", "Ningbo", "Suzhou", "Huaqiang", "Xinda",
            "Tianyu", "Hengtong", "Jiahe", "Ruifeng"], ["Electronic Technology",
            "Precision Machinery", "Import and Export", "Optoelectronics",
            "Industrial", "New Material"], ["Co., Ltd.", "Trading Co., Ltd."]),
    "JP": (["Tanaka", "Yamamoto", "Nakamura", "Kobayashi", "Tokai", "Kansai"],
           ["Seiki", "Denki", "Shoji", "Kogyo", "Electronics"], ["K.K.", "Co., Ltd."]),
    "KR": (["Daehan", "Samil", "Hanjin", "Dongyang", "Seoul", "Busan", "Kumho"],
           ["Precision", "Electronics", "Industrial", "Chemical", "Tech"],
           ["Co., Ltd.", "Corporation"]),
    "IN": (["Sharma", "Patel", "Gupta", "Reddy", "Shree", "Ganesh", "Bharat"],
           ["Engineering", "Exports", "Pharma", "Textiles", "Polymers"],
           ["Pvt. Ltd.", "Limited", "LLP"]),
    "MX": (["Garcia", "Hernandez", "Del Norte", "Bajio", "Occidente"],
           ["Comercializadora", "Distribuidora", "Maquinados", "Industrias"],
           ["S.A. de C.V.", "S. de R.L. de C.V."]),
    "BR": (["Silva", "Souza", "Paulista", "Gaucha", "Mineira"],
           ["Comercio", "Industria", "Metalurgica", "Alimentos"], ["Ltda.", "S.A."]),
    "FR": (["Dupont", "Lefebvre", "Rhone", "Bretagne", "Provence"],
           ["Industrie", "Equipements", "Distribution", "Mecanique"],
           ["SAS", "SARL", "S.A."]),
    "IT": (["Bianchi", "Romano", "Lombarda", "Veneta", "Adriatica"],
           ["Meccanica", "Impianti", "Componenti", "Elettronica"], ["S.r.l.", "S.p.A."]),
    "AE": (["Al Noor", "Al Futtaim", "Gulf", "Emirates", "Al Safa", "Khaleej"],
           ["General Trading", "Electronics Trading", "Building Materials",
            "Spare Parts Trading"], ["LLC", "FZE", "FZCO"]),
    "RU": (["Volga", "Ural", "Sibir", "Neva", "Kama", "Don"],
           ["Tekhnologii", "Snab", "Komplekt", "Stroy", "Avto", "Elektro"],
           ["OOO", "AO"]),
    "VN": (["Nguyen", "Tran", "Saigon", "Mekong", "Hoa Binh"],
           ["Trading", "Electronics", "Garment", "Seafood"], ["Co., Ltd.", "JSC"]),
}


def unlisted_names(seed: int = 11) -> dict[str, list[QueryParty]]:
    """Build realistic party names that no list carries, grouped by how they were made.

    "generator pools": every name root and trade of the sample generator with a
    legal form of a random country; "real words": family names, places and trade
    words of thirteen countries in their own languages; "persons": given and
    family names of many origins.
    """
    from exodus.sample import pools

    rng = random.Random(seed)
    countries = sorted(pools.LEGAL_FORMS)
    generator = []
    for root in pools.NAME_ROOTS:
        for trade in pools.NAME_TRADES + pools.FORWARDER_WORDS:
            country = rng.choice(countries)
            form = rng.choice(pools.LEGAL_FORMS[country])
            generator.append(QueryParty(f"{root} {trade} {form}", country))
    real = []
    for country, (heads, trades, forms) in _REAL_WORDS.items():
        for head in heads:
            for trade in trades:
                real.append(
                    QueryParty(f"{head} {trade} {rng.choice(forms)}", country)
                )
    persons = [
        QueryParty(f"{given} {family}", rng.choice(countries))
        for given in _GIVEN
        for family in rng.sample(_FAMILY, 12)
    ]
    return {"generator pools": generator, "real words": real, "persons": persons}


def unlisted_rate(index: ScreeningIndex, show: int = 0) -> None:
    """Print the share of unlisted names that raise a hit at the default threshold."""
    print("\n== Unlisted names: share raising a hit (lower is better)")
    for label, parties in unlisted_names().items():
        results = index.screen_many(parties)
        alerted = [(p, h) for p, h in zip(parties, results, strict=True) if h]
        print(
            f"  {label:<16} {len(parties):>6,} names, {len(alerted):>5,} with a hit "
            f"({len(alerted) / len(parties):.2%})"
        )
        for party, hits in alerted[:show]:
            print(f"    {party.name!r} -> {hits[0].entity_name!r} {hits[0].score:.2f}")


# -- throughput -------------------------------------------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def throughput(entities: list[ListEntity], count: int) -> ScreeningIndex:
    print(f"\n== Throughput ({count:,} generated party names, one process, one core)")
    rss_lists = _rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    index = ScreeningIndex.build(entities)
    build, cpu = time.perf_counter() - started, time.process_time() - cpu
    rss_index = _rss_mb()
    print(
        f"  Exodus index build: {build:.1f} s wall ({cpu:.1f} s CPU) for "
        f"{len(entities):,} entities, {len(index.name_keys):,} distinct names"
    )

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "screening.idx"
        index.save(path)
        started = time.perf_counter()
        ScreeningIndex.load(path)
        print(
            f"  Saved index: {path.stat().st_size / 1e6:,.0f} MB, loads in "
            f"{time.perf_counter() - started:.1f} s"
        )

    parties, origins = generate_parties(entities, count)
    started, cpu = time.perf_counter(), time.process_time()
    results = index.screen_many(parties)
    spent, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"  Exodus screen_many: {count / spent:,.0f} names/s wall ({spent:.1f} s), "
        f"{count / cpu:,.0f} names per CPU second ({cpu:.1f} s of CPU; the two differ "
        "when other processes share the core)"
    )
    for origin in sorted(set(origins)):
        rows = [hits for hits, o in zip(results, origins, strict=True) if o == origin]
        alerted = sum(1 for hits in rows if hits)
        print(
            f"    {origin:<22} {len(rows):>7,} names, {alerted / len(rows):6.1%} with a hit"
        )
    print(
        f"  Peak RSS (ru_maxrss): {rss_lists:,.0f} MB after reading the lists, "
        f"{rss_index:,.0f} MB after building, {_rss_mb():,.0f} MB after screening"
    )

    names = [n for e in entities for n in dict.fromkeys(e.all_names())]
    processed = [utils.default_process(n) for n in names]
    sample = [utils.default_process(p.name) for p in parties[:300]]
    started = time.perf_counter()
    for query in sample:
        process.extractOne(
            query, processed, scorer=fuzz.token_sort_ratio, processor=None
        )
    per = (time.perf_counter() - started) / len(sample)
    print(
        f"  rapidfuzz extractOne scan over {len(names):,} names: {1 / per:,.1f} names/s "
        f"(measured on {len(sample)} names; {count:,} names would take "
        f"{per * count / 60:,.1f} min)"
    )
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--skip-nomenklatura", action="store_true")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--show-unlisted", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    entities = load_entities()
    print(
        f"Read {len(entities):,} listed entities in {time.perf_counter() - started:.1f} s"
    )
    index = throughput(entities, args.names)
    unlisted_rate(index, args.show_unlisted)
    pairs = load_pairs()
    nk = load_nomenklatura(args.skip_nomenklatura)
    pairwise(pairs, index, nk)
    screening(pairs, entities, index, nk, args.show_misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
