"""Script-aware romanisation fixes and sound keys for names written in other scripts.

Transliteration engines render a foreign name written phonetically in Hangul,
Kana, Devanagari, Khmer, Greek, Hebrew or Arabic letter by letter, so the result
rarely equals the name's usual Latin spelling: Korean and Japanese add vowels
between consonants ("beulladimileu", "urajimiru"), Japanese has one liquid for r
and l, Greek writes d and b as "ντ" and "μπ", Hebrew and Arabic leave most vowels
out, Devanagari keeps an inherent final "a". This module fixes what can be fixed
before transliteration (Khmer, which ICU does not read; Han characters with more
than one reading; Hangul personal names) and compares the rest by a consonant
outline folded by what the source script cannot tell apart.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from itertools import islice, product
from pathlib import Path

from rigour.text.scripts import codepoint_script

log = logging.getLogger(__name__)

HANGUL = "Hangul"
KANA = "Kana"
GREEK = "Greek"
HEBREW = "Hebrew"
ARABIC = "Arabic"
DEVANAGARI = "Devanagari"
KHMER = "Khmer"
HAN = "Han"
CYRILLIC = "Cyrillic"

# Scripts whose renderings of foreign names are compared by sound outline.
OUTLINE_SCRIPTS = frozenset({HANGUL, KANA, GREEK, HEBREW, ARABIC, DEVANAGARI, KHMER})
ABJAD_SCRIPTS = frozenset({HEBREW, ARABIC})
_SCRIPT_NAMES = {
    "Hangul": HANGUL,
    "Katakana": KANA,
    "Hiragana": KANA,
    "Greek": GREEK,
    "Hebrew": HEBREW,
    "Arabic": ARABIC,
    "Devanagari": DEVANAGARI,
    "Khmer": KHMER,
    "Han": HAN,
    "Cyrillic": CYRILLIC,
}


def name_script(text: str) -> str:
    """Return the non-Latin script most letters of a name are written in, or ''."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha() and not char.isascii():
            script = _SCRIPT_NAMES.get(codepoint_script(ord(char)) or "", "")
            if script:
                counts[script] = counts.get(script, 0) + 1
    if not counts:
        return ""
    return max(counts, key=lambda s: counts[s])


# -- before transliteration -------------------------------------------------------

# Khmer consonants and vowel signs (ALA-LC-like, registers ignored), which the
# ICU transliterator leaves unread. Subscript marks and register shifters drop.
_KHMER = {
    "ក": "k", "ខ": "kh", "គ": "k", "ឃ": "kh", "ង": "ng", "ច": "ch", "ឆ": "chh",
    "ជ": "ch", "ឈ": "chh", "ញ": "nh", "ដ": "d", "ឋ": "th", "ឌ": "d", "ឍ": "th",
    "ណ": "n", "ត": "t", "ថ": "th", "ទ": "t", "ធ": "th", "ន": "n", "ប": "b",
    "ផ": "ph", "ព": "p", "ភ": "ph", "ម": "m", "យ": "y", "រ": "r", "ល": "l",
    "វ": "v", "ឝ": "s", "ឞ": "s", "ស": "s", "ហ": "h", "ឡ": "l", "អ": "",
    "ឥ": "i", "ឦ": "i", "ឧ": "u", "ឩ": "u", "ឪ": "ou", "ឫ": "rue", "ឬ": "rue",
    "ឭ": "lue", "ឮ": "lue", "ឯ": "ae", "ឰ": "ai", "ឱ": "ao", "ឲ": "ao", "ឳ": "au",
    "ា": "a", "ិ": "i", "ី": "i", "ឹ": "oe", "ឺ": "oe", "ុ": "u", "ូ": "u",
    "ួ": "ua", "ើ": "ae", "ឿ": "oea", "ៀ": "ie", "េ": "e", "ែ": "ae", "ៃ": "ai",
    "ោ": "ao", "ៅ": "au", "ំ": "m", "ះ": "h", "ៈ": "", "៉": "", "៊": "", "់": "",
    "៌": "r", "៍": "", "៎": "", "៏": "", "័": "", "៑": "", "្": "", "៖": " ",
}  # fmt: skip
_KHMER_TABLE = str.maketrans(_KHMER)

