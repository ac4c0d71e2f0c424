"""Compare two analysed names token by token and explain the score.

Every token of each name is paired with at most one token of the other (exact,
spelling variant, phonetic, same given name in another language, initial, or a
concatenation of neighbouring tokens). Each token counts by its weight: rare words
count most, generic business words and name particles little. The score mixes how
much of each name's weight found a partner, then applies the rules in `_adjust`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein
from rigour.text.phonetics import metaphone

from exodus.core.screening import given_names
from exodus.core.screening.common import is_common_word, is_english_word
from exodus.core.screening.normalize import ORGANIZATION, PERSON, UNKNOWN, NameKey
from exodus.core.screening.phonetic import (
    ABJAD_SCRIPTS,
    ARABIC,
    HAN,
    HANGUL,
    OUTLINE_SCRIPTS,
    cognate_outline,
    east_slavic_fold,
    foreign_word_similarity,
    glued_word_similarity,
    is_pinyin_syllable,
    korean_fold,
    outline,
    outline_similarity,
)
from exodus.core.screening.vocabulary import (
    CHINESE_PLACES,
    CONCEPT_WORDS,
    GENERIC_WORDS,
    ORG_MARKERS,
    PARTICLES,
    SYNONYMS,
)

log = logging.getLogger(__name__)

WeightFn = Callable[[str], float]
# Weight of a word that says what an organisation does in any language
# (plant, arms, space): enough to help, never enough to make a match alone.
CONCEPT_WEIGHT = 0.3
# A token weighing this or less is generic: names sharing only such tokens are
# capped below any threshold (unless identical).
GENERIC_WEIGHT = 0.3

# Share of the score given by the better-covered name; the rest comes from the
# less-covered one, so a name that adds words the other lacks scores lower.
BEST_SIDE_SHARE = 0.6
_PATRONYMIC = re.compile(
    r"(ovich|evich|vich|ovna|evna|ichna|ogly|oglu|kyzy|ovych|ovytj|owitsch|owicz|ovitj|ovitch)$"
)


@dataclass(frozen=True, slots=True)
class Pairing:
    """One aligned piece: query tokens, list-name tokens, similarity and why."""

    query: tuple[str, ...]
    candidate: tuple[str, ...]
    similarity: float
    reason: str
    query_pos: tuple[int, ...] = ()
    candidate_pos: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Comparison:
    """The outcome of comparing two names, with its evidence."""

    score: float
    pairings: tuple[Pairing, ...]
    query_only: tuple[str, ...]
    candidate_only: tuple[str, ...]
    notes: tuple[str, ...]
    # The most any later evidence (country, address) may raise the score to: set
    # when a rule found the names too weak to be one party on their own.
    ceiling: float = 1.0

    def explain(self, query: str, candidate: str) -> str:
        """Return one readable paragraph saying why the score is what it is."""
        parts = [f"{query!r} vs {candidate!r}: score {self.score:.2f}."]
        if self.pairings:
            shown = "; ".join(
                f"{' '.join(p.query)}={' '.join(p.candidate)} ({p.reason})"
                for p in self.pairings
            )
            parts.append(f"Matched {shown}.")
        if self.query_only:
            parts.append(f"Only in query: {' '.join(self.query_only)}.")
        if self.candidate_only:
            parts.append(f"Only in list name: {' '.join(self.candidate_only)}.")
        parts.extend(self.notes)
        return " ".join(parts)


def default_weight(token: str) -> float:
    """Weigh a token without list statistics: generic words and particles count less."""
    if token in GENERIC_WORDS:
        return 0.25
    if token in CONCEPT_WORDS:
        return CONCEPT_WEIGHT
    if token in PARTICLES:
        return 0.15
    if len(token) <= 2:
        return 0.6
    return 1.0


def compare_keys(
    query: NameKey,
    candidate: NameKey,
    weight: WeightFn,
    *,
    query_weights: list[float] | None = None,
    candidate_weights: list[float] | None = None,
    brands: Mapping[str, frozenset[str]] | None = None,
) -> Comparison:
    """Align two analysed names and score them in [0, 1].

    Pass `query_weights`/`candidate_weights` (from `position_weights`) when
    comparing one name with many, to weigh each name once, and `brands` (the
    family brands of the lists, `brands.brand_families`) to let a listed brand
    that is also an everyday word count as distinctive within its family.
    """
    pairings, q_left, c_left = _align(query, candidate)
    if not pairings:
        return Comparison(0.0, (), query.tokens, candidate.tokens, ())
    q_weights = query_weights or position_weights(query.tokens, weight)
    c_weights = candidate_weights or position_weights(candidate.tokens, weight)
    if (query.script or candidate.script) == HAN:
        weight = _places_generic(weight)
        q_weights = _cap_places(query.tokens, q_weights)
        c_weights = _cap_places(candidate.tokens, c_weights)
    notes_before: list[str] = []
    middle = None
    if q_left or c_left:
        middle = _other_middle_names(query, candidate, pairings, q_left, c_left, weight)
        if middle is not None:
            q_weights = _discount(q_weights, middle[0])
            c_weights = _discount(c_weights, middle[1])
            notes_before.append(
                "First and last names agree and one is rare; the middle names "
                "differ and count a third."
            )
    q_only = tuple(query.tokens[i] for i in sorted(q_left))
    c_only = tuple(candidate.tokens[i] for i in sorted(c_left))
    brand = _family_brand(pairings, q_only, c_only, brands) if brands else None
    if brand is not None and (q_left or c_left) and middle is None:
        q_weights = _discount(q_weights, q_left, FAMILY_WORD_SHARE)
        c_weights = _discount(c_weights, c_left, FAMILY_WORD_SHARE)
        notes_before.append(
            f"{brand!r} leads a family of listed parties whose names also carry "
            f"{' '.join(q_only + c_only)}: those words count a third."
        )
    q_cov = _coverage(query.tokens, pairings, q_weights, side=0)
    c_cov = _coverage(candidate.tokens, pairings, c_weights, side=1)
    best, worst = max(q_cov, c_cov), min(q_cov, c_cov)
    score = BEST_SIDE_SHARE * best + (1 - BEST_SIDE_SHARE) * worst
    leftovers = Leftovers(
        q_only,
        c_only,
        sum(q_weights[i] for i in q_left),
        sum(c_weights[i] for i in c_left),
        q_cov,
    )
    before = score
    score, notes = _adjust(score, query, candidate, pairings, leftovers, weight, brand)
    notes = notes_before + notes
    ceiling = score if any("(capped)" in n for n in notes) and score < before else 1.0
    return Comparison(
        round(score, 4), tuple(pairings), q_only, c_only, tuple(notes), ceiling
    )


@dataclass(frozen=True, slots=True)
class Leftovers:
    """Tokens of each name that found no partner, and their weight."""

    query: tuple[str, ...]
    candidate: tuple[str, ...]
    query_weight: float
    candidate_weight: float
    query_coverage: float


# -- token similarity -------------------------------------------------------------


@lru_cache(maxsize=200_000)
def token_similarity(a: str, b: str, script: str = "") -> tuple[float, str]:
    """Return how alike two tokens are, in [0, 1], and the kind of likeness.

    `script` is the non-Latin script one of the names was written in: names
    rendered from it are also compared by the sounds that script can write.
    """
    if a == b:
        return 1.0, "exact"
    if script == HAN and "china" in (a, b) and {a, b} <= CHINESE_PLACES:
        # 北京 in a Chinese company's name is often "China" in its English one.
        return 0.8, "a place in China"
    short = min(len(a), len(b))
    if short == 1:
        return (0.6, "initial") if a[0] == b[0] else (0.0, "")
    if script in ABJAD_SCRIPTS:
        found = _skeleton_similarity(a, b)
        if found[0]:
            return found
    if a.isdigit() or b.isdigit():
        return 0.0, ""
    group = SYNONYMS.get(a)
    if group is not None and group == SYNONYMS.get(b):
        return 0.9, "same word in other words"
    found = (0.0, "")
    if short >= 4:
        found = max(found, _spelling_similarity(a, b))
    if script == HANGUL and korean_fold(a) == korean_fold(b):
        found = max(found, (0.9, "Korean romanisation variant"))
    if script in OUTLINE_SCRIPTS and found[0] < 0.88:
        found = max(found, outline_similarity(a, b, script))
    if found[0] < 0.9 and short >= 3 and a[0] == b[0] and _same_given_name(a, b):
        found = (0.9, "same name in another form")
    if found[0] < 0.85 and a.isalpha() and b.isalpha() and given_names.nickname_of(a, b):
        found = (0.85, "nickname")
    if found[0] < 0.9 and short >= 4:
        found = max(found, _form_similarity(a, b))
    return found


_ENDINGS = ("as", "is", "us", "ys", "s")
_PLACE_ADJECTIVE = re.compile(
    r"(skiy|skii|skij|skyi|skyy|sky|ski|skaya|skaia|skoye|skoe|skogo|ska|skoho)$"
)


def _form_similarity(a: str, b: str) -> tuple[float, str]:
    """Score grammatical and national forms of one name or word.

    Ukrainian and Russian given names (Volodymyr, Vladimir), Lithuanian and
    Latvian nominative endings (Putinas, Vladimirs), a Russian adjective made
    from a place name (Tulsky, Tula) and the Russian kh of a word of Greek
    origin written ch in English (khimkompozit, chemcomposite).
    """
    fa, fb = east_slavic_fold(a), east_slavic_fold(b)
    if fa == fb:
        return 0.9, "same name in another language"
    changed = fa != a or fb != b
    everyday = is_english_word(a) or is_english_word(b)
    if changed and not everyday and min(len(fa), len(fb)) >= 6 and fa[0] == fb[0]:
        if OSA.distance(fa, fb, score_cutoff=2) <= 1:
            return 0.8, "same name in another language, one letter apart"
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    if len(short) >= 4 and long_.startswith(short):
        if long_[len(short) :] in _ENDINGS:
            return 0.88, "same word with a case ending"
    stem = _PLACE_ADJECTIVE.sub("", long_)
    if stem != long_ and len(stem) >= 3 and short.startswith(stem):
        if len(short) - len(stem) <= 2 and not _PLACE_ADJECTIVE.search(short):
            return 0.85, "adjective of a place name"
    ca, cb = cognate_outline(a), cognate_outline(b)
    if len(ca) >= 6 and ca == cb:
        return 0.8, "same consonants, another spelling"
    return 0.0, ""


def _spelling_similarity(a: str, b: str) -> tuple[float, str]:
    """Score typos and transliteration variants of tokens of four letters or more.

    Two short everyday words one letter apart ("agro", "aero") are two words, not
    a typo, unless they are forms of one given name.
    """
    if fold_spelling(a) == fold_spelling(b):
        return 0.92, "transliteration variant"
    if max(len(a), len(b)) <= 6 and is_english_word(a) and is_english_word(b):
        return 0.0, ""
    longest = max(len(a), len(b))
    if min(len(a), len(b)) <= 5 or longest <= 8:
        allowed = 1
    else:
        allowed = 2 if longest <= 12 else 3
    edits = OSA.distance(a, b, score_cutoff=allowed + 1)  # a swap is one edit
    if edits > allowed:
        return 0.0, ""
    if a[0] == b[0]:
        return max(0.7, 1.0 - edits / longest), f"spelling variant, {edits} edit(s)"
    if metaphone(a) == metaphone(b):
        return 0.8, "sounds alike"
    return 0.0, ""


# Spellings that differ between transliteration systems (BGN, ISO 9, German,
# French) of the same Cyrillic or Arabic letters.
_FOLDS = (
    ("kh", "h"),
    ("ks", "x"),
    ("ph", "f"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("iy", "i"),
    ("yi", "i"),
    ("ij", "i"),
    ("yj", "i"),
    ("ii", "i"),
    ("y", "i"),
    ("tch", "ch"),
    ("tsch", "ch"),
    ("sch", "sh"),
    ("w", "v"),
    ("dzh", "j"),
    ("zh", "j"),
    ("ck", "k"),
    ("c", "k"),
    ("q", "k"),
    ("z", "s"),
)


@lru_cache(maxsize=200_000)
def fold_spelling(token: str) -> str:
    """Return a token with transliteration-dependent spellings made equal."""
    for pair, single in _FOLDS:
        token = token.replace(pair, single)
    return re.sub(r"(.)\1+", r"\1", token)


_SKELETON_PAIRS = (("kh", "k"), ("gh", "g"), ("sh", "s"))
_SKELETON_DROP = str.maketrans("vpqcz", "fbkks", "aeiouyw'")


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Return the consonant outline of a token, as abjad scripts write it."""
    for pair, single in _SKELETON_PAIRS:
        token = token.replace(pair, single)
    out = token.translate(_SKELETON_DROP)
    return re.sub(r"(.)\1+", r"\1", out)


