"""Screen party names against every name of every listed party.

Built once per list version. Candidates come from an inverted index over the
normalised tokens of all names (primary names and aliases), widened by spelling
neighbours (one deletion), sound (metaphone), consonant outlines for names written
in Arabic or Hebrew, and tokens written together. Only the best candidates are
compared in full (`compare.compare_keys`); the score is then adjusted by country,
address, schema and identifiers.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import logging
import math
import pickle
import re
import threading
import time
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from importlib import metadata
from itertools import pairwise
from pathlib import Path

import numpy as np
from rigour.text.phonetics import metaphone

import exodus
from exodus.core.lists.model import AliasStrength, EntitySchema, ListEntity
from exodus.core.screening import common
from exodus.core.screening.brands import BrandFamilies, brand_families
from exodus.core.screening.compare import (
    CONCEPT_WEIGHT,
    GENERIC_WEIGHT,
    Comparison,
    is_lineage_word,
    compare_keys,
    comparison_script,
    position_weights,
    skeleton,
    token_similarity,
    warm_up,
)
from exodus.core.screening.match import (
    DEFAULT_THRESHOLD,
    query_readings,
    without_brackets,
)
from exodus.core.screening.given_names import is_given_name, nickname_forms
from exodus.core.screening.model import (
    AlsoListed,
    MatchResult,
    QueryParty,
    ScreeningHit,
)
from exodus.core.screening.normalize import ORGANIZATION, PERSON, NameKey, analyze_name
from exodus.core.screening.phonetic import (
    ABJAD_SCRIPTS,
    HAN,
    OUTLINE_SCRIPTS,
    foreign_word_keys,
    foreign_word_similarity,
    glued_word_similarity,
    retrieval_outline,
    syllable_run_keys,
)
from exodus.core.screening.vocabulary import (
    BRAND_WORDS,
    CONCEPT_WORDS,
    GENERIC_WORDS,
    PARTICLES,
)

log = logging.getLogger(__name__)

# name id, entity position, comparison, score after the entry's name rules, notes, ceiling
_NameMatch = tuple[int, int, Comparison, float, tuple[str, ...], float]

# Libraries whose output is stored in a saved index (transliteration, word lists,
# phonetics), so that another version of one means another index.
_INDEX_LIBRARIES = ("rigour", "normality", "wordfreq", "nicknames", "PyICU")
# Candidates compared in full per query; more only slows screening, since the
# retrieval score already ranks the true party near the top.
CANDIDATES = 12
CANDIDATES_BY_SOUND = 60
# Query names (and query tokens) whose comparisons are remembered; the memory
# is cleared when full, which bounds it at a few tens of megabytes.
MEMO_SIZE = 20_000
# Tokens on more names than this are too common to fetch candidates by alone.
MAX_POSTING = 4000
# Tokens on this many names or fewer count fully; commoner tokens count less.
RARE_DF = 20
_ID_CLEAN = re.compile(r"[^A-Z0-9]")
# Marks a scratch array that was written everywhere and must be cleared whole.
_ALL = np.zeros(0, dtype=np.int32)


class ScreeningIndex:
    """Inverted index over the names of one list version, with a screener on top."""

    def __init__(self) -> None:
        self.entities: list[ListEntity] = []
        self.name_entity = array("I")
        self.name_text: list[str] = []
        self.name_weak = array("B")  # 1 for weak aliases (OFAC weak aka, UN low)
        self.name_keys: list[NameKey] = []
        self.postings: dict[str, np.ndarray] = {}
        self.neighbours: dict[str, list[str]] = {}
        self.sounds: dict[str, list[str]] = {}
        self.outlines: dict[str, list[str]] = {}
        self.loose: dict[str, list[str]] = {}
        self.joined: dict[str, np.ndarray] = {}
        # Names made of generic words only, by their sorted words.
        self.generic_names: dict[str, np.ndarray] = {}
        self.identifiers: dict[str, list[int]] = {}
        self.weights: dict[str, float] = {}
        # Brands leading families of listed parties (`brands.brand_families`).
        self.brands: BrandFamilies = {}
        self.name_weights: list[list[float]] = []
        self.name_totals = np.zeros(0)
        self._full_idf = 1.0
        self._expansions: dict[tuple[str, bool], list[tuple[str, float]]] = {}
        # Name comparisons per (name key without its original text, retrieval
        # bar): names that analyse alike compare alike, whatever country or
        # address comes with them. Lives and dies with this index (list version).
        self._compared: dict[tuple[NameKey, float], list[_NameMatch]] = {}
        # Per-thread scratch arrays for candidate retrieval (`_scratch`).
        self._local = threading.local()
        # Built on first use by `match`: parties by name, names by party.
        self._owners: dict[str, set[int]] | None = None
        self._by_entity: dict[int, list[int]] | None = None
        # Built on the first Han company name screened: Latin words by sound.
        self._foreign: dict[str, list[str]] | None = None

    # -- building -----------------------------------------------------------------

    @classmethod
    def build(cls, entities: Iterable[ListEntity]) -> ScreeningIndex:
        """Index every name and identifier of the given listed parties."""
        started = time.perf_counter()
        index = cls()
        for entity in entities:
            index._add_entity(entity)
        index._finish()
        log.info(
            "screening index built: %d entities, %d names, %d tokens in %.1fs",
            len(index.entities),
            len(index.name_keys),
            len(index.postings),
            time.perf_counter() - started,
        )
        return index

    def _add_entity(self, entity: ListEntity) -> None:
        """Add one listed party's names and identifiers."""
        position = len(self.entities)
        self.entities.append(entity)
        seen: set[str] = set()
        names = [(entity.name, False)] + [
            (a.name, a.strength is AliasStrength.WEAK) for a in entity.aliases
        ]
        names += [
            (short, weak) for name, weak in names if (short := without_brackets(name))
        ]
        for name, weak in names:
            key = analyze_name(name)
            if not key.tokens or key.text in seen:
                continue
            seen.add(key.text)
            self._add_name(position, name, _entity_key(key, entity), weak)
        for ident in entity.ids:
            value = _clean_id(ident.value)
            if len(value) >= 5:
                self.identifiers.setdefault(value, []).append(position)

    def _add_name(self, position: int, name: str, key: NameKey, weak: bool) -> None:
        """Post one name under its tokens and its joined neighbour tokens."""
        name_id = len(self.name_keys)
        self.name_entity.append(position)
        self.name_text.append(name)
        self.name_weak.append(1 if weak else 0)
        self.name_keys.append(key)
        for token in set(key.tokens):
            self.postings.setdefault(token, array("I")).append(name_id)
        for joined in _joined_forms(key.tokens):
            self.joined.setdefault(joined, array("I")).append(name_id)

    def _finish(self) -> None:
        """Build the spelling, sound and outline neighbourhoods of the vocabulary."""
        neighbours: dict[str, list[str]] = defaultdict(list)
        sounds: dict[str, list[str]] = defaultdict(list)
        outlines: dict[str, list[str]] = defaultdict(list)
        loose: dict[str, list[str]] = defaultdict(list)
        for token in self.postings:
            if len(token) >= 4 and not token.isdigit():
                for variant in _deletions(token):
                    neighbours[variant].append(token)
                sounds[metaphone(token)].append(token)
            outlines[skeleton(token)].append(token)
            if token.isalpha():
                loose[retrieval_outline(token)].append(token)
        self.neighbours = dict(neighbours)
        self.sounds = dict(sounds)
        self.outlines = dict(outlines)
        self.loose = dict(loose)
        self._full_idf = math.log((len(self.name_keys) + 1) / (RARE_DF + 1)) or 1.0
        self.weights = {token: self._idf_weight(token) for token in self.postings}
        self.name_weights = [
            position_weights(k.tokens, self.weight) for k in self.name_keys
        ]
        self.name_totals = np.array([sum(w) for w in self.name_weights], dtype=np.float64)
        self.brands = brand_families(self.entities, self.name_keys, self.name_entity)
        generic: dict[str, list[int]] = defaultdict(list)
        for name_id, key in enumerate(self.name_keys):
            if all(self.weights[t] <= GENERIC_WEIGHT for t in key.tokens):
                generic[" ".join(sorted(key.tokens))].append(name_id)
        self.generic_names = {
            text: np.asarray(ids, dtype=np.int32) for text, ids in generic.items()
        }
        # Postings as numpy arrays: candidate scores are summed over them at once.
        self.postings = {
            t: np.asarray(p, dtype=np.int32) for t, p in self.postings.items()
        }
        self.joined = {t: np.asarray(p, dtype=np.int32) for t, p in self.joined.items()}
        warm_up()
        common.warm_up()

    # -- weights ------------------------------------------------------------------

    def weight(self, token: str) -> float:
        """Weigh a token by how rare it is across all listed names."""
        known = self.weights.get(token)
        return self._idf_weight(token) if known is None else known

    def _rare(self, token: str) -> bool:
        """Tell whether very few list names carry a token (see FAMILY_NAME_DF)."""
        posting = self.postings.get(token)
        return posting is not None and len(posting) <= FAMILY_NAME_DF

    def _idf_weight(self, token: str) -> float:
        """Compute a token's weight from its document frequency and kind."""
        posting = self.postings.get(token)
        df = len(posting) if posting is not None else 0
        idf = math.log((len(self.name_keys) + 1) / (df + 1))
        value = max(0.05, min(1.0, idf / self._full_idf))
        if token in GENERIC_WORDS:
            value = min(value, 0.3)
        elif token in CONCEPT_WORDS:
            value = min(value, CONCEPT_WEIGHT)
        elif token in PARTICLES:
            value = min(value, 0.15)
        return value

    # -- screening ----------------------------------------------------------------

    def screen(
        self,
        name: str,
        *,
        country: str | None = None,
        address: str | None = None,
        schema: str | None = None,
        ids: Sequence[str] = (),
        threshold: float | None = None,
        limit: int = 10,
    ) -> list[ScreeningHit]:
        """Return the listed parties this name may be, best first, with reasons."""
        party = QueryParty(name, country, address, schema, tuple(ids))
        return self._screen(
            party, DEFAULT_THRESHOLD if threshold is None else threshold, limit
        )

    def screen_many(
        self, queries: Iterable[QueryParty], threshold: float | None = None
    ) -> list[list[ScreeningHit]]:
        """Screen many parties in one call; repeated parties are scored once."""
        cut = DEFAULT_THRESHOLD if threshold is None else threshold
        done: dict[QueryParty, list[ScreeningHit]] = {}
        out: list[list[ScreeningHit]] = []
        with _COLLECTOR_PAUSE:
            for party in queries:
                party = _hashable(party)
                if party not in done:
                    done[party] = self._screen(party, cut, 10)
                out.append(done[party])
        return out

    def _screen(
        self, party: QueryParty, threshold: float, limit: int
    ) -> list[ScreeningHit]:
        """Find candidates, compare them, adjust by context and keep the best."""
        # Retrieval estimates the name score from shared token weight; spelling
        # variants and joined tokens can score higher than the estimate, and
        # country or address agreement lifts a score by at most 30% of the rest.
        need = threshold * (0.6 if (party.country or party.address) else 0.7)
        best: dict[int, tuple[float, int, str]] = {}
        for reading in query_readings(party.name):
            key = _with_schema(analyze_name(reading), party.schema)
            read_as = (
                [f"Read as the Korean name {reading}."] if reading != party.name else []
            )
            for match in self._name_matches(key, need):
                name_id, entity_pos, compared, score, name_notes, ceiling = match
                entity = self.entities[entity_pos]
                score, context_notes = _context(score, party, entity)
                notes = [*name_notes, *context_notes, *read_as]
                score = min(score, ceiling)
                if score < threshold and entity_pos not in best:
                    continue
                current = best.get(entity_pos)
                if current is None or score > current[0]:
                    text = compared.explain(party.name, self.name_text[name_id])
                    best[entity_pos] = (score, name_id, " ".join([text, *notes]))
        for entity_pos, note in self._id_matches(party.ids):
            current = best.get(entity_pos)
            name_id = current[1] if current else -1
            best[entity_pos] = (1.0, name_id, note)
        return self._hits(best, threshold, limit)

    def _name_matches(self, key: NameKey, need: float) -> list[_NameMatch]:
        """Compare a name with its candidates and apply the list entries' name rules.

        Remembered per name key (its original text aside) and retrieval bar.
        """
        memo_key = (replace(key, original=""), need)
        found = self._compared.get(memo_key)
        if found is not None:
            return found
        weights = position_weights(key.tokens, self.weight)
        found = []
        for name_id in self._candidates(key, sum(weights), need):
            candidate = self.name_keys[name_id]
            entity_pos = self.name_entity[name_id]
            entity = self.entities[entity_pos]
            compared = compare_keys(
                key,
                candidate,
                self.weight,
                query_weights=weights,
                candidate_weights=self.name_weights[name_id],
                brands=self.brands,
            )
            if compared.score <= 0:
                continue
            score, notes = _name_rules(
                compared, key, entity, bool(self.name_weak[name_id]), self._rare
            )
            capped = any(n.endswith("(capped).") for n in notes)
            ceiling = min(compared.ceiling, score if capped else 1.0)
            found.append((name_id, entity_pos, compared, score, tuple(notes), ceiling))
        if len(self._compared) > MEMO_SIZE:
            self._compared.clear()
        self._compared[memo_key] = found
        return found

    def _hits(
        self, best: dict[int, tuple[float, int, str]], threshold: float, limit: int
    ) -> list[ScreeningHit]:
        """Turn the best score per listed party into sorted hits."""
        hits = []
        for entity_pos, (score, name_id, text) in best.items():
            if score < threshold:
                continue
            entity = self.entities[entity_pos]
            matched = self.name_text[name_id] if name_id >= 0 else entity.name
            hits.append(
                ScreeningHit(
                    entity_id=entity.id,
                    source=entity.source,
                    entity_name=entity.name,
                    matched_name=matched,
                    score=round(min(1.0, score), 4),
                    explanation=text,
                    entity=entity,
                )
            )
        # On equal scores the SDN entry leads: it is the one officers know.
        hits.sort(key=lambda hit: (-hit.score, hit.source != "SDN", hit.entity_id))
        return group_hits(hits)[:limit]

    # -- candidates ---------------------------------------------------------------

    def _candidates(self, key: NameKey, q_total: float, need: float) -> list[int]:
        """Return the names most worth comparing in full.

        Each name gets an estimate of the final score from the weight it shares
        with the query, relative to both names' total weight; only the best few
        estimates at or above `need` are compared in full.
        """
        if q_total <= 0:
            return []
        shared = self._scratch()
        touched: list[np.ndarray] = []
        try:
            return self._gather(key, q_total, need, shared, touched)
        finally:
            # Leave the scratch array zeroed for the next query of this thread.
            if touched and touched[0] is _ALL:
                shared.fill(0.0)
            else:
                for posting in touched:
                    shared[posting] = 0.0

    def _scratch(self) -> np.ndarray:
        """Return this thread's array of per-name shared weight, all zeros."""
        scratch = getattr(self._local, "shared", None)
        if scratch is None or len(scratch) != len(self.name_keys):
            scratch = np.zeros(len(self.name_keys))
            self._local.shared = scratch
        return scratch

    def _gather(
        self,
        key: NameKey,
        q_total: float,
        need: float,
        shared: np.ndarray,
        touched: list[np.ndarray],
    ) -> list[int]:
        """Sum shared token weight per name and keep the best estimates."""
        # Names reached through a distinctive token (or joined tokens) are the
        # candidates: a name sharing only generic words with the query is capped
        # below any threshold by the comparison, unless the two are identical.
        reached: list[np.ndarray] = []
        pairs = {a + b for a, b in pairwise(key.tokens)}
        script = comparison_script(key, key)
        if script in OUTLINE_SCRIPTS:
            # Syllables of a name in another script may be one word in the list.
            pairs |= {"".join(key.tokens[i : i + 3]) for i in range(len(key.tokens))}
        singles = set(key.tokens)
        for token in singles | pairs:
            # Names in other scripts reach many vocabulary tokens by sound: a
            # name counts once per query token, by its best one. Joined tokens
            # are looked up by spelling only.
            sounds = script in OUTLINE_SCRIPTS and token in singles
            best = np.zeros(len(self.name_keys)) if sounds else None
            if token in singles:
                expanded = self._expand(token, script if sounds else "")
            else:
                expanded = self._expand_joined(token)
            for vocab, sim in expanded:
                posting = self.postings[vocab]
                if len(posting) > MAX_POSTING:
                    continue
                weight = self.weights[vocab]
                if weight > GENERIC_WEIGHT:
                    reached.append(posting)
                gain = weight * sim
                if best is not None:
                    best[posting] = np.maximum(best[posting], gain)
                else:
                    shared[posting] += gain
                    touched.append(posting)
            if best is not None:
                shared += best
                touched.insert(0, _ALL)
        for token in singles:
            # A query token that is two or more list-name tokens written together.
            posting = self.joined.get(token)
            if posting is not None:
                reached.append(posting)
                shared[posting] += self.weight(token)
                touched.append(posting)
        if script == HAN and key.kind == ORGANIZATION:
            for vocab, sim in self._foreign_words(key.tokens):
                posting = self.postings[vocab]
                reached.append(posting)
                shared[posting] += self.weights[vocab] * sim
                touched.append(posting)
        # A list name of generic words only ("NEW HOLDING"), found by its words.
        plain = self.generic_names.get(" ".join(sorted(key.tokens)))
        if plain is not None:
            reached.append(plain)
        if not reached:
            return []
        found = np.unique(np.concatenate(reached))
        amount = shared[found]
        totals = self.name_totals[found]
        q_cov = np.minimum(1.0, amount / q_total)
        safe_totals = np.where(totals > 0, totals, 1.0)
        c_cov = np.where(totals > 0, np.minimum(1.0, amount / safe_totals), 0.0)
        estimate = 0.6 * np.maximum(q_cov, c_cov) + 0.4 * np.minimum(q_cov, c_cov)
        keep = estimate >= need
        found, estimate = found[keep], estimate[keep]
        # Names in other scripts reach many list names by loose sound outlines,
        # which crowd out the right one: compare more of them (such queries are
        # few among filing parties).
        wanted = CANDIDATES_BY_SOUND if script in OUTLINE_SCRIPTS else CANDIDATES
        if found.size > wanted:
            top = np.argpartition(-estimate, wanted - 1)[:wanted]
            found, estimate = found[top], estimate[top]
        order = np.lexsort((-found, -estimate))
        return [int(i) for i in found[order]]

    def _expand(self, token: str, script: str) -> list[tuple[str, float]]:
        """Return vocabulary tokens close enough to `token`, with their similarity."""
        cache_key = (token, script)
        found = self._expansions.get(cache_key)
        if found is not None:
            return found
        pool: set[str] = set()
        if token in self.postings:
            pool.add(token)
        if len(token) >= 4 and not token.isdigit():
            for variant in (token, *_deletions(token)):
                pool.update(self.neighbours.get(variant, ()))
            pool.update(self.sounds.get(metaphone(token), ())[:200])
        if len(token) >= 6 and token[:-2] in self.postings:
            pool.add(token[:-2])  # inflected endings: Vladimiras, Putinas
        if token.isalpha():
            # Nicknames and the names they stand for (Nick, Nicolas).
            pool.update(t for t in nickname_forms(token) if t in self.postings)
        if script in ABJAD_SCRIPTS:
            pool.update(self.outlines.get(skeleton(token), ()))
        if script in OUTLINE_SCRIPTS and token.isalpha():
            pool.update(self._sound_neighbours(token))
        found = []
        for vocab in pool:
            sim = token_similarity(token, vocab, script)[0]
            if sim >= 0.7:
                found.append((vocab, sim))
        if len(self._expansions) > MEMO_SIZE:
            self._expansions.clear()
        self._expansions[cache_key] = found
        return found

    def _expand_joined(self, token: str) -> list[tuple[str, float]]:
        """Return list tokens that two query tokens written together spell.

        Only exact or one letter apart: "HUAWEI TECHNOLOGIES" against a list's
        "HUAWEITECHNOLOGIES". Not remembered, since such pairs rarely repeat.
        """
        pool: set[str] = set()
        if token in self.postings:
            pool.add(token)
        for variant in (token, *_deletions(token)):
            pool.update(self.neighbours.get(variant, ()))
        found = []
        for vocab in pool:
            sim = token_similarity(token, vocab)[0]
            if sim >= 0.7:
                found.append((vocab, sim))
        return found

    def _foreign_words(self, tokens: tuple[str, ...]) -> list[tuple[str, float]]:
        """Return Latin list words that runs of Chinese syllables sound like.

        A Han company name writes a foreign brand by sound (`compare._foreign_words`).
        The vocabulary's sound keys are built on the first such query only.
        """
        foreign = getattr(self, "_foreign", None)
        if foreign is None:
            table: dict[str, list[str]] = defaultdict(list)
            for token, posting in self.postings.items():
                if self.weights[token] > GENERIC_WEIGHT and len(posting) <= MAX_POSTING:
                    for found in foreign_word_keys(token, BRAND_WORDS):
                        table[found].append(token)
            foreign = self._foreign = dict(table)
        best: dict[str, float] = {}
        for found, syllables, word in syllable_run_keys(tokens, BRAND_WORDS):
            for vocab in foreign.get(found, ()):
                if word:  # the brand glued to the word the Han name translates
                    sim = glued_word_similarity(syllables, vocab, word)
                else:
                    sim = foreign_word_similarity(syllables, vocab)
                if sim >= 0.8 and sim > best.get(vocab, 0.0):
                    best[vocab] = sim
        return list(best.items())

    def _sound_neighbours(self, token: str) -> set[str]:
        """Return vocabulary tokens whose loose outline is the token's or one edit away.

        Only for names written in another script, so the edits are generated at
        query time rather than stored.
        """
        key = retrieval_outline(token)
        if not key:
            return set()
        variants = {key}
        if len(key) >= 3:
            variants |= _edits(key)
        pool: set[str] = set()
        for variant in variants:
            pool.update(self.loose.get(variant, ())[:300])
        return pool

    # -- two names ----------------------------------------------------------------

    def match(
        self, query: str, listed: str, *, threshold: float | None = None
    ) -> MatchResult:
        """Compare a name with a list name, as screening would.

        Tokens weigh by their rarity over all list names (not the defaults of
        `match_names`). When the list name is a name of listed parties, the
        query is compared with every name those parties carry (aliases, other
        scripts) and their list entries' rules apply: an analyst adjudicating a
        hit on "PUTIN, Vladimir Vladimirovich" is asking about that party.
        """
        cut = DEFAULT_THRESHOLD if threshold is None else threshold
        owners = self._owners_of(listed)
        targets: list[tuple[str, NameKey, list[float] | None, int]] = [
            (name, analyze_name(name), None, -1)
            for name in (listed, without_brackets(listed))
            if name
        ]
        for entity_pos in owners:
            for name_id in self._entity_names().get(entity_pos, ()):
                targets.append(
                    (
                        self.name_text[name_id],
                        self.name_keys[name_id],
                        self.name_weights[name_id],
                        name_id,
                    )
                )
        best: tuple[float, str] | None = None
        for reading in query_readings(query):
            key = analyze_name(reading)
            weights = position_weights(key.tokens, self.weight)
            for name, candidate, candidate_weights, name_id in targets:
                compared = compare_keys(
                    key,
                    candidate,
                    self.weight,
                    query_weights=weights,
                    candidate_weights=candidate_weights,
                    brands=self.brands,
                )
                score, notes = compared.score, []
                if name_id >= 0:
                    entity = self.entities[self.name_entity[name_id]]
                    score, notes = _name_rules(
                        compared,
                        key,
                        entity,
                        bool(self.name_weak[name_id]),
                        self._rare,
                    )
                    if name != listed:
                        notes.append(f"Listed name of {entity.id} ({entity.name}).")
                if reading != query:
                    notes.append(f"Read as the Korean name {reading}.")
                if best is None or score > best[0]:
                    best = (score, " ".join([compared.explain(query, name), *notes]))
        assert best is not None
        score = round(min(1.0, best[0]), 4)
        return MatchResult(score=score, match=score >= cut, explanation=best[1])

    def _owners_of(self, name: str) -> list[int]:
        """Return the listed parties that carry a name (compared as normalised)."""
        if self._owners is None:
            owners: dict[str, set[int]] = defaultdict(set)
            for name_id, text in enumerate(self.name_text):
                owners[_plain(text)].add(self.name_entity[name_id])
                # A list name written with another legal form or punctuation
                # ("Co., Ltd" for "CO., LIMITED") is found by its comparison form.
                key_text = self.name_keys[name_id].text
                if key_text:
                    owners["\0" + key_text].add(self.name_entity[name_id])
            self._owners = dict(owners)
        found = self._owners.get(_plain(name))
        if found is None:
            found = self._owners.get("\0" + analyze_name(name).text, ())
        return sorted(found)

    def _entity_names(self) -> dict[int, list[int]]:
        """Return the name ids of each listed party, built on first use."""
        if self._by_entity is None:
            by_entity: dict[int, list[int]] = defaultdict(list)
            for name_id, entity_pos in enumerate(self.name_entity):
                by_entity[entity_pos].append(name_id)
            self._by_entity = dict(by_entity)
        return self._by_entity

    def _id_matches(self, ids: Sequence[str]) -> list[tuple[int, str]]:
        """Return listed parties that carry one of the given identifiers."""
        out = []
        for raw in ids:
            value = _clean_id(raw)
            for entity_pos in self.identifiers.get(value, ()):
                ident = next(
                    (
                        i
                        for i in self.entities[entity_pos].ids
                        if _clean_id(i.value) == value
                    ),
                    None,
                )
                kind = ident.type if ident else "identifier"
                out.append(
                    (entity_pos, f"Identifier {raw!r} matches the listed {kind}.")
                )
        return out

    # -- persistence --------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the index to a file, to load it again for the same list version."""
        transient = (
            "_expansions", "_compared", "_owners", "_by_entity", "_local", "_foreign"
        )
        state = {k: v for k, v in self.__dict__.items() if k not in transient}
        with open(path, "wb") as handle:
            pickle.dump(code_digest(), handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: str | Path) -> ScreeningIndex:
        """Read an index written by `save` with the same screening code.

        Raises ValueError when the file was written by other screening code or
        data (another release, a changed matcher): that index must be rebuilt.
        """
        with open(path, "rb") as handle:
            digest = pickle.load(handle)
            if digest != code_digest():
                raise ValueError(
                    f"screening index {str(path)!r} was built by other screening code"
                )
            state = pickle.load(handle)
        index = cls()
        index.__dict__.update(state)
        warm_up()
        common.warm_up()
        return index

    def __len__(self) -> int:
        return len(self.entities)


