"""Red flags that can be seen from a filing, the lists, the reference data and history.

Each producer states its condition in its docstring, returns `redflag.<name>` (or
`history.<name>`) signals with a readable text, and names the red-flag id(s) of the
BIS/FinCEN guidance it implements in `evidence["flags"]`. Producers never decide
how much a flag matters: the rules (rules/default.yaml) weigh them, mostly in
combination, because each of these facts alone is common in lawful trade.
docs/red-flags.md lists every red flag and how (or why not) it is covered.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from exodus.core.filings import ConsigneeType, Filing
from exodus.core.targeting import vocab
from exodus.core.targeting.history import NO_HISTORY, History
from exodus.core.targeting.model import Signal

EEI_THRESHOLD_USD = 2500.0


@dataclass(frozen=True, slots=True)
class Context:
    """What red-flag producers may read besides the filing itself."""

    hubs: frozenset[str] = (
        frozenset()
    )  # Russia/Belarus transshipment points (reference data)
    chpl: dict[str, str] = field(default_factory=dict)  # HS-6 -> CHPL tier
    history: History = NO_HISTORY
    listed_addresses: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # address key -> (id, name)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _flag(
    name: str,
    flags: Sequence[str],
    text: str,
    subject: str = "",
    strength: float = 1.0,
    **evidence: object,
) -> Signal:
    return Signal(
        f"redflag.{name}", text, subject, strength, {"flags": list(flags), **evidence}
    )


def _is_controlled(filing: Filing) -> tuple[str, str, bool] | None:
    """Return (level, item, licensed) for the most controlled line: usml, controlled or at-only."""
    best: tuple[str, str, bool] | None = None
    for line in filing.lines:
        licensed = bool(line.license_number)
        if line.usml_category:
            return "usml", f"line {line.line_no} USML {line.usml_category}", licensed
        eccn = (line.eccn or "").upper()
        if eccn and eccn != "EAR99":
            level = "at-only" if vocab.is_at_only(eccn) else "controlled"
            if best is None or (best[0] == "at-only" and level == "controlled"):
                best = (level, f"line {line.line_no} ECCN {eccn}", licensed)
    return best


def controlled_item(filing: Filing, ctx: Context) -> list[Signal]:
    """A line is classified on the CCL (other than EAR99) or the USML (context for CP-01, CP-03, RT-03).

    `licensed` tells whether that line cites a license number: the licensing agency
    then vetted the parties, which weighs against intermediary and new-party flags.
    """
    found = _is_controlled(filing)
    if found is None:
        return []
    level, item, licensed = found
    return [
        _flag(
            "controlled_item",
            ["CP-03", "RT-03"],
            f"{item} is a listed item ({level}"
            f"{', under a cited license' if licensed else ''}).",
            level=level,
            licensed=licensed,
        )
    ]


def consignee_intermediary(filing: Filing, ctx: Context) -> list[Signal]:
    """The ultimate consignee's name says forwarder, logistics, trading house or bank, not an end user."""
    party = filing.ultimate_consignee
    kind = vocab.intermediary_kind(party.name)
    if kind is None:
        return []
    flags = ["CP-01", "PY-04"] if kind == "bank" else ["CP-01"]
    return [
        _flag(
            "consignee_intermediary",
            flags,
            f"the ultimate consignee {party.name!r} reads as a {kind}, not an end user.",
            "ultimate_consignee",
            kind=kind,
        )
    ]


def reseller_in_hub(filing: Filing, ctx: Context) -> list[Signal]:
    """The ultimate consignee is a reseller (AES type R) in a transshipment hub."""
    party = filing.ultimate_consignee
    if (
        party.type is not ConsigneeType.RESELLER
        or filing.country_of_destination not in ctx.hubs
    ):
        return []
    return [
        _flag(
            "reseller_in_hub",
            ["CP-01", "RT-03"],
            f"the ultimate consignee is a reseller in {filing.country_of_destination}, "
            "a named transshipment point.",
            "ultimate_consignee",
        )
    ]


def residential_address(filing: Filing, ctx: Context) -> list[Signal]:
    """A foreign consignee's or the USPPI's address reads as a dwelling (apartment, flat, room)."""
    signals = []
    for party in (
        filing.ultimate_consignee,
        filing.usppi,
        filing.intermediate_consignee,
    ):
        if party is None or not vocab.looks_residential(
            f"{party.address} {party.city}"
        ):
            continue
        signals.append(
            _flag(
                "residential_address",
                ["CP-04"],
                f"{party.role.value.replace('_', ' ')} address {party.address!r} reads as a "
                "residence.",
                party.role.value,
            )
        )
    return signals