def _skeleton_similarity(a: str, b: str) -> tuple[float, str]:
    """Compare tokens by consonants only, for names written without vowels."""
    sa, sb = skeleton(a), skeleton(b)
    if not sa or not sb:
        return 0.0, ""
    if sa == sb:
        return 0.9, "same consonants"
    if min(len(sa), len(sb)) >= 3 and Levenshtein.distance(sa, sb) <= 1:
        return 0.7, "consonants differ by one"
    return 0.0, ""


def warm_up() -> None:
    """Load the given-name and nickname tables now rather than on first use."""
    given_names.warm_up()


def _same_given_name(a: str, b: str) -> bool:
    """Tell whether the name tables know both tokens as forms of one given name."""
    return given_names.same_given_name(a, b)


# -- alignment --------------------------------------------------------------------


def comparison_script(query: NameKey, candidate: NameKey) -> str:
    """Return the non-Latin script either name was written in ('' for none)."""
    script = query.script or candidate.script
    if (query.abjad or candidate.abjad) and script not in ABJAD_SCRIPTS:
        return ARABIC
    return script


def _align(
    query: NameKey, candidate: NameKey
) -> tuple[list[Pairing], set[int], set[int]]:
    """Pair tokens greedily by similarity, then join neighbours for concatenations."""
    q, c = query.tokens, candidate.tokens
    script = comparison_script(query, candidate)
    scored = []
    for i, qt in enumerate(q):
        for j, ct in enumerate(c):
            sim, reason = token_similarity(qt, ct, script)
            if sim > 0:
                # On equal similarity prefer the shorter pair: an initial goes to
                # the given name rather than the longer patronymic.
                scored.append((sim, -len(qt) - len(ct), i, j, reason))
    scored.sort(reverse=True)
    q_left, c_left = set(range(len(q))), set(range(len(c)))
    pairings: list[Pairing] = []
    for sim, _, i, j, reason in scored:
        if i in q_left and j in c_left:
            q_left.discard(i)
            c_left.discard(j)
            pairings.append(Pairing((q[i],), (c[j],), sim, reason, (i,), (j,)))
    _join_neighbours(q, c, q_left, c_left, pairings, flip=False, script=script)
    _join_neighbours(c, q, c_left, q_left, pairings, flip=True, script=script)
    _spell_initials(q, c, q_left, c_left, pairings, flip=False)
    _spell_initials(c, q, c_left, q_left, pairings, flip=True)
    q_surface = query.surface or q
    c_surface = candidate.surface or c
    _syllable_words(q, c, q_surface, c_surface, q_left, c_left, pairings, flip=False)
    _syllable_words(c, q, c_surface, q_surface, c_left, q_left, pairings, flip=True)
    if query.script == HAN and not candidate.script and query.kind == ORGANIZATION:
        _foreign_words(q, c, q_left, c_left, pairings)
    return pairings, q_left, c_left