@functools.cache
def code_digest() -> str:
    """Return a digest of what shapes a saved index besides its lists.

    Covers the exodus version, the source and data files of the screening
    package, the list model it stores, and the versions of the libraries it
    uses; computed once per process (reads about 0.5 MB).
    """
    digest = hashlib.sha256(f"exodus {exodus.__version__}".encode())
    here = Path(__file__).parent
    files = sorted(here.glob("*.py")) + sorted((here / "data").glob("*"))
    files.append(here.parent / "lists" / "model.py")
    for file in files:
        digest.update(f"\0{file.relative_to(here.parent)}\0".encode())
        digest.update(file.read_bytes())
    for library in _INDEX_LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"\0{library} {version}".encode())
    return digest.hexdigest()[:16]


# -- grouping ---------------------------------------------------------------------

# Lists published from OFAC's database: their source ids are OFAC entry numbers,
# shared by the same party in the SDN file, the non-SDN files and the CSL.
OFAC_SOURCES = frozenset(
    {"SDN", "NONSDN", "SSI", "PLC", "CMIC", "NS-MBS", "CAP", "FSE", "MBS", "NS-PLC"}
)


def party_key(entity: ListEntity) -> str:
    """Return a key shared by the entries of one real party across lists.

    OFAC entries share their OFAC number; Denied Persons entries (the CSL copy
    and BIS's own file) share their normalised name; others stand alone.
    """
    if entity.source in OFAC_SOURCES and entity.source_id.isdigit():
        return f"ofac:{entity.source_id}"
    if entity.source == "DPL":
        return f"dpl:{analyze_name(entity.name).text}"
    return entity.id