def free_trade_zone(filing: Filing, ctx: Context) -> list[Signal]:
    """A consignee's name or address places it in a free trade zone (JAFZA, SAIF, FZE ...)."""
    signals = []
    for party in (filing.ultimate_consignee, filing.intermediate_consignee):
        if party is None:
            continue
        zone = vocab.free_zone(f"{party.name} {party.address} {party.city}")
        if zone:
            signals.append(
                _flag(
                    "free_trade_zone",
                    ["RT-04", "RT-03"],
                    f"{party.role.value.replace('_', ' ')} sits in a free trade zone ({zone}).",
                    party.role.value,
                    zone=zone,
                )
            )
    return signals


def hub_strength(country: str, ctx: Context) -> float:
    """Return how strongly a country reads as a transshipment point (0 when it is none).

    Hubs named for diversion to Iran, Syria, North Korea or Chinese military end
    users (RT-03, which include the Caucasus and Central Asian routes to Russia)
    count fully. Hubs named only on the FinCEN/BIS Russia list (RT-02: Brazil,
    India, Israel, Mexico, South Africa, Taiwan ...) are among the largest lawful
    trade partners of the United States, so the fact weighs less there.
    """
    if country in vocab.DIVERSION_HUBS:
        return 1.0
    return RT02_ONLY_STRENGTH if country in ctx.hubs else 0.0


RT02_ONLY_STRENGTH = 0.6


def transshipment_hub(filing: Filing, ctx: Context) -> list[Signal]:
    """The destination, or an intermediate consignee's country, is a named transshipment point."""
    signals = []
    dest = filing.country_of_destination
    strength = hub_strength(dest, ctx)
    if strength:
        flags = [
            f
            for f, ok in (
                ("RT-02", dest in ctx.hubs),
                ("RT-03", dest in vocab.DIVERSION_HUBS),
            )
            if ok
        ]
        signals.append(
            _flag(
                "transshipment_hub",
                flags,
                f"the destination {dest} is a named transshipment point ({', '.join(flags)}).",
                "destination",
                strength,
                country=dest,
                iran_hub=dest in vocab.DIVERSION_HUBS,
            )
        )
    middle = filing.intermediate_consignee
    strength = hub_strength(middle.country, ctx) if middle is not None else 0.0
    if middle is not None and middle.country != dest and strength:
        signals.append(
            _flag(
                "transshipment_hub",
                ["RT-02", "RT-01"],
                f"the intermediate consignee is in {middle.country}, a transshipment point.",
                "intermediate_consignee",
                strength,
                country=middle.country,
                iran_hub=middle.country in vocab.DIVERSION_HUBS,
            )
        )
    return signals


def third_country(filing: Filing, ctx: Context) -> list[Signal]:
    """The ultimate consignee's country differs from the destination, or an intermediate consignee adds a country."""
    dest = filing.country_of_destination
    signals = []
    consignee = filing.ultimate_consignee
    if consignee.country and consignee.country != dest:
        signals.append(
            _flag(
                "third_country",
                ["DOC-06", "RT-01"],
                f"the ultimate consignee is in {consignee.country} but the destination is {dest}.",
                "ultimate_consignee",
                country=consignee.country,
            )
        )
    middle = filing.intermediate_consignee
    if middle is not None and middle.country not in (dest, "US"):
        signals.append(
            _flag(
                "third_country",
                ["RT-01"],
                f"the goods pass an intermediate consignee in {middle.country} on the way to {dest}.",
                "intermediate_consignee",
                country=middle.country,
            )
        )
    return signals


def chpl_item(filing: Filing, ctx: Context) -> list[Signal]:
    """A line's HS-6 code is on the Common High Priority List (any destination; rules add the route).

    Strength follows the tier (chpl_strength); `licensed` tells whether the line cites
    a license number, whose review already covered the parties and the route.
    """
    signals = []
    for line in filing.lines:
        tier = ctx.chpl.get(line.hs6)
        if tier:
            strength = chpl_strength(tier)
            signals.append(
                _flag(
                    "chpl_item",
                    ["CM-01"],
                    f"line {line.line_no}: HS {line.hs6} is on the "
                    f"Common High Priority List ({tier})"
                    f"{', under a cited license' if line.license_number else ''}.",
                    f"line {line.line_no}",
                    strength,
                    hs6=line.hs6,
                    tier=tier,
                    licensed=bool(line.license_number),
                )
            )
    return signals