def _foreign_words(
    han: tuple[str, ...],
    latin: tuple[str, ...],
    han_left: set[int],
    latin_left: set[int],
    pairings: list[Pairing],
) -> None:
    """Match a foreign brand in a Han company name with its Latin spelling by sound.

    "北京和德宇航" writes HEAD as the syllables he de (`foreign_word_similarity`).
    A Latin word that glues an English word to the brand ("IMAXCHIP") is split
    when the Han name translates that word next to the brand (愛瑪芯: ai ma,
    芯 chip). Only distinctive Latin words are compared, never generic ones.
    """
    for j in sorted(latin_left):
        token = latin[j]
        if len(token) < 3 or not token.isalpha() or token in GENERIC_WORDS:
            continue
        if token in CONCEPT_WORDS:
            continue
        found = _sound_run(token, han, han_left, range(len(han)))
        if found is None:
            found = _glued_english_word(token, han, han_left)
        if found is None:
            continue
        positions, sim = found
        han_left.difference_update(positions)
        latin_left.discard(j)
        pairings.append(
            Pairing(
                tuple(han[p] for p in positions),
                (token,),
                sim,
                "foreign word written in Chinese sounds",
                positions,
                (j,),
            )
        )


def _sound_run(
    token: str, han: tuple[str, ...], left: set[int], starts: range
) -> tuple[tuple[int, ...], float] | None:
    """Find two to four free neighbouring syllables that sound like `token`."""
    best: tuple[tuple[int, ...], float] | None = None
    for start in starts:
        for size in (2, 3, 4):
            positions = tuple(range(start, start + size))
            if not all(p in left and is_pinyin_syllable(han[p]) for p in positions):
                break
            sim = foreign_word_similarity(tuple(han[p] for p in positions), token)
            if sim and (best is None or sim > best[1]):
                best = (positions, sim)
    return best


