"""Load the stored history a batch of filings needs: one query per kind.

Parties are counted under their exact name and country (the generator and most
filers spell a repeat partner the same way); see core/targeting/history.py. Their
counts come from the party history the filing store keeps (storage/party_history.py),
unit values from one aggregate over the stored lines of the batch's HS codes.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from exodus.core.filings import Filing
from exodus.core.filings.parse import MAX_QUANTITY, MAX_VALUE_USD
from exodus.core.targeting.history import History, PartyHistory, PriceHistory, party_key
from exodus.storage import party_history
from exodus.storage.models import FilingVersionRow, LineRow

log = logging.getLogger(__name__)


def _party_history(session: Session, role: str, names: set[str]) -> dict[str, PartyHistory]:
    """Return the stored history of parties named `names` in `role`, by party key."""
    found: dict[str, PartyHistory] = {}
    for name, country, count, first, partners, forwarders in party_history.read(session, role, names):
        if first is not None and first.tzinfo is None:
            first = first.replace(tzinfo=UTC)  # SQLite returns naive times
        # The filing being targeted is stored too: it is not its own history.
        found[party_key(name, country)] = PartyHistory(
            max(0, int(count) - 1), first, int(partners), int(forwarders)
        )
    return found


def _prices(session: Session, codes: set[str]) -> dict[str, PriceHistory]:
    """Return log-normal unit-value figures per HS-6 from SQL mean and mean square.

    Only unit values up to MAX_VALUE_USD count (tested as value / bound <= quantity,
    which cannot overflow); beyond that the square would overflow the database's
    floats (rows stored before ingest refused absurd numbers). Those are left out
    with a warning.
    """
    if not codes:
        return {}
    # TODO: this reads every stored line of the batch's HS codes for every batch, so
    # its cost grows with the database (about 70 us a filing at 100,000 stored
    # filings). Running sums kept by the store, like storage/party_history.py, would
    # make it constant, but would round differently from the database's AVG and so
    # shift the figures in their last digits; that is a decision for the red flag.
    hs6 = func.substr(LineRow.schedule_b, 1, 6)
    plausible = (LineRow.value_usd / MAX_VALUE_USD <= LineRow.quantity) & (LineRow.quantity <= MAX_QUANTITY)
    unit = case((plausible, LineRow.value_usd / LineRow.quantity), else_=None)
    query = (
        select(hs6, func.count(unit), func.avg(unit), func.avg(unit * unit), func.count())
        .where(hs6.in_(sorted(codes)), LineRow.quantity > 0, LineRow.value_usd > 0)
        .group_by(hs6)
    )
    found = {}
    for code, count, mean, square, total in session.execute(query).tuples():
        if total > count:
            log.warning("price history of HS %s: %d stored lines with an implausible unit value left out",
                        code, total - count)
        if not count or not mean or mean <= 0:
            continue
        mean, square = float(mean), float(square)
        if not (math.isfinite(mean) and math.isfinite(square)):
            log.warning("price history of HS %s: non-finite mean %r or mean square %r; left out", code, mean, square)
            continue
        # variance / mean**2 without squaring the mean (no overflow).
        spread = max(0.0, square / mean / mean - 1.0)
        sigma2 = math.log1p(spread)
        found[code] = PriceHistory(
            int(count), math.log(mean) - sigma2 / 2, math.sqrt(sigma2)
        )
    return found


def _prior_versions(
    session: Session, rows: Sequence[Any]
) -> dict[str, tuple[str, str]]:
    corrected = {row.id: row for row in rows if row.version > 1}
    if not corrected:
        return {}
    query = select(
        FilingVersionRow.filing_pk, FilingVersionRow.version, FilingVersionRow.payload
    ).where(FilingVersionRow.filing_pk.in_(list(corrected)))
    best: dict[int, tuple[int, dict[str, Any]]] = {}
    for pk, version, payload in session.execute(query).tuples():
        if version < corrected[pk].version and version > best.get(pk, (0, {}))[0]:
            best[pk] = (version, payload)
    return {
        corrected[pk].filing_id: (
            (payload.get("ultimate_consignee") or {}).get("name", ""),
            payload.get("country_of_destination", ""),
        )
        for pk, (_, payload) in best.items()
    }


def load_history(
    session: Session, filings: Sequence[Filing], rows: Sequence[Any] = ()
) -> History:
    """Return the stored history of the consignees, USPPIs and HS codes of `filings`."""
    consignees = {f.ultimate_consignee.name for f in filings}
    usppis = {f.usppi.name for f in filings}
    codes = {line.hs6 for f in filings for line in f.lines}
    return History(
        consignees=_party_history(session, "ultimate_consignee", consignees),
        usppis=_party_history(session, "usppi", usppis),
        prices=_prices(session, codes),
        prior_versions=_prior_versions(session, rows),
    )