def chpl_strength(tier: str) -> float:
    """Return the weight of a CHPL tier: Tier 1 (integrated circuits) 1.0 down to Tier 4 0.4.

    Tiers 1 and 2 are the top tier, the electronics found in Russian weapons (Tier 1
    the integrated circuits; Tier 2 transceivers, GNSS, capacitors); Tiers 3 and 4
    hold common industrial goods
    (connectors, power supplies, computers, bearings, machine tools) that most
    exporters ship in ordinary trade.
    """
    found = re.search(r"\d", tier)
    return {"1": 1.0, "2": 0.8, "3": 0.5}.get(found.group(0) if found else "", 0.4)


def sensitive_family(filing: Filing, ctx: Context) -> list[Signal]:
    """A line's ECCN or USML category belongs to an inherently sensitive family (600-series, 9x515, 3A090 ...)."""
    signals = []
    for line in filing.lines:
        family = vocab.sensitive_family(line.eccn, line.usml_category)
        if family:
            signals.append(
                _flag(
                    "sensitive_family",
                    ["CM-02"],
                    f"line {line.line_no}: "
                    f"{line.eccn or 'USML ' + str(line.usml_category)} is {family}.",
                    f"line {line.line_no}",
                    family=family,
                    licensed=bool(line.license_number),
                )
            )
    return signals


def hs_suggests_controlled(filing: Filing, ctx: Context) -> list[Signal]:
    """A line is declared EAR99 or without ECCN under an HS code controlled items usually carry.

    `level` says whether the items usually classified there are controlled for
    anti-terrorism reasons only (`at-only`: civil aircraft parts 9A991, marine
    equipment 8A992) or for more (`controlled`).
    """
    signals = []
    for line in filing.lines:
        declared = (line.eccn or "EAR99").upper()
        if line.usml_category or declared != "EAR99":
            continue
        family = vocab.sensitive_hs(line.schedule_b)
        if family:
            signals.append(
                _flag(
                    "hs_suggests_controlled",
                    ["DOC-03", "CM-02"],
                    f"line {line.line_no}: declared EAR99/NLR but HS {line.hs6} is where "
                    f"{family} are classified.",
                    f"line {line.line_no}",
                    family=family,
                    level=vocab.hs_control_level(family),
                )
            )
    return signals


def uav_component(filing: Filing, ctx: Context) -> list[Signal]:
    """A line is a kind of component found in Iranian UAVs and goes to a hub used for Iran."""
    dest = filing.country_of_destination
    if dest not in vocab.DIVERSION_HUBS and dest != "IR":
        return []
    signals = []
    for line in filing.lines:
        kind = vocab.uav_component(line.schedule_b)
        if kind:
            # Kinds the CHPL also names weigh as their tier; motors and engines, common in
            # ordinary trade, weigh half.
            tier = ctx.chpl.get(line.hs6)
            signals.append(
                _flag(
                    "uav_component",
                    ["CM-03"],
                    f"line {line.line_no}: {kind} (HS {line.hs6}) "
                    f"to {dest}, a hub used for Iranian UAV procurement.",
                    f"line {line.line_no}",
                    chpl_strength(tier) if tier else 0.5,
                    kind=kind,
                    licensed=bool(line.license_number),
                )
            )
    return signals


def cover_description(filing: Filing, ctx: Context) -> list[Signal]:
    """A line's description is generic or a known cover wording that does not fit its HS code."""
    signals = []
    for line in filing.lines:
        problem = vocab.description_problem(line.description, line.schedule_b)
        if problem:
            signals.append(
                _flag(
                    "cover_description",
                    ["DOC-05"],
                    f"line {line.line_no}: description {line.description!r} {problem}.",
                    f"line {line.line_no}",
                    problem=problem,
                    kind="generic" if problem == vocab.GENERIC_PROBLEM else "cover",
                )
            )
    return signals


def household_goods_to_arms_region(filing: Filing, ctx: Context) -> list[Signal]:
    """Household goods, personal effects or used vehicles go to Central America, the Caribbean or West Africa."""
    if filing.country_of_destination not in vocab.ARMS_TRAFFICKING_REGION:
        return []
    for line in filing.lines:
        if vocab.household_goods(line.description, line.schedule_b):
            return [
                _flag(
                    "household_goods_region",
                    ["DOC-07"],
                    f"line {line.line_no}: "
                    f"{line.description!r} to {filing.country_of_destination}, a route used to "
                    "smuggle firearms in household goods.",
                    f"line {line.line_no}",
                )
            ]
    return []