def _glued_english_word(
    token: str, han: tuple[str, ...], left: set[int]
) -> tuple[tuple[int, ...], float] | None:
    """Split an English word off a Latin brand when the Han name translates it."""
    for i in sorted(left):
        word = han[i]
        if len(word) < 3 or is_pinyin_syllable(word) or len(token) - len(word) < 3:
            continue
        if token.endswith(word):
            rest = token[: -len(word)]
            runs = [
                (positions, sim)
                for size in (2, 3, 4)
                if (found := _sound_run(rest, han, left, range(i - size, i - size + 1)))
                for positions, sim in [found]
                if positions[-1] == i - 1
            ]
        elif token.startswith(word):
            rest = token[len(word) :]
            found = _sound_run(rest, han, left, range(i + 1, i + 2))
            runs = [found] if found else []
        else:
            continue
        if runs:
            positions, _ = max(runs, key=lambda run: run[1])
            sim = glued_word_similarity(tuple(han[p] for p in positions), token, word)
            return tuple(sorted((*positions, i))), sim
    return None


def _syllable_words(
    one: tuple[str, ...],
    other: tuple[str, ...],
    one_surface: tuple[str, ...],
    other_surface: tuple[str, ...],
    one_left: set[int],
    other_left: set[int],
    pairings: list[Pairing],
    *,
    flip: bool,
) -> None:
    """Match a word made of the first syllables of neighbouring words.

    Russian names shorten "Tekhnologii Mashinostroeniya" to "Tekhmash" and
    "Gazovaya Promyshlennost" to "Gazprom".
    """
    if not one_left or len(other_left) < 2:
        return
    folded = {p: fold_spelling(fold_spelling(other_surface[p])) for p in other_left}
    heads = {f[:3] for f in folded.values()}
    for i in sorted(one_left):
        word = fold_spelling(fold_spelling(one_surface[i]))
        if not 5 <= len(word) <= 14 or not word.isalpha() or word[:3] not in heads:
            continue
        for start in sorted(other_left):
            for size in (2, 3):
                positions = tuple(range(start, start + size))
                if not all(p in other_left for p in positions):
                    break
                parts = [folded[p] for p in positions]
                if _starts_of(word, parts):
                    one_left.discard(i)
                    other_left.difference_update(positions)
                    joined = tuple(other[p] for p in positions)
                    reason = "first syllables of the other name's words"
                    if flip:
                        pairings.append(
                            Pairing(joined, (one[i],), 0.8, reason, positions, (i,))
                        )
                    else:
                        pairings.append(
                            Pairing((one[i],), joined, 0.8, reason, (i,), positions)
                        )
                    break
            if i not in one_left:
                break