def group_hits(hits: list[ScreeningHit]) -> list[ScreeningHit]:
    """Fold hits on the same real party into the strongest one, best first."""
    primary: dict[str, int] = {}
    grouped: list[ScreeningHit] = []
    for hit in hits:
        key = party_key(hit.entity)
        at = primary.get(key)
        if at is None:
            primary[key] = len(grouped)
            grouped.append(hit)
            continue
        first = grouped[at]
        also = AlsoListed(hit.entity_id, hit.source, hit.score)
        grouped[at] = replace(first, also=(*first.also, also))
    return grouped


# -- helpers ----------------------------------------------------------------------


class _CollectorPause:
    """Pause Python's cyclic garbage collector while any thread screens.

    Screening makes no reference cycles (reference counting frees what it
    allocates), but it allocates enough to start full collections, and each
    walks the whole index, millions of objects: a third of the CPU time of a
    large batch. The collector runs again when the last screening thread is done.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._resume = False

    def __enter__(self) -> None:
        with self._lock:
            if self._depth == 0:
                self._resume = gc.isenabled()
                gc.disable()
            self._depth += 1

    def __exit__(self, *_: object) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth == 0 and self._resume:
                gc.enable()


_COLLECTOR_PAUSE = _CollectorPause()


def _deletions(token: str) -> set[str]:
    """Return the token with each one letter left out."""
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


_OUTLINE_LETTERS = "bklmns"


def _edits(key: str) -> set[str]:
    """Return the outlines one deletion, insertion or substitution away."""
    out = _deletions(key)
    for i in range(len(key) + 1):
        for letter in _OUTLINE_LETTERS:
            out.add(key[:i] + letter + key[i:])
            if i < len(key):
                out.add(key[:i] + letter + key[i + 1 :])
    return out


def _joined_forms(tokens: tuple[str, ...]) -> list[str]:
    """Return neighbour pairs and the whole name written together, both orders for pairs."""
    if len(tokens) < 2:
        return []
    forms = ["".join(tokens)]
    for a, b in pairwise(tokens):
        forms.append(a + b)
    if len(tokens) == 2:
        forms.append(tokens[1] + tokens[0])
    return forms


def _plain(name: str) -> str:
    """Return a name case-folded with its spaces collapsed, to look it up."""
    return " ".join(name.casefold().split())


def _clean_id(value: str) -> str:
    """Reduce an identifier to upper-case letters and digits."""
    return _ID_CLEAN.sub("", value.upper())


_SCHEMA_KIND = {
    EntitySchema.PERSON: PERSON,
    EntitySchema.ORGANIZATION: ORGANIZATION,
    EntitySchema.VESSEL: ORGANIZATION,
    EntitySchema.AIRCRAFT: ORGANIZATION,
}


def _entity_key(key: NameKey, entity: ListEntity) -> NameKey:
    """Return the name key with its kind taken from the entity's schema."""
    kind = _SCHEMA_KIND.get(entity.schema)
    if kind is None or kind == key.kind:
        return key
    return _replace_kind(key, kind)


