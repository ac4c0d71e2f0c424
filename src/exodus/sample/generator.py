"""Generate sample outbound filings from real ports, countries and HTS codes.

Most filings are ordinary lawful trade; a seeded share carries real risk patterns:
a listed party under a misspelt name, controlled items to embargoed destinations
declared NLR, high-priority electronics to transshipment hubs through resellers or
forwarders. `labels` tells which pattern each risky filing was built from, for
evaluation only; nothing in a filing itself says so.
"""

from __future__ import annotations

import csv
import logging
import random
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from importlib import resources

from exodus.core.filings import CommodityLine, ConsigneeType, Filing, Party, PartyRole
from exodus.core.targeting.evaluation import CaseDraft, draft_seed
from exodus.sample import pools

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ListedName:
    """A real listed party the generator may misspell into a filing."""

    name: str
    country: str | None
    schema: str = "organization"


@cache
def hts_lines() -> dict[str, list[tuple[str, str]]]:
    """Return HS-4 heading -> [(10-digit code, description)] from the bundled HTS."""
    path = resources.files("exodus") / "data/reference/hts/hts_2025_basic_edition.csv"
    by_heading: dict[str, list[tuple[str, str]]] = defaultdict(list)
    parents: dict[int, str] = {}
    with path.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            indent = int(row["Indent"] or 0)
            text = re.sub(r"\s+", " ", row["Description"]).strip().rstrip(":")
            parents[indent] = text
            digits = row["HTS Number"].replace(".", "")
            if len(digits) == 10 and digits.isdigit():
                if text.lower().startswith(("other", "for ", "parts", "new", "used", "of ")) or len(text) < 25:
                    # Leaf texts such as "Other" only make sense under their heading.
                    text = f"{parents.get(0, '').split(';')[0]} - {text}".strip(" -")
                by_heading[digits[:4]].append((digits, text[:200].strip(" -")))
    return dict(by_heading)


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


LEGAL_TAIL = re.compile(r"[,\s]+(co\.?,?\s*ltd\.?|ltd\.?|llc|inc\.?|limited|gmbh|corp\.?|company|ooo|jsc|fze|llp)$", re.I)


def vary_name(rng: random.Random, name: str, schema: str = "organization") -> str:
    """Return `name` as a shipper might mistype it: case, legal form, order, a typo."""
    variant = name.split(";")[0].strip()
    if schema == "person" and "," in variant:
        last, _, first = variant.partition(",")
        variant = f"{first.strip()} {last.strip()}"
    choice = rng.random()
    if choice < 0.3:
        variant = LEGAL_TAIL.sub("", variant)
    words = variant.split()
    if words and choice >= 0.3:
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        words[longest] = _typo(rng, words[longest])
    variant = " ".join(words)
    return variant.upper() if rng.random() < 0.5 else variant.title()