# Han characters whose default reading is not the one place and company names
# use (长沙 Changsha, 厦门 Xiamen, 银行 yinhang "bank").
_HAN_READINGS = {"长": "chang ", "長": "chang ", "厦": "xia ", "廈": "xia ", "行": "hang "}

# Separators Japanese writes between the parts of a foreign name.
_KANA_SEPARATORS = str.maketrans({"・": " ", "･": " ", "＝": " ", "゠": " "})
_HANGUL_SYLLABLE = re.compile(r"[\uac00-\ud7a3]+")


def prepare(text: str, script: str) -> str:
    """Rewrite what transliteration would read wrongly, before it runs."""
    if script == KHMER:
        return text.translate(_KHMER_TABLE)
    if script == KANA:
        return text.translate(_KANA_SEPARATORS)
    if script == HAN:
        return "".join(_HAN_READINGS.get(c, c) for c in text)
    if script == HANGUL:
        return _HANGUL_SYLLABLE.sub(_split_personal_name, text)
    if script == ARABIC:
        # Ta marbuta ends a word in a vowel (Hamza, Sajida), not the t ICU writes.
        return text.replace("ة", "ا")
    if script == CYRILLIC:
        # х is kh in the BGN/PCGN spellings lists use (Khimki, Mikhail).
        return text.replace("х", "kh").replace("Х", "Kh")
    return text


def _split_personal_name(match: re.Match[str]) -> str:
    """Write the syllables of a short Hangul word apart, as Korean names are romanised.

    Korean personal names are two to four syllables written together (김정은,
    Kim Jong Un); romanised, each syllable is a word. Longer words are kept.
    """
    word = match.group(0)
    if len(word) > 4:
        return word
    return " " + " ".join(word) + " "


def after_transliteration(words: list[str], script: str) -> list[str]:
    """Fix words a transliterator rendered with script-specific artefacts."""
    if script == DEVANAGARI:
        # The inherent vowel after a final consonant is not pronounced.
        return [w[:-1] if len(w) > 3 and w.endswith("a") else w for w in words]
    if script == KANA:
        # Katakana writes a foreign initial v before a consonant as ウ (u).
        return [_kana_initial_v(w) for w in words]
    if script == HEBREW:
        # A word-initial vav is a consonant (v); vowels start with alef.
        return ["v" + w[1:] if w.startswith("w") and len(w) > 2 else w for w in words]
    return words


def _kana_initial_v(word: str) -> str:
    """Read a word-initial u before a consonant as the v it stands for."""
    if len(word) > 4 and word[0] == "u" and word[1] in "bdgjklmnprstz":
        return "v" + word[1:]
    return word


# -- comparison --------------------------------------------------------------------

# Digraphs first, then single letters, into broad consonant classes: what the
# scripts above write with one letter, or what one Latin letter renders there.
_DIGRAPHS = (
    ("sch", "s"), ("tch", "9"), ("chh", "9"), ("ch", "9"), ("kh", "k"),
    ("gh", "g"), ("ph", "b"), ("th", "t"), ("dh", "d"), ("sh", "s"),
    ("zh", "j"), ("ts", "s"), ("tz", "s"), ("ck", "k"), ("ng", "n"),
)  # fmt: skip
# "9" stands for the ch class (ч, ㅊ, チ ...), apart from the k that a Latin c is.
_CLASSES = str.maketrans(
    "bpvfwdtgkqcxszjlrmnh", "bbbbbddkkkkkssjllmn_", "aeiouy'"
)
# What each script cannot tell apart, on top of the broad classes.
_SCRIPT_FOLDS: dict[str, tuple[tuple[str, str], ...]] = {
    KANA: (("9", "d"), ("j", "d")),  # チ chi for ti, ジ ji for di
    HANGUL: (("9", "s"), ("j", "s")),  # ㅈ/ㅊ for j, z, ch, ts
    GREEK: (("nd", "d"), ("mb", "b"), ("nk", "k")),
    HEBREW: (("c", "k"),),  # ח and כ: h, kh, ch
    ARABIC: (("j", "k"),),  # ج: j, or g in Egyptian spellings
    DEVANAGARI: (),
    KHMER: (("9", "s"), ("j", "s")),
}
# Latin spellings of one Arabic letter: ث th/s, ذ dh/z, ظ z/dh/th.
_SCRIPT_BEFORE: dict[str, tuple[tuple[str, str], ...]] = {
    ARABIC: (("th", "z"), ("dh", "z")),
}
_KEEP_NASAL = re.compile(r"(?<=[aeiouy])(nt|mp|nk)")