def _with_schema(key: NameKey, schema: str | None) -> NameKey:
    """Return the query key with its kind taken from a declared schema."""
    if not schema:
        return key
    kind = PERSON if schema.lower() in ("person", "individual") else ORGANIZATION
    return _replace_kind(key, kind)


def _replace_kind(key: NameKey, kind: str) -> NameKey:
    """Return a copy of a name key with another kind."""
    return replace(key, kind=kind)


# Words that say a filing names a ship or an aircraft rather than a company.
_CRAFT_WORDS = frozenset(
    {"mv", "mt", "ms", "vessel", "ship", "tanker", "imo", "aircraft", "msn", "tail"}
)
WEAK_ALIAS_FACTOR = 0.9
# Share of the distance to 1 an agreeing country adds. Small: most lawful
# traders share a country with some listed party of a similar name.
COUNTRY_LIFT = 0.15
CRAFT_CAP = 0.55


def _name_rules(
    compared: Comparison,
    key: NameKey,
    entity: ListEntity,
    weak: bool,
    rare: Callable[[str], bool],
) -> tuple[float, list[str]]:
    """Apply what the list entry says about the name: person, craft, weak alias."""
    score, notes = compared.score, []
    if entity.schema is EntitySchema.PERSON:
        score = _family_name_rule(score, compared, rare, notes)
    if entity.schema in (EntitySchema.VESSEL, EntitySchema.AIRCRAFT):
        score = _craft_rule(score, compared, key, notes)
    if weak:
        score = _weak_alias_rule(score, compared, notes)
    return score, notes