def _starts_of(word: str, parts: list[str]) -> bool:
    """Tell whether a word is the first three letters or more of each part in turn."""
    if not parts:
        return not word
    head, rest = parts[0], parts[1:]
    if not rest:
        return 3 <= len(word) < len(head) + 1 and head.startswith(word)
    for size in range(min(len(head), len(word)), 2, -1):
        if word[:size] == head[:size] and _starts_of(word[size:], rest):
            return True
    return False


def _spell_initials(
    one: tuple[str, ...],
    other: tuple[str, ...],
    one_left: set[int],
    other_left: set[int],
    pairings: list[Pairing],
    *,
    flip: bool,
) -> None:
    """Match a run of initials written together ("V.V.") to the names they start."""
    for i in sorted(one_left):
        token = one[i]
        if not 2 <= len(token) <= 3 or not token.isalpha():
            continue
        free = sorted(other_left)
        for start in range(len(free) - len(token) + 1):
            positions = tuple(free[start : start + len(token)])
            if "".join(other[p][0] for p in positions) == token:
                one_left.discard(i)
                other_left.difference_update(positions)
                joined = tuple(other[p] for p in positions)
                if flip:
                    pairings.append(
                        Pairing(joined, (token,), 0.6, "initials", positions, (i,))
                    )
                else:
                    pairings.append(
                        Pairing((token,), joined, 0.6, "initials", (i,), positions)
                    )
                break


def _join_neighbours(
    one: tuple[str, ...],
    other: tuple[str, ...],
    one_left: set[int],
    other_left: set[int],
    pairings: list[Pairing],
    *,
    flip: bool,
    script: str,
) -> None:
    """Match a token of one name against two to four joined tokens of the other."""
    if not one_left or len(other_left) < 2:
        return
    starts = {other[p][0] for p in other_left}
    sounds = script in OUTLINE_SCRIPTS
    for i in sorted(one_left):
        token = one[i]
        if len(token) < 5 and not sounds:
            continue
        if token[0] not in starts and not sounds:
            continue
        run = _find_run(token, other, other_left, script)
        if run is None:
            continue
        positions, sim = run
        one_left.discard(i)
        other_left.difference_update(positions)
        joined = tuple(other[p] for p in positions)
        reason = "written together" if sim == 1.0 else "written together, near spelling"
        if flip:
            pairings.append(Pairing(joined, (token,), sim, reason, positions, (i,)))
        else:
            pairings.append(Pairing((token,), joined, sim, reason, (i,), positions))


def _find_run(
    token: str, other: tuple[str, ...], left: set[int], script: str
) -> tuple[tuple[int, ...], float] | None:
    """Find unmatched neighbouring tokens of `other` that spell `token` when joined."""
    best: tuple[tuple[int, ...], float] | None = None
    free = sorted(left)
    sounds = script in OUTLINE_SCRIPTS
    for start in free:
        for size in (2, 3, 4):
            positions = tuple(range(start, start + size))
            if not all(p in left for p in positions):
                break
            length = sum(len(other[p]) for p in positions)
            if length > len(token) + 2 and not sounds:
                break  # longer runs only get longer
            if length < len(token) - 2 and not sounds:
                continue
            for order in (positions, positions[::-1]) if size == 2 else (positions,):
                if not sounds and other[order[0]][0] != token[0]:
                    continue  # joined spellings agree on the first letter
                joined = "".join(other[p] for p in order)
                sim = _joined_similarity(token, joined)
                if not sim and script in OUTLINE_SCRIPTS:
                    sim = _joined_sounds(token, joined, script)
                if sim and (best is None or sim > best[1]):
                    best = (positions, sim)
    return best


def _joined_sounds(token: str, joined: str, script: str) -> float:
    """Score a token against joined tokens by sound, for names in other scripts."""
    if script in ABJAD_SCRIPTS and skeleton(token) == skeleton(joined):
        return 0.85
    if script == HANGUL and korean_fold(token) == korean_fold(joined):
        return 0.9
    sound = outline(token, script)
    if len(sound) >= 2 and sound == outline(joined, script):
        return 0.85
    return 0.0


def _joined_similarity(token: str, joined: str) -> float:
    """Score a token against joined tokens: exact, or one or two edits if long."""
    if token == joined:
        return 1.0
    if abs(len(token) - len(joined)) > 2 or len(joined) < 7:
        return 0.0
    allowed = 1 if len(joined) < 10 else 2
    edits = Levenshtein.distance(token, joined, score_cutoff=allowed + 1)
    if edits <= allowed and token[0] == joined[0]:
        return max(0.75, 1.0 - edits / len(joined))
    return 0.0