@lru_cache(maxsize=200_000)
def outline(token: str, script: str = "") -> str:
    """Return a token's consonant outline with the classes a script conflates."""
    if script == GREEK:
        token = _KEEP_NASAL.sub(lambda m: {"nt": "nd", "mp": "mb", "nk": "nk"}[m[1]], token)
    for pair, single in _SCRIPT_BEFORE.get(script, ()) + _DIGRAPHS:
        token = token.replace(pair, single)
    token = token.translate(_CLASSES).replace("_", "")
    for pair, single in _SCRIPT_FOLDS.get(script, ()):
        token = token.replace(pair, single)
    return re.sub(r"(.)\1+", r"\1", token)


@lru_cache(maxsize=100_000)
def retrieval_outline(token: str) -> str:
    """Return the loosest outline, shared by every script, to find candidates."""
    out = outline(token)
    return out.replace("9", "s").replace("j", "s").replace("d", "s")


@lru_cache(maxsize=200_000)
def cognate_outline(token: str) -> str:
    """Return the outline with ch read as k, as in words of Greek origin.

    Russian writes the ch of "chemical" or "technology" with х (kh):
    "khimkompozit" and "chemcomposite" share this outline.
    """
    return outline(token).replace("9", "k")


def outline_similarity(a: str, b: str, script: str) -> tuple[float, str]:
    """Compare two tokens by consonant outline as the source script conflates them."""
    oa, ob = outline(a, script), outline(b, script)
    if not oa or not ob:
        return 0.0, ""
    if oa == ob:
        if len(oa) >= 2 or _vowel_shape(a) == _vowel_shape(b):
            return 0.88, "same sounds in another script"
        return 0.0, ""
    if min(len(oa), len(ob)) >= 3 and _one_edit(oa, ob):
        return 0.75, "sounds differ by one consonant"
    return 0.0, ""


def _vowel_shape(token: str) -> str:
    """Return the first vowel of a token, enough to tell 'an' from 'un'."""
    return next((c for c in token if c in "aeiou"), "")


def _one_edit(a: str, b: str) -> bool:
    """Tell whether two strings differ by one insertion, deletion or substitution."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


# Romanisations of Korean (Revised, McCune-Reischauer and the spellings lists
# use) differ in voicing and in how they write the vowels ㅓ, ㅡ, ㅐ.
_KOREAN_FOLDS = (
    ("eo", "o"), ("eu", "u"), ("ae", "e"), ("oe", "e"), ("wo", "o"), ("ee", "i"),
    ("oo", "u"), ("sh", "s"), ("ch", "j"), ("g", "k"), ("d", "t"), ("b", "p"),
    ("r", "l"), ("'", ""),
)  # fmt: skip


@lru_cache(maxsize=50_000)
def korean_fold(token: str) -> str:
    """Return a romanised Korean syllable with scheme-dependent spellings made equal."""
    for pair, single in _KOREAN_FOLDS:
        token = token.replace(pair, single)
    return token


# Ukrainian and Belarusian given names against their Russian forms: full vowel
# groups (Volodymyr / Vladimir), initial o for a (Oleksandr), h for g (Serhiy),
# y for i (Dmytro), Mykola for Nikolai.
_EAST_SLAVIC_STARTS = (
    ("volod", "vlad"), ("wolod", "vlad"), ("olek", "alek"), ("olex", "alex"),
    ("mykol", "nikol"), ("mykh", "mikh"), ("hryh", "grig"), ("hri", "gri"),
    ("yev", "ev"), ("yeh", "eg"), ("ih", "ig"),
)  # fmt: skip


@lru_cache(maxsize=100_000)
def east_slavic_fold(token: str) -> str:
    """Return a given name with Ukrainian and Belarusian forms read as Russian."""
    for start, replacement in _EAST_SLAVIC_STARTS:
        if token.startswith(start):
            token = replacement + token[len(start) :]
            break
    token = token.replace("kh", "h").replace("h", "g").replace("w", "v")
    token = token.replace("yi", "i").replace("iy", "i").replace("y", "i")
    token = re.sub(r"(ovich|ovych|ovitch|owitsch|ovic)$", "ovich", token)
    return re.sub(r"(.)\1+", r"\1", token)


# -- Korean readings of Han characters ------------------------------------------------

_HANJA_TABLE = Path(__file__).with_name("data") / "hanja_readings.tsv"
# A Korean personal name in Han characters: a one-syllable family name and a one-
# or two-syllable given name (金正恩, 金铁三); longer names are rarely Korean.
_KOREAN_NAME_LENGTHS = range(2, 5)
_MAX_READINGS = 4
_icu_lock = threading.Lock()


@lru_cache(maxsize=1)
def _hanja() -> dict[str, str]:
    """Read the Han character -> Hangul syllables table (name readings first)."""
    table: dict[str, str] = {}
    try:
        lines = _HANJA_TABLE.read_text(encoding="utf-8").splitlines()
    except OSError as exc:  # pragma: no cover - the table ships with the package
        log.warning("Hanja table %s unreadable (%s); no Korean readings", _HANJA_TABLE, exc)
        return table
    for line in lines:
        if line and not line.startswith("#"):
            char, _, readings = line.partition("\t")
            table[char] = readings
    return table


@lru_cache(maxsize=1)
def _to_traditional():  # noqa: ANN202 - an ICU transliterator
    """Return ICU's simplified-to-traditional Chinese transliterator."""
    import icu

    return icu.Transliterator.createInstance("Hans-Hant")


