"""Brands that lead families of listed parties, read from the lists themselves.

Some listed brands are also words general text uses often ("huawei" is among
the 40,000 most frequent English words of `wordfreq`, "head" is a dictionary
word), so the everyday-word rules of `compare` cap them like "falcon". Word
counts cannot tell them apart, and a hand-made table would go stale with the
lists. The lists can: they name such a party by the brand and a place alone,
more than once within one family of entries ("Huawei Cuba", "Huawei Denmark"
under one Federal Register citation; "HEAD France" and "China HEAD" as names of
one Entity List entry). A family is one entry's names, or the entries sharing
a Federal Register citation or a street address. A word is a family brand when
a family carries that word alone or with place words only, with two places or
more (the word alone counts as one; "Yevpatoria" and "Evpatoria" are one). Its
family vocabulary is every word of the family's names that carry it ("HEAD
Aerospace Technology", "HEAD Technology France").

`compare` lets a family brand count as distinctive despite its frequency only
when every word the two names do not share belongs to that vocabulary or is a
word of a legal form ("Huawei Co Ltd" vs "Huawei Technologies Co., Ltd."), so
"Head Start Trading LLC" and "Head Sports GmbH" stay capped.

TODO: a famous brand listed as a single entry that never names itself by the
brand alone or with a place (no such aliases, no sister entries) is not found,
and a lawful company named by a family brand and a legal form alone ("Head Co
Ltd") hits the family; the lists carry nothing that would tell either apart.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from exodus.core.lists.model import EntitySchema, ListEntity
from exodus.core.screening.compare import fold_spelling
from exodus.core.screening.normalize import NameKey, analyze_name
from exodus.core.screening.vocabulary import (
    CHINESE_PLACES,
    CONCEPT_WORDS,
    GENERIC_WORDS,
    PARTICLES,
)

log = logging.getLogger(__name__)

# Brand -> the words of its family's names that carry it.
BrandFamilies = dict[str, frozenset[str]]

# A family must name the party by the brand with this many different places
# (the brand alone counts as one).
BRAND_NAMES = 2
_CITATION = re.compile(r"\d+\s*FR\s*\d+")
_PARTIES = (EntitySchema.ORGANIZATION, EntitySchema.UNKNOWN)


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Return territory names that analyse to one word ("cuba", "hk", "sichuan").

    From rigour's territory table (countries and their first-level regions),
    with Chinese provinces and cities; generic words ("global") are left out.
    """
    from rigour.territories import get_territories

    words = set(CHINESE_PLACES)
    for territory in get_territories():
        tokens = analyze_name(territory.name).tokens
        if len(tokens) == 1:
            words.add(tokens[0])
    return frozenset(
        w for w in words if w not in GENERIC_WORDS and w not in CONCEPT_WORDS
    )


def brand_families(
    entities: Sequence[ListEntity],
    name_keys: Sequence[NameKey],
    name_entity: Sequence[int],
) -> BrandFamilies:
    """Find the family brands of one list version (see the module docstring).

    `name_keys[i]` is a name of `entities[name_entity[i]]`, as the index holds it.
    """
    places = place_words()
    names: dict[int, list[tuple[str, ...]]] = defaultdict(list)
    for key, position in zip(name_keys, name_entity, strict=True):
        if entities[position].schema in _PARTIES:
            names[position].append(key.tokens)
    # (brand, family) -> the places the brand is named with ("" for none).
    named: dict[tuple[str, tuple[str, str]], set[str]] = defaultdict(set)
    for position, tokens_list in names.items():
        entity = entities[position]
        cities = _address_words(entity)
        families = _families(position, entity)
        for tokens in tokens_list:
            word = _brand_of(tokens, places, cities)
            if word is None:
                continue
            where = " ".join(sorted({t for t in tokens if t != word}))
            for family in families:
                named[(word, family)].add(where)
    members: dict[tuple[str, str], list[int]] | None = None
    vocabulary: dict[str, set[str]] = defaultdict(set)
    for (word, family), found in named.items():
        if _distinct_places(found) < BRAND_NAMES:
            continue
        if members is None:
            members = defaultdict(list)
            for position in names:
                for each in _families(position, entities[position]):
                    members[each].append(position)
        for position in members[family]:
            for tokens in names[position]:
                if word in tokens:
                    vocabulary[word].update(tokens)
    log.info("family brands on the lists: %d", len(vocabulary))
    return {word: frozenset(words) for word, words in vocabulary.items()}


def _distinct_places(places: set[str]) -> int:
    """Count places that are not spellings of one another ("Yevpatoria", "Evpatoria").

    The brand alone counts as a place of its own ("").
    """
    kept: list[str] = []
    for place in sorted(places, key=len):
        folded = fold_spelling(place.replace(" ", ""))
        if not any(_same_place(folded, other) for other in kept):
            kept.append(folded)
    return len(kept)


def _same_place(a: str, b: str) -> bool:
    """Tell two folded place spellings apart unless they are at most two edits apart."""
    if not a or not b:
        return a == b
    return Levenshtein.distance(a, b, score_cutoff=3) <= 2


def _brand_of(
    tokens: tuple[str, ...], places: frozenset[str], cities: set[str]
) -> str | None:
    """Return the one word of a name that is no place, if it can be a brand."""
    rest = {t for t in tokens if t not in places and t not in cities}
    if len(rest) != 1:
        return None
    (word,) = rest
    if len(word) < 3 or not word.isalpha():
        return None
    if word in GENERIC_WORDS or word in CONCEPT_WORDS or word in PARTICLES:
        return None
    return word


def _families(position: int, entity: ListEntity) -> list[tuple[str, str]]:
    """Return the families an entry belongs to: itself, its citations, its addresses."""
    out = [("entry", str(position))]
    for citation in _CITATION.findall(entity.federal_register or ""):
        out.append(("citation", re.sub(r"\s+", " ", citation)))
    for address in entity.addresses:
        text = " ".join(address.full.lower().split())
        # A street address (a number and several parts), not a city alone.
        if any(c.isdigit() for c in text) and text.count(",") >= 1:
            out.append(("address", text))
    return out


def _address_words(entity: ListEntity) -> set[str]:
    """Return the words of an entry's city fields: places for that entry."""
    words: set[str] = set()
    for address in entity.addresses:
        if address.city:
            words.update(analyze_name(address.city).tokens)
    return words