# -- scoring ----------------------------------------------------------------------


def position_weights(tokens: tuple[str, ...], weight: WeightFn) -> list[float]:
    """Weigh each token of a name in place.

    Patronymics and the names after "bin"/"ibn" (father, grandfather) count about a
    third, because lists and filings often leave them out.
    """
    out = []
    for pos, token in enumerate(tokens):
        value = weight(token)
        lineage = pos > 0 and tokens[pos - 1] in _LINEAGE
        if lineage or _PATRONYMIC.search(token):
            value *= 0.35
        out.append(value)
    return out


_LINEAGE = frozenset({"bin", "ibn", "bint", "binti", "ould", "ben"})


def _places_generic(weight: WeightFn) -> WeightFn:
    """Weigh Chinese places as generic words (see `vocabulary.CHINESE_PLACES`)."""

    def weigh(token: str) -> float:
        value = weight(token)
        return min(value, GENERIC_WEIGHT) if token in CHINESE_PLACES else value

    return weigh


def _cap_places(tokens: tuple[str, ...], weights: list[float]) -> list[float]:
    """Return the weights with Chinese places counting as generic words."""
    return [
        min(w, GENERIC_WEIGHT) if t in CHINESE_PLACES else w
        for t, w in zip(tokens, weights, strict=True)
    ]


# Share of its weight a differing middle name keeps (see `_other_middle_names`).
MIDDLE_NAME_SHARE = 0.35
# Share of its weight a word one name lacks keeps when both names carry a family
# brand and that word is one the family's own names carry or leave out ("HEAD
# Aerospace" and "HEAD Aerospace Group" name one party; see `_family_brand`).
FAMILY_WORD_SHARE = 0.35


def _other_middle_names(
    query: NameKey,
    candidate: NameKey,
    pairings: list[Pairing],
    q_left: set[int],
    c_left: set[int],
    weight: WeightFn,
) -> tuple[set[int], set[int]] | None:
    """Find middle names that differ between two names of one person.

    Lists and filings write one person with different middle names ("MAHMUD
    AHMAD BASHIRUDDIN" for "MAHMOOD, Sultan Bashiruddin"). When both names are
    persons', every token but at most one middle name on each side found a
    close partner, and a matched name of five letters or more is rare on the
    lists, no everyday word and no given name (a shared "John Smith" or a
    Korean syllable proves nothing), the differing middle names count a
    third, as patronymics do. Returns the query and list-name positions, or
    None when the rule does not apply.
    """
    if len(q_left) > 1 or len(c_left) > 1 or len(pairings) < 2:
        return None
    if ORGANIZATION in (query.kind, candidate.kind):
        return None
    if query.legal_forms or candidate.legal_forms:
        return None
    if PERSON not in (query.kind, candidate.kind) and not any(
        given_names.is_given_name(t) for p in pairings for t in p.candidate
    ):
        return None
    if any(
        p.similarity < 0.85 or len(p.query) != 1 or len(p.candidate) != 1
        for p in pairings
    ):
        return None
    if not (_inner(q_left, query) and _inner(c_left, candidate)):
        return None
    rare = any(
        weight(t) >= 0.9
        and len(t) >= 5
        and not is_common_word(t)
        and not given_names.is_given_name(t)
        for p in pairings
        for t in p.candidate
    )
    return (set(q_left), set(c_left)) if rare else None


def _discount(
    weights: list[float], positions: set[int], share: float = MIDDLE_NAME_SHARE
) -> list[float]:
    """Return the weights with those at `positions` counting `share` (a third)."""
    return [w * share if i in positions else w for i, w in enumerate(weights)]


def _inner(positions: set[int], key: NameKey) -> bool:
    """Tell whether positions hold neither the first nor the last name.

    A name written "FAMILY, Given Middle" has its family name first and its
    first given name second.
    """
    size = len(key.tokens)
    comma = "," in key.original
    return all(0 < pos < size - 1 or (comma and pos >= 2) for pos in positions)


def _coverage(
    tokens: tuple[str, ...],
    pairings: list[Pairing],
    weights: list[float],
    *,
    side: int,
) -> float:
    """Return the weighted share of a name's tokens that found a partner."""
    total = sum(weights)
    if total <= 0:
        return 0.0
    matched = 0.0
    for pairing in pairings:
        for pos in pairing.candidate_pos if side else pairing.query_pos:
            matched += weights[pos] * pairing.similarity
    return min(1.0, matched / total)


