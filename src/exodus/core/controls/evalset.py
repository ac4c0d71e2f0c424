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
    source: str  # "text:<CCL/USML text id>", "chemical", "biological" or an HTS path

    @property
    def kind(self) -> str:
        """Return text, chemical or biological for controlled lines, else ordinary."""
        if not self.controlled:
            return "ordinary"
        return self.source.split(":", 1)[0]


CHEMICAL_FORMS = (
    "{name} 99% 200 KG DRUMS",
    "{name}, technical grade",
    "{lower} for laboratory use",
    "Industrial solvent, CAS {cas}",
    "{name} (CAS {cas}) 25 kg",
    "{joined} reagent",
)
BIOLOGICAL_FORMS = (
    "{name} culture, research sample",
    "{lower} reference strain, frozen",
    "{name} standard 1 mg",
)


def build_eval_set(
    ref: ReferenceData, seed: int = 7, max_ordinary: int = 2500
) -> list[EvalLine]:
    """Return controlled paraphrases and ordinary look-alikes, in a fixed order.

    Chemical and biological lines (source "chemical" / "biological") name a listed
    chemical, its CAS number or a listed agent the way shippers write them; one form
    in six runs the words of a chemical name together, which name matching misses.
    """
    rng = random.Random(seed)
    lines = _controlled(ref, rng)
    lines += chemical_lines(ref, rng)
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
        lines.append(EvalLine(paraphrase(base, rng), True, label, "text:" + doc_id))
    return lines


def chemical_lines(ref: ReferenceData, rng: random.Random) -> list[EvalLine]:
    """Return listed chemicals and agents written as shippers would, with listings."""
    from exodus.core.controls.describe import biological_listings, chemical_names

    lines: list[EvalLine] = []
    for chem in ref.chemicals:
        names = chemical_names(chem.name)
        if not names:
            continue
        name = names[0]
        forms = [f for f in CHEMICAL_FORMS if chem.cas or "{cas}" not in f]
        text = rng.choice(forms).format(
            name=name.upper() if rng.random() < 0.5 else name,
            lower=name.lower(),
            cas=chem.cas,
            joined=re.sub(r"[\s-]+", "", name.lower()),
        )
        label = chem.paragraph if chem.source != "DEA" else f"DEA List {chem.schedule}"
        lines.append(EvalLine(text, True, label, "chemical"))
    for agent in biological_listings(ref):
        form = rng.choice(BIOLOGICAL_FORMS)
        text = form.format(name=agent.name, lower=agent.name.lower())
        lines.append(EvalLine(text, True, agent.paragraph, "biological"))
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
