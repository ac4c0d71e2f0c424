"""Load the stored history a batch of filings needs: one query per kind.

Parties are counted under their exact name and country (the generator and most
filers spell a repeat partner the same way); see core/targeting/history.py. Their
counts come from the party history the filing store keeps (storage/party_history.py),
unit values from one aggregate over the stored lines of the batch's HS codes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exodus.core.filings import Filing
from exodus.core.targeting.history import History, PartyHistory, PriceHistory, party_key
from exodus.storage import party_history
from exodus.storage.models import FilingVersionRow, LineRow


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
    """Return log-normal unit-value figures per HS-6 from SQL mean and mean square."""
    if not codes:
        return {}
    hs6 = func.substr(LineRow.schedule_b, 1, 6)
    unit = LineRow.value_usd / LineRow.quantity
    query = (
        select(hs6, func.count(), func.avg(unit), func.avg(unit * unit))
        .where(hs6.in_(sorted(codes)), LineRow.quantity > 0, LineRow.value_usd > 0)
        .group_by(hs6)
    )
    found = {}
    for code, count, mean, square in session.execute(query).tuples():
        if not count or not mean or mean <= 0:
            continue
        variance = max(0.0, float(square) - float(mean) ** 2)
        sigma2 = math.log(1.0 + variance / float(mean) ** 2)
        found[code] = PriceHistory(
            int(count), math.log(float(mean)) - sigma2 / 2, math.sqrt(sigma2)
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
