"""Tell everyday words from distinctive ones, by how often English text uses them.

A list name made only of everyday words ("JADE", "NORTH STAR", "LIBERTY") says
little when a filing party's name contains it among other words: thousands of
lawful companies are called that. The word frequencies come from the `wordfreq`
package (Zipf scale); the 30,000 most frequent English words, roughly Zipf 3.0 and
above, count as everyday words.
"""

from __future__ import annotations

import logging
from functools import lru_cache

log = logging.getLogger(__name__)

COMMON_WORD_COUNT = 30_000


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Load the most frequent English words once."""
    try:
        from wordfreq import top_n_list
    except ImportError:  # pragma: no cover - wordfreq is a runtime dependency
        log.warning("wordfreq is not installed; no word counts as an everyday word")
        return frozenset()
    return frozenset(w for w in top_n_list("en", COMMON_WORD_COUNT) if w.isalpha())


def is_common_word(token: str) -> bool:
    """Tell whether a lower-case token is an everyday English word."""
    return token in _common_words()


def warm_up() -> None:
    """Load the word list now rather than on the first comparison."""
    _common_words()
