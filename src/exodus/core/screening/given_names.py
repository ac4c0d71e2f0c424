"""Tell forms of one given name apart from different names, from shipped tables.

Two sources, both read from `data/` beside this module:

- `given_names.tsv`: for each Latin-script name form, the groups of forms that
  are one given name across languages (Mahmud / Mahmood, Muhammad / Mohammed).
  It is rigour's person-name tagger (Wikidata name items) applied once to the
  tokens of every bundled list name and the 50,000 most frequent words of 27
  languages (wordfreq), keeping the forms rigour knows as names. Loading the
  tagger itself costs about 15 s and 400 MB, which screening cannot afford on
  every start; the table is a few hundred kilobytes. Regenerate it with
  `python -m exodus.core.screening.given_names` after upgrading rigour.
- the `nicknames` package (a curated English table): Nick and Nicolas, Bill and
  William, which no transliteration rule relates.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

TABLE = Path(__file__).with_name("data") / "given_names.tsv"
# Languages whose frequent words feed the table (names are frequent words too).
TABLE_LANGUAGES = (
    "en", "de", "fr", "es", "it", "pt", "nl", "tr", "pl", "ru", "ar", "fa", "uk",
    "id", "ms", "vi", "zh", "ja", "ko", "he", "el", "hi", "sv", "fi", "cs", "ro",
    "hu",
)  # fmt: skip
_NO_GROUP: frozenset[int] = frozenset()


@lru_cache(maxsize=1)
def _groups() -> dict[str, frozenset[int]]:
    """Read the name-form table: token -> groups of forms it belongs to."""
    table: dict[str, frozenset[int]] = {}
    try:
        text = TABLE.read_text(encoding="utf-8")
    except OSError as exc:  # pragma: no cover - the table ships with the package
        log.warning("given-name table %s unreadable (%s); no name forms known", TABLE, exc)
        return table
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        token, _, ids = line.partition("\t")
        table[token] = frozenset(int(i) for i in ids.split()) if ids else _NO_GROUP
    return table


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, frozenset[str]]:
    """Map each name and nickname to the canonical names it stands for."""
    try:
        from nicknames import NickNamer
    except ImportError:  # pragma: no cover - nicknames is a runtime dependency
        log.warning("the nicknames package is missing; nicknames are not matched")
        return {}
    namer = NickNamer()
    out: dict[str, set[str]] = {}
    for canonical, nicks in namer.nickname_lookup.items():
        if not canonical.isalpha():
            continue
        out.setdefault(canonical, set()).add(canonical)
        for nick in nicks:
            if nick.isalpha():
                out.setdefault(nick, set()).add(canonical)
    return {name: frozenset(canon) for name, canon in out.items()}


def is_given_name(token: str) -> bool:
    """Tell whether a lower-case Latin token is a known given-name form."""
    return token in _groups() or token in _nicknames()


def same_given_name(a: str, b: str) -> bool:
    """Tell whether two lower-case tokens are forms of one given name."""
    groups = _groups()
    ga, gb = groups.get(a), groups.get(b)
    return bool(ga and gb and not ga.isdisjoint(gb))


def nickname_of(a: str, b: str) -> bool:
    """Tell whether one token is a nickname of the other, or both of one name."""
    if a == b:
        return False
    nick = _nicknames()
    na, nb = nick.get(a), nick.get(b)
    if not na or not nb:
        return False
    return not na.isdisjoint(nb)


@lru_cache(maxsize=1)
def _by_canonical() -> dict[str, frozenset[str]]:
    """Map each canonical name to every name and nickname standing for it."""
    out: dict[str, set[str]] = {}
    for name, canonical in _nicknames().items():
        for canon in canonical:
            out.setdefault(canon, set()).add(name)
    return {canon: frozenset(names) for canon, names in out.items()}


def nickname_forms(token: str) -> frozenset[str]:
    """Return the names a nickname stands for and the nicknames of a name."""
    canonical = _nicknames().get(token)
    if not canonical:
        return frozenset()
    by_canonical = _by_canonical()
    return frozenset(n for canon in canonical for n in by_canonical.get(canon, ()))


def warm_up() -> None:
    """Read the tables now rather than on the first comparison."""
    _groups()
    _by_canonical()


# -- regeneration --------------------------------------------------------------------


def build_table(tokens: set[str]) -> dict[str, frozenset[int]]:
    """Tag tokens with rigour's person-name symbols; number groups held by 2+ forms."""
    from rigour.names import NameTypeTag, analyze_names

    found: dict[str, set[str]] = {}
    for token in sorted(tokens):
        symbols = {
            f"{symbol.category.value}:{symbol.id}"
            for name in analyze_names(NameTypeTag.PER, [token])
            for symbol in name.symbols
            if symbol.category.value in ("NAME", "NICK")
        }
        if symbols:
            found[token] = symbols
    counts = Counter(i for ids in found.values() for i in ids)
    shared = sorted(i for i, n in counts.items() if n >= 2)
    number = {ident: pos for pos, ident in enumerate(shared)}
    return {
        token: frozenset(number[i] for i in ids if i in number)
        for token, ids in found.items()
    }


def _vocabulary() -> set[str]:
    """Return list-name tokens and frequent words of many languages, in ASCII."""
    from rigour.text.translit import ascii_text
    from wordfreq import top_n_list

    from exodus.core.lists import load_bundled
    from exodus.core.screening.normalize import analyze_name

    tokens: set[str] = set()
    for release in load_bundled():
        for entity in release.entities:
            for name in entity.all_names():
                tokens.update(analyze_name(name).tokens)
    for language in TABLE_LANGUAGES:
        for word in top_n_list(language, 50_000):
            tokens.add(ascii_text(word).lower())
    return {t for t in tokens if t.isascii() and t.isalpha() and len(t) >= 2}


def main() -> int:
    """Regenerate the given-name table from rigour's tagger."""
    from importlib.metadata import version

    table = build_table(_vocabulary())
    lines = [
        f"# Given-name forms and the groups of forms they share (rigour {version('rigour')}",
        "# person-name tagger, Wikidata name items). Generated by",
        "# `python -m exodus.core.screening.given_names`.",
    ]
    for token in sorted(table):
        lines.append(f"{token}\t{' '.join(str(i) for i in sorted(table[token]))}")
    TABLE.parent.mkdir(exist_ok=True)
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(table)} name forms to {TABLE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
