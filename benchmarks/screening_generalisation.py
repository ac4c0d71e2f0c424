"""Measure name matching on pairs the lists themselves declare, across scripts.

Run:  python benchmarks/screening_generalisation.py [--limit 800] [--show 20]

Every listed party whose Latin primary name comes with a name in another script
(UN NAME_ORIGINAL_SCRIPT, CSL and EU aliases in Arabic, Cyrillic, Chinese ...)
gives one positive pair: the other-script name against the Latin name. For each
positive, the Latin primary name of a *different* party most like the
transliterated query (rapidfuzz token_sort_ratio over all primary names) gives a
hard negative. Prints, by script and overall, precision and recall of
`match_names` at the default threshold in pairwise mode, and in screening mode
against an index of all bundled lists from which the other-script names of the
tested parties were removed (so the query must be found through Latin names).
"""

from __future__ import annotations

import argparse
import random
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


def build_pairs(entities: list[ListEntity], limit: int, seed: int = 5) -> list[Pair]:
    """Return positives from declared other-script names and hard negatives."""
    positives: list[Pair] = []
    for entity in entities:
        if not _latin(entity.name):
            continue
        seen: set[str] = set()
        for alias in entity.aliases:
            script = name_script(alias.name)
            if not script or "?" in alias.name or alias.name in seen:
                continue
            seen.add(alias.name)
            positives.append(Pair(alias.name, entity.name, True, script, entity.id))
    rng = random.Random(seed)
    rng.shuffle(positives)
    positives = positives[:limit]
    names = [e.name for e in entities if _latin(e.name)]
    owners = [e.id for e in entities if _latin(e.name)]
    negatives = []
    for pair in positives:
        found = process.extract(
            ascii_text(pair.query),
            names,
            scorer=fuzz.token_sort_ratio,
            processor=utils.default_process,
            limit=5,
        )
        for name, _, pos in found:
            if owners[pos] != pair.entity_id and name != pair.list_name:
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
        found = any(
            h.entity_id == pair.entity_id
            or any(a.entity_id == pair.entity_id for a in h.also)
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
