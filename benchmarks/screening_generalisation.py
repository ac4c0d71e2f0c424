"""Measure name matching on pairs the lists themselves declare, across scripts.

Run:  python benchmarks/screening_generalisation.py [--limit 800] [--show 20]

Every listed party whose Latin primary name comes with a name in another script
(UN NAME_ORIGINAL_SCRIPT, CSL and EU aliases in Arabic, Cyrillic, Chinese ...)
gives one positive pair: the other-script name against the party's Latin name
most like it. For each positive, the Latin primary name of a *different* party
of the same list most like the transliterated query (rapidfuzz token_sort_ratio)
gives a hard negative. Prints, by script and overall, precision and recall of
`match_names` at the default threshold in pairwise mode, and in screening mode
against an index of all bundled lists from which the other-script names of the
tested parties were removed (so the query must be found through Latin names).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process, utils
from rigour.text.translit import ascii_text

from exodus.core.lists import load_bundled
from exodus.core.lists.model import ListEntity
from exodus.core.screening import DEFAULT_THRESHOLD, ScreeningIndex, match_names

_SCRIPTS = {
    "Arabic", "Cyrillic", "Han", "Hangul", "Katakana", "Hiragana", "Greek",
    "Hebrew", "Devanagari", "Khmer", "Thai", "Georgian", "Armenian",
}  # fmt: skip


def name_script(text: str) -> str:
    """Return the non-Latin script of a name ('' when Latin)."""
    from rigour.text.scripts import text_scripts

    found = text_scripts(text) & _SCRIPTS
    return sorted(found)[0] if found else ""


@dataclass(frozen=True)
class Pair:
    query: str
    list_name: str
    should_match: bool
    script: str
    entity_id: str


def _latin(name: str) -> bool:
    """Tell whether a name is written in Latin letters only."""
    return not name_script(name) and "?" not in name


_PARTS = re.compile(r"[()\[\];,]|original script:", re.IGNORECASE)


def _script_part(alias: str) -> str:
    """Return the other-script part of an alias, '' when there is none or several.

    Lists write some aliases with both forms ("Jin Tiesan (金铁三)"); the query
    must be the other-script form alone.
    """
    parts = [p.strip() for p in _PARTS.split(alias) if p.strip()]
    scripted = [p for p in parts if name_script(p)]
    if len(scripted) != 1 or any(c.isascii() and c.isalpha() for c in scripted[0]):
        return ""
    return scripted[0]


def _same_name(a: str, b: str) -> bool:
    """Tell whether two Latin names have the same words (any order, any case)."""
    return sorted(utils.default_process(a).split()) == sorted(
        utils.default_process(b).split()
    )


def build_pairs(entities: list[ListEntity], limit: int, seed: int = 5) -> list[Pair]:
    """Return positives from declared other-script names and hard negatives.

    A positive is an other-script name of a party against the party's Latin
    name most like it (lists attach an original-script name to one of several
    Latin names). A hard negative is the same query against the Latin name of
    a different party of the same list (parties of one list are distinct; the
    same person on two lists is not a negative) that rapidfuzz finds most like
    the transliterated query, leaving out names with the same words as one of
    the party's own (two people of the same name are not told apart by name).
    """
    positives: list[Pair] = []
    for entity in entities:
        latin = [n for n in entity.all_names() if _latin(n)]
        if not latin or not _latin(entity.name):
            continue
        seen: set[str] = set()
        for alias in entity.aliases:
            query = _script_part(alias.name)
            if not query or query in seen:
                continue
            seen.add(query)
            flat = utils.default_process(ascii_text(query))
            listed = max(
                latin,
                key=lambda n: fuzz.token_sort_ratio(
                    flat, n, processor=utils.default_process
                ),
            )
            positives.append(Pair(query, listed, True, name_script(query), entity.id))
    rng = random.Random(seed)
    rng.shuffle(positives)
    positives = positives[:limit]
    by_id = {e.id: e for e in entities}
    pools: dict[str, tuple[list[str], list[str]]] = {}
    for entity in entities:
        if _latin(entity.name):
            names, owners = pools.setdefault(entity.source, ([], []))
            names.append(entity.name)
            owners.append(entity.id)
    negatives = []
    for pair in positives:
        own = by_id[pair.entity_id]
        names, owners = pools[own.source]
        found = process.extract(
            ascii_text(pair.query),
            names,
            scorer=fuzz.token_sort_ratio,
            processor=utils.default_process,
            limit=10,
        )
        for name, _, pos in found:
            if owners[pos] == pair.entity_id:
                continue
            if any(_same_name(name, n) for n in own.all_names()):
                continue
            negatives.append(Pair(pair.query, name, False, pair.script, owners[pos]))
            break
    return positives + negatives


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        """Count one decision."""
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1

    def line(self, label: str) -> str:
        """Format precision, recall and counts."""
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return (
            f"  {label:<14} precision {precision:.3f}  recall {recall:.3f}   "
            f"(tp {self.tp} fp {self.fp} fn {self.fn} tn {self.tn})"
        )


def pairwise(pairs: list[Pair], show: int) -> None:
    """Compare each pair's names alone and print the figures by script."""
    by_script: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    misses = []
    for pair in pairs:
        result = match_names(pair.query, pair.list_name)
        by_script[pair.script].add(result.match, pair.should_match)
        total.add(result.match, pair.should_match)
        if result.match != pair.should_match:
            misses.append(result.explanation)
    print(f"== Pairwise mode, threshold {DEFAULT_THRESHOLD} ({len(pairs)} pairs)")
    for script in sorted(by_script):
        print(by_script[script].line(script))
    print(total.line("all"))
    for text in misses[:show]:
        print("    miss:", text[:220])


