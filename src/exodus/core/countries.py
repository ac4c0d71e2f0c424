"""ISO 3166-1 countries from the bundled Debian iso-codes snapshot."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from exodus.errors import InvalidInput

# Kosovo has no ISO code; U.S. agencies and the EAR use the user-assigned XK.
_EXTRA = {"XK": "Kosovo"}


@cache
def country_names() -> dict[str, str]:
    """Return ISO alpha-2 code -> common English name."""
    path = resources.files("exodus") / "data/reference/countries/iso3166_1.csv"
    names = dict(_EXTRA)
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names[row["alpha_2"]] = row["common_name"] or row["name"]
    return names


def is_country(code: str) -> bool:
    """Tell whether `code` is an ISO 3166-1 alpha-2 code."""
    return code in country_names()


def country_name(code: str) -> str:
    """Return the name of country `code`, or the code itself when unknown."""
    return country_names().get(code, code)


def check_country(value: str | None, field: str = "country") -> str | None:
    """Return `value` as an upper-case ISO alpha-2 code (None when blank); raise InvalidInput naming `field`."""
    code = (value or "").strip().upper()
    if not code:
        return None
    if not is_country(code):
        raise InvalidInput(f"{field} must be an ISO 3166-1 alpha-2 country code such as DE, got {value!r}")
    return code