def late_filing(filing: Filing, ctx: Context) -> list[Signal]:
    """The EEI was filed after the date of export."""
    if filing.filed_at.date() <= filing.export_date:
        return []
    days = (filing.filed_at.date() - filing.export_date).days
    return [
        _flag(
            "late_filing",
            ["DOC-02"],
            f"filed {days} day(s) after the export date.",
            days=days,
        )
    ]


def value_near_threshold(filing: Filing, ctx: Context) -> list[Signal]:
    """A line's value sits just under the USD 2,500 EEI threshold (USD 2,000-2,500)."""
    for line in filing.lines:
        if 0.8 * EEI_THRESHOLD_USD <= line.value_usd <= EEI_THRESHOLD_USD:
            return [
                _flag(
                    "value_near_threshold",
                    ["DOC-01"],
                    f"line {line.line_no}: value USD "
                    f"{line.value_usd:,.0f} sits just under the USD 2,500 filing threshold.",
                    f"line {line.line_no}",
                )
            ]
    return []


def usppi_parcel_forwarder(filing: Filing, ctx: Context) -> list[Signal]:
    """The USPPI's name says package forwarding, mail forwarding or personal shopping."""
    if not vocab.parcel_forwarder(filing.usppi.name):
        return []
    return [
        _flag(
            "usppi_parcel_forwarder",
            ["CP-07"],
            f"the USPPI {filing.usppi.name!r} reads as a "
            "package or mail forwarder shipping for unseen foreign buyers.",
            "usppi",
        )
    ]


def shared_address(filing: Filing, ctx: Context) -> list[Signal]:
    """A party's address is the address of a listed party."""
    if not ctx.listed_addresses:
        return []
    signals = []
    for party in filing.parties:
        key = address_key(party.address, party.city, party.country)
        listed = ctx.listed_addresses.get(key) if key else None
        if listed:
            signals.append(
                _flag(
                    "shared_address",
                    ["PS-04"],
                    f"{party.role.value.replace('_', ' ')} "
                    f"address {party.address!r} is the listed address of {listed[1]!r} ({listed[0]}).",
                    party.role.value,
                    entity_id=listed[0],
                )
            )
    return signals


# -- history ------------------------------------------------------------------


def _history_signal(
    name: str, flags: Sequence[str], text: str, subject: str = "", **evidence: object
) -> Signal:
    return Signal(
        f"history.{name}", text, subject, 1.0, {"flags": list(flags), **evidence}
    )


def new_consignee(filing: Filing, ctx: Context) -> list[Signal]:
    """The ultimate consignee has no stored filing before this one, or only one other in all."""
    if not ctx.history.complete:
        return []
    past = ctx.history.consignee(filing)
    earlier = bool(
        past.filings and past.first_filed and past.first_filed < filing.filed_at
    )
    if earlier and past.filings >= 2:
        return []
    status = "rare" if earlier else "new"
    # "New" is about what came before this filing: filings stored since (a batch
    # re-targeted later) are named as such, so the count never contradicts the word.
    said = ("the ultimate consignee is rare (one other stored filing, filed before this one)."
            if earlier else
            "the ultimate consignee is new (no stored filing filed before this one"
            + (f"; {past.filings} filed since)." if past.filings else ")."))
    return [
        _history_signal(
            "consignee_new",
            ["CP-03", "HX-02"],
            said,
            "ultimate_consignee",
            status=status,
            prior=past.filings,
        )
    ]


def new_usppi(filing: Filing, ctx: Context) -> list[Signal]:
    """The USPPI has no stored filing before this one."""
    if not ctx.history.complete:
        return []
    past = ctx.history.usppi(filing)
    if past.filings and past.first_filed and past.first_filed < filing.filed_at:
        return []
    return [
        _history_signal(
            "usppi_new",
            ["CP-08", "HX-02"],
            "the USPPI has never exported before (first filing on record).",
            "usppi",
        )
    ]