def _adjust(
    score: float,
    query: NameKey,
    candidate: NameKey,
    pairings: list[Pairing],
    left: Leftovers,
    weight: WeightFn,
    brand: str | None = None,
) -> tuple[float, list[str]]:
    """Apply the rules no token weight expresses; return the score and the notes.

    `brand` is a family brand the names share within its family
    (`_family_brand`): the everyday-word caps spare it.
    """
    notes: list[str] = []
    score = _numbers_rule(score, query, candidate, notes)
    distinct = _any_distinct(pairings, weight)
    if not distinct and left.query_weight + left.candidate_weight > 0:
        score = min(score, 0.5)
        notes.append("Only generic words or particles in common.")
    elif not distinct and _set_aside_differ(query, candidate):
        # "Bank" and "IS BANK, AO" analyse alike once the legal form and the short
        # word are set aside: a name of generic words only must be the same name.
        score = min(score, 0.5)
        notes.append("Only generic words in common, and the names differ in what was set aside.")
    elif _single_shared_word(pairings, left):
        score = min(score, 0.7)
        notes.append("A single short word in common; the other name has more.")
    kinds = {query.kind, candidate.kind}
    if PERSON not in kinds:
        score = _one_word_list_name(
            score, candidate, pairings, left, weight, notes, brand
        )
        if not _reads_as_person(query, candidate, pairings):
            score = _everyday_words_only(score, pairings, left, notes, brand)
    if kinds == {PERSON, ORGANIZATION}:
        score *= 0.8
        notes.append("One name reads as a person, the other as an organisation.")
    elif _named_after_person(query, candidate, pairings, left):
        score *= 0.8
        notes.append(
            "The query reads as a person's name, the list name as an organisation "
            f"named after one ({' '.join(left.candidate)})."
        )
    elif ORGANIZATION in kinds and left.query_coverage >= 0.9:
        extra = [t for t in left.candidate if len(t) > 2 and weight(t) >= 0.5]
        if extra:
            score *= 0.88 ** len(extra)
            notes.append(
                f"The list name adds {' '.join(extra)}: possibly a related but "
                "different organisation."
            )
    return score, notes


def _any_distinct(pairings: list[Pairing], weight: WeightFn) -> bool:
    """Tell whether some pairing holds a list-name token heavier than generic.

    A single letter is an initial, however rare: it identifies no one on its own.
    """
    for pairing in pairings:
        for token in pairing.candidate:
            if len(token) > 1 and weight(token) > GENERIC_WEIGHT:
                return True
    return False


def _set_aside_differ(query: NameKey, candidate: NameKey) -> bool:
    """Tell whether two names differ in the words analysis set aside.

    Legal forms, initials and short words are dropped from the tokens; the word
    sequence and the legal forms still tell "Co Ltd" from "Y.A.S. CO. LTD".
    """
    return query.sequence != candidate.sequence or set(query.legal_forms) != set(
        candidate.legal_forms
    )


# Caps that keep a comparison below any sensible threshold, with its reason shown.
DISTINCT_CAP = 0.6
EVERYDAY_CAP = 0.75


# Words that say what kind of body a party is, as a legal form does.
_FORM_WORDS = frozenset(
    {
        "company", "companies", "corporation", "corp", "group", "holding",
        "holdings", "concern", "kontsern", "joint", "stock", "open", "closed",
        "public", "private", "limited", "firm", "enterprise", "the", "of", "and",
    }
)  # fmt: skip


def _reads_as_person(query: NameKey, candidate: NameKey, pairings: list[Pairing]) -> bool:
    """Tell whether two undeclared names look like persons' (a given name shared)."""
    if query.legal_forms or candidate.legal_forms:
        return False
    if ORGANIZATION in (query.kind, candidate.kind):
        return False
    return any(given_names.is_given_name(t) for p in pairings for t in p.candidate)


def _named_after_person(
    query: NameKey, candidate: NameKey, pairings: list[Pairing], left: Leftovers
) -> bool:
    """Tell a person's name from an organisation named after that person.

    "KIM IL SUNG" is not "KIM IL SUNG MILITARY UNIVERSITY": the query has no
    legal form or organisation word, its words are given names, and what the
    list name adds says it is an organisation.
    """
    if query.kind != UNKNOWN or candidate.kind != ORGANIZATION or left.query:
        return False
    if not any(t in ORG_MARKERS for t in left.candidate):
        return False
    return any(given_names.is_given_name(t) for p in pairings for t in p.query)


def is_lineage_word(token: str) -> bool:
    """Tell a patronymic ("Vladimirovich") or name particle ("bin") from a name."""
    return bool(_PATRONYMIC.search(token)) or token in PARTICLES or token in _LINEAGE


def _distinctive(token: str, weight: WeightFn) -> bool:
    """Tell whether a token identifies a party (not generic, particle or initial)."""
    return (
        len(token) > 2
        and token not in GENERIC_WORDS
        and token not in PARTICLES
        and weight(token) >= 0.5
    )