@lru_cache(maxsize=1)
def _to_simplified():  # noqa: ANN202 - an ICU transliterator
    """Return ICU's traditional-to-simplified Chinese transliterator."""
    import icu

    return icu.Transliterator.createInstance("Hant-Hans")


def simplified(text: str) -> str:
    """Write Han characters in their simplified forms (國際海運 -> 国际海运).

    Names from Hong Kong and Taiwan use traditional characters; the business
    words read as English concepts are then found in one spelling.
    """
    with _icu_lock:
        return _to_simplified().transliterate(text)


@lru_cache(maxsize=10_000)
def korean_readings(name: str) -> tuple[str, ...]:
    """Return Hangul readings of a Korean personal name written in Han characters.

    Chinese sources write Korean names in Han characters (金正恩 for Kim Jong Un,
    金铁三 for Kim Chol Sam) that pinyin reads as Chinese (jin zheng en). Each
    character's Sino-Korean reading (Unicode Unihan kHangul) gives the Korean
    name, which is then romanised as Hangul is. Simplified characters are first
    made traditional (ICU), since the readings are recorded for those. Returns
    at most four readings (a character may have two), or none when the name is
    not two to four Han characters.
    """
    chars = [c for c in name if not c.isspace() and c not in "·・."]
    if len(chars) not in _KOREAN_NAME_LENGTHS:
        return ()
    if any(codepoint_script(ord(c)) != "Han" for c in chars):
        return ()
    table = _hanja()
    options: list[str] = []
    for char in chars:
        readings = table.get(char)
        if readings is None:
            with _icu_lock:
                readings = table.get(_to_traditional().transliterate(char))
        if not readings:
            return ()
        options.append(readings)
    return tuple("".join(combo) for combo in islice(product(*options), _MAX_READINGS))


# -- foreign words written in Chinese characters -------------------------------

# Pinyin initials and finals (ü written v). Their combinations over-generate a
# little ("bue"), which only makes `pinyin_syllables` accept more Latin words as
# pinyin, and so compare fewer of them by sound.
_PINYIN_INITIALS = (
    "zh ch sh b p m f d t n l g k h j q x r z c s y w".split()
)
_PINYIN_FINALS = frozenset(
    """a o e i u v ai ei ui ao ou iu ie ue ve er an en in un vn ang eng ing ong
    ia iao ian iang iong ua uo uai uan uang""".split()
)
_ZERO_INITIAL = frozenset("a o e ai ei ao ou an en ang eng er".split())
_PINYIN_SYLLABLES = frozenset(
    {i + f for i in _PINYIN_INITIALS for f in _PINYIN_FINALS} | _ZERO_INITIAL
)


