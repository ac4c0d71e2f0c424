"""An evaluation set for description flagging, generated from the reference data.

Controlled lines are CCL and USML wording rewritten the way shippers write it
(synonyms, abbreviations, truncation, dropped words, capitals), by fixed rules and a
seeded random generator. Ordinary lines are HTS descriptions from chapters of everyday
goods that share at least one word with the control texts, plus generated
"<technical noun> for <household use>" lines.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from exodus.core.controls.describe import _clean, control_documents
from exodus.core.controls.reference import ReferenceData
from exodus.core.controls.textindex import STOPWORDS, tokenize

SYNONYMS = {
    "equipment": ["machine", "apparatus", "machinery"],
    "components": ["parts", "spares"],
    "component": ["part"],
    "systems": ["units", "assemblies"],
    "system": ["unit", "assembly"],
    "devices": ["units"],
    "device": ["unit", "gadget"],
    "aircraft": ["airplane", "plane"],
    "vessels": ["boats"],
    "vessel": ["boat"],
    "manufacturing": ["production", "mfg"],
    "production": ["manufacturing"],
    "materials": ["stock", "raw material"],
    "instruments": ["meters"],
    "measuring": ["measurement"],
    "integrated circuits": ["ICs", "chips"],
    "integrated circuit": ["IC", "chip"],
    "unmanned aerial vehicles": ["UAVs", "drones"],
    "unmanned aerial vehicle": ["UAV", "drone"],
    "radio frequency": ["RF"],
    "software": ["SW", "program"],
    "technology": ["tech", "know-how"],
    "electronic": ["elec", "electrical"],
    "assemblies": ["assy"],
    "assembly": ["assy"],
    "specially designed": [""],
    "“": [""],
    "”": [""],
}
DROP_PATTERNS = (
    r"\([^)]*\)",
    r"\bas follows\b",
    r"\bsee list of items controlled\b",
    r"\bn\.e\.s\.?",
    r"[:;].*$",
)
ORDINARY_CHAPTERS = frozenset(
    [f"{c:02d}" for c in range(1, 25)]
    + [
        "33",
        "34",
        "39",
        "42",
        "44",
        "46",
        "48",
        "49",
        "57",
        "58",
        "61",
        "62",
        "63",
        "64",
        "65",
        "66",
        "67",
        "69",
        "70",
        "73",
        "82",
        "83",
        "94",
        "95",
        "96",
    ]
)
TECH_NOUNS = (
    "valve",
    "pressure gauge",
    "pump",
    "camera",
    "laser pointer",
    "sensor",
    "filter",
    "cable",
    "battery",
    "motor",
    "antenna",
    "receiver",
    "amplifier",
    "detector",
    "microphone",
    "controller",
    "transmitter",
    "lens",
)
HOUSEHOLD_USES = (
    "garden hose",
    "bicycle tire",
    "aquarium",
    "kitchen sink",
    "toy car",
    "car stereo",
    "home alarm",
    "hair dryer",
    "coffee maker",
    "fish tank",
    "lawn mower",
    "baby monitor",
)


@dataclass(frozen=True, slots=True)
class EvalLine:
    text: str
    controlled: bool
    label: str  # ECCN or "USML <roman>" for controlled lines, HTS code otherwise
    source: str  # the text it was made from


def build_eval_set(
    ref: ReferenceData, seed: int = 7, max_ordinary: int = 2500
) -> list[EvalLine]:
    """Return controlled paraphrases and ordinary look-alikes, in a fixed order."""
    rng = random.Random(seed)
    lines = _controlled(ref, rng)
    lines += _ordinary_hts(ref, rng, max_ordinary)
    lines += [
        EvalLine(f"{noun} for {use}", False, "template", "template")
        for noun in TECH_NOUNS
        for use in HOUSEHOLD_USES
    ]
    return lines


def _controlled(ref: ReferenceData, rng: random.Random) -> list[EvalLine]:
    lines: list[EvalLine] = []
    for doc_id, label, text in control_documents(ref):
        base = _strip(text)
        if len(tokenize(base)) < 3 or "reserved" in base.lower():
            continue
        lines.append(EvalLine(paraphrase(base, rng), True, label, doc_id))
    return lines


def _strip(text: str) -> str:
    out = _clean(text)
    for pattern in DROP_PATTERNS:
        out = re.sub(pattern, " ", out, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", out).strip(" ,.")


def paraphrase(text: str, rng: random.Random) -> str:
    """Rewrite a control text as a shipper might: synonyms, cuts, capitals."""
    out = text
    for phrase, options in SYNONYMS.items():
        if phrase in out.lower() and rng.random() < 0.7:
            out = re.sub(
                re.escape(phrase), rng.choice(options), out, flags=re.IGNORECASE
            )
    words = [w for w in out.split() if w.strip(",.")]
    content = [w for w in words if w.lower().strip(",.") not in STOPWORDS]
    if len(content) > 4 and rng.random() < 0.5:
        del content[rng.randrange(1, len(content))]
    keep = rng.randint(3, 8)
    result = " ".join(w.strip(",.") for w in content[:keep])
    return result.upper() if rng.random() < 0.3 else result


def _ordinary_hts(ref: ReferenceData, rng: random.Random, limit: int) -> list[EvalLine]:
    vocabulary = set(ref_vocabulary(ref))
    pool: list[EvalLine] = []
    for code, path in ref.hts10.items():
        if code[:2] not in ORDINARY_CHAPTERS:
            continue
        parts = [p for p in path.split(" > ") if p.lower() not in {"other", "other:"}]
        text = " ".join(parts[-2:])
        text = re.sub(r"\([^)]*\)", " ", text)
        if set(tokenize(text)) & vocabulary:
            pool.append(EvalLine(re.sub(r"\s+", " ", text).strip(), False, code, path))
    rng.shuffle(pool)
    return pool[:limit]


def ref_vocabulary(ref: ReferenceData) -> set[str]:
    """Return the stemmed words of the CCL and USML texts."""
    words: set[str] = set()
    for _, _, text in control_documents(ref):
        words.update(tokenize(text))
    return words