def _one_word_list_name(
    score: float,
    candidate: NameKey,
    pairings: list[Pairing],
    left: Leftovers,
    weight: WeightFn,
    notes: list[str],
    brand: str | None = None,
) -> float:
    """Cap a list name of one distinctive word found inside a longer query.

    The query's other words must be generic ones, and even then the list word
    must be matched exactly and not be an everyday word: "Jade Electronics" is
    not the vessel "JADE", nor "Delta Components" the company "DOLTA". A family
    brand whose family's words are all the names add is spared the everyday
    cap (和德宇航技术 for the listed "HEAD AEROSPACE GROUP").
    """
    extras = [t for t in left.query if t not in _FORM_WORDS]
    words = [t for t in candidate.tokens if _distinctive(t, weight)]
    if len(words) != 1 or not extras:
        return score
    word = words[0]
    pairing = next((p for p in pairings if word in p.candidate), None)
    if pairing is None:
        return score
    extra = [t for t in extras if _distinctive(t, weight)]
    if extra and score > DISTINCT_CAP:
        notes.append(
            f"The list name has the one distinctive word {word!r}; the query adds "
            f"the distinctive {' '.join(extra)} (capped)."
        )
        return DISTINCT_CAP
    partner = "".join(pairing.query)
    weak = (
        is_common_word(word)
        or is_common_word(partner)
        or len(word) <= 4
        or pairing.similarity < 0.9
    )
    if weak and score > EVERYDAY_CAP and word == brand:
        notes.append(_brand_note(word))
        return score
    if weak and score > EVERYDAY_CAP:
        notes.append(
            f"The list name's one distinctive word {word!r} is an everyday or short "
            "word, or matched only approximately, inside a longer name (capped)."
        )
        return EVERYDAY_CAP
    return score


def _everyday_words_only(
    score: float,
    pairings: list[Pairing],
    left: Leftovers,
    notes: list[str],
    brand: str | None = None,
) -> float:
    """Cap names that share only everyday words and differ in others.

    "Falcon Trading" and "Falcon International Trading" share words that
    thousands of unrelated companies use; only an identical name counts. Names
    sharing three distinctive words or more are left alone, and so are names
    sharing a family brand within its family ("Huawei Co Ltd" vs "HUAWEI
    TECHNOLOGIES CO., LTD.", see `brands`).
    """
    differ = [
        t
        for t in left.query + left.candidate
        if t not in _FORM_WORDS and not _PATRONYMIC.search(t)
    ]
    if not differ or score <= EVERYDAY_CAP:
        return score
    shared = [t for p in pairings for t in p.candidate]
    words = [t for t in shared if t not in GENERIC_WORDS]
    if len(words) <= 2 and all(is_common_word(t) for t in words):
        if brand is not None and brand in words:
            if _brand_note(brand) not in notes:
                notes.append(_brand_note(brand))
            return score
        notes.append(
            f"Only everyday words in common ({' '.join(shared)}), and the names "
            "differ otherwise (capped)."
        )
        return EVERYDAY_CAP
    return score


def _brand_note(brand: str) -> str:
    """Say why a family brand escaped an everyday-word cap."""
    return f"{brand!r} counts as the brand of that family, not as an everyday word."


def _family_brand(
    pairings: list[Pairing],
    query_only: tuple[str, ...],
    candidate_only: tuple[str, ...],
    brands: Mapping[str, frozenset[str]],
) -> str | None:
    """Return a family brand two names share, when the rest of them agrees.

    `brands` holds the brands that lead families of listed parties and the
    words of their names (`brands.brand_families`). The brand must pair
    closely (0.75: a brand written in Chinese sounds pairs that loosely). Every
    word the list name has alone must be a word of the brand's family or one
    saying what kind of body a party is ("Huawei Co Ltd" for "HUAWEI
    TECHNOLOGIES CO., LTD."). Words the query has alone must be such words
    too, and besides need the names to share another word than the brand: the
    lists name the party by its brand, not by its brand and a word the query
    chose ("Vision Technology Co" is not "IS'Vision", "Head Start Trading" is not
    HEAD Aerospace; 和德宇航技术 is "HEAD AEROSPACE GROUP").
    """
    for pairing in pairings:
        if len(pairing.candidate) != 1 or pairing.candidate[0] not in brands:
            continue
        if pairing.similarity < 0.75:
            continue
        family = brands[pairing.candidate[0]]
        query_words = [t for t in query_only if t not in _FORM_WORDS]
        if query_words and len(pairings) < 2:
            return None
        unpaired = query_words + list(candidate_only)
        if all(t in family or t in _FORM_WORDS for t in unpaired):
            return pairing.candidate[0]
    return None


def _numbers_rule(
    score: float, query: NameKey, candidate: NameKey, notes: list[str]
) -> float:
    """Lower the score when the names carry different numbers."""
    if query.numbers == candidate.numbers:
        return score
    if query.numbers and candidate.numbers:
        notes.append(
            f"Numbers differ ({' '.join(query.numbers)} vs "
            f"{' '.join(candidate.numbers)}): a different party."
        )
        return score * 0.5
    shown = " ".join(query.numbers or candidate.numbers)
    notes.append(f"Number {shown} appears in one name only.")
    return score * 0.75


def _single_shared_word(pairings: list[Pairing], left: Leftovers) -> bool:
    """Tell whether one short shared word is all that links two longer names."""
    if len(pairings) != 1:
        return False
    shared = "".join(pairings[0].candidate)
    if len(shared) >= 8 and pairings[0].similarity >= 0.9:
        return False  # a long, rare word is distinctive on its own
    return left.query_weight + left.candidate_weight >= 0.5