# A family name alone counts only when this few list names carry it: list
# rarity is not population rarity ("Smith" is on 12 list names, "Ivanov" on 27).
FAMILY_NAME_DF = 5
FAMILY_NAME_LIFT = 0.4


def _family_name_rule(
    score: float, compared: Comparison, rare: Callable[[str], bool], notes: list[str]
) -> float:
    """Count a listed person's given names less when the query is a rare family name.

    A query naming only a listed person's family name ("POUTINE" for "PUTIN,
    Vladimir Vladimirovich") leaves the given names and patronymics unmatched;
    they say nothing against the match when the family name is on very few
    list names and at least five letters. A common name ("Ivanov", "Kim"), a
    short one ("Jun") or a generic word gets no credit, nor does a query with
    more words than the name it matched.
    """
    if compared.query_only or not compared.candidate_only:
        return score
    if len(compared.pairings) != 1 or len(compared.pairings[0].query) != 1:
        return score
    pairing = compared.pairings[0]
    (family,) = pairing.query
    if pairing.similarity < 0.88 or len(family) < 5 or family in GENERIC_WORDS:
        return score
    if not all(rare(t) for t in pairing.candidate):
        return score
    missing = compared.candidate_only
    if not all(is_given_name(t) or is_lineage_word(t) for t in missing):
        return score
    notes.append(
        f"The query is the listed person's rare family name alone; the list adds "
        f"only given names or patronymics ({' '.join(missing)}) (+)."
    )
    return score + (1.0 - score) * FAMILY_NAME_LIFT