@lru_cache(maxsize=100_000)
def pinyin_syllables(word: str) -> tuple[str, ...] | None:
    """Split a Latin word into pinyin syllables ("shenzhen"); None if not pinyin."""
    if not word.isalpha() or not word.isascii():
        return None
    if word in _PINYIN_SYLLABLES:
        return (word,)
    for size in range(min(6, len(word) - 1), 0, -1):
        head = word[:size]
        if head in _PINYIN_SYLLABLES:
            rest = pinyin_syllables(word[size:])
            if rest is not None:
                return (head, *rest)
    return None


def is_pinyin_syllable(word: str) -> bool:
    """Tell whether a token is one pinyin syllable ("he", "zhong")."""
    return word in _PINYIN_SYLLABLES


# Sound classes shared by pinyin and English spellings, as Chinese writes foreign
# words: voicing is not kept (b/p, d/t, g/k), l and r are one sound, f, v and w
# are written alike, and the sibilants and affricates fall together.
_PINYIN_INITIAL_CLASS = {
    "b": "b", "p": "b", "m": "m", "f": "f", "w": "f", "d": "d", "t": "d",
    "n": "n", "l": "l", "r": "l", "g": "k", "k": "k", "h": "h", "j": "s",
    "q": "s", "x": "s", "zh": "s", "ch": "s", "sh": "s", "z": "s", "c": "s",
    "s": "s", "y": "",
}  # fmt: skip
_LATIN_BEFORE = (
    ("sch", "s"), ("tch", "s"), ("ph", "f"), ("wh", "w"), ("ck", "k"), ("qu", "kw"),
    ("th", "t"), ("ch", "s"), ("sh", "s"), ("zh", "s"), ("ng", "n"), ("gh", ""),
)  # fmt: skip
_LATIN_CLASS = str.maketrans(
    "bpfvwdtgkqcxszjlrmnh", "bbfffddkkkkksssllmnh"
)
_SOFT_C = re.compile(r"c(?=[eiy])")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# A consonant other than n ending the word after a vowel: pinyin cannot end a
# syllable with it, so it is often left unwritten ("imax", 愛瑪 ai ma).
_CODA = re.compile(r"(?<=[aeiouy])[bfdkslmh]$")


@lru_cache(maxsize=50_000)
def pinyin_outline(syllables: tuple[str, ...]) -> str:
    """Return the sound classes of pinyin syllables: initials, final nasals, "er"."""
    out = []
    for syllable in syllables:
        if syllable == "er":
            out.append("l")  # 尔 writes a final l or r
            continue
        initial = next((i for i in _PINYIN_INITIALS if syllable.startswith(i)), "")
        out.append(_PINYIN_INITIAL_CLASS[initial] if initial else "")
        if syllable.endswith(("n", "ng")):
            out.append("n")
    return re.sub(r"(.)\1+", r"\1", "".join(out))


@lru_cache(maxsize=100_000)
def latin_outlines(token: str) -> tuple[str, str]:
    """Return the sound classes of an English spelling, comparable with pinyin's.

    The second outline leaves out the consonants pinyin cannot end a syllable
    with (`_CODA`): "imax" is m-k, or m as 愛瑪 ai ma writes it.
    """
    token = _SOFT_C.sub("s", token)
    if len(token) > 3 and token.endswith("e") and token[-2] not in "aeiouy":
        token = token[:-1]  # silent final e
    for pair, single in _LATIN_BEFORE:
        token = token.replace(pair, single)
    sounds = re.sub(r"([^aeiouy])\1+", r"\1", token.translate(_LATIN_CLASS))
    vowels = str.maketrans("", "", "aeiouy")
    return sounds.translate(vowels), _CODA.sub("", sounds).translate(vowels)


