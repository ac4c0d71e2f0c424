"""Tell everyday words from distinctive ones, by how often English text uses them.

A list name made only of everyday words ("JADE", "NORTH STAR", "LIBERTY") says
little when a filing party's name contains it among other words: thousands of
lawful companies are called that. The word frequencies come from the `wordfreq`
package: the 40,000 most frequent English words (roughly Zipf 2.7 and above) and
the 15,000 most frequent of eight other languages companies name themselves in
count as everyday words.
"""

from __future__ import annotations

import logging
from functools import lru_cache

log = logging.getLogger(__name__)

ENGLISH_WORDS = 40_000
OTHER_WORDS = 15_000
OTHER_LANGUAGES = ("de", "fr", "es", "it", "pt", "nl", "tr", "pl")


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Load the most frequent English words once."""
    try:
        from wordfreq import top_n_list
    except ImportError:  # pragma: no cover - wordfreq is a runtime dependency
        log.warning("wordfreq is not installed; no word counts as an everyday word")
        return frozenset()
    words = set(top_n_list("en", ENGLISH_WORDS))
    for language in OTHER_LANGUAGES:
        words.update(top_n_list(language, OTHER_WORDS))
    return frozenset(w for w in words if w.isascii() and w.isalpha())


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """Load the most frequent English words once."""
    try:
        from wordfreq import top_n_list
    except ImportError:  # pragma: no cover - wordfreq is a runtime dependency
        return frozenset()
    return frozenset(top_n_list("en", ENGLISH_WORDS))


def is_english_word(token: str) -> bool:
    """Tell whether a lower-case token is an everyday English word."""
    return token in _english_words()


def is_common_word(token: str) -> bool:
    """Tell whether a lower-case token is an everyday English word."""
    return token in _common_words()


def warm_up() -> None:
    """Load the word lists now rather than on the first comparison."""
    _common_words()
    _english_words()
