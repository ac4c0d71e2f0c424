"""Turn a party name in any script into comparable Latin tokens.

The steps, in order: remove legal forms (rigour's org-type table for Latin and
Cyrillic, `vocabulary.NATIVE_LEGAL_FORMS` for Han, Hangul and Kana), transliterate to
ASCII (rigour, falling back to normality/ICU for Han, Arabic and the rest), fold case
and punctuation, read numbers written as words or Roman numerals, and split legal
forms glued to a name ("JSCARGUMENT").
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rigour.names import extract_org_types
from rigour.text.translit import ascii_text

from exodus.core.screening.phonetic import (
    ABJAD_SCRIPTS,
    after_transliteration,
    name_script,
    prepare,
    simplified,
)
from exodus.core.screening.vocabulary import (
    BRAND_CHARACTERS,
    CHINESE_PLACE_SYLLABLES,
    CONCEPT_STEMS,
    CONCEPT_WORDS_EXACT,
    LATIN_LEGAL_TOKENS,
    NATIVE_CONCEPTS,
    NATIVE_LEGAL_FORMS,
    NUMBER_WORDS,
    ORG_ACRONYMS,
    ORG_MARKERS,
    PHRASES,
    PINYIN_GLUED_WORDS,
    PINYIN_LEGAL_FORMS,
    PINYIN_PLACE_SUFFIXES,
    PINYIN_WORDS,
    ROMAN_NUMERALS,
    STOPWORDS,
)
from exodus.core.text import without_hidden

log = logging.getLogger(__name__)

PERSON = "person"
ORGANIZATION = "organization"
UNKNOWN = "unknown"

_ABJAD = re.compile(
    r"[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"
)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_APOSTROPHES = re.compile(
    r"[\u0027\u2018\u2019\u02bc\u02bb\u0060\u00b4\u02b9\u02bf\u02be]"
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th|e|er|eme|ya|yi|iy|go)$")
# Words rigour's table reads as legal forms that are names far more often
# ("Ege" is a Turkish region, not the German "eG").
_NAME_WORDS = frozenset({"ege"})
_COMPANY_WORDS = frozenset({"co", "company"})
_GLUED_PREFIXES = ("ojsc", "cjsc", "pjsc", "jsc", "llc", "ooo", "oao", "zao", "pao")
_GLUED_SUFFIXES = ("ojsc", "cjsc", "pjsc", "jsc", "llc", "ltd", "gmbh", "inc", "corp")


@dataclass(frozen=True, slots=True)
class NameKey:
    """A name reduced to what identifies it, with what was set aside."""

    original: str
    tokens: tuple[str, ...]  # content tokens in name order, no legal forms/numbers
    numbers: tuple[str, ...] = ()  # digits found in the name, sorted
    legal_forms: tuple[str, ...] = ()  # generic legal-form codes, e.g. "llc"
    sequence: tuple[str, ...] = ()  # every token in order, legal forms included
    abjad: bool = False  # written in a script without short vowels (Arabic, Hebrew)
    kind: str = UNKNOWN  # what the name looks like: person, organization, unknown
    script: str = ""  # the non-Latin script the name is written in, if any
    # tokens as written (before concept words replaced them), parallel to tokens
    surface: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """Return the comparison form: content tokens and numbers, space-joined."""
        return " ".join(self.tokens + self.numbers)


def normalize_name(name: str) -> str:
    """Return the comparison form of a name (ASCII, lower case, no legal form)."""
    return analyze_name(name).text


@lru_cache(maxsize=50_000)
def analyze_name(name: str) -> NameKey:
    """Reduce a name to its comparison tokens, numbers and legal forms."""
    text = unicodedata.normalize("NFKC", without_hidden(name or "")).casefold().strip()
    if not text:
        return NameKey(original=name or "", tokens=())
    abjad = bool(_ABJAD.search(text))
    han = bool(_HAN.search(text))
    script = name_script(text)
    abjad = abjad or script in ABJAD_SCRIPTS

    if han:
        text = simplified(text)
    text, native_forms = _strip_native_legal_forms(text)
    text = _translate_native_words(text)
    if han and native_forms:
        text = _translate_brand_characters(text)
    text = prepare(text, script)
    text, rigour_forms = _strip_rigour_legal_forms(text)
    latin = after_transliteration(_to_ascii_words(text), script)
    words = _split_glued_legal_forms(latin)
    if han:
        words, pinyin_forms = _strip_pinyin_legal_forms(words)
        words = _translate_pairs(words, PINYIN_WORDS)
        words = [w for w in words if w not in PINYIN_PLACE_SUFFIXES]
        words = _glue_places(words)
    else:
        pinyin_forms = []
        words = [part for w in words for part in _glued_pinyin(w)]
    words = _translate_pairs(words, PHRASES)

    tokens: list[str] = []
    surface: list[str] = []
    numbers: list[str] = []
    sequence: list[str] = []
    legal = native_forms + rigour_forms + pinyin_forms
    for word in _merge_initial_runs(words):
        sequence.append(word)
        number = _as_number(word)
        if number is not None:
            numbers.append(number)
        elif word in LATIN_LEGAL_TOKENS and len(words) > 1:
            legal.append(LATIN_LEGAL_TOKENS[word])
        elif han or word not in STOPWORDS:  # "de", "da" are Chinese syllables
            split = _split_article(word) if abjad else (word,)
            surface.extend(split)
            tokens.extend(concept_word(w) for w in split)
    if not tokens and not numbers and sequence:
        tokens = [w for w in sequence if w not in STOPWORDS] or list(sequence)
        surface = list(tokens)
    tokens, surface = _abbreviate_phrases(tokens, surface, legal)
    if legal and len(tokens) > 1 and tokens[-1] in _COMPANY_WORDS:
        # "Co., Limited" and "Company Limited" are one legal form, as "Co., Ltd" is.
        tokens, surface = tokens[:-1], surface[:-1]
    kind = _guess_kind(tokens, legal)
    return NameKey(
        original=name,
        tokens=tuple(tokens),
        numbers=tuple(sorted(set(numbers))),
        legal_forms=tuple(sorted(set(legal))),
        sequence=tuple(sequence),
        abjad=abjad,
        kind=kind,
        script=script,
        surface=tuple(surface),
    )


def _strip_native_legal_forms(text: str) -> tuple[str, list[str]]:
    """Remove Han, Hangul and Kana legal forms, returning their generic codes."""
    found: list[str] = []
    for form, code in NATIVE_LEGAL_FORMS:
        if form in text:
            rest = text.replace(form, " ")
            if rest.strip():
                text = rest
                found.append(code)
    return text, found


# Acronyms rigour's org-type table reads as legal forms ("NPO Bazalt"), so a
# spelled-out form must be set aside the same way.
_LEGAL_ACRONYMS = {
    acronym: found[0][1]
    for acronym in set(ORG_ACRONYMS.values())
    if (found := extract_org_types(f"{acronym} x", generic=True))
}


def _translate_native_words(text: str) -> str:
    """Replace Han and Hangul business words with their English concept words."""
    if text.isascii():
        return text
    for word, concept in NATIVE_CONCEPTS:
        if word in text:
            text = text.replace(word, f" {concept} ")
    return text


def _translate_brand_characters(text: str) -> str:
    """Read the characters a company name uses for their meaning ("芯" chip)."""
    for char, word in BRAND_CHARACTERS:
        if char in text:
            text = text.replace(char, f" {word} ")
    return text


def _glued_pinyin(word: str) -> tuple[str, ...]:
    """Read a Chinese business word written as one Latin word ("keji")."""
    found = PINYIN_GLUED_WORDS.get(word)
    return tuple(found.split()) if found else (word,)


@lru_cache(maxsize=100_000)
def concept_word(word: str) -> str:
    """Return the English concept word for an organisation word in any language."""
    found = CONCEPT_WORDS_EXACT.get(word)
    if found:
        return found
    for size in range(min(len(word), 12), 4, -1):
        found = CONCEPT_STEMS.get(word[:size])
        if found:
            return found
    return word


def _abbreviate_phrases(
    tokens: list[str], surface: list[str], legal: list[str]
) -> tuple[list[str], list[str]]:
    """Replace spelled-out organisation types with their usual acronym (NPO, NII)."""
    out, out_surface = [], []
    pos = 0
    while pos < len(tokens):
        for size in (4, 3, 2):
            phrase = tuple(tokens[pos : pos + size])
            if len(phrase) == size and phrase in ORG_ACRONYMS:
                acronym = ORG_ACRONYMS[phrase]
                if len(tokens) > size and acronym in _LEGAL_ACRONYMS:
                    legal.append(_LEGAL_ACRONYMS[acronym])
                else:
                    out.append(acronym)
                    out_surface.append(acronym)
                pos += size
                break
        else:
            out.append(tokens[pos])
            out_surface.append(surface[pos])
            pos += 1
    return out, out_surface


def _strip_rigour_legal_forms(text: str) -> tuple[str, list[str]]:
    """Remove legal forms rigour knows (GmbH, S.A. de C.V., ООО ...)."""
    rest, found = text, []
    for matched, target in extract_org_types(text, generic=True):
        if matched.strip(" .") in ROMAN_NUMERALS:
            continue  # "II" in "NEW YORK II CORP" is a number, not a legal form
        if matched.strip(" .") in _NAME_WORDS:
            continue
        pattern = r"(?<!\w)" + re.escape(matched) + r"(?!\w)"
        rest = re.sub(pattern, " ", rest, count=1)
        found.append(target)
    if not _NON_ALNUM.sub("", ascii_text(rest).lower()):
        return text, []
    return rest, found


def _to_ascii_words(text: str) -> list[str]:
    """Transliterate to ASCII and split into lower-case alphanumeric words."""
    text = _APOSTROPHES.sub("", text)
    latin = ascii_text(text).lower()
    latin = latin.replace("?", "")  # ICU marks letters it cannot render with "?"
    return [w for w in _NON_ALNUM.split(latin) if w]


def _split_glued_legal_forms(words: list[str]) -> list[str]:
    """Split legal-form abbreviations written together with the name."""
    out: list[str] = []
    for word in words:
        head = next((p for p in _GLUED_PREFIXES if word.startswith(p)), None)
        tail = next((s for s in _GLUED_SUFFIXES if word.endswith(s)), None)
        if head and len(word) - len(head) >= 4:
            out.extend((head, word[len(head) :]))
        elif tail and len(word) - len(tail) >= 4:
            out.extend((word[: -len(tail)], tail))
        else:
            out.append(word)
    return out


def _strip_pinyin_legal_forms(words: list[str]) -> tuple[list[str], list[str]]:
    """Remove legal forms left as pinyin syllables after Han transliteration."""
    found: list[str] = []
    for form in PINYIN_LEGAL_FORMS:
        size = len(form)
        for start in range(len(words) - size, 0, -1):
            if tuple(words[start : start + size]) == form:
                words = words[:start] + words[start + size :]
                found.append("llc")
                break
    return words, found


def _translate_pairs(words: list[str], table: dict[tuple[str, str], str]) -> list[str]:
    """Replace known two-word phrases with their one-token equivalent."""
    out: list[str] = []
    pos = 0
    while pos < len(words):
        pair = tuple(words[pos : pos + 2])
        if len(pair) == 2 and pair in table:
            out.extend(table[pair].split())
            pos += 2
        else:
            out.append(words[pos])
            pos += 1
    return out


_PLACES = {tuple(p.split("_")): p.replace("_", "") for p in CHINESE_PLACE_SYLLABLES}


def _glue_places(words: list[str]) -> list[str]:
    """Write the syllables of a Chinese place as one word ("bei jing" -> "beijing")."""
    out: list[str] = []
    pos = 0
    while pos < len(words):
        for size in (4, 3, 2):
            place = _PLACES.get(tuple(words[pos : pos + size]))
            if place:
                out.append(place)
                pos += size
                break
        else:
            out.append(words[pos])
            pos += 1
    return out


def _merge_initial_runs(words: list[str]) -> list[str]:
    """Join runs of single letters ("L X C") into one token ("lxc")."""
    out: list[str] = []
    run: list[str] = []
    for word in words + [""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) >= 2:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if word:
            out.append(word)
    return out


def _as_number(word: str) -> str | None:
    """Return the digits a word stands for, or None when it is not a number."""
    if word.isdigit():
        return str(int(word))
    match = _ORDINAL.match(word)
    if match:
        return str(int(match.group(1)))
    return NUMBER_WORDS.get(word) or ROMAN_NUMERALS.get(word)


def _split_article(word: str) -> tuple[str, ...]:
    """Split the Arabic article glued to a transliterated word ("alrawy")."""
    if word.startswith("al") and len(word) > 4:
        return ("al", word[2:])
    return (word,)


def _guess_kind(tokens: list[str], legal: list[str]) -> str:
    """Tell an organisation's name by its legal form or words; else unknown.

    A name without such words may still be a company's ("Mahan Air"), so a
    name is never guessed to be a person's: only a declared schema says that.
    """
    if legal or any(t in ORG_MARKERS for t in tokens):
        return ORGANIZATION
    return UNKNOWN
