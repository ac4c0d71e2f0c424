"""A small BM25 index over control-list wording, fast for thousands of lines/s."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

_TOKEN = re.compile(r"[a-z][a-z0-9]*")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "having",
        "in",
        "into",
        "is",
        "it",
        "its",
        "not",
        "of",
        "on",
        "or",
        "other",
        "others",
        "than",
        "that",
        "the",
        "their",
        "them",
        "these",
        "this",
        "those",
        "to",
        "under",
        "use",
        "used",
        "using",
        "with",
        "without",
        "which",
        "whether",
        "as",
        "follows",
        "see",
        "list",
        "items",
        "controlled",
        "item",
        "specially",
        "designed",
        "n",
        "e",
        "s",
        "nes",
        "any",
        "all",
        "such",
        "each",
        "more",
        "less",
        "following",
        "both",
        "one",
        "two",
        "three",
        "described",
        "entry",
        "eccn",
        "ear",
        "except",
        "including",
        "include",
        "includes",
        "also",
        "being",
        "been",
        "was",
        "were",
        "type",
        "types",
        "kind",
        "new",
        "set",
        "sets",
        "pcs",
        "pc",
        "piece",
        "pieces",
        "unit",
        "units",
        "kg",
        "kgs",
        "lb",
        "lbs",
        "mm",
        "cm",
        "ea",
        "qty",
        "nos",
        "drum",
        "drums",
        "box",
        "boxes",
        "carton",
        "cartons",
        "pallet",
        "pallets",
    ]
)
# Shipper abbreviations expanded before indexing and searching.
ABBREVIATIONS = {
    "ic": "integrated circuit",
    "ics": "integrated circuit",
    "uav": "unmanned aerial vehicle",
    "uavs": "unmanned aerial vehicle",
    "rf": "radio frequency",
    "cnc": "numerical control",
    "fpga": "field programmable gate array",
    "adc": "analog digital converter",
    "dac": "digital analog converter",
    "gnss": "satellite navigation",
    "gps": "satellite navigation",
    "ir": "infrared",
    "nvg": "night vision",
    "mmic": "monolithic microwave integrated circuit",
    "pcb": "printed circuit board",
    "cpu": "processor",
    "gpu": "graphics processor",
    "imu": "inertial measurement unit",
    "sw": "software",
    "tech": "technology",
    "equip": "equipment",
    "assy": "assembly",
    "elec": "electronic",
    "comms": "communications",
    "comm": "communications",
    "mfg": "manufacturing",
    "temp": "temperature",
    "freq": "frequency",
}


def stem(token: str) -> str:
    """Reduce a token to a crude stem (plural and common suffixes)."""
    if len(token) <= 3:
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("sses", "shes", "ches", "xes")):
        return token[:-2]
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def tokenize(text: str) -> list[str]:
    """Return the stemmed content tokens of a text, abbreviations expanded."""
    out: list[str] = []
    for raw in _TOKEN.findall(text.lower()):
        expansion = ABBREVIATIONS.get(raw)
        words = expansion.split() if expansion else [raw]
        for word in words:
            if word in STOPWORDS or len(word) < 2:
                continue
            out.append(stem(word))
    return out


@dataclass(frozen=True, slots=True)
class Hit:
    doc_id: str
    label: str
    score: float  # share of the query's IDF mass the document explains, 0..1
    bm25: float
    matched: tuple[str, ...]


class Bm25Index:
    """Okapi BM25 over short documents, with a score normalised to the query."""

    def __init__(
        self, docs: list[tuple[str, str, str]], k1: float = 1.2, b: float = 0.5
    ) -> None:
        self.k1, self.b = k1, b
        self.ids = [d[0] for d in docs]
        self.labels = [d[1] for d in docs]
        self.texts = [d[2] for d in docs]
        tokenized = [tokenize(d[2]) for d in docs]
        self.lengths = [len(t) or 1 for t in tokenized]
        self.avg = sum(self.lengths) / max(len(self.lengths), 1)
        postings: dict[str, list[tuple[int, int]]] = {}
        for index, tokens in enumerate(tokenized):
            for term, count in Counter(tokens).items():
                postings.setdefault(term, []).append((index, count))
        total = len(docs)
        self.idf = {
            t: math.log(1 + (total - len(p) + 0.5) / (len(p) + 0.5))
            for t, p in postings.items()
        }
        self.max_idf = max(self.idf.values(), default=1.0)
        self.postings = postings

    def search(self, text: str, limit: int = 5) -> list[Hit]:
        """Return the best documents for `text`, best first."""
        terms = list(dict.fromkeys(tokenize(text)))
        if not terms:
            return []
        mass = sum(self.idf.get(t, self.max_idf) for t in terms)
        scores: dict[int, float] = {}
        matched: dict[int, list[str]] = {}
        for term in terms:
            idf = self.idf.get(term)
            if idf is None:
                continue
            for doc, count in self.postings[term]:
                norm = self.k1 * (1 - self.b + self.b * self.lengths[doc] / self.avg)
                part = idf * count * (self.k1 + 1) / (count + norm)
                scores[doc] = scores.get(doc, 0.0) + part
                matched.setdefault(doc, []).append(term)
        best = sorted(scores, key=scores.__getitem__, reverse=True)[: limit * 3]
        hits: list[Hit] = []
        seen: set[str] = set()
        for doc in best:
            if self.labels[doc] in seen:
                continue
            seen.add(self.labels[doc])
            covered = sum(self.idf[t] for t in matched[doc])
            hits.append(
                Hit(
                    self.ids[doc],
                    self.labels[doc],
                    covered / mass,
                    scores[doc],
                    tuple(matched[doc]),
                )
            )
            if len(hits) == limit:
                break
        hits.sort(key=lambda h: (h.score, h.bm25), reverse=True)
        return hits