def consignee_network(filing: Filing, ctx: Context) -> list[Signal]:
    """The consignee receives from five or more unrelated USPPIs, or through four or more forwarders."""
    if not ctx.history.complete:
        return []
    past = ctx.history.consignee(filing)
    signals = []
    if past.partners >= 5:
        signals.append(
            _history_signal(
                "consignee_many_exporters",
                ["NW-01"],
                f"the ultimate consignee "
                f"receives from {past.partners} different U.S. exporters.",
                "ultimate_consignee",
                exporters=past.partners,
            )
        )
    if past.forwarders >= 4:
        signals.append(
            _history_signal(
                "consignee_many_forwarders",
                ["BH-03"],
                f"the ultimate consignee "
                f"has used {past.forwarders} different forwarders.",
                "ultimate_consignee",
                forwarders=past.forwarders,
            )
        )
    return signals


def unit_value_outlier(filing: Filing, ctx: Context) -> list[Signal]:
    """A line's unit value is five times above or below the typical value stored for its HS-6 code."""
    signals = []
    for line in filing.lines:
        past = ctx.history.prices.get(line.hs6)
        if past is None or past.lines < 20 or line.quantity <= 0 or line.value_usd <= 0:
            continue
        price = line.value_usd / line.quantity
        gap = math.log(price) - past.mean
        if abs(gap) < max(math.log(5.0), 3.0 * past.spread):
            continue
        direction = "above" if gap > 0 else "below"
        flags = ["PY-03"] if gap > 0 else ["DOC-05", "DOC-01"]
        signals.append(
            _history_signal(
                "unit_value_outlier",
                flags,
                f"line {line.line_no}: unit value USD "
                f"{price:,.2f} is {math.exp(abs(gap)):.0f}x {direction} the typical "
                f"USD {past.typical():,.2f} of {past.lines} stored lines under HS "
                f"{line.hs6}.",
                f"line {line.line_no}",
                direction=direction,
            )
        )
    return signals


def changed_after_filing(filing: Filing, ctx: Context) -> list[Signal]:
    """A correction of this filing changed its ultimate consignee or its destination."""
    before = ctx.history.prior_versions.get(filing.filing_id)
    if not before:
        return []
    consignee, dest = before
    changes = []
    if consignee and consignee.upper() != filing.ultimate_consignee.name.upper():
        changes.append(f"consignee was {consignee!r}")
    if dest and dest != filing.country_of_destination:
        changes.append(f"destination was {dest}")
    if not changes:
        return []
    return [
        _history_signal(
            "changed_after_filing",
            ["RT-05"],
            "a correction changed the filing: " + "; ".join(changes) + ".",
        )
    ]


PRODUCERS: tuple[Callable[[Filing, Context], list[Signal]], ...] = (
    controlled_item,
    consignee_intermediary,
    reseller_in_hub,
    residential_address,
    free_trade_zone,
    transshipment_hub,
    third_country,
    chpl_item,
    sensitive_family,
    hs_suggests_controlled,
    uav_component,
    cover_description,
    household_goods_to_arms_region,
    late_filing,
    value_near_threshold,
    usppi_parcel_forwarder,
    shared_address,
    new_consignee,
    new_usppi,
    consignee_network,
    unit_value_outlier,
    changed_after_filing,
)


def red_flag_signals(filing: Filing, ctx: Context) -> list[Signal]:
    """Return the signals of every red-flag producer for one filing."""
    found: list[Signal] = []
    for producer in PRODUCERS:
        found += producer(filing, ctx)
    return found


def address_key(address: str, city: str, country: str | None) -> str:
    """Return a comparison key for a street address: digits and words, lower case, sorted.

    Empty when the address has no house number or is too short to tell parties apart.
    """
    words = _words(f"{address} {city}")
    if not any(w.isdigit() for w in words) or len(words) < 3:
        return ""
    return f"{(country or '').upper()}|{' '.join(sorted(words))}"


def listed_address_book(entities: Sequence[object]) -> dict[str, tuple[str, str]]:
    """Return address key -> (entity id, name) for listed parties with a street address."""
    book: dict[str, tuple[str, str]] = {}
    for entity in entities:
        for address in getattr(entity, "addresses", ()):
            key = address_key(address.full, address.city, address.country)
            if key:
                book.setdefault(key, (entity.id, entity.name))  # type: ignore[attr-defined]
    return book


def describe_producers() -> list[dict[str, str]]:
    """Return each producer's name and condition, for the red-flag catalogue."""
    return [
        {"name": p.__name__, "condition": (p.__doc__ or "").strip()} for p in PRODUCERS
    ]
