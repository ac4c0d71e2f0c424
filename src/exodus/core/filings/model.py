"""Outbound export filings (EEI-style) as plain, immutable values."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any


def to_cents(amount: float) -> float:
    """Round a dollar amount to cents, as money is shown and stored."""
    return round(amount, 2)


class PartyRole(StrEnum):
    USPPI = "usppi"
    ULTIMATE_CONSIGNEE = "ultimate_consignee"
    INTERMEDIATE_CONSIGNEE = "intermediate_consignee"
    FREIGHT_FORWARDER = "freight_forwarder"


class ConsigneeType(StrEnum):
    """Ultimate consignee types as AES reports them."""

    DIRECT_CONSUMER = "D"
    GOVERNMENT = "G"
    RESELLER = "R"
    OTHER = "O"


@dataclass(frozen=True, slots=True)
class Party:
    role: PartyRole
    name: str
    country: str
    address: str = ""
    city: str = ""
    id: str | None = None
    type: ConsigneeType | None = None


@dataclass(frozen=True, slots=True)
class CommodityLine:
    line_no: int
    schedule_b: str
    description: str
    quantity: float
    unit: str
    value_usd: float
    weight_kg: float
    eccn: str | None = None
    usml_category: str | None = None
    license_code: str | None = None
    license_number: str | None = None

    @property
    def hs6(self) -> str:
        return self.schedule_b[:6]


@dataclass(frozen=True, slots=True)
class Filing:
    filing_id: str
    filed_at: datetime
    export_date: date
    port_of_export: str
    mode_of_transport: str
    carrier: str
    country_of_destination: str
    usppi: Party
    ultimate_consignee: Party
    lines: tuple[CommodityLine, ...]
    intermediate_consignee: Party | None = None
    freight_forwarder: Party | None = None
    routed_export: bool = False
    related_parties: bool = False
    parties_extra: tuple[Party, ...] = field(default=())

    @property
    def parties(self) -> tuple[Party, ...]:
        """Every party of the filing, USPPI first."""
        found = [self.usppi, self.ultimate_consignee]
        if self.intermediate_consignee is not None:
            found.append(self.intermediate_consignee)
        if self.freight_forwarder is not None:
            found.append(self.freight_forwarder)
        return tuple(found) + self.parties_extra

    @property
    def total_value_usd(self) -> float:
        """The filing's value in dollars, to the cent (a float sum would show 119646.56000000001)."""
        return to_cents(sum(line.value_usd for line in self.lines))

    def to_dict(self) -> dict[str, Any]:
        """Return the interchange (JSON Lines) form of the filing."""
        return filing_to_dict(self)


def _party_dict(party: Party | None) -> dict[str, Any] | None:
    if party is None:
        return None
    data: dict[str, Any] = {
        "name": party.name,
        "address": party.address,
        "city": party.city,
        "country": party.country,
    }
    if party.id:
        data["id"] = party.id
    if party.type is not None:
        data["type"] = party.type.value
    return data


def filing_to_dict(filing: Filing) -> dict[str, Any]:
    """Return the interchange form of `filing`; parsing it gives the same filing."""
    data: dict[str, Any] = {
        "filing_id": filing.filing_id,
        "filed_at": filing.filed_at.isoformat(),
        "export_date": filing.export_date.isoformat(),
        "port_of_export": filing.port_of_export,
        "mode_of_transport": filing.mode_of_transport,
        "carrier": filing.carrier,
        "country_of_destination": filing.country_of_destination,
        "usppi": _party_dict(filing.usppi),
        "ultimate_consignee": _party_dict(filing.ultimate_consignee),
    }
    if filing.intermediate_consignee is not None:
        data["intermediate_consignee"] = _party_dict(filing.intermediate_consignee)
    if filing.freight_forwarder is not None:
        data["freight_forwarder"] = _party_dict(filing.freight_forwarder)
    data["routed_export"] = filing.routed_export
    data["related_parties"] = filing.related_parties
    data["lines"] = [_line_dict(line) for line in filing.lines]
    return data


_LINE_FIELDS = tuple(f.name for f in fields(CommodityLine) if f.name != "line_no")


def _line_dict(line: CommodityLine) -> dict[str, Any]:
    """Return a line's interchange form: every field but its number, None left out."""
    item = {}
    for name in _LINE_FIELDS:
        value = getattr(line, name)
        if value is not None:
            item[name] = value
    return item