def _craft_rule(
    score: float, compared: Comparison, key: NameKey, notes: list[str]
) -> float:
    """Keep vessel and aircraft names from matching company or person names.

    Filing parties are persons and organisations; a ship's name only counts when
    the query is that name alone, nearly letter for letter, or says it is a craft.
    """
    said_craft = any(t in _CRAFT_WORDS for t in key.sequence)
    exact = not compared.query_only and all(
        p.similarity >= 0.9 for p in compared.pairings
    )
    company = bool(key.legal_forms) or key.kind in (ORGANIZATION, PERSON)
    if said_craft or (exact and not company) or score <= CRAFT_CAP:
        return score
    notes.append(
        "The list entry is a vessel or aircraft and the query names a person or "
        "company that is not that name alone (capped)."
    )
    return CRAFT_CAP


def _weak_alias_rule(score: float, compared: Comparison, notes: list[str]) -> float:
    """Count a weak alias less, and never on everyday words alone."""
    shared = [t for p in compared.pairings for t in p.candidate]
    if shared and all(common.is_common_word(t) for t in shared):
        notes.append("Weak alias of everyday words only (capped).")
        return min(score, CRAFT_CAP)
    notes.append("Weak alias: the list itself calls it a weak name (-).")
    return score * WEAK_ALIAS_FACTOR