class SampleGenerator:
    """A seeded source of realistic filings."""

    def __init__(self, seed: int = 1, *, listed: Sequence[ListedName] = (), risk_share: float = 0.04,
                 day: date | None = None) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.listed = list(listed)
        self.risk_share = risk_share
        self.day = day or date(2026, 12, 1)
        self.labels: dict[str, str] = {}
        self._usppis = [self._us_company() for _ in range(120)]
        self._consignees: dict[str, list[Party]] = {}
        self._traders: dict[str, list[Party]] = {}
        # Trade runs in relationships: a consignee buys from a few exporters through a
        # few forwarders, and a port's forwarders serve many exporters.
        self._partners: dict[tuple[str, str], tuple[list[Party], list[Party | None]]] = {}
        self._us_forwarders: list[Party] = []
        self._counter = 0

    # -- parties -----------------------------------------------------------
    def _company_name(self, country: str) -> str:
        rng = self.rng
        forms = pools.LEGAL_FORMS.get(country, ["Ltd."])
        return f"{rng.choice(pools.NAME_ROOTS)} {rng.choice(pools.NAME_TRADES)} {rng.choice(forms)}"

    def _address(self) -> str:
        return f"{self.rng.randint(1, 9800)} {self.rng.choice(pools.STREETS)}"

    def _us_company(self) -> Party:
        city, state = self.rng.choice(pools.US_CITIES)
        name = f"{self.rng.choice(pools.NAME_ROOTS)} {self.rng.choice(pools.NAME_TRADES)} {self.rng.choice(['Inc.', 'LLC', 'Corp.'])}"
        ein = f"{self.rng.randint(10, 99)}-{self.rng.randint(1000000, 9999999)}"
        return Party(PartyRole.USPPI, name, "US", self._address(), f"{city}, {state}", ein)

    def _consignee(self, country: str, kind: ConsigneeType | None = None) -> Party:
        known = self._consignees.setdefault(country, [])
        if known and self.rng.random() < 0.8 and kind is None:
            return self.rng.choice(known)
        party = Party(
            PartyRole.ULTIMATE_CONSIGNEE, self._company_name(country), country, self._address(),
            self.rng.choice(pools.CITIES.get(country, ["Capital City"])),
            type=kind or self.rng.choice([ConsigneeType.DIRECT_CONSUMER] * 5 + [ConsigneeType.RESELLER] * 3 + [ConsigneeType.GOVERNMENT, ConsigneeType.OTHER]),
        )
        known.append(party)
        return party

    def _us_forwarder(self) -> Party:
        """Return one of the U.S. forwarders (a pool of about 80 grows as trade needs)."""
        if len(self._us_forwarders) < 80 and self.rng.random() < 0.2 or not self._us_forwarders:
            self._us_forwarders.append(self._forwarder("US"))
        return self.rng.choice(self._us_forwarders)

    def _relationship(self, consignee: Party) -> tuple[list[Party], list[Party | None]]:
        """Return the usual exporters and forwarders of a consignee (made on first use)."""
        key = (consignee.name, consignee.country)
        found = self._partners.get(key)
        if found is None:
            rng = self.rng
            usppis = [rng.choice(self._usppis) for _ in range(rng.choice([1, 1, 2, 2, 3, 4]))]
            forwarders = [self._us_forwarder() if rng.random() < 0.7 else None
                          for _ in range(rng.choice([1, 1, 2, 3]))]
            found = self._partners[key] = (usppis, forwarders)
        return found

    def _trader(self, country: str) -> Party:
        """Return a trading house or logistics firm of `country`, usually a known one."""
        rng = self.rng
        known = self._traders.setdefault(country, [])
        if known and rng.random() < 0.8:
            return rng.choice(known)
        name = f"{rng.choice(pools.NAME_ROOTS)} {rng.choice(['Trading', 'General Trading', 'Logistics'])} " \
               f"{rng.choice(pools.LEGAL_FORMS.get(country, ['Ltd.']))}"
        party = Party(PartyRole.ULTIMATE_CONSIGNEE, name, country, self._address(),
                      rng.choice(pools.CITIES.get(country, ["Capital City"])), type=ConsigneeType.RESELLER)
        known.append(party)
        return party

    def _forwarder(self, country: str, role: PartyRole = PartyRole.FREIGHT_FORWARDER) -> Party:
        name = f"{self.rng.choice(pools.NAME_ROOTS)} {self.rng.choice(pools.FORWARDER_WORDS)} {self.rng.choice(pools.LEGAL_FORMS.get(country, ['Ltd.']))}"
        city = self.rng.choice(pools.CITIES.get(country, ["Miami"])) if country != "US" else self.rng.choice(pools.US_CITIES)[0]
        return Party(role, name, country, self._address(), city)

    # -- lines -------------------------------------------------------------
    def _line(self, number: int, heading: str, prices: tuple[float, float], *, eccn: str | None = None,
              usml: str | None = None, code: str = "C33", license_number: str | None = None) -> CommodityLine:
        rng = self.rng
        candidates = hts_lines().get(heading[:4], [])
        if len(heading) == 6:
            candidates = [c for c in candidates if c[0].startswith(heading)] or candidates
        schedule_b, description = rng.choice(candidates)
        unit_price = round(rng.uniform(*prices), 2)
        quantity = max(1, int(rng.lognormvariate(3.0, 1.2)))
        if unit_price > 50000:
            quantity = rng.randint(1, 3)
        value = round(max(2501.0, quantity * unit_price), 2)
        return CommodityLine(
            line_no=number, schedule_b=schedule_b, description=description, quantity=float(quantity),
            unit="NO", value_usd=value, weight_kg=round(max(0.1, value / rng.uniform(20, 400)), 1),
            eccn=eccn, usml_category=usml, license_code=code, license_number=license_number,
        )

    def _ordinary_lines(self) -> tuple[CommodityLine, ...]:
        count = self.rng.choice([1, 1, 1, 2, 2, 3])
        lines = []
        for n in range(1, count + 1):
            heading, prices = self.rng.choice(pools.ORDINARY)
            line = self._line(n, heading, prices, eccn="EAR99")
            if heading in pools.TRADE_NAMES and self.rng.random() < 0.3:
                # Many exporters write a short trade name instead of the tariff text.
                line = replace(line, description=pools.TRADE_NAMES[heading].upper())
            lines.append(line)
        return tuple(lines)

    # -- filings -----------------------------------------------------------
    def _filing(self, destination: str, consignee: Party, lines: Sequence[CommodityLine], *,
                forwarder: Party | None = None, intermediate: Party | None = None, routed: bool = False) -> Filing:
        self._counter += 1
        rng = self.rng
        port, modes, carriers = rng.choice(pools.PORTS)
        if destination in ("CA", "MX") and rng.random() < 0.6:
            port, modes, carriers = rng.choice([p for p in pools.PORTS if p[1][0].startswith("3")])
        export_day = self.day + timedelta(days=rng.randint(0, 2))
        filed = datetime.combine(self.day, time(rng.randint(0, 23), rng.randint(0, 59)), tzinfo=timezone.utc)
        usppis, forwarders = self._relationship(consignee)
        usppi = rng.choice(usppis) if rng.random() < 0.9 else rng.choice(self._usppis)
        if forwarder is None:
            forwarder = rng.choice(forwarders) if rng.random() < 0.9 else (
                self._us_forwarder() if rng.random() < 0.7 else None)
        return Filing(
            filing_id=f"X{self.day:%Y%m%d}{self.seed % 100:02d}{self._counter:06d}",
            filed_at=filed, export_date=export_day, port_of_export=port, mode_of_transport=rng.choice(modes),
            carrier=rng.choice(carriers), country_of_destination=destination, usppi=usppi,
            ultimate_consignee=consignee, lines=tuple(lines), intermediate_consignee=intermediate,
            freight_forwarder=forwarder, routed_export=routed, related_parties=rng.random() < 0.1,
        )

    def _destination(self) -> str:
        countries = list(pools.DESTINATIONS)
        return self.rng.choices(countries, weights=[pools.DESTINATIONS[c] for c in countries])[0]

    def lawful(self) -> Filing:
        """Return one lawful filing: ordinary goods, licensed items, AT-only items NLR, and trade
        that naive rules mistake for diversion (see `_varied_lawful`)."""
        return self._dress(self._lawful())

    def _lawful(self) -> Filing:
        rng = self.rng
        destination = self._destination()
        roll = rng.random()
        if roll < 0.06:
            heading, eccn, usml, prices = rng.choice(pools.LICENSED)
            destination = rng.choice(pools.LICENSED_DESTINATIONS)
            if usml:
                number = f"05{rng.randint(1000000, 9999999)}"
                line = self._line(1, heading, prices, usml=usml, code="S05", license_number=number)
            else:
                number = f"D{rng.randint(100000, 999999)}"
                line = self._line(1, heading, prices, eccn=eccn, code="C30", license_number=number)
            return self._filing(destination, self._consignee(destination), [line])
        if roll < 0.12:
            heading, eccn, prices = rng.choice(pools.AT_ONLY)
            return self._filing(destination, self._consignee(destination), [self._line(1, heading, prices, eccn=eccn)])
        if roll < 0.17:
            # Hub destinations with ordinary goods, and lawful CHPL electronics to allies.
            destination = rng.choice(pools.HUBS + ["DE", "JP", "MX", "GB"])
            if destination in pools.HUBS:
                lines = self._ordinary_lines()
            else:
                lines = (self._line(1, rng.choice(pools.CHPL_HEADINGS), (1, 40), eccn="EAR99"),)
            return self._filing(destination, self._consignee(destination), lines)
        if roll < 0.31:
            return self._varied_lawful(rng.random())
        return self._filing(destination, self._consignee(destination), self._ordinary_lines())

    def _varied_lawful(self, roll: float) -> Filing:
        """Return lawful trade that naive rules mistake for diversion."""
        rng = self.rng
        if roll < 0.18:
            # Controlled items that need no license where they go (1C350 to AG members, 9A991, 5A992).
            hs6, eccn, code, places = rng.choice(pools.NLR_CONTROLLED)
            destination = rng.choice(places)
            line = self._line(1, hs6, (50, 5000), eccn=eccn, code=code)
            return self._filing(destination, self._consignee(destination), [line])
        if roll < 0.33:
            # High-priority chips for automotive and consumer makers in hub countries.
            destination = rng.choice(pools.CHPL_LAWFUL_HUBS)
            consignee = self._consignee(destination)
            line = self._line(1, rng.choice(pools.CHPL_HEADINGS), (1, 40), eccn="EAR99")
            return self._filing(destination, consignee, [line])
        if roll < 0.46:
            # Trading houses and logistics firms buying ordinary goods in hubs.
            destination = rng.choice(pools.HUBS)
            return self._filing(destination, self._trader(destination), self._ordinary_lines())
        if roll < 0.53:
            # Goods consigned through a distributor in a neighbouring market or a regional hub.
            destination, via = rng.choice([("DE", "NL"), ("BE", "NL"), ("FR", "NL"), ("CH", "NL"), ("AT", "NL"),
                                           ("PL", "NL"), ("MY", "SG"), ("OM", "AE"), ("KW", "AE"), ("QA", "AE")])
            middle = self._forwarder(via, PartyRole.INTERMEDIATE_CONSIGNEE)
            return self._filing(destination, self._consignee(destination), self._ordinary_lines(), intermediate=middle)
        if roll < 0.62:
            # Importers licensed in a UAE free zone: ordinary goods and mass-market computers.
            consignee = replace(self._consignee("AE"), address=rng.choice(pools.FREE_ZONE_ADDRESSES))
            if rng.random() < 0.3:
                heading, eccn, prices = rng.choice(pools.AT_ONLY[:2])
                return self._filing("AE", consignee, [self._line(1, heading, prices, eccn=eccn)])
            return self._filing("AE", consignee, self._ordinary_lines())
        if roll < 0.69:
            # Regional distributors in hubs buying computers, phones and common components.
            destination = rng.choice(pools.HUBS + ["SG", "MY", "IN", "MX"])
            consignee = self._consignee(destination, ConsigneeType.RESELLER)
            hs6, eccn, prices = rng.choice(pools.DISTRIBUTOR_GOODS)
            return self._filing(destination, consignee, [self._line(1, hs6, prices, eccn=eccn)])
        if roll < 0.78:
            # EAR99 goods under headings that also hold controlled items (DOC-03 look-alikes).
            destination = self._destination()
            heading, prices = rng.choice(pools.EAR99_UNDER_CONTROLLED_HS)
            line = self._line(1, heading, prices, eccn=rng.choice(["EAR99", None]))
            return self._filing(destination, self._consignee(destination), [line])
        if roll < 0.83:
            # Small buyers who run their business from home.
            destination = rng.choice(["CA", "MX", "GB", "AU", "DE", "CO", "PH"])
            home = replace(self._consignee(destination), address=f"{rng.choice(pools.HOME_ADDRESSES)}, "
                           f"{rng.randint(1, 300)} {rng.choice(pools.STREETS)}")
            return self._filing(destination, home, self._ordinary_lines())
        if roll < 0.88:
            # Food and medicine for Russia, which need no license.
            heading, food_prices = rng.choice(pools.HUMANITARIAN)
            line = self._line(1, heading, food_prices, eccn="EAR99")
            return self._filing("RU", self._consignee("RU", ConsigneeType.RESELLER), [line])
        if roll < 0.94:
            # A vague description where the tariff text would do ("SPARE PARTS", "SAMPLES").
            destination = self._destination()
            heading = rng.choice(list(pools.VAGUE_DESCRIPTIONS))
            usual = dict(pools.ORDINARY).get(heading, (5.0, 500.0))
            line = replace(self._line(1, heading, usual, eccn="EAR99"), description=pools.VAGUE_DESCRIPTIONS[heading])
            return self._filing(destination, self._consignee(destination), [line])
        # A low-value line filed although the value is under the USD 2,500 threshold.
        destination = self._destination()
        line = replace(self._line(1, *rng.choice(pools.ORDINARY), eccn="EAR99"))
        value = round(rng.uniform(1500, 2500), 2)
        line = replace(line, value_usd=value, quantity=max(1.0, round(value / max(1.0, line.value_usd / line.quantity))))
        return self._filing(destination, self._consignee(destination), [line])

    def _dress(self, filing: Filing) -> Filing:
        """Vary what lawful filers leave out or file late: blank ECCN on EAR99 lines, post-departure
        filing, a routed export through the buyer's forwarder."""
        rng = self.rng
        if rng.random() < 0.4:
            filing = replace(filing, lines=tuple(replace(line, eccn=None) if line.eccn == "EAR99" else line
                                                 for line in filing.lines))
        if rng.random() < 0.02:
            # Approved exporters may file up to five days after departure (15 CFR 30.4(c)).
            filing = replace(filing, export_date=filing.filed_at.date() - timedelta(days=rng.randint(1, 4)))
        if rng.random() < 0.04:
            forwarder = self._forwarder(filing.country_of_destination)
            filing = replace(filing, routed_export=True, freight_forwarder=forwarder)
        return filing

    def case_filing(self, case: CaseDraft) -> Filing:
        """Dress an enforcement case's declared facts as the filing its exporter would file."""
        rng = random.Random(draft_seed(case))
        saved, self.rng = self.rng, rng
        try:
            dest = case.destination
            consignee = Party(
                PartyRole.ULTIMATE_CONSIGNEE, case.consignee or self._case_company(case), dest, self._address(),
                rng.choice(pools.CITIES.get(dest, ["Capital City"])), type=ConsigneeType(case.consignee_kind))
            # The exporter is drawn from the established exporters: a case's exporter name would
            # otherwise be the only first-time exporter in the data and give the case away.
            usppi = rng.choice(self._usppis)
            line = self._case_line(case)
            filing = self._filing(dest, consignee, [line])
            port, modes, carriers = self._case_port(case.mode)
        finally:
            self.rng = saved
        return replace(filing, filing_id=f"CASE-{case.filing_key}", usppi=usppi, port_of_export=port,
                       mode_of_transport=modes[0], carrier=carriers[0])

    def repeat_orders(self, filing: Filing, count: int) -> list[Filing]:
        """Return `count` earlier filings from the same exporter to the same consignee, on `day`.

        Their goods are drawn from the same mix as lawful trade (ordinary goods, licensed,
        AT-only and high-priority items ...), so a consignee's past holds the goods of its
        own filing as often as a lawful consignee's past does, no more and no less.
        """
        return [replace(self._filing(filing.country_of_destination, filing.ultimate_consignee,
                                     self._lawful().lines), usppi=filing.usppi) for _ in range(count)]

    def _case_company(self, case: CaseDraft) -> str:
        forms = pools.LEGAL_FORMS.get(case.destination, ["Ltd."])
        return f"{self.rng.choice(pools.NAME_ROOTS)} {case.consignee_trade} {self.rng.choice(forms)}"

    def _case_line(self, case: CaseDraft) -> CommodityLine:
        prefix = case.hs6 or case.heading_hint
        candidates = [c for c in hts_lines().get(prefix[:4], []) if c[0].startswith(prefix)] or \
            hts_lines().get(prefix[:4], []) or hts_lines()["8479"]
        schedule_b, text = candidates[0]
        # A case's value is often a total over many shipments; one filing carries at most USD 500,000.
        value = min(case.value_usd, 500_000.0) if case.value_usd > 0 else 25_000.0
        quantity = 1.0 if prefix[:2] in ("84", "87", "88", "89", "90") else 10.0
        licensed = case.license_code in ("C30", "S05")
        return CommodityLine(
            line_no=1, schedule_b=schedule_b, description=case.description or text, quantity=quantity, unit="NO",
            value_usd=round(value, 2), weight_kg=round(max(0.5, value / 150), 1), eccn=case.eccn,
            usml_category=case.usml, license_code=case.license_code,
            license_number=(f"D{self.rng.randint(100000, 999999)}" if case.license_code == "C30"
                            else f"05{self.rng.randint(1000000, 9999999)}") if licensed else None)

    def _case_port(self, mode: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        wanted = {"air": "40", "mail": "40", "ocean": "11", "truck": "30"}[mode]
        port, modes, carriers = self.rng.choice([p for p in pools.PORTS if wanted in p[1]])
        if mode == "mail":
            return port, ("50",), ("UNITED STATES POSTAL SERVICE",)
        return port, (wanted,), carriers

    def risky(self) -> Filing:
        """Return one filing built on a real risk pattern; its label is kept in `labels`."""
        rng = self.rng
        patterns = ["embargoed_controlled", "transshipment_chpl", "forwarder_consignee"]
        if self.listed:
            patterns += ["listed_party", "listed_party"]
        pattern = rng.choice(patterns)
        if pattern == "listed_party":
            listed = rng.choice(self.listed)
            destination = listed.country if listed.country and listed.country != "US" else self._destination()
            consignee = Party(PartyRole.ULTIMATE_CONSIGNEE, vary_name(rng, listed.name, listed.schema), destination,
                              self._address(), rng.choice(pools.CITIES.get(destination, ["Capital City"])),
                              type=ConsigneeType.OTHER)
            filing = self._filing(destination, consignee, self._ordinary_lines())
        elif pattern == "embargoed_controlled":
            destination = rng.choice(pools.EMBARGOED)
            heading, eccn, _usml, prices = rng.choice([x for x in pools.LICENSED if x[1]])
            filing = self._filing(destination, self._consignee(destination), [self._line(1, heading, prices, eccn=eccn, code="C33")])
        elif pattern == "transshipment_chpl":
            destination = rng.choice(pools.HUBS)
            consignee = self._consignee(destination, ConsigneeType.RESELLER)
            lines = [self._line(n, rng.choice(pools.CHPL_HEADINGS), (1, 60), eccn="EAR99") for n in (1, 2)]
            filing = self._filing(destination, consignee, lines, forwarder=self._forwarder(destination), routed=True)
        else:
            destination = rng.choice(pools.HUBS)
            name = self._forwarder(destination).name
            consignee = Party(PartyRole.ULTIMATE_CONSIGNEE, name, destination, self._address(),
                              rng.choice(pools.CITIES.get(destination, ["Dubai"])), type=ConsigneeType.OTHER)
            lines = [self._line(1, rng.choice(pools.CHPL_HEADINGS), (1, 60), eccn="EAR99")]
            filing = self._filing(destination, consignee, lines)
        self.labels[filing.filing_id] = pattern
        return filing

    def filings(self, count: int) -> Iterator[Filing]:
        """Yield `count` filings, about `risk_share` of them risky."""
        for _ in range(count):
            yield self.risky() if self.rng.random() < self.risk_share else self.lawful()


def generate(count: int, seed: int = 1, *, listed: Sequence[ListedName] = (), risk_share: float = 0.04) -> list[Filing]:
    """Return `count` sample filings for `seed`."""
    return list(SampleGenerator(seed, listed=listed, risk_share=risk_share).filings(count))


def listed_names_from_bundle(limit: int = 400, seed: int = 7) -> list[ListedName]:
    """Return a seeded selection of real listed parties from the bundled lists."""
    from exodus.core.lists import bundled_releases, read_list

    rng = random.Random(seed)
    entities = [e for e in read_list(bundled_releases()[0]).entities
                if e.source in ("EL", "SDN", "DPL", "MEU", "UVL") and e.schema.value in ("organization", "person")]
    chosen = rng.sample(entities, min(limit, len(entities)))
    return [ListedName(e.name, e.countries[0] if e.countries else None, e.schema.value) for e in chosen]