@lru_cache(maxsize=200_000)
def foreign_word_similarity(syllables: tuple[str, ...], token: str) -> float:
    """Compare a foreign word written in Chinese sounds with its Latin spelling.

    Chinese writes a foreign brand or name with characters read for their sound
    ("和德" he de for HEAD, "克林顿" ke lin dun for Clinton): each syllable is one
    consonant and a vowel, so consonant clusters gain vowels, and consonants
    other than n and ng that end a syllable are dropped or given a syllable of
    their own. The two are alike when their consonant classes (`pinyin_outline`,
    `latin_outlines`) agree, or differ by one consonant added or dropped after
    the first, both start alike (with a vowel or the same consonant), and the
    syllables are at least as many as the Latin word's vowel groups. A Latin
    word that is itself pinyin ("Kaili") is the Chinese name's romanisation and
    is compared by spelling instead. Returns 0 when unlike; more consonants
    agreeing give more, on the scale of `outline_similarity`.
    """
    if len(token) < 3 or pinyin_syllables(token) is not None:
        return 0.0
    spoken = pinyin_outline(syllables)
    written, uncoded = latin_outlines(token)
    if not spoken or not written:
        return 0.0
    if (syllables[0][0] in "aeoy") != (token[0] in "aeiouy"):
        return 0.0
    if spoken[0] != written[0]:
        return 0.0
    silent_e = token.endswith("e") and len(token) > 3
    if len(syllables) < len(_VOWEL_GROUPS.findall(token)) - silent_e:
        return 0.0
    if spoken in (written, uncoded):
        return 0.88 if len(spoken) >= 2 else 0.8
    if abs(len(spoken) - len(written)) == 1 and _one_edit(spoken, written):
        return 0.75 if len(spoken) >= 2 else 0.7
    return 0.0


def glued_word_similarity(syllables: tuple[str, ...], token: str, word: str) -> float:
    """Compare Chinese syllables and a translated word with a Latin brand glued to it.

    "IMAXCHIP" is IMAX glued to "chip", which 愛瑪芯 writes as ai ma and 芯
    (chip): the brand part is compared by sound, the word counts as equal.
    """
    rest = token[: -len(word)] if token.endswith(word) else token[len(word) :]
    sim = foreign_word_similarity(syllables, rest)
    share = len(rest) / len(token)
    return round(share * sim + 1 - share, 4) if sim else 0.0


def foreign_word_keys(token: str, glued_words: frozenset[str]) -> set[str]:
    """Return the keys a Latin word is found by from Chinese syllables.

    Its outlines (`latin_outlines`), and for a brand glued to one of
    `glued_words` ("imaxchip") the outline of the rest joined to that word
    ("m+chip"). Pinyin words and words under three letters have none.
    """
    if len(token) < 3 or not token.isalpha() or pinyin_syllables(token) is not None:
        return set()
    keys = {o for o in latin_outlines(token) if o}
    for word in glued_words:
        if len(token) - len(word) >= 3:
            if token.endswith(word):
                rest = latin_outlines(token[: -len(word)])
                keys.update(f"{o}+{word}" for o in rest if o)
            elif token.startswith(word):
                rest = latin_outlines(token[len(word) :])
                keys.update(f"{word}+{o}" for o in rest if o)
    return keys


def syllable_run_keys(
    tokens: tuple[str, ...], glued_words: frozenset[str]
) -> list[tuple[str, tuple[str, ...], str]]:
    """Return (key, syllables, glued word) for the stretches of Chinese syllables.

    A stretch is two to four syllables between words that are not syllables (a
    place, a translated word) or the ends of the name: a brand is written whole.
    The keys match `foreign_word_keys`: the stretch's outline when it has two
    consonants or more (one reaches too many words), and, whatever its length,
    the outline joined to a word of `glued_words` right after ("ai ma" + "chip")
    or before it.
    """
    out = []
    start = 0
    while start < len(tokens):
        end = start
        while end < len(tokens) and tokens[end] in _PINYIN_SYLLABLES:
            end += 1
        run = tokens[start:end]
        spoken = pinyin_outline(run) if 2 <= len(run) <= 4 else ""
        if spoken:
            if len(spoken) >= 2:
                out.append((spoken, run, ""))
            after = tokens[end] if end < len(tokens) else ""
            before = tokens[start - 1] if start else ""
            if after in glued_words:
                out.append((f"{spoken}+{after}", run, after))
            if before in glued_words:
                out.append((f"{before}+{spoken}", run, before))
        start = end + 1
    return out
