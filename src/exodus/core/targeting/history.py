"""What stored history says about the parties and codes of a batch of filings.

The storage layer computes these figures with one aggregate query per kind for a
whole batch; the evaluation builds them from filings in memory. Red-flag producers
only read this small value, so the core stays free of the database.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from exodus.core.filings import Filing


def party_key(name: str, country: str) -> str:
    """Return the key a party is counted under: upper-cased name and country."""
    return f"{' '.join(name.upper().split())}|{country.upper()}"


@dataclass(frozen=True, slots=True)
class PartyHistory:
    """Stored filings of one party, other than the filing being targeted."""

    filings: int = 0
    first_filed: datetime | None = None
    partners: int = (
        0  # distinct USPPIs for a consignee, distinct consignees for a USPPI
    )
    forwarders: int = 0  # distinct freight forwarders used


@dataclass(frozen=True, slots=True)
class PriceHistory:
    """Declared unit values of stored lines under one HS-6 code."""

    lines: int
    mean: float  # mean of log unit value
    spread: float  # standard deviation of log unit value

    def typical(self) -> float:
        return math.exp(self.mean)


@dataclass(frozen=True, slots=True)
class History:
    """Stored history of the parties and HS codes of one batch of filings."""

    consignees: dict[str, PartyHistory] = field(default_factory=dict)
    usppis: dict[str, PartyHistory] = field(default_factory=dict)
    prices: dict[str, PriceHistory] = field(default_factory=dict)
    prior_versions: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # filing_id -> (consignee, dest)
    complete: bool = (
        True  # False when no history was loaded (signals that need it stay silent)
    )

    def consignee(self, filing: Filing) -> PartyHistory:
        party = filing.ultimate_consignee
        return self.consignees.get(party_key(party.name, party.country), PartyHistory())

    def usppi(self, filing: Filing) -> PartyHistory:
        party = filing.usppi
        return self.usppis.get(party_key(party.name, party.country), PartyHistory())


NO_HISTORY = History(complete=False)


def unit_value(value_usd: float, quantity: float) -> float | None:
    """Return the declared value per unit, or None when it cannot be told."""
    if quantity <= 0 or value_usd <= 0:
        return None
    return value_usd / quantity


def price_history(lines: int, log_sum: float, log_square_sum: float) -> PriceHistory:
    """Return mean and spread of log unit values from running sums."""
    mean = log_sum / lines
    variance = max(0.0, log_square_sum / lines - mean * mean)
    return PriceHistory(lines, mean, math.sqrt(variance))


def build_history(prior: Iterable[Filing]) -> History:
    """Return the history that `prior` filings make (used where no database is kept)."""
    counts: dict[str, int] = defaultdict(int)
    first: dict[str, datetime] = {}
    partners: dict[str, set[str]] = defaultdict(set)
    forwarders: dict[str, set[str]] = defaultdict(set)
    u_counts: dict[str, int] = defaultdict(int)
    u_first: dict[str, datetime] = {}
    u_partners: dict[str, set[str]] = defaultdict(set)
    sums: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for filing in prior:
        c = party_key(filing.ultimate_consignee.name, filing.ultimate_consignee.country)
        u = party_key(filing.usppi.name, filing.usppi.country)
        counts[c] += 1
        u_counts[u] += 1
        first[c] = min(first.get(c, filing.filed_at), filing.filed_at)
        u_first[u] = min(u_first.get(u, filing.filed_at), filing.filed_at)
        partners[c].add(u)
        u_partners[u].add(c)
        if filing.freight_forwarder is not None:
            forwarders[c].add(filing.freight_forwarder.name.upper())
        for line in filing.lines:
            price = unit_value(line.value_usd, line.quantity)
            if price is not None:
                acc = sums[line.hs6]
                acc[0] += 1
                acc[1] += math.log(price)
                acc[2] += math.log(price) ** 2
    return History(
        consignees={
            k: PartyHistory(n, first[k], len(partners[k]), len(forwarders[k]))
            for k, n in counts.items()
        },
        usppis={
            k: PartyHistory(n, u_first[k], len(u_partners[k]))
            for k, n in u_counts.items()
        },
        prices={k: price_history(int(v[0]), v[1], v[2]) for k, v in sums.items()},
    )
