"""The party history the filing store keeps equals the history counted from the stored parties.

History signals read how many stored filings name a party, when it first filed,
and how many distinct partners and forwarders it used. The store keeps those
figures as it writes (new filings add, corrections recount); each test compares
them with a plain aggregate over filing_parties, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alembic import command
from sqlalchemy import and_, delete, distinct, func, select
from sqlalchemy.orm import aliased

from exodus.core.filings import parse_filing
from exodus.services.history import load_history
from exodus.storage import party_history
from exodus.storage.db import Database, alembic_config
from exodus.storage.filings import store_filings
from exodus.storage.models import FilingRow, PartyHistoryLinkRow, PartyHistoryRow, PartyRow
from tests.conftest import filing_data

Figures = dict[tuple[str, str, str], tuple[int, datetime, int, int]]


def _party(name: str, country: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "address": "1 Harbour Road", "city": "Port", "country": country, **more}


def _filing(n: int, usppi: str, consignee: str, country: str = "DE", forwarder: str | None = None,
            filed: str = "2026-12-01T09:30:00Z") -> Any:
    data = filing_data(filing_id=f"PH{n:04d}", filed_at=filed, country_of_destination=country,
                       usppi=_party(usppi, "US"), ultimate_consignee=_party(consignee, country, type="D"))
    if forwarder:
        data["freight_forwarder"] = _party(forwarder, "US")
    return parse_filing(data, f"test filing {n}")


def _store(db: Database, filings: list[Any]) -> None:
    with db.session() as session:
        store_filings(session, [(f, "test") for f in filings], actor="tester")


def _kept(db: Database) -> Figures:
    """Return the figures the store kept, as the history loader reads them."""
    out: Figures = {}
    with db.session() as session:
        for role in party_history.HISTORY_ROLES:
            names = set(session.execute(select(PartyHistoryRow.name).where(PartyHistoryRow.role == role)).scalars())
            for name, country, count, first, partners, forwarders in party_history.read(session, role, names):
                out[(role, name, country)] = (count, _utc(first), partners, forwarders)
    return out


def _counted(db: Database) -> Figures:
    """Return the figures counted from the stored parties, as history was loaded before it was kept."""
    out: Figures = {}
    with db.session() as session:
        for role, partner_role in party_history.HISTORY_ROLES.items():
            party, partner, forwarder = PartyRow, aliased(PartyRow), aliased(PartyRow)
            query = (
                select(party.name, party.country, func.count(distinct(party.filing_pk)), func.min(FilingRow.filed_at),
                       func.count(distinct(partner.name)), func.count(distinct(forwarder.name)))
                .join(FilingRow, FilingRow.id == party.filing_pk)
                .outerjoin(partner, and_(partner.filing_pk == party.filing_pk, partner.role == partner_role))
                .outerjoin(forwarder, and_(forwarder.filing_pk == party.filing_pk,
                                           forwarder.role == "freight_forwarder"))
                .where(party.role == role)
                .group_by(party.name, party.country)
            )
            for name, country, count, first, partners, forwarders in session.execute(query).tuples():
                out[(role, name, country)] = (count, _utc(first), partners, forwarders)
    return out


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_new_filings_add_to_the_history_of_their_parties(database: Database) -> None:
    _store(database, [
        _filing(1, "Keystone Instruments Inc.", "Hanse Maschinenbau GmbH", forwarder="Indus Express Ltd."),
        _filing(2, "Keystone Instruments Inc.", "Hanse Maschinenbau GmbH", filed="2026-11-28T08:00:00Z"),
        _filing(3, "Keystone Instruments Inc.", "Lotus Engineering Pte. Ltd.", country="SG",
                forwarder="Atlas Freight LLC"),
    ])
    # A later batch: a repeat pair, a known name in another country, a new exporter.
    _store(database, [
        _filing(4, "Keystone Instruments Inc.", "Hanse Maschinenbau GmbH", forwarder="Atlas Freight LLC",
                filed="2026-11-20T08:00:00Z"),
        _filing(5, "Ironwood Electronics Corp.", "Hanse Maschinenbau GmbH", country="AT"),
        _filing(6, "Ironwood Electronics Corp.", "Lotus Engineering Pte. Ltd.", country="SG"),
    ])
    kept = _kept(database)
    assert kept == _counted(database)
    keystone = kept[("usppi", "Keystone Instruments Inc.", "US")]
    assert keystone == (4, datetime(2026, 11, 20, 8, tzinfo=UTC), 2, 2)
    assert kept[("ultimate_consignee", "Hanse Maschinenbau GmbH", "DE")] == (
        3, datetime(2026, 11, 20, 8, tzinfo=UTC), 1, 2)
    assert kept[("ultimate_consignee", "Hanse Maschinenbau GmbH", "AT")][0] == 1


def test_corrections_recount_the_parties_named_before_and_after(database: Database) -> None:
    _store(database, [
        _filing(1, "Keystone Instruments Inc.", "Hanse Maschinenbau GmbH", forwarder="Indus Express Ltd."),
        _filing(2, "Keystone Instruments Inc.", "Hanse Maschinenbau GmbH", filed="2026-11-28T08:00:00Z"),
        _filing(3, "Ironwood Electronics Corp.", "Lotus Engineering Pte. Ltd.", country="SG"),
    ])
    # Filing 2 now names another consignee (corrected a day later, so its first-filed
    # time moves); filing 1 loses its forwarder; a new filing comes in the same batch.
    _store(database, [
        _filing(2, "Keystone Instruments Inc.", "Lotus Engineering Pte. Ltd.", country="SG",
                filed="2026-11-29T08:00:00Z"),
        _filing(1, "Keystone Instruments Inc.", "Hanse Maschinenbau GmbH"),
        _filing(7, "Ironwood Electronics Corp.", "Hanse Maschinenbau GmbH", forwarder="Indus Express Ltd."),
    ])
    kept = _kept(database)
    assert kept == _counted(database)
    assert kept[("ultimate_consignee", "Hanse Maschinenbau GmbH", "DE")] == (
        2, datetime(2026, 12, 1, 9, 30, tzinfo=UTC), 2, 1)
    assert kept[("usppi", "Keystone Instruments Inc.", "US")][1:] == (datetime(2026, 11, 29, 8, tzinfo=UTC), 2, 0)
    # A party no stored filing names any more has no history left.
    _store(database, [_filing(3, "Ironwood Electronics Corp.", "Hanse Maschinenbau GmbH")])
    kept = _kept(database)
    assert kept == _counted(database)
    assert kept[("ultimate_consignee", "Lotus Engineering Pte. Ltd.", "SG")][0] == 1


def test_history_loader_reads_the_kept_figures(database: Database) -> None:
    filings = [_filing(n, "Keystone Instruments Inc.", "Hanse Maschinenbau GmbH") for n in range(1, 4)]
    _store(database, filings)
    with database.session() as session:
        history = load_history(session, filings[:1])
    consignee = history.consignee(filings[0])
    assert consignee.filings == 2  # the filing being targeted is not its own history
    assert consignee.partners == 1 and consignee.first_filed == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert history.usppi(filings[0]).filings == 2


def test_recount_and_the_migration_count_what_is_stored(database: Database) -> None:
    _store(database, [
        _filing(1, "Keystone Instruments Inc.", "Hanse Maschinenbau GmbH", forwarder="Indus Express Ltd."),
        _filing(2, "Ironwood Electronics Corp.", "Lotus Engineering Pte. Ltd.", country="SG",
                forwarder="Atlas Freight LLC"),
    ])
    expected = _counted(database)
    with database.session() as session:
        session.execute(delete(PartyHistoryRow))
        session.execute(delete(PartyHistoryLinkRow))
        party_history.recount(session)
    assert _kept(database) == expected
    # A database from before the kept history: the migration counts the stored filings.
    config = alembic_config(database.engine)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004_screening_decisions")
        command.upgrade(config, "head")
    assert _kept(database) == expected and len(expected) == 4
