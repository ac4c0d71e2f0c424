"""Party history kept as filings are stored: filings per party, and whom it traded with.

History signals ask, for the USPPIs and consignees of a batch, how many stored
filings name each party (by exact name and country, in its role), when the first
was filed, and how many distinct partners (the consignees of a USPPI, the USPPIs of
a consignee) and forwarders it used. Counting that from filing_parties touches
every filing of a busy exporter for every batch; these two tables answer it by key.

The filing store keeps them in step inside its own transaction: new filings add to
the counts (one upsert per table per batch); a correction can change the parties
and the filing time of a stored filing, so the parties it named before and after
are recounted from filing_parties. Counting afresh (`recount`) gives the same
figures as the upkeep, which the tests check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, delete, distinct, func, insert, literal, select
from sqlalchemy.orm import Session, aliased

from exodus.core.filings import Filing
from exodus.storage.models import FilingRow, PartyHistoryLinkRow, PartyHistoryRow, PartyRow

# Roles whose history is kept -> the role of their partner on a filing.
HISTORY_ROLES = {"usppi": "ultimate_consignee", "ultimate_consignee": "usppi"}
FORWARDER_ROLE = "freight_forwarder"
PARTNER, FORWARDER = "partner", "forwarder"

Key = tuple[str, str, str]  # role, name, country


def record_new(session: Session, filings: Sequence[Filing]) -> None:
    """Add newly stored filings (never stored before) to the history of their parties."""
    stats: dict[Key, list[Any]] = {}  # key -> [filings, first filed]
    links: set[tuple[str, str, str, str, str]] = set()
    for filing in filings:
        names: dict[str, set[tuple[str, str]]] = {}
        for party in filing.parties:
            names.setdefault(party.role.value, set()).add((party.name, party.country))
        forwarders = {name for name, _ in names.get(FORWARDER_ROLE, ())}
        for role, partner_role in HISTORY_ROLES.items():
            partners = {name for name, _ in names.get(partner_role, ())}
            for name, country in names.get(role, ()):
                key = (role, name, country)
                entry = stats.get(key)
                if entry is None:
                    stats[key] = [1, filing.filed_at]
                else:
                    entry[0] += 1
                    entry[1] = min(entry[1], filing.filed_at)
                links.update((*key, PARTNER, other) for other in partners)
                links.update((*key, FORWARDER, other) for other in forwarders)
    if not stats:
        return
    dialect = session.get_bind().dialect.name
    upsert = _insert_for(dialect)
    table = PartyHistoryRow.__table__
    statement = upsert(table)
    earliest = func.least if dialect == "postgresql" else func.min
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.role, table.c.name, table.c.country],
        set_={"filings": table.c.filings + statement.excluded.filings,
              "first_filed": earliest(table.c.first_filed, statement.excluded.first_filed)},
    )
    # Sorted, so concurrent writers lock rows in the same order.
    session.execute(statement, [
        {"role": role, "name": name, "country": country, "filings": count, "first_filed": first}
        for (role, name, country), (count, first) in sorted(stats.items(), key=lambda item: item[0])
    ])
    if links:
        link_table = PartyHistoryLinkRow.__table__
        session.execute(upsert(link_table).on_conflict_do_nothing(), [
            {"role": role, "name": name, "country": country, "kind": kind, "other": other}
            for role, name, country, kind, other in sorted(links)
        ])


def stored_keys(session: Session, filing_pks: Sequence[int]) -> set[Key]:
    """Return the (role, name, country) of the kept roles on stored filings."""
    if not filing_pks:
        return set()
    query = select(PartyRow.role, PartyRow.name, PartyRow.country).where(
        PartyRow.filing_pk.in_(list(filing_pks)), PartyRow.role.in_(list(HISTORY_ROLES)))
    return {tuple(row) for row in session.execute(query)}  # type: ignore[misc]


def keys_of(filings: Iterable[Filing]) -> set[Key]:
    """Return the (role, name, country) of the kept roles on filings."""
    return {(p.role.value, p.name, p.country) for f in filings for p in f.parties if p.role.value in HISTORY_ROLES}


def recount(session: Session, keys: Iterable[Key] | None = None) -> None:
    """Count the history of the parties named by `keys` (all parties when None) afresh."""
    roles: dict[str, set[str] | None] = {role: None for role in HISTORY_ROLES} if keys is None else {}
    for role, name, _ in keys or ():
        if role in HISTORY_ROLES:
            roles.setdefault(role, set()).add(name)  # type: ignore[union-attr]
    for role, names in roles.items():
        for table in (PartyHistoryRow, PartyHistoryLinkRow):
            stale = delete(table).where(table.role == role)
            session.execute(stale if names is None else stale.where(table.name.in_(sorted(names))))
        party = aliased(PartyRow)
        counts = (
            select(party.role, party.name, party.country, func.count(distinct(party.filing_pk)),
                   func.min(FilingRow.filed_at))
            .join(FilingRow, FilingRow.id == party.filing_pk)
            .where(party.role == role)
            .group_by(party.role, party.name, party.country)
        )
        if names is not None:
            counts = counts.where(party.name.in_(sorted(names)))
        session.execute(insert(PartyHistoryRow).from_select(
            ["role", "name", "country", "filings", "first_filed"], counts))
        for kind, other_role in ((PARTNER, HISTORY_ROLES[role]), (FORWARDER, FORWARDER_ROLE)):
            other = aliased(PartyRow)
            pairs = (
                select(party.role, party.name, party.country, literal(kind, String), other.name)
                .join(other, (other.filing_pk == party.filing_pk) & (other.role == other_role))
                .where(party.role == role)
                .distinct()
            )
            if names is not None:
                pairs = pairs.where(party.name.in_(sorted(names)))
            session.execute(insert(PartyHistoryLinkRow).from_select(
                ["role", "name", "country", "kind", "other"], pairs))


def read(session: Session, role: str, names: Iterable[str]
         ) -> list[tuple[str, str, int, datetime | None, int, int]]:
    """Return (name, country, filings, first filed, partners, forwarders) of parties in `role`."""
    wanted = sorted(set(names))
    if not wanted:
        return []
    links = {
        (name, country, kind): count
        for name, country, kind, count in session.execute(
            select(PartyHistoryLinkRow.name, PartyHistoryLinkRow.country, PartyHistoryLinkRow.kind, func.count())
            .where(PartyHistoryLinkRow.role == role, PartyHistoryLinkRow.name.in_(wanted))
            .group_by(PartyHistoryLinkRow.name, PartyHistoryLinkRow.country, PartyHistoryLinkRow.kind)
        ).tuples()
    }
    rows = session.execute(
        select(PartyHistoryRow.name, PartyHistoryRow.country, PartyHistoryRow.filings, PartyHistoryRow.first_filed)
        .where(PartyHistoryRow.role == role, PartyHistoryRow.name.in_(wanted))
        .order_by(PartyHistoryRow.name, PartyHistoryRow.country)
    ).tuples()
    return [(name, country, filings, first, links.get((name, country, PARTNER), 0),
             links.get((name, country, FORWARDER), 0)) for name, country, filings, first in rows]


def _insert_for(dialect: str) -> Any:
    """Return the dialect's INSERT construct (it carries ON CONFLICT)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert
