"""Measure description flagging on the generated evaluation set, and determine speed.

Run: python benchmarks/controls_benchmark.py [--tune]
The evaluation set is built from the reference data itself (evalset.py): CCL and USML
wording paraphrased as shippers write it, listed chemicals (by name or CAS) and
biological agents, and ordinary HTS goods that share words with controlled ones.
Reports how many controlled lines are caught (text similarity, with the right
ECCN/USML among the candidates; chemical and biological names), how many ordinary
lines are flagged, lines per second for flag_description and determinations per second.
"""

from __future__ import annotations

import argparse
import time

from exodus.core.controls import (
    DEFAULT_THRESHOLD,
    ItemQuery,
    build_eval_set,
    candidate_matters,
    description_index,
    determine,
    flag_description,
    load_reference,
)
from exodus.core.filings.model import CommodityLine

# Controlled lines count only where their classification changes what DEST needs.
DEST = "CN"


def _line(text: str) -> CommodityLine:
    return CommodityLine(1, "9999999999", text, 1, "NO", 100.0, 1.0)


def evaluate(threshold: float, split: int | None = None) -> dict[str, float]:
    """Return recall, top-3 accuracy and false-positive rate at `threshold`."""
    ref = load_reference()
    built = description_index(ref)
    built.threshold = threshold
    lines = [x for x in build_eval_set(ref) if x.kind in {"text", "ordinary"}]
    if split is not None:
        lines = lines[split::2]
    caught = right = controlled = flagged = ordinary = 0
    for item in lines:
        if item.controlled and not candidate_matters(ref, item.label, DEST):
            continue  # no license needed to DEST for this entry: nothing to catch
        found = [
            f
            for f in flag_description(ref, _line(item.text), DEST)
            if f.code == "DESCRIPTION_RESEMBLES_CONTROLLED"
        ]
        if item.controlled:
            controlled += 1
            caught += bool(found)
            labels = {c["candidate"] for f in found for c in f.evidence["candidates"]}
            right += item.label in labels
        else:
            ordinary += 1
            flagged += bool(found)
    built.threshold = DEFAULT_THRESHOLD
    return {
        "controlled": controlled,
        "caught": caught,
        "right_candidate": right,
        "ordinary": ordinary,
        "ordinary_flagged": flagged,
        "recall": caught / max(controlled, 1),
        "fp_rate": flagged / max(ordinary, 1),
    }


NAME_CODES = {"CAS_LISTED", "CHEMICAL_NAME", "BIOLOGICAL_AGENT_NAME"}


def evaluate_names() -> dict[str, tuple[int, int]]:
    """Return (caught, total) for chemical and biological lines, and ordinary lines flagged."""
    ref = load_reference()
    out: dict[str, list[int]] = {"chemical": [0, 0], "biological": [0, 0], "ordinary": [0, 0]}
    for item in build_eval_set(ref):
        if item.kind not in out:
            continue
        found = {f.code for f in flag_description(ref, _line(item.text), DEST)}
        out[item.kind][0] += bool(found & NAME_CODES if item.controlled else found)
        out[item.kind][1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def tune() -> float:
    """Pick the threshold maximising recall minus three times the false-positive rate."""
    best, best_value = DEFAULT_THRESHOLD, -1.0
    for step in range(40, 96, 4):
        threshold = step / 100
        scores = evaluate(threshold, split=0)
        value = scores["recall"] - 3 * scores["fp_rate"]
        print(
            f"  threshold {threshold:.2f}: recall {scores['recall']:.3f} "
            f"fp {scores['fp_rate']:.3f}"
        )
        if value > best_value:
            best, best_value = threshold, value
    return best


def speed() -> dict[str, float]:
    ref = load_reference()
    items = [
        ItemQuery(eccn="3A001.a.1"),
        ItemQuery(eccn="EAR99", hts="8542310000"),
        ItemQuery(eccn="5A002"),
        ItemQuery(cas="111-48-8"),
        ItemQuery(usml="XI"),
    ]
    dests = ["CN", "DE", "RU", "AE", "GB", "IR"]
    count, start = 0, time.perf_counter()
    for _ in range(2000):
        for item in items:
            determine(ref, item, dests[count % len(dests)])
            count += 1
    det_rate = count / (time.perf_counter() - start)
    texts = [e.text for e in build_eval_set(ref)][:3000]
    start = time.perf_counter()
    for text in texts:
        flag_description(ref, _line(text), "AE")
    flag_rate = len(texts) / (time.perf_counter() - start)
    return {"determinations_per_s": det_rate, "descriptions_per_s": flag_rate}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tune", action="store_true", help="search the threshold")
    args = parser.parse_args()
    threshold = DEFAULT_THRESHOLD
    if args.tune:
        threshold = tune()
        print(f"tuned threshold (tuning half): {threshold:.2f}")
    held_out = evaluate(threshold, split=1)
    print(f"held-out half at threshold {threshold:.2f}:")
    print(
        f"  controlled lines caught: {held_out['caught']}/{held_out['controlled']} "
        f"({held_out['recall']:.1%}); right ECCN/USML among candidates: "
        f"{held_out['right_candidate']}"
    )
    print(
        f"  ordinary lines flagged: {held_out['ordinary_flagged']}/"
        f"{held_out['ordinary']} ({held_out['fp_rate']:.1%})"
    )
    names = evaluate_names()
    for kind in ("chemical", "biological"):
        hit, total = names[kind]
        print(f"  {kind} lines caught by name or CAS: {hit}/{total} ({hit / max(total, 1):.1%})")
    hit, total = names["ordinary"]
    print(f"  ordinary lines with any description finding: {hit}/{total} ({hit / max(total, 1):.1%})")
    rates = speed()
    print(f"determinations per second: {rates['determinations_per_s']:,.0f}")
    print(f"descriptions flagged per second: {rates['descriptions_per_s']:,.0f}")


if __name__ == "__main__":
    main()