def screening(entities: list[ListEntity], pairs: list[Pair], show: int) -> None:
    """Screen each positive against all lists without the tested other-script names."""
    tested = {p.entity_id for p in pairs if p.should_match}
    by_id = {e.id: e for e in entities}
    stripped = [
        replace(e, aliases=tuple(a for a in e.aliases if _latin(a.name)))
        if e.id in tested
        else e
        for e in entities
    ]
    started = time.perf_counter()
    index = ScreeningIndex.build(stripped)
    print(f"== Screening mode (index of {len(stripped)} parties without the tested")
    print(f"   other-script names, built in {time.perf_counter() - started:.1f} s)")
    by_script: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    shown = 0
    for pair in pairs:
        if not pair.should_match:
            continue
        hits = index.screen(pair.query)
        own = by_id[pair.entity_id]
        found = any(
            h.entity_id == pair.entity_id
            or any(a.entity_id == pair.entity_id for a in h.also)
            or _same_party(h.entity, own)
            for h in hits
        )
        wrong = any(h.entity_id != pair.entity_id for h in hits) and not found
        by_script[pair.script].add(found, True)
        total.add(found, True)
        if wrong:
            total.fp += 1
            by_script[pair.script].fp += 1
        if not found and shown < show:
            shown += 1
            print(f"    miss: {pair.query!r} -> {pair.list_name!r}")
    for script in sorted(by_script):
        print(by_script[script].line(script))
    print(total.line("all"))
    print("   (fp here: queries whose only hits are other parties)")


def _same_party(hit: ListEntity, own: ListEntity) -> bool:
    """Tell whether a hit is the tested party as another list carries it.

    The UN, UK and U.S. lists each carry most UN-listed parties: a hit on the
    UK entry with one of the tested party's Latin names is a correct hit.
    """
    if hit.schema != own.schema:
        return False
    ours = [n for n in own.all_names() if _latin(n)]
    return any(_same_name(a, b) for a in hit.all_names() if _latin(a) for b in ours)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=800)
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--skip-screening", action="store_true")
    args = parser.parse_args(argv)
    entities = [e for release in load_bundled() for e in release.entities]
    pairs = build_pairs(entities, args.limit)
    print(
        f"{sum(p.should_match for p in pairs)} positive and "
        f"{sum(not p.should_match for p in pairs)} hard negative pairs"
    )
    pairwise(pairs, args.show)
    if not args.skip_screening:
        screening(entities, pairs, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