def _context(
    score: float, party: QueryParty, entity: ListEntity
) -> tuple[float, list[str]]:
    """Raise or lower a name score by country and address agreement."""
    notes: list[str] = []
    countries = set(entity.countries) | {
        a.country for a in entity.addresses if a.country
    }
    if party.country and countries:
        if party.country.upper() in countries:
            score += (1.0 - score) * COUNTRY_LIFT
            notes.append(f"Country {party.country.upper()} agrees (+).")
        else:
            score *= 0.93
            shown = ", ".join(sorted(countries))
            notes.append(f"Country {party.country.upper()} differs from {shown} (-).")
    if party.address and entity.addresses:
        similarity = _address_similarity(party.address, entity)
        if similarity >= 0.7:
            score += (1.0 - score) * 0.3
            notes.append(f"Address agrees ({similarity:.2f}) (+).")
    return score, notes


def _address_similarity(address: str, entity: ListEntity) -> float:
    """Return the best similarity between an address and the entity's addresses."""
    from rigour.addresses import compare_address

    best = 0.0
    for listed in entity.addresses:
        text = " ".join(p for p in (listed.full, listed.city) if p)
        if text:
            best = max(best, compare_address(address, text))
    return best


def _hashable(party: QueryParty) -> QueryParty:
    """Return the party with its identifiers as a tuple, so it can key a dict."""
    if isinstance(party.ids, tuple):
        return party
    return QueryParty(
        party.name, party.country, party.address, party.schema, tuple(party.ids)
    )
